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
    """The RADS system whose anatomy/study the report is about, or None.

    A row's anatomy words (organ + study, or organ + risk context such as "cirrhosis")
    may span the study line and the history, but the organ itself must be in the study
    line or the findings: "HISTORY: prior thyroid nodule" on a chest CT is not a thyroid study.
    """
    body = findings_text(text)
    exam = _EXAM_LINE.search(text)
    first_line = text.strip().split("\n", 1)[0]
    where_seen = "\n".join([exam.group(0) if exam else "", first_line, body])
    best: tuple[int, int, int, SystemMatch] | None = None
    for system in SYSTEMS:
        if not system.anatomy:
            continue
        found = _positive_matches(system.anatomy, text)
        # A match wholly inside a history/indication line counts only if the organ is also in the study
        # line or the findings.
        in_body = [m for m in found if body[m.start():m.end()].strip() or m.start() < len(first_line)]
        if not found or (not in_body and not re.search(system.context or system.anatomy, where_seen, re.IGNORECASE)):
            continue
        if system.name == "O-RADS" and _PREGNANCY.search(text):
            continue
        # The study line decides first, and within it a system whose organ it names ("multiparametric
        # MRI" alone is the technique of both PI-RADS and VI-RADS); then the system named most often;
        # the earlier mention breaks ties.
        study = (first_line, exam.group(0) if exam else "")
        in_study = any(re.search(system.anatomy, scope, re.IGNORECASE) for scope in study)
        organ_in_study = in_study and any(re.search(system.context or system.anatomy, scope, re.IGNORECASE)
                                          for scope in study)
        key = (0 if in_study else 1, 0 if organ_in_study else 1, -len(found), SystemMatch(system.name, found[0].group(0)))
        if best is None or key[:3] < best[:3]:
            best = key
    return best[-1] if best else None


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
