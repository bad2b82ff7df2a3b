"""Reading features from a report: sections, sentences, negation-aware matches with quotes, sizes.

Shared by the guideline calculators, the staging rules, the triage algorithm and the
chest x-ray labeler, so each reads a report the same way:

- `findings_text` drops the lines that ask a question or give history ("INDICATION:
  r/o pneumothorax", "HISTORY: prior thyroid nodule"): a feature there is not a finding;
- `find` returns the first non-negated match with the verbatim sentence words around it,
  so every feature carries evidence that is a substring of the document;
- `sizes_mm` reads "1.8 cm", "12 mm", "2.1 x 1.4 x 1.0 cm" as millimetres.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..safety.negation import is_negated

# Lines that give the reason for a study or its history, not its findings.
_NON_FINDING_LINE = re.compile(
    r"^[ \t]*(history|clinical (history|information|details|indication)|indications?|reason( for (exam|study|referral))?|"
    r"request|clinical question|comparison|technique|protocol)[ \t]*:.*$",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE = re.compile(r"[^.;\n!?]+(?:[.;!?](?!\d)|$)", re.MULTILINE)


def findings_text(text: str) -> str:
    """The document with history/indication/technique lines blanked (same length, so offsets hold)."""
    return _NON_FINDING_LINE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    words: str      # the matched words, verbatim
    sentence: str   # the matched sentence, verbatim and stripped (a good evidence quote)

    def quote(self, limit: int = 160) -> str:
        """A verbatim quote of at most `limit` characters: the sentence, else the words."""
        return self.sentence if len(self.sentence) <= limit else self.words[:limit]


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], verbatim, stripped."""
    left = max(text.rfind(c, 0, start) for c in ".;\n!?")
    right_candidates = [i for i in (text.find(c, end) for c in ".;\n!?") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    # A decimal point ("1.8 cm") is not a sentence end.
    while 0 <= left < len(text) - 1 and text[left] == "." and left > 0 and text[left - 1].isdigit() and text[left + 1].isdigit():
        left = max(text.rfind(c, 0, left) for c in ".;\n!?")
    while right < len(text) - 1 and text[right] == "." and right > 0 and text[right - 1].isdigit() and text[right + 1].isdigit():
        nxt = [i for i in (text.find(c, right + 1) for c in ".;\n!?") if i != -1]
        right = min(nxt) if nxt else len(text)
    return text[left + 1:right].strip()


def find_all(pattern: re.Pattern | str, text: str, negated: bool = False) -> list[Match]:
    """Every match, with its sentence; only non-negated ones unless `negated` (then only negated ones)."""
    if isinstance(pattern, str):
        pattern = re.compile(pattern, re.IGNORECASE)
    found = []
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        if is_negated(text, m.start(), m.end()) == negated:
            found.append(Match(m.start(), m.end(), m.group(0), sentence_at(text, m.start(), m.end())))
    return found


def find(pattern: re.Pattern | str, text: str) -> Match | None:
    """The first non-negated match, or None."""
    found = find_all(pattern, text)
    return found[0] if found else None


def find_negated(pattern: re.Pattern | str, text: str) -> Match | None:
    """The first negated match ("no lymphadenopathy"), or None."""
    found = find_all(pattern, text, negated=True)
    return found[0] if found else None


_SIZE = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*(?:x|×|by)\s*(\d+(?:\.\d+)?))?(?:\s*(?:x|×|by)\s*(\d+(?:\.\d+)?))?\s*(mm|cm)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Size:
    mm: float         # the largest dimension, in millimetres
    dims_mm: tuple[float, ...]
    words: str        # verbatim
    start: int
    end: int


def sizes_mm(text: str) -> list[Size]:
    """Every size in the text ("12 mm", "1.8 cm", "2.1 x 1.4 cm"), largest dimension in mm."""
    found = []
    for m in _SIZE.finditer(text):
        factor = 10.0 if m.group(4).lower() == "cm" else 1.0
        dims = tuple(float(g) * factor for g in m.groups()[:3] if g is not None)
        found.append(Size(max(dims), dims, m.group(0), m.start(), m.end()))
    return found
