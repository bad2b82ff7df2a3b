"""differential_diagnosis: HAI-DiffDx's four tiers, with the unlikely-but-serious tier always filled."""

from __future__ import annotations

from pydantic import Field

from .base import Label, Output, Reasoning, Task


class Diagnosis(Output):
    diagnosis: Label
    reasoning: Reasoning


class DifferentialDiagnosis(Output):
    symptoms: list[Label] = Field(..., min_length=1, max_length=6)
    most_likely: Diagnosis
    possible: list[Diagnosis] = Field(..., min_length=2, max_length=2)
    unlikely_but_serious: Diagnosis
    recommended_workup: list[Label] = Field(..., min_length=1, max_length=5)


TASK = Task(
    name="differential_diagnosis",
    title="Differential diagnosis",
    output=DifferentialDiagnosis,
    instruction=(
        "List the key symptoms, then a differential diagnosis in four tiers: the most likely diagnosis, "
        "exactly two other possible diagnoses, one unlikely but serious diagnosis that must not be missed, "
        "each with a short reasoning, and the recommended workup. Answer as "
        '{"symptoms": [...], "most_likely": {"diagnosis": ..., "reasoning": ...}, "possible": [{...}, {...}], '
        '"unlikely_but_serious": {"diagnosis": ..., "reasoning": ...}, "recommended_workup": [...]}.'
    ),
    golden=(
        "54-year-old man with 2 hours of crushing central chest pain radiating to the left arm, sweating "
        "and nausea. History of smoking and hypertension. BP 150/90, HR 104."
    ),
    budget=1700,
    tools=("appliance.differential:differential",),
    describe=lambda v: [
        f"Most likely: {v['most_likely']['diagnosis']}",
        f"Why: {v['most_likely']['reasoning']}",
        *(f"Possible: {_dx(d)}" for d in v["possible"]),
        f"Unlikely but serious: {_dx(v['unlikely_but_serious'])}",
        f"Symptoms: {'; '.join(v['symptoms'])}",
        f"Workup: {'; '.join(v['recommended_workup'])}",
    ],
    metric=lambda expected, predicted: float(_in_tiers(expected["most_likely"]["diagnosis"], predicted)),
    metric_name="gold diagnosis in the four tiers",
)


def _dx(d: dict) -> str:
    return f"{d['diagnosis']} - {d['reasoning']}"


def tiers(value: dict) -> list[str]:
    """The diagnoses of a differential, most likely first."""
    serious = value.get("unlikely_but_serious")
    return [value["most_likely"]["diagnosis"], *(d["diagnosis"] for d in value.get("possible", [])),
            *([serious["diagnosis"]] if serious else [])]


def _in_tiers(gold: str, predicted: dict) -> bool:
    from ..differential import same_diagnosis  # the catalogue's synonym table

    return any(same_diagnosis(gold, name) for name in tiers(predicted))
