"""radiology_nli: whether a report's premise entails, contradicts or is neutral to a hypothesis."""

from __future__ import annotations

from typing import Literal

from .base import Output, Quote, Task, exact_match


class RadiologyNli(Output):
    label: Literal["entailment", "contradiction", "neutral"]
    evidence: Quote


TASK = Task(
    name="radiology_nli",
    title="Premise and hypothesis",
    output=RadiologyNli,
    instruction=(
        "The document holds a PREMISE and a HYPOTHESIS. Say whether the premise entails the hypothesis "
        "(it must be true), contradicts it (it must be false) or is neutral (it may be either). Answer as "
        '{"label": ..., "evidence": ...} where evidence copies the deciding words of the premise exactly.'
    ),
    golden=(
        "PREMISE:\nThe lungs are clear. There is no focal consolidation, pleural effusion or "
        "pneumothorax. The cardiomediastinal silhouette is within normal limits.\n"
        "HYPOTHESIS:\nThere is a right pleural effusion."
    ),
    budget=210,
    parts=("premise", "hypothesis"),
    describe=lambda v: [f"Hypothesis: {v['label']}"],
    metric=exact_match("label"),
    quote_keys=("evidence",),
)
