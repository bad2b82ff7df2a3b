"""Shared by the calculators: one calculation per lesion, the most severe governs.

- `split_lesions` cuts a report into lesions by the markers a system's reports use
  ("nodule 2", "right lobe", "segment 7", "left ovary"); sentences without a marker
  belong to the lesion before them, and a later sentence with a marker already seen (the
  impression repeating "right lobe nodule") joins that lesion. Each lesion is a *view*:
  the document with every other sentence blanked, same length, so a match's sentence is
  still verbatim document text.
- `quote` gives a verbatim quote of at most 160 characters around a match.
- `possible` enumerates the values of missing features: when every value leads to the
  same category, that category is given; otherwise the range is.
- `combine` picks the governing lesion and lists the others; a lesion left open carries
  its open questions (categorical features the model may be asked, `questions.py`),
  which the answer passes on with a resolver over every lesion.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..tasks.rads_systems import RadsSystem
from ..tools.answer import FeatureQuestion, Finding, ToolAnswer
from ..safety.negation import is_negated
from ..tools.lexicon import Match, find, find_all, findings_text, sizes_mm
from .questions import lesion_answers, overall

_ENDS = ".;\n!?"
QUOTE_LIMIT = 160


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, cut where `lexicon.sentence_at` cuts (a decimal point is not an end)."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in _ENDS:
            if ch == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue
            if text[start:i].strip():
                spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def quote(text: str, m: Match | tuple[int, int], limit: int = QUOTE_LIMIT) -> str:
    """Verbatim words of the document around a match: its sentence, clipped to `limit` characters."""
    start, end = (m.start, m.end) if isinstance(m, Match) else m
    sentence = m.sentence if isinstance(m, Match) else text[start:end]
    if len(sentence) <= limit:
        return sentence
    left = max(0, min(start, end - limit))
    right = min(len(text), max(end, left + limit))
    left = max(0, right - limit)
    return text[left:right].strip()


@dataclass
class Lesion:
    label: str      # "nodule 2", "right lobe", "segment 7", "the lesion"
    view: str       # the document with other lesions' sentences blanked (same length)

    def find(self, pattern: re.Pattern | str) -> Match | None:
        return find(pattern, self.view)

    def find_all(self, pattern: re.Pattern | str, negated: bool = False) -> list[Match]:
        return find_all(pattern, self.view, negated)


def _blank(text: str, keep: Iterable[tuple[int, int]]) -> str:
    chars = [c if c == "\n" else " " for c in text]
    for start, end in keep:
        chars[start:end] = text[start:end]
    return "".join(chars)


_NOUN = r"(?:nodules?|lesions?|observations?|mass(?:es)?|cysts?|tumou?rs?|focus|opacit(?:y|ies))"
_LESION = re.compile(rf"\b{_NOUN}\b", re.IGNORECASE)
# A sentence that introduces one more lesion without a marker: "a second 9 mm spongiform nodule".
# The words between cue and noun are its description ("9 mm spongiform"), never a phrase such as
# "further evaluation of the nodule", which names a lesion already described.
_ANOTHER = re.compile(r"\b(second|another|additional|further|separate|2nd|third|3rd)\b"
                      rf"(?:[\s,-]+(?!(?:of|with|for|to|the|on|in|at|by)\b)[\w.]+){{0,5}}?[\s-]+({_NOUN})\b",
                      re.IGNORECASE)
# "..., and a 9 mm spongiform nodule in the left lobe": a second sized lesion inside one sentence.
_AND_ANOTHER = re.compile(r"(?:,\s*|\s+)(?:and|while|whilst)\s+(?=(?:a|an|another|one|the other)\s+(?:[\w-]+\s+){0,4}?"
                          rf"\d+(?:\.\d+)?\s*(?:mm|cm)\s+(?:[\w-]+\s+){{0,4}}?{_NOUN}\b)", re.IGNORECASE)


def _clauses(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut where it goes on to a further sized lesion ("... nodule ..., and a 9 mm nodule ..."),
    so each lesion's words are its own."""
    spans = []
    for m in _AND_ANOTHER.finditer(body, start, end):
        if _describes_a_lesion(body[start:m.start()]):
            spans.append((start, m.start()))
            start = m.end()
    return spans + [(start, end)]


def _describes_a_lesion(sentence: str) -> bool:
    """A sized lesion, not negated: "a 1.6 cm solid nodule" (not the gland's background texture)."""
    return bool(sizes_mm(sentence) and find(_LESION, sentence))


def _singular(noun: str) -> str:
    if noun == "focus" or not noun.endswith("s"):
        return noun
    return noun[:-2] if noun.endswith("sses") else "opacity" if noun == "opacities" else noun[:-1]


def _another(sentence: str) -> str | None:
    """A label for an unmarked further lesion with its own size ("second nodule"; not "no additional
    nodules"), or None."""
    for m in _ANOTHER.finditer(sentence):
        if sizes_mm(sentence) and not is_negated(sentence, m.start(), m.end()):
            noun = m.group(2).lower()
            return f"{m.group(1).lower()} {_singular(noun)}"
    return None


def split_lesions(text: str, label_of: Callable[[str], str | None]) -> list[Lesion]:
    """The report's lesions by marker; the whole findings text when no marker is found.

    `label_of(sentence)` names the lesion a sentence introduces, or None. Sentences before
    the first marker (the general description) are the whole text's one lesion when no
    marker is found at all; otherwise they are a lesion of their own ("the lesion") when
    they describe a sized lesion, so a nodule described before the first marker is never
    dropped."""
    body = findings_text(text)
    spans = [clause for start, end in sentence_spans(body) for clause in _clauses(body, start, end)]
    groups: dict[str, list[tuple[int, int]]] = {}
    current: str | None = None
    preamble: list[tuple[int, int]] = []
    for start, end in spans:
        label = label_of(body[start:end])
        if label is None and (label := _another(body[start:end])) in groups:
            label = f"{label} ({len(groups) + 1})"  # "another nodule" twice: two nodules
        if label is not None:
            current = label
        if current is None:
            preamble.append((start, end))
        else:
            groups.setdefault(current, []).append((start, end))
    if not groups:
        return [Lesion("the lesion", body)]
    lesions = [Lesion(label, _blank(body, spans_)) for label, spans_ in groups.items()]
    if any(_describes_a_lesion(body[a:b]) for a, b in preamble) and "the lesion" not in groups:
        lesions.insert(0, Lesion("the lesion", _blank(body, preamble)))
    return lesions


def possible(compute: Callable[[Mapping[str, Any]], str], known: Mapping[str, Any],
             options: Mapping[str, Sequence[Any]]) -> set[str]:
    """Every category the missing features (name -> the values they could take) still allow."""
    missing = [name for name in options if name not in known]
    categories = set()
    for values in itertools.product(*(options[name] for name in missing)):
        categories.add(compute({**known, **dict(zip(missing, values))}))
    return categories


@dataclass
class LesionResult:
    label: str
    categories: set[str]                   # one category when settled; the possible ones otherwise
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    evidence: str | None = None            # the deciding words
    note: str | None = None
    # When open: the categorical features that would settle it, and the calculator rerun with answers.
    questions: list[FeatureQuestion] = field(default_factory=list)
    resolve: Callable[[Mapping[str, str]], set[str]] | None = None

    @property
    def category(self) -> str | None:
        return next(iter(self.categories)) if len(self.categories) == 1 else None

    def as_other(self) -> dict[str, Any]:
        return {"lesion": self.label, "category": self.category,
                "allowed": None if self.category else sorted(self.categories),
                "missing": list(self.missing), "evidence": self.evidence, "note": self.note,
                "findings": [f.as_dict() for f in self.findings]}


def span_text(row: RadsSystem, categories: Iterable[str]) -> str:
    ordered = sorted(categories, key=row.rank)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"


def combine(row: RadsSystem, guideline: str, results: list[LesionResult], note: str | None = None,
            flags: list[str] | None = None) -> ToolAnswer | None:
    """The most severe lesion governs; the others are listed. A lesion whose missing features
    could make it the most severe withholds the category (its range is given instead)."""
    results = [r for r in results if r.categories]
    if not results:
        return None
    settled = [r for r in results if r.category is not None]
    best = max(settled, key=lambda r: row.rank(r.category)) if settled else None
    open_ = [r for r in results if r.category is None
             and (best is None or max(row.rank(c) for c in r.categories) > row.rank(best.category))]
    if not open_:
        assert best is not None
        others = [r.as_other() for r in results if r is not best]
        return ToolAnswer(
            output={"system": row.name, "category": best.category, "evidence": best.evidence},
            guideline=guideline, findings=best.findings, others=others, flags=list(flags or []),
            note=" ".join(n for n in (f"Governing lesion: {best.label}." if len(results) > 1 else None,
                                     best.note, note) if n) or None,
        )
    floor = row.rank(best.category) if best else -1
    allowed = {c for r in open_ for c in r.categories if row.rank(c) >= floor}
    if best:
        allowed.add(best.category)
    missing = list(dict.fromkeys(m for r in open_ for m in r.missing))
    first = open_[0]
    others = [r.as_other() for r in results if r is not first]
    questions = [q for r in open_ for q in r.questions]
    return ToolAnswer(
        output=None, guideline=guideline, findings=first.findings, missing=missing,
        allowed=span_text(row, allowed), others=others, flags=list(flags or []),
        note=" ".join(n for n in (f"Lesion: {first.label}." if len(results) > 1 else None, first.note, note) if n) or None,
        system=row.name, questions=questions, resolve=_resolver(row, results) if questions else None,
    )


def _resolver(row: RadsSystem, results: list[LesionResult]):
    """Answers to the open questions -> the categories the most severe lesion can then have."""
    def resolve(answers: Mapping[FeatureQuestion, str]) -> set[str]:
        sets = []
        for r in results:
            mine = lesion_answers(answers, r.questions) if r.resolve else {}
            sets.append(r.resolve(mine) if mine else set(r.categories))
        return overall(row.rank, sets)
    return resolve


def lesion_sizes(lesion: Lesion, noun: re.Pattern, exclude: re.Pattern | None = None):
    """Sizes in the lesion's sentences that name the lesion (not an organ's measurements)."""
    found = []
    for start, end in sentence_spans(lesion.view):
        sentence = lesion.view[start:end]
        if not sentence.strip() or not noun.search(sentence):
            continue
        for s in sizes_mm(sentence):
            before = sentence[max(0, s.start - 40):s.start]
            if exclude is not None and exclude.search(before):
                continue
            found.append(type(s)(s.mm, s.dims_mm, s.words, s.start + start, s.end + start))
    return found
