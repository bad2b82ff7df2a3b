"""What a deterministic tool answers: a valid task output, where it came from, and its working.

Every tool that may answer a task before the model is asked (a stated category, a
guideline calculator, a rule labeler) returns a `ToolAnswer`, or None when it cannot
decide. A tool that can decide *part* of the answer but not all of it returns a
`ToolAnswer` with `output=None`, the features it did find, and `missing` (what it
would need), so the clinician sees the working and the reason no category is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Source = Literal["stated_in_document", "computed"]


@dataclass(frozen=True)
class Finding:
    """One feature the tool read from the document, in plain clinical words."""

    feature: str                 # e.g. "composition", "short-axis node size", "SpO2"
    value: str                   # e.g. "solid or almost completely solid", "12 mm", "86 %"
    evidence: str | None = None  # verbatim words from the document (None: a default the guideline sets)
    points: int | None = None    # points this feature adds, for point-based systems (TI-RADS)
    rule: str | None = None      # the guideline rule applied, in words ("DWI score governs in the PZ")

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": self.value, "evidence": self.evidence,
                "points": self.points, "rule": self.rule}


@dataclass
class ToolAnswer:
    """A tool's answer for one task on one document."""

    output: dict[str, Any] | None      # a valid output of the task; None when the tool cannot settle it
    source: Source = "computed"
    guideline: str | None = None       # guideline and version, e.g. "ACR TI-RADS 2017"
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # features that could not be read from the document
    allowed: str | None = None         # what the found features still allow when output is None ("TR3-TR4")
    others: list[dict[str, Any]] = field(default_factory=list)  # further lesions/sites, each its own working
    flags: list[str] = field(default_factory=list)
    note: str | None = None            # one line for the clinician (a suggestion, a caveat)

    def working(self) -> dict[str, Any]:
        """The working shown to the reviewer and stored beside the result."""
        return {
            "source": self.source, "guideline": self.guideline,
            "findings": [f.as_dict() for f in self.findings], "missing": list(self.missing),
            "allowed": self.allowed, "others": list(self.others), "note": self.note,
        }
