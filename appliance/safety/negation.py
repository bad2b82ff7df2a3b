"""Is a matched finding negated in its sentence? A small NegEx-style check.

Radiology reports are full of "no pneumothorax" and clinic notes of "denies chest
pain"; a red-flag rule that fired on those would bury the real ones.
"""

from __future__ import annotations

import re

_PRE = re.compile(
    r"\b(no|not|without|denies|denied|negative for|free of|absence of|resolved|resolution of|"
    r"rules? out|ruled out|no evidence of|no signs? of|no features of|no sonographic evidence of|"
    r"neither|nor|unlikely|excluded?)\b",
    re.IGNORECASE,
)
_POST = re.compile(
    r"^[^.;\n]{0,40}?\b(is|are|was|were|has been|have been)?\s*(not (seen|identified|present|demonstrated|"
    r"visualized|detected)|absent|excluded|ruled out|resolved)\b",
    re.IGNORECASE,
)
# A contrast word ends the reach of a negation cue: "no effusion but a large pneumothorax".
_BREAK = re.compile(r"\b(but|however|although|except|apart from|with the exception of)\b", re.IGNORECASE)
# "No change in the large pneumothorax" still reports a pneumothorax.
_PSEUDO = re.compile(r"\bno (significant |interval |appreciable )?change( in| of)?\b|\bnot only\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;\n!?]|:\s")


def sentence_before(text: str, start: int) -> str:
    """The part of the match's sentence that precedes it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    return text[(ends[-1] if ends else 0):start]


def is_negated(text: str, start: int, end: int) -> bool:
    before = _PSEUDO.sub(" ", sentence_before(text, start))
    breaks = list(_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    if _PRE.search(before):
        return True
    return bool(_POST.match(text[end:]))


def first_positive(pattern: re.Pattern, text: str) -> str | None:
    """The words of the first match of `pattern` that is not negated, or None."""
    for m in pattern.finditer(text):
        if not is_negated(text, m.start(), m.end()):
            return m.group(0)
    return None
