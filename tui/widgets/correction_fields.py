"""The fields of a correction, one form per task, bounded by the task's own schema.

The choices come from the same tables the schema is built from (RADS categories per
system, N and M stage lists) and every text field has the schema's maximum length,
so a clinician can only type what the schema could accept; `record_review`
validates the whole object again before anything is saved.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, TextArea

from appliance.tasks.base import Label as LabelText, Quote, Reasoning
from appliance.tasks.differential_diagnosis import DifferentialDiagnosis
from appliance.tasks.rads_systems import NOT_APPLICABLE, RADS_CATEGORIES
from appliance.tasks import TASKS

LIST_SEPARATOR = ";"


def max_length(alias: Any) -> int:
    """The max_length of a constrained string alias such as Quote (160) or Label (60)."""
    for meta in typing.get_args(alias)[1:]:
        if getattr(meta, "max_length", None):
            return meta.max_length
    raise ValueError(f"{alias!r} has no max_length")


def max_items(model: type[BaseModel], field: str) -> int:
    for meta in model.model_fields[field].metadata:
        if getattr(meta, "max_length", None):
            return meta.max_length
    raise ValueError(f"{model.__name__}.{field} has no max_length")


def categories_for(system: str) -> tuple[str, ...]:
    return ("not applicable",) if system == NOT_APPLICABLE else RADS_CATEGORIES[system]


def _chosen(select: Select, what: str) -> str:
    if select.value is Select.NULL:
        raise ValueError(f"Choose {what}.")
    return str(select.value)


class CorrectionFields(Vertical):
    """Base: a form whose value() is the corrected object (ValueError: something not chosen)."""

    def value(self) -> dict[str, Any]:
        raise NotImplementedError


class RadsFields(CorrectionFields):
    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(classes="correction-fields")
        self.current = current

    def compose(self) -> ComposeResult:
        systems = [*RADS_CATEGORIES, NOT_APPLICABLE]
        system = self.current.get("system", systems[0])
        yield Label("RADS system")
        yield Select([(s, s) for s in systems], value=system, allow_blank=False, id="system", compact=True)
        yield Label("Category (only the categories valid for the system)")
        yield Select([(c, c) for c in categories_for(system)], value=self.current.get("category", Select.NULL),
                     id="category", compact=True)
        yield Label(f"Evidence: the words in the report (at most {max_length(Quote)} characters)")
        yield Input(self.current.get("evidence", ""), max_length=max_length(Quote), id="evidence", compact=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "system":
            return
        category = self.query_one("#category", Select)
        valid = categories_for(str(event.value))
        before = category.value
        category.set_options([(c, c) for c in valid])
        if before in valid:
            category.value = before

    def value(self) -> dict[str, Any]:
        system = _chosen(self.query_one("#system", Select), "a RADS system")
        category = _chosen(self.query_one("#category", Select), f"a {system} category")
        return {"system": system, "category": category, "evidence": self.query_one("#evidence", Input).value}


FIELD_NAMES = {"n_stage": "N stage", "m_stage": "M stage", "esi_level": "ESI level"}


def _constraint(metadata: list, name: str) -> Any:
    for meta in metadata:
        if getattr(meta, name, None) is not None:
            return getattr(meta, name)
    return None


def _string_limit(annotation: Any) -> int | None:
    """max_length of str or Annotated[str, StringConstraints(...)]; None if not a string type."""
    if annotation is str:
        return 0
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if base is str:
            return _constraint(meta, "max_length") or 0
    return None


def _field_kind(field: Any) -> tuple[str, Any]:
    """('choice', values) | ('text', max_len) | ('list', (max_items, item_max_len)) | ('other', None)."""
    annotation = field.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", typing.get_args(annotation)
    if annotation is int:
        low, high = _constraint(field.metadata, "ge"), _constraint(field.metadata, "le")
        if low is not None and high is not None:
            return "choice", tuple(range(low, high + 1))
        return "other", None
    if (limit := _string_limit(annotation)) is not None:
        return "text", _constraint(field.metadata, "max_length") or limit
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if (limit := _string_limit(item)) is not None:
            return "list", (_constraint(field.metadata, "max_length") or 10, limit or 60)
    return "other", None


def supports(model: type[BaseModel]) -> bool:
    """Flat models (choices, bounded text, lists of text) get a form; others are edited as JSON."""
    return all(_field_kind(f)[0] != "other" for f in model.model_fields.values())


class ModelFields(CorrectionFields):
    """A form made from a flat schema: a Select for each fixed choice (Literal, bounded int),
    an Input with the schema's max length for text, a ';'-separated Input for a list of text."""

    def __init__(self, model: type[BaseModel], current: dict[str, Any]) -> None:
        super().__init__(classes="correction-fields")
        self.model = model
        self.current = current

    def compose(self) -> ComposeResult:
        for name, field in self.model.model_fields.items():
            title = FIELD_NAMES.get(name) or field.title or name.replace("_", " ").capitalize()
            kind, spec = _field_kind(field)
            now = self.current.get(name)
            if kind == "choice":
                yield Label(title)
                yield Select([(str(v), v) for v in spec], value=now if now in spec else Select.NULL,
                             id=f"f-{name}", compact=True)
            elif kind == "text":
                yield Label(f"{title}" + (f" (at most {spec} characters)" if spec else ""))
                yield Input(now or "", max_length=spec, id=f"f-{name}", compact=True)
            else:
                count, each = spec
                yield Label(f"{title}: up to {count}, separated by '{LIST_SEPARATOR}' (each ≤ {each} characters)")
                yield Input("; ".join(now or []), max_length=count * (each + 2), id=f"f-{name}", compact=True)

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in self.model.model_fields.items():
            kind, _ = _field_kind(field)
            title = FIELD_NAMES.get(name) or field.title or name.replace("_", " ")
            if kind == "choice":
                out[name] = _chosen_value(self.query_one(f"#f-{name}", Select), title)
            elif kind == "text":
                out[name] = self.query_one(f"#f-{name}", Input).value
            else:
                out[name] = _split(self.query_one(f"#f-{name}", Input).value)
        return out


def _chosen_value(select: Select, what: str) -> Any:
    if select.value is Select.NULL:
        raise ValueError(f"Choose the {what}.")
    return select.value


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


class DifferentialFields(CorrectionFields):
    """Symptoms, most likely, exactly two possible, unlikely but serious, workup."""

    TIERS = (("most_likely", "Most likely"), ("possible_1", "Possible (1 of 2)"),
             ("possible_2", "Possible (2 of 2)"), ("unlikely_but_serious", "Unlikely but serious"))

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(classes="correction-fields")
        self.current = current

    def _tier(self, name: str) -> dict[str, str]:
        if name.startswith("possible_"):
            possible = self.current.get("possible", [])
            index = int(name[-1]) - 1
            return possible[index] if index < len(possible) else {}
        return self.current.get(name, {})

    def compose(self) -> ComposeResult:
        label, reasoning = max_length(LabelText), max_length(Reasoning)
        symptoms_n = max_items(DifferentialDiagnosis, "symptoms")
        workup_n = max_items(DifferentialDiagnosis, "recommended_workup")
        yield Label(f"Symptoms: up to {symptoms_n}, separated by '{LIST_SEPARATOR}' (each ≤ {label} characters)")
        yield Input("; ".join(self.current.get("symptoms", [])), id="symptoms", compact=True,
                    max_length=symptoms_n * (label + 2))
        for name, title in self.TIERS:
            tier = self._tier(name)
            yield Label(f"{title}: diagnosis (≤ {label}) and reasoning (≤ {reasoning})")
            yield Input(tier.get("diagnosis", ""), max_length=label, id=f"{name}-diagnosis", compact=True,
                        placeholder="diagnosis")
            yield Input(tier.get("reasoning", ""), max_length=reasoning, id=f"{name}-reasoning", compact=True,
                        placeholder="reasoning")
        yield Label(f"Workup: up to {workup_n} tests, separated by '{LIST_SEPARATOR}' (each ≤ {label} characters)")
        yield Input("; ".join(self.current.get("recommended_workup", [])), id="workup", compact=True,
                    max_length=workup_n * (label + 2))

    def _pair(self, name: str) -> dict[str, str]:
        return {"diagnosis": self.query_one(f"#{name}-diagnosis", Input).value.strip(),
                "reasoning": self.query_one(f"#{name}-reasoning", Input).value.strip()}

    def value(self) -> dict[str, Any]:
        return {
            "symptoms": _split(self.query_one("#symptoms", Input).value),
            "most_likely": self._pair("most_likely"),
            "possible": [self._pair("possible_1"), self._pair("possible_2")],
            "unlikely_but_serious": self._pair("unlikely_but_serious"),
            "recommended_workup": _split(self.query_one("#workup", Input).value),
        }


class JsonFields(CorrectionFields):
    """A task without its own form yet: the JSON object, validated against the schema on save."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(classes="correction-fields")
        self.current = current

    def compose(self) -> ComposeResult:
        yield Label("The corrected result as JSON (checked against the task's schema)")
        yield TextArea(json.dumps(self.current, indent=2), id="json")

    def value(self) -> dict[str, Any]:
        try:
            return json.loads(self.query_one("#json", TextArea).text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"Not valid JSON: {exc.msg} (line {exc.lineno}).") from None


def fields_for(task: str, current: dict[str, Any]) -> CorrectionFields:
    """The form for a task: its own for RADS and the differential, one made from the schema otherwise."""
    if task == "rads_assignment":
        return RadsFields(current)
    if task == "differential_diagnosis":
        return DifferentialFields(current)
    model = TASKS[task].output if task in TASKS else None
    if model is not None and supports(model):
        return ModelFields(model, current)
    return JsonFields(current)
