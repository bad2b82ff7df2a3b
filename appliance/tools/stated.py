"""Categories the report states in so many words: RADS categories and TNM N/M stages.

When a radiologist wrote "BI-RADS 4C" or "T2 N1 M0", that is the answer, quoted
exactly; the model is not asked. Where several are stated, the most severe one of
the first system named is taken (an undercall is the dangerous error) and the
others are flagged for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..tasks.rads_systems import RADS_CATEGORIES, SYSTEMS, system as rads_system
from ..tasks.staging import M_STAGES, N_STAGES


@dataclass(frozen=True)
class Stated:
    output: dict          # a valid output of the task
    span: str             # the exact words in the document
    flags: list[str] = field(default_factory=list)


# The system names come from the rows (one place per system).
_SYSTEM_NAMES = {row.name: row.name_pattern for row in SYSTEMS}
_QUALIFIER = r"(?:\s*(?:v\s?)?(?:\d{4}|\d\.\d))?\s*(?:category|cat\.?|score|assessment)?\s*[:=]?\s*"
# LI-RADS treatment response ("LR-TR viable", "LR-TR Non-viable") before the plain codes.
_TREATMENT = r"LR[\s-]?TR[\s-]?(?:non[\s-]?viable|equivocal|viable)"
_CATEGORY = r"(" + _TREATMENT + r"|(?:TR|LR|C|E)?[\s-]?(?:NC|TIV|M|[0-6])(?:[A-Ca-c]|X)?)(?![\w-])"
_RADS = [(system, re.compile(r"(?<![\w-])" + name + _QUALIFIER + _CATEGORY, re.IGNORECASE))
         for system, name in _SYSTEM_NAMES.items()]
# Bare LI-RADS / TI-RADS codes are unambiguous on their own ("LR-5", "TR4", "LR-TR viable").
_BARE = [("LI-RADS", re.compile(r"(?<![\w-])(" + _TREATMENT + r")(?![\w-])", re.IGNORECASE)),
         ("LI-RADS", re.compile(r"(?<![\w-])(LR-(?:NC|TIV|M|[1-5]))(?![\w-])")),
         ("TI-RADS", re.compile(r"(?<![\w-])(TR[1-5])(?![\w-])"))]


def _normalise(system: str, raw: str) -> str | None:
    code = re.sub(r"[\s-]", "", raw.upper())
    if system == "TI-RADS":
        code = "TR" + code.removeprefix("TR")
    elif system == "LI-RADS":
        if code.startswith("LRTR"):
            code = "LR-TR " + code.removeprefix("LRTR").lower()
        else:
            code = "LR-" + code.removeprefix("LR")
    return code if code in RADS_CATEGORIES[system] else None


def stated_rads(text: str) -> Stated | None:
    found: list[tuple[int, str, str, str]] = []  # (position, system, category, span)
    for system, pattern in _RADS + _BARE:
        for m in pattern.finditer(text):
            category = _normalise(system, m.group(1))
            if category is not None:
                found.append((m.start(), system, category, m.group(0).strip()))
    if not found:
        return None
    found.sort()
    system = found[0][1]
    row = rads_system(system)
    same = [f for f in found if f[1] == system]
    _, _, category, span = max(same, key=lambda f: row.rank(f[2]))
    distinct = sorted({f"{s} {c}" for _, s, c, _ in found})
    flags = [f"multiple_stated_rads:{'|'.join(distinct)}"] if len(distinct) > 1 else []
    return Stated({"system": system, "category": category, "evidence": span}, span, flags)


# "T2 N1 M0", "pT3N2bM1c", "T3/N0/M0"; an unassessable category is written "X" or "x" ("T2N0Mx", "T1b Nx Mx": AJCC 8, ch. 1).
_TNM = re.compile(
    r"(?<![\w-])(?:[cpyram]{1,3})?T(?:[0-4Xx]|is)[a-d]?\s*[,/]?\s*(?:[cpyram]{1,3})?N([0-3Xx](?:mi|[a-c])?)"
    r"(?:\s*[,/]?\s*(?:[cpyram]{1,3})?M([01Xx][a-d]?))?(?![\w-])"
)


def _stated_stage(text: str, group: int, key: str, valid: tuple[str, ...], prefix: str) -> Stated | None:
    found = []
    for m in _TNM.finditer(text):
        value = m.group(group)
        if value and value[0] in "xX":
            value = "X" + value[1:]
        if value and prefix + value in valid:
            found.append((prefix + value, m.group(0)))
    if not found:
        return None
    stage, span = max(found, key=lambda f: valid.index(f[0]))
    distinct = sorted({s for s, _ in found})
    flags = [f"multiple_stated_{key}:{'|'.join(distinct)}"] if len(distinct) > 1 else []
    return Stated({key: stage, "evidence": span}, span, flags)


def stated_n(text: str) -> Stated | None:
    return _stated_stage(text, 1, "n_stage", N_STAGES, "N")


def stated_m(text: str) -> Stated | None:
    return _stated_stage(text, 2, "m_stage", M_STAGES, "M")


TOOLS = {"rads_assignment": stated_rads, "n_staging": stated_n, "m_staging": stated_m}
