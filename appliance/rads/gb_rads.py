"""GB-RADS (Gupta et al., international expert consensus, Abdom Radiol 2022) for gallbladder wall
thickening on ultrasound in the non-acute setting.

Categories as read here from the consensus lexicon (extent: focal vs circumferential; symmetry;
layered appearance; intramural cysts / echogenic foci; interface with the liver):
  0  inadequate: gallbladder not distended (contracted, post-prandial) or not seen
  1  normal: no wall thickening (wall <= 3 mm)
  2  benign: circumferential symmetric thickening with a layered appearance, intramural cysts
     or intramural echogenic foci (comet-tail)
  3  likely benign: focal thickening with intramural cysts or echogenic foci (focal
     adenomyomatosis); circumferential symmetric smooth thickening without those features
  4  indeterminate: focal thickening without intramural cysts/echogenic foci, or asymmetric
     circumferential thickening, with a preserved interface with the liver
  5  likely malignant: thickening with loss of the interface with the liver (hepatic infiltration)
     or a mass-forming lesion replacing the gallbladder
Caveat: the 2022 table is summarised from the consensus paper; where our reading of a row is
uncertain (circumferential smooth thickening without any intramural feature) the note says so.
Open questions (`ASKED`): the extent of the thickening and the interface with the liver,
when the report does not say; an answer is used only where the report's words settle nothing.
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import findings_text
from ._reading import negated, possible, quote, result, span
from .questions import open_questions, report_resolver

GUIDELINE = "GB-RADS (ACR/SRU consensus, Gupta et al. 2022)"
SYSTEM = "GB-RADS"
ORDER = ("0", "1", "2", "3", "4", "5")

_INADEQUATE = re.compile(r"(?:gall\s?bladder|\bGB\b)\s+(?:is\s+|was\s+)?(?:contracted|collapsed|not\s+(?:well\s+)?distended|poorly\s+distended|not\s+(?:seen|visuali[sz]ed)|obscured)|post-?prandial|non-?fasting|(?:contracted|collapsed|non-?distended|poorly\s+distended)\s+gall\s?bladder|inadequate(?:ly)?\s+(?:distended|distension|assessment|evaluation)|limited\s+(?:assessment|evaluation)\s+of\s+the\s+(?:gall\s?bladder|wall)", re.IGNORECASE)
_THICK = re.compile(r"wall\s+thickening|thickened\s+(?:gall\s?bladder\s+)?wall|wall\s+(?:is\s+|appears\s+)?(?:diffusely\s+|focally\s+|mildly\s+|markedly\s+)?thickened|(?:mural|wall)\s+thickness\s+(?:of|measures|measuring|up\s+to)?\s*\d|thickening\s+of\s+the\s+(?:gall\s?bladder\s+)?(?:wall|fundus|neck|body)|(?:fundal|focal|segmental|diffuse|circumferential)\s+thickening", re.IGNORECASE)
_NORMAL = re.compile(r"wall\s+(?:is\s+)?(?:thin|normal|not\s+thickened|of\s+normal\s+thickness)|normal\s+(?:gall\s?bladder\s+)?wall\s+thickness|no\s+(?:gall\s?bladder\s+)?wall\s+thickening", re.IGNORECASE)
_MASS = re.compile(r"mass[- ]forming|(?:soft[- ]tissue\s+)?mass\s+(?:replacing|filling|occupying|in)\s+the\s+gall\s?bladder(?:\s+fossa)?|replac\w+\s+the\s+gall\s?bladder|gall\s?bladder\s+(?:fossa\s+)?mass", re.IGNORECASE)
_INTERFACE_LOST = re.compile(r"(?:loss|disruption|obliteration|effacement)\s+of\s+(?:the\s+)?(?:fat\s+|echogenic\s+)?(?:plane|interface)|(?:indistinct|ill[- ]defined|irregular|lost|obscured|effaced|blurred)\s+(?:fat\s+)?(?:plane|interface)|interface\s+with\s+the\s+liver\s+(?:is\s+)?(?:lost|indistinct|ill[- ]defined|obliterated|not\s+maintained)|infiltrat\w+\s+(?:into\s+)?(?:the\s+)?(?:adjacent\s+)?(?:liver|hepatic)|invad\w+\s+(?:the\s+)?(?:adjacent\s+)?liver|hepatic\s+(?:infiltration|invasion)|extend\w*\s+into\s+(?:the\s+)?(?:adjacent\s+)?liver", re.IGNORECASE)
_INTERFACE_KEPT = re.compile(r"(?:preserved|maintained|intact|clear|distinct|well[- ]defined|sharp)\s+(?:fat\s+|echogenic\s+)?(?:plane|interface)|(?:plane|interface)\s+(?:with\s+(?:the\s+)?(?:adjacent\s+)?liver\s+)?(?:is\s+)?(?:preserved|maintained|intact|clear|distinct|well[- ]defined)", re.IGNORECASE)
_FOCAL = re.compile(r"\bfocal(?:ly)?\b|segmental|\bfundal\b|localised|localized|at\s+the\s+(?:fundus|neck)|of\s+the\s+(?:fundus|neck)|eccentric", re.IGNORECASE)
_DIFFUSE = re.compile(r"\bdiffuse(?:ly)?\b|circumferential(?:ly)?|concentric|uniform(?:ly)?|entire\s+(?:gall\s?bladder|wall)|throughout", re.IGNORECASE)
_ASYM = re.compile(r"asymmetric\w*|irregular(?:ly)?|nodular", re.IGNORECASE)
_SYM = re.compile(r"(?<!a)symmetric\w*|smooth(?:ly)?|uniform(?:ly)?|regular", re.IGNORECASE)
_LAYERED = re.compile(r"(?<!loss of the )(?<!loss of )(?<!loss of a )\b(?:multi-?)?layered|stratified|striated|lamellated", re.IGNORECASE)
_LAYER_LOST = re.compile(r"loss\s+of\s+(?:the\s+|a\s+)?(?:normal\s+)?(?:layered|layering|stratifi\w+|mural\s+stratification)|non-?layered", re.IGNORECASE)
_CYSTS = re.compile(r"intramural\s+(?:cysts?|cystic\s+(?:spaces|foci|change))|Rokitansky|anechoic\s+(?:cystic\s+)?(?:spaces|foci)|small\s+cystic\s+spaces", re.IGNORECASE)
_FOCI = re.compile(r"echogenic\s+foci|comet[- ]?tail|twinkling|ring[- ]?down|reverberation\s+artefact|reverberation\s+artifact|V-shaped", re.IGNORECASE)
_OWN = re.compile(r"\d|focal|diffuse|layer|cyst|foci|comet|interface|mass", re.IGNORECASE)


INTERFACE = {"preserved": False, "lost (hepatic infiltration)": True}   # value -> interface lost
ASKED = {"extent": ("focal", "circumferential"), "interface with the liver": tuple(INTERFACE)}
_READ = "read by the model (unverified)"


def category(extent: str, symmetric: bool, layered: bool, intramural: bool, interface_lost: bool) -> str:
    if interface_lost:
        return "5"
    if extent == "circumferential" and symmetric:
        return "2" if (layered or intramural) else "3"
    if extent == "focal" and intramural:
        return "3"
    return "4"


def _first(rx, body, neg=False):
    for m in rx.finditer(body):
        if negated(body, m.start(), m.end(), own=_OWN) == neg:
            return m
    return None


def assess(text: str) -> ToolAnswer | None:
    answer, _ = _assess(text, {})
    if answer is not None and answer.output is None:
        questions, resolve = open_questions(None, lambda g: _assess(text, g)[1], ASKED.items())
        answer.questions, answer.resolve = questions, report_resolver(questions, resolve)
    return answer


def _assess(text: str, given) -> tuple[ToolAnswer | None, set[str]]:
    """The answer and the categories it allows; `given`: model-read values of open features
    (ASKED), used only where the report's words settle nothing."""
    answer, cats = _categorise(text, given)
    return answer, cats if cats else ({answer.output["category"]} if answer and answer.output else set())


def _categorise(text: str, given) -> tuple[ToolAnswer | None, set[str] | None]:
    body = findings_text(text)
    if not re.search(r"gall\s?bladder|\bGB\b|cholecyst", body, re.IGNORECASE):
        return None, None
    q = lambda m: quote(body, m.start(), m.end())
    findings: list[Finding] = []
    mass = _first(_MASS, body)
    lost = _first(_INTERFACE_LOST, body)
    thick = _first(_THICK, body)
    if mass or lost:
        m = lost or mass
        findings.append(Finding("interface with the liver" if lost else "mass-forming lesion",
                                "lost (hepatic infiltration)" if lost else "present", q(m),
                                rule="GB-RADS 5: loss of interface with the liver or mass-forming"))
        return result(SYSTEM, GUIDELINE, "5", q(m), findings), None
    inadequate = _first(_INADEQUATE, body)
    if inadequate:
        findings.append(Finding("gallbladder distension", "inadequate for wall assessment", q(inadequate), rule="GB-RADS 0"))
        return result(SYSTEM, GUIDELINE, "0", q(inadequate), findings), None
    # wall thickness in mm, where stated
    wall_mm = None
    for mm in re.finditer(r"wall[^.;]{0,40}?(\d+(?:\.\d+)?)\s*(mm|cm)|(\d+(?:\.\d+)?)\s*(mm|cm)\s+(?:thick|in\s+thickness)", body, re.IGNORECASE):
        v = float(mm.group(1) or mm.group(3)) * (10 if (mm.group(2) or mm.group(4)).lower() == "cm" else 1)
        wall_mm = max(wall_mm or 0, v)
        wall_m = mm
    if not thick:
        normal = _first(_NORMAL, body) or _first(_THICK, body, neg=True)
        if normal or (wall_mm is not None and wall_mm <= 3):
            m = normal or wall_m
            findings.append(Finding("wall thickening", "none", q(m), rule="GB-RADS 1: normal"))
            return result(SYSTEM, GUIDELINE, "1", q(m), findings), None
        return None, None
    findings.append(Finding("wall thickening", "present" + (f" ({wall_mm:g} mm)" if wall_mm else ""), q(thick)))
    known, unknown, missing = {}, {}, []
    focal, diffuse = _first(_FOCAL, body), _first(_DIFFUSE, body)
    if focal and not (diffuse and diffuse.start() < focal.start()):
        known["extent"] = "focal"; findings.append(Finding("extent", "focal", q(focal)))
    elif diffuse:
        known["extent"] = "circumferential"; findings.append(Finding("extent", "circumferential (diffuse)", q(diffuse)))
    elif given.get("extent") in ASKED["extent"]:
        known["extent"] = given["extent"]; findings.append(Finding("extent", given["extent"], None, rule=_READ))
    else:
        unknown["extent"] = ["focal", "circumferential"]; missing.append("extent (focal or circumferential)")
    asym, sym = _first(_ASYM, body), _first(_SYM, body)
    if asym:
        known["symmetric"] = False; findings.append(Finding("symmetry", "asymmetric / irregular", q(asym)))
    elif sym:
        known["symmetric"] = True; findings.append(Finding("symmetry", "symmetric / smooth", q(sym)))
    else:
        known["symmetric"] = True   # a circumferential thickening is symmetric unless described otherwise
    layered, layer_lost = _first(_LAYERED, body), _first(_LAYER_LOST, body)
    known["layered"] = bool(layered) and not layer_lost
    if layered and not layer_lost:
        findings.append(Finding("layered appearance", "present", q(layered)))
    elif layer_lost:
        findings.append(Finding("layered appearance", "lost", q(layer_lost)))
    cysts, foci = _first(_CYSTS, body), _first(_FOCI, body)
    known["intramural"] = bool(cysts or foci)
    for m, name in ((cysts, "intramural cysts"), (foci, "intramural echogenic foci (comet-tail)")):
        if m:
            findings.append(Finding(name, "present", q(m), rule="adenomyomatosis features"))
    kept = _first(_INTERFACE_KEPT, body) or _first(_INTERFACE_LOST, body, neg=True)
    if kept:
        known["interface_lost"] = False; findings.append(Finding("interface with the liver", "preserved", q(kept)))
    elif given.get("interface with the liver") in INTERFACE:
        known["interface_lost"] = INTERFACE[given["interface with the liver"]]
        findings.append(Finding("interface with the liver", given["interface with the liver"], None, rule=_READ))
    else:
        unknown["interface_lost"] = [False, True]
    cats = possible(category, known, unknown)
    if "interface_lost" in unknown:
        # an unmentioned interface only matters where the thickening is otherwise suspicious
        cats_kept = possible(category, {**known, "interface_lost": False}, {k: v for k, v in unknown.items() if k != "interface_lost"})
        if cats_kept <= {"2", "3"}:
            cats = cats_kept
            findings.append(Finding("interface with the liver", "not described (taken as preserved for a benign-pattern thickening)", None))
        else:
            missing.append("interface with the liver (preserved or lost)")
    ev = findings[-1].evidence if findings[-1].evidence else q(thick)
    note = None
    if known.get("extent") == "circumferential" and known.get("symmetric") and not known["layered"] and not known["intramural"]:
        note = "circumferential smooth thickening without layering or intramural features: GB-RADS 3 as read here; check against the 2022 table"
    if len(cats) == 1:
        # evidence: the feature that decided it
        cat = next(iter(cats))
        deciding = {"2": layered or cysts or foci, "3": cysts or foci or diffuse, "4": focal or asym}.get(cat)
        return result(SYSTEM, GUIDELINE, cat, q(deciding) if deciding else ev, findings, note=note), cats
    return result(SYSTEM, GUIDELINE, None, None, findings, missing=missing, allowed=span(ORDER, cats), note=note), cats
