"""triage: Emergency Severity Index level and protocol-grounded initial management."""

from __future__ import annotations

from pydantic import Field

from .base import Label, Output, Quote, Reasoning, Task


class Triage(Output):
    esi_level: int = Field(..., ge=1, le=5)
    reason: Reasoning
    initial_management: list[Label] = Field(..., min_length=1, max_length=5)
    evidence: Quote


TASK = Task(
    name="triage",
    title="Triage level",
    output=Triage,
    instruction=(
        "Assign the Emergency Severity Index level: 1 needs an immediate life-saving intervention; "
        "2 is high risk, confused or lethargic, in severe pain or distress, or has danger-zone vital signs; "
        "3 is stable but needs two or more resources (labs, imaging, IV fluids or drugs, a specialist); "
        "4 needs one resource; 5 needs none. Give the reason in one sentence and the first management steps. "
        'Answer as {"esi_level": ..., "reason": ..., "initial_management": [...], "evidence": ...} where '
        "evidence copies the deciding words of the document exactly."
    ),
    golden=(
        "CHIEF COMPLAINT: Shortness of breath.\n68-year-old woman with 1 day of worsening breathlessness "
        "and a productive cough. Speaking in short phrases. RR 32, SpO2 86% on room air, HR 118, "
        "BP 98/60, T 38.9 C. History of COPD."
    ),
    budget=690,
    quote_keys=("evidence",),
    tools=("appliance.tools.esi:esi",),
    describe=lambda v: [f"ESI {v['esi_level']}, {disposition(v['esi_level'])}", v["reason"],
                        f"Initial management: {'; '.join(v['initial_management'])}"],
    metric=lambda expected, predicted: float(disposition(predicted["esi_level"]) == _expected_disposition(expected)),
    metric_name="disposition accuracy (emergency / urgent visit / self-care)",
    severity=lambda v: DISPOSITIONS.index(_expected_disposition(v)),
    label_key="disposition",
)


DISPOSITIONS = ("self-care", "urgent visit", "emergency")  # least to most urgent


def _expected_disposition(value: dict) -> str:
    return value.get("disposition") or disposition(value["esi_level"])


def disposition(esi_level: int) -> str:
    """ESI 1-2 → emergency, 3-4 → urgent visit, 5 → self-care (the worklist's three levels)."""
    return "emergency" if esi_level <= 2 else ("urgent visit" if esi_level <= 4 else "self-care")
