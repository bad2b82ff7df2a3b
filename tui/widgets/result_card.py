"""One task's result in words a clinician reads, with its evidence markers, source and review state."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.widgets import Static

from appliance.tasks import TASKS

from ..evidence import Evidence

ACTION_WORDS = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}


def _dx(d: dict) -> str:
    return f"{d['diagnosis']} — {d['reasoning']}"


def _chexpert(value: dict[str, Any]) -> list[str]:
    from appliance.tasks.abnormality_detection import AbnormalityDetection

    titles = {k: (f.title or k.replace("_", " ")) for k, f in AbnormalityDetection.model_fields.items()}
    lines = []
    for mention in ("positive", "uncertain", "negative"):
        found = [titles.get(k, k) for k, v in value.items() if v == mention]
        if found:
            lines.append(f"{mention.capitalize()}: {', '.join(found)}")
    return lines or ["No CheXpert finding mentioned"]


def describe(task: str, value: dict[str, Any]) -> list[str]:
    """A task result as lines a clinician reads, not raw JSON; the first line is the headline.

    Verbatim quotes (evidence) are shown separately, beside their [n] marker.
    """
    if task == "rads_assignment":
        return ["No RADS system applies" if value["system"] == "none" else f"{value['system']} {value['category']}"]
    if task == "n_staging":
        return [f"N stage: {value['n_stage']}"]
    if task == "m_staging":
        return [f"M stage: {value['m_stage']}"]
    if task == "differential_diagnosis":
        return [
            f"Most likely: {_dx(value['most_likely'])}",
            *(f"Possible: {_dx(d)}" for d in value["possible"]),
            f"Unlikely but serious: {_dx(value['unlikely_but_serious'])}",
            f"Symptoms: {'; '.join(value['symptoms'])}",
            f"Workup: {'; '.join(value['recommended_workup'])}",
        ]
    if task == "triage":
        return [f"ESI level {value['esi_level']} — {value['reason']}",
                f"Initial management: {'; '.join(value['initial_management'])}"]
    if task == "abnormality_detection":
        return _chexpert(value)
    if task == "impression_generation":
        return [f"Impression: {value['impression']}"]
    if task == "temporal_comparison":
        return [f"Summary: {value['summary']}", *(f"{c['finding']}: {c['change']}" for c in value["changes"])]
    if task == "radiology_ner":
        return [f"{len(value['entities'])} entities",
                *(f"{e['text']} ({e['type']}, {e['status']})" for e in value["entities"])]
    if task == "radiology_nli":
        return [f"Hypothesis: {value['label']}"]
    if task == "radiology_qa":
        return [f"Answer: {value['answer']}"]
    return [f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if k != "evidence"] or ["(empty)"]


def review_line(task: str, review: dict[str, Any] | None) -> str:
    if review is None:
        return "Review: not reviewed yet"
    when = (review["created_at"] or "")[:16].replace("T", " ")
    line = f"Review: {ACTION_WORDS.get(review['action'], review['action'])} by {review['reviewer']}, {when} UTC"
    if review["reason"]:
        line += f" — reason: {review['reason']}"
    if review["corrected_output"]:
        line += "\nCorrected to: " + "; ".join(describe(task, json.loads(review["corrected_output"])))
    return line


class ResultCard(Static, can_focus=True):
    """Focus a card (Tab) and press a, c or x to accept, correct or reject its result."""

    def __init__(self, task: str, value: dict[str, Any], *, provenance: str, model: dict | None,
                 evidence: list[Evidence], management: str | None, review: dict[str, Any] | None) -> None:
        self.task_name = task
        self.result = value
        text = Text()
        lines = describe(task, value)
        text.append(lines[0] + "\n", style="bold")
        for line in lines[1:]:
            text.append(line + "\n")
        for item in evidence:
            text.append("Evidence ")
            text.append(item.marker, style="bold underline")
            text.append(f" {item.label}: \"{item.quote}\"")
            if item.span is None:
                text.append("  (not found in the text)", style="italic")
            text.append("\n")
        if provenance == "stated_in_document":
            text.append("From: stated in the document (no model)\n")
        else:
            name = (model or {}).get("name") or "model"
            text.append(f"From: model {name}\n")
        if management:
            text.append(f"Next step: {management}\n")
        text.append(review_line(task, review), style="italic" if review is None else "bold")
        title = TASKS[task].title if task in TASKS else task
        super().__init__(text, classes="result-card")
        self.border_title = f"{title} · {task}"
        self.border_subtitle = "a accept · c correct · x reject"
