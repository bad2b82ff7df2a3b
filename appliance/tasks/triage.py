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
)
