"""What a deterministic tool answers: a valid task output, where it came from, and its working.

Every tool that may answer a task before the model is asked (a stated category, a
guideline calculator, a rule labeler) returns a `ToolAnswer`, or None when it cannot
decide. A tool that can decide *part* of the answer but not all of it returns a
`ToolAnswer` with `output=None`, the features it did find, and `missing` (what it
would need), so the clinician sees the working and the reason no category is given.

Where the features left open are categorical ("composition", "contrast enhancement"),
the partial answer also carries one `FeatureQuestion` per open feature (its values are
the calculator's own words) and `resolve`, which reruns the calculator with answers to
them: the pipeline may ask the model those small questions, never the category itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

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


@dataclass(frozen=True)
class FeatureQuestion:
    """One feature a calculator could not read from the report, asked in plain words.

    `values` are the calculator's own words for the values the feature can take (the
    strings its tables use), so an answer feeds straight back into the same rules.
    Sizes are never asked: a size is a number the report gives or does not.
    """

    feature: str                 # e.g. "composition"
    values: tuple[str, ...]      # e.g. ("cystic or almost completely cystic", "spongiform", ...)
    lesion: str | None = None    # the lesion it is about ("nodule 2", "right adnexa"); None: the only one

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "values": list(self.values), "lesion": self.lesion}


# answers (question -> one of its values) -> every category the guideline still allows
Resolver = Callable[[Mapping[FeatureQuestion, str]], set[str]]


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
    system: str | None = None          # the RADS system a partial answer is about (the output names it otherwise)
    # Partial answers only: the open categorical features, and the categories answers to them leave.
    questions: list[FeatureQuestion] = field(default_factory=list)
    resolve: Resolver | None = None

    def working(self) -> dict[str, Any]:
        """The working shown to the reviewer and stored beside the result."""
        return {
            "source": self.source, "guideline": self.guideline,
            "findings": [f.as_dict() for f in self.findings], "missing": list(self.missing),
            "allowed": self.allowed, "others": list(self.others), "note": self.note,
        }
