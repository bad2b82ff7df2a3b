"""temporal_comparison: how each finding changed between a prior and a current report."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Label, Output, Quote, Reasoning, Task

CHANGES = ("new", "worsened", "improved", "resolved", "unchanged")


class Change(Output):
    finding: Label
    change: Literal[CHANGES]  # type: ignore[valid-type]
    evidence: Quote


class TemporalComparison(Output):
    changes: list[Change] = Field(..., min_length=1, max_length=6)
    summary: Reasoning


TASK = Task(
    name="temporal_comparison",
    title="Comparison with prior",
    output=TemporalComparison,
    instruction=(
        "The document holds a PRIOR REPORT and a CURRENT REPORT of the same patient. For each finding "
        "(at most six, the most important first) say how it changed: new, worsened, improved, resolved or "
        "unchanged, then summarise the interval change in one sentence. Answer as "
        '{"changes": [{"finding": ..., "change": ..., "evidence": ...}], "summary": ...} where evidence '
        "copies the words of the current report (of the prior report for a resolved finding) exactly."
    ),
    golden=(
        "PRIOR REPORT:\nCT chest, 3 months ago. 18 mm solid nodule in the right lower lobe. Small right "
        "pleural effusion. No mediastinal lymphadenopathy.\n"
        "CURRENT REPORT:\nCT chest today. The right lower lobe nodule now measures 26 mm. The pleural "
        "space is clear. A new 14 mm subcarinal lymph node is seen."
    ),
    budget=1820,
    parts=("prior", "current"),
    describe=lambda v: [f"Summary: {v['summary']}", *(f"{c['finding']}: {c['change']}" for c in v["changes"])],
    metric=lambda expected, predicted: _change_agreement(expected, predicted),
    metric_name="finding-change agreement",
    quote_keys=("evidence",),
)


def _change_agreement(expected: dict, predicted: dict) -> float:
    """Share of expected (finding, change) pairs the prediction names, by finding words."""
    want = {(c["finding"].lower(), c["change"]) for c in expected["changes"]}
    got = {(c["finding"].lower(), c["change"]) for c in predicted["changes"]}
    hits = sum(any(change == g_change and (finding in g or g in finding) for g, g_change in got)
               for finding, change in want)
    return hits / len(want) if want else 1.0
