"""The safety pass over one document: red flags, consistency, and the differential's can't-miss tier."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .consistency import consistency_flags
from .red_flags import Hit, red_flags


@dataclass
class SafetyReview:
    hits: list[Hit]
    flags: list[str] = field(default_factory=list)
    # Diagnoses the rules add to a model's differential, marked as coming from the rules.
    additions: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def urgent(self) -> bool:
        return bool(self.hits)

    def reasons(self) -> list[dict]:
        return [hit.as_dict() for hit in self.hits]


def _mentions(differential: dict, diagnosis: str) -> bool:
    """Does any tier of the model's differential already name this diagnosis (by its key words)?"""
    tiers = [differential["most_likely"], *differential["possible"], differential["unlikely_but_serious"]]
    named = " ".join(t["diagnosis"] for t in tiers).lower()
    words = [w for w in re.findall(r"[a-z]{4,}", diagnosis.lower()) if w not in {"acute", "sepsis"}] or [diagnosis.lower()]
    return any(w in named for w in words)


def review(text: str, results: dict[str, dict], hits: list[Hit] | None = None) -> SafetyReview:
    """`hits`: the document's red flags when already computed (they are, once per document)."""
    hits = red_flags(text) if hits is None else hits
    result = SafetyReview(hits, [f"red_flag:{h.rule.id}" for h in hits] + consistency_flags(results, text))
    differential = results.get("differential_diagnosis")
    if differential is not None:
        missed = []
        for hit in hits:
            if not _mentions(differential, hit.rule.cant_miss) and hit.rule.cant_miss not in [m["diagnosis"] for m in missed]:
                missed.append({
                    "diagnosis": hit.rule.cant_miss,
                    "reasoning": f"{hit.rule.label}: {'; '.join(hit.evidence)}",
                    "source": f"rule:{hit.rule.id}",
                })
        if missed:
            result.additions["differential_diagnosis.unlikely_but_serious"] = missed
            result.flags.append("differential_missed_red_flag")
    return result
