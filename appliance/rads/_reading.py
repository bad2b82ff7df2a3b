"""Shared reading helpers for the CAD/PI/VI/GB/NI/C-RADS calculators.

Clause-aware negation ("no left main disease, 70 % LAD stenosis" reports the LAD
stenosis; "no stenosis, plaque or occlusion" negates all three), verbatim quotes of
at most 160 characters, and the enumeration of the values a missing feature could take
(so a calculator gives a category only when every possible value leads to it).
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Callable, Iterable

from ..tools.answer import FeatureQuestion, Finding, Resolver, ToolAnswer
from ..tools.lexicon import sentence_at
from ..safety.negation import is_negated, sentence_before

_CUE = re.compile(
    r"\b(no|not|without|negative for|free of|absence of|resolved|resolution of|ruled out|"
    r"no evidence of|no signs? of|no features of|neither|nor|excluded?)\b",
    re.IGNORECASE,
)
_PSEUDO = re.compile(r"\bno (significant |interval |appreciable )?change( in| of)?\b|\bnot only\b", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r",|\band\b|\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b|\bwith\b", re.IGNORECASE)


def negated(text: str, start: int, end: int, own: re.Pattern | None = None) -> bool:
    """Is text[start:end] negated? A negation cue earlier in the sentence reaches across commas
    ("no stenosis, plaque or occlusion") unless the match's own clause carries its own content
    (`own`: a number, a vessel...) as in "no left main disease, 70 % LAD stenosis"."""
    if not is_negated(text, start, end):
        return False
    before = _PSEUDO.sub(" ", sentence_before(text, start))
    clause_before = _CLAUSE_SPLIT.split(before)[-1]
    if _CUE.search(clause_before):
        return True
    if own is None:
        return True
    # the match's own clause: from the last split before it to the next comma/sentence end
    after = re.split(r"[,.;\n]", text[end:], maxsplit=1)[0]
    if re.search(r"\b(not|absent|excluded)\b", after, re.IGNORECASE):
        return True
    return not own.search(clause_before + text[start:end] + after)


def quote(text: str, start: int, end: int, limit: int = 160) -> str:
    """A verbatim quote around text[start:end]: its sentence, or a window of the sentence."""
    s = sentence_at(text, start, end)
    if len(s) <= limit:
        return s
    s_start = text.find(s, max(0, start - len(s)))
    if s_start < 0 or not (s_start <= start <= s_start + len(s)):
        return text[start:min(end, start + limit)]
    lo = max(s_start, min(start - 40, end - limit))
    hi = min(s_start + len(s), lo + limit)
    return text[lo:hi].strip()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (a decimal point is not a sentence end)."""
    spans, start = [], 0
    for m in re.finditer(r"(?<!\d)\.(?!\d)|\.(?=\s)|[;\n!?]", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def possible(fn: Callable[..., str | None], known: dict[str, Any], unknown: dict[str, Iterable[Any]]) -> set[str]:
    """The categories `fn(**known, **unknown_values)` gives over every combination of the unknowns."""
    names = list(unknown)
    out: set[str] = set()
    for combo in itertools.product(*(list(unknown[n]) for n in names)):
        cat = fn(**known, **dict(zip(names, combo)))
        if cat is not None:
            out.add(cat)
    return out


def span(order: tuple[str, ...], cats: set[str]) -> str:
    ranked = sorted(cats, key=order.index)
    return ranked[0] if len(ranked) == 1 else f"{ranked[0]}-{ranked[-1]}"


def result(system: str, guideline: str, category: str | None, evidence: str | None,
           findings: list[Finding], *, missing: list[str] | None = None, allowed: str | None = None,
           others: list[dict] | None = None, flags: list[str] | None = None, note: str | None = None,
           questions: list[FeatureQuestion] | None = None, resolve: Resolver | None = None) -> ToolAnswer:
    """The calculator's answer; a partial one (no category) may carry its open questions (questions.py)."""
    output = None
    if category is not None:
        output = {"system": system, "category": category, "evidence": (evidence or "")[:160]}
        questions, resolve = None, None
    return ToolAnswer(output=output, source="computed", guideline=guideline, findings=findings,
                      missing=list(missing or []), allowed=allowed, others=list(others or []),
                      flags=list(flags or []), note=note, system=system,
                      questions=list(questions or []), resolve=resolve if questions else None)
