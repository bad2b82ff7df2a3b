"""The RADS tool: a stated category first, else the category the system's guideline computes.

Which system applies comes from the rows in `tasks/rads_systems.py` (each row's
anatomy/modality words), read from the study line first and then the report's
findings, never from its history lines. A stated category always wins; a computed
category that disagrees with it is flagged for the reviewer, never silently swapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..safety.negation import is_negated
from ..tasks.base import as_tool_answer
from ..tasks.rads_systems import SYSTEMS, calculator_for
from .answer import ToolAnswer
from .lexicon import findings_text
from .stated import stated_rads

_EXAM_LINE = re.compile(r"^\s*(exam(ination)?|study|procedure|technique|examination type)\s*:.*$",
                        re.IGNORECASE | re.MULTILINE)
# O-RADS does not apply in pregnancy (O-RADS US v2022 scope).
_PREGNANCY = re.compile(r"pregnan\w*|gestation\w*|ectopic|intrauterine (gestational sac|pregnancy)", re.IGNORECASE)


@dataclass(frozen=True)
class SystemMatch:
    name: str
    words: str   # the verbatim words that named the system's anatomy or study


def _positive_matches(pattern: str, text: str) -> list[re.Match]:
    return [m for m in re.finditer(pattern, text, re.IGNORECASE) if not is_negated(text, m.start(), m.end())]


def detect_system(text: str) -> SystemMatch | None:
    """The RADS system whose anatomy/study the report is about, or None."""
    body = findings_text(text)
    exam = _EXAM_LINE.search(text)
    scopes = ([exam.group(0)] if exam else []) + [body]
    for scope in scopes:
        best: tuple[int, int, SystemMatch] | None = None
        for system in SYSTEMS:
            if not system.anatomy:
                continue
            found = _positive_matches(system.anatomy, scope)
            if not found:
                continue
            if system.name == "O-RADS" and _PREGNANCY.search(text):
                continue
            # The system named most often wins; the earlier mention breaks ties.
            key = (-len(found), found[0].start(), SystemMatch(system.name, found[0].group(0)))
            if best is None or key[:2] < best[:2]:
                best = key
        if best is not None:
            return best[2]
    return None


def computed_rads(text: str, system: str | None = None) -> ToolAnswer | None:
    """The category the system's guideline computes from the report's features (None: no calculator/lesion)."""
    if system is None:
        match = detect_system(text)
        system = match.name if match else None
    calculator = calculator_for(system) if system else None
    return calculator(text) if calculator else None


def rads_answer(text: str) -> ToolAnswer | None:
    stated = as_tool_answer(stated_rads(text))
    if stated is None:
        return computed_rads(text)
    computed = computed_rads(text, stated.output["system"])
    if computed is not None and computed.output is not None:
        said, worked = stated.output["category"], computed.output["category"]
        if said != worked:
            stated.flags.append(
                f"stated_differs_from_computed:{stated.output['system']} {said} stated, "
                f"{worked} computed by {computed.guideline}")
            stated.note = (f"The report states {stated.output['system']} {said}; the features it describes give "
                           f"{worked} by {computed.guideline}. Check which is right.")
            stated.others.append({"computed": computed.output, **computed.working()})
    return stated
