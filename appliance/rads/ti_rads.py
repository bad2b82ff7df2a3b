"""ACR TI-RADS level of thyroid nodules from the features the report describes.

Source: Tessler FN et al. "ACR Thyroid Imaging, Reporting and Data System (TI-RADS):
White Paper of the ACR TI-RADS Committee." J Am Coll Radiol 2017;14:587-595 (the chart),
with Tessler et al., Radiology 2018;287:29-36 (how to apply it).

Points (white paper chart):
- composition: cystic or almost completely cystic 0; spongiform 0; mixed cystic and solid 1;
  solid or almost completely solid 2;
- echogenicity: anechoic 0; hyperechoic or isoechoic 1; hypoechoic 2; very hypoechoic 3;
- shape: wider-than-tall 0; taller-than-wide 3;
- margin: smooth 0; ill-defined 0; lobulated or irregular 2; extrathyroidal extension 3;
- echogenic foci, ADDITIVE (each kind present adds): none or large comet-tail artefacts 0;
  macrocalcifications 1; peripheral (rim) calcifications 2; punctate echogenic foci 3.
- Spongiform: "do not add further points for other categories" (0 points in all).
- A cystic or almost completely cystic nodule is anechoic (0 points for echogenicity), and
  without solid tissue it scores 0 for shape and margin when the report does not describe them.
Levels: 0 points TR1; 2 TR2; 3 TR3; 4-6 TR4; >=7 TR5. The chart has no level for a total
of 1 point; it is read as TR1 here (rule stated in the working).
FNA / follow-up by maximum diameter: TR3 FNA >=2.5 cm, follow-up >=1.5 cm; TR4 FNA
>=1.5 cm, follow-up >=1 cm; TR5 FNA >=1 cm, follow-up >=0.5 cm; TR1-TR2 no FNA.
Several nodules: each is scored; the highest level governs (the white paper: the
highest-scoring nodules, not the largest, are the ones to sample).

Open questions (features the lexicon could not read, whose value changes the level) are
asked in the chart's own words (`ASKED`); an answer is used only where the report's words
settled nothing, after the chart's own implications (spongiform, anechoic cyst). Echogenic
foci are additive on the chart; one answer names one kind (the most suspicious present).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..tasks.rads_systems import system
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import Match
from .lesions import Lesion, LesionResult, combine, lesion_sizes, possible, quote, split_lesions
from .questions import open_questions

GUIDELINE = "ACR TI-RADS 2017 white paper"
ROW = system("TI-RADS")

_I = re.IGNORECASE
COMPOSITION = (  # first match wins: the specific before the general
    ("spongiform", 0, re.compile(r"\bspongiform\b", _I)),
    ("mixed cystic and solid", 1, re.compile(
        r"\bmixed\b(?:\s+(?:solid\s+and\s+cystic|cystic\s+and\s+solid|cystic[\s/-]*solid|solid[\s/-]*cystic|composition|echotexture))?|"
        r"\bpartially cystic\b|\bpartly cystic\b|\bpredominantly (?:solid|cystic)\b|\bmostly (?:solid|cystic)\b|"
        r"\bcomplex cyst\w*|\bcystic and solid\b|\bsolid and cystic\b|\bsolid[\s/-]cystic\b|\bcystic[\s/-]solid\b|"
        r"\b(?:solid|cystic) components?\b|\bcystic (?:change|degeneration|areas?|spaces?)\b", _I)),
    ("solid or almost completely solid", 2, re.compile(r"\b(?:almost (?:completely|entirely) |entirely |completely |wholly )?solid\b", _I)),
    ("cystic or almost completely cystic", 0, re.compile(
        r"\b(?:almost (?:completely|entirely) |entirely |completely |purely |simple )?cystic\b|\b(?:colloid |simple )?cysts?\b", _I)),
)
ECHOGENICITY = (
    ("very hypoechoic", 3, re.compile(
        r"\b(?:very|markedly|marked(?:ly)?|profoundly|severely)\s+hypo-?(?:echoic|echogenic|reflective)\b|"
        r"\bhypo-?(?:echoic|echogenic) (?:relative|compared) to (?:the )?(?:adjacent |overlying )?(?:strap )?muscles?\b", _I)),
    ("hypoechoic", 2, re.compile(r"\bhypo-?(?:echoic|echogenic|reflective)\b", _I)),
    ("isoechoic", 1, re.compile(r"\biso-?(?:echoic|echogenic|reflective)\b", _I)),
    ("hyperechoic", 1, re.compile(r"\bhyper-?(?:echoic|echogenic|reflective)\b", _I)),
    ("anechoic", 0, re.compile(r"\ban-?echoic\b", _I)),
)
SHAPE = (
    ("taller-than-wide", 3, re.compile(r"\btaller[\s-]+than[\s-]+(?:it is )?wide\b|\btaller rather than wide\b|"
                                        r"\bnon-?parallel (?:orientation|shape)\b|\bvertical(?:ly)? orient\w*", _I)),
    ("wider-than-tall", 0, re.compile(r"\bwider[\s-]+than[\s-]+(?:it is )?tall\b|\bparallel (?:orientation|to the skin)\b|"
                                       r"\bhorizontal(?:ly)? orient\w*|\bnot taller[\s-]+than[\s-]+wide\b", _I)),
)
_MARGIN_WORD = r"(?:margins?|margination|borders?|outlines?|contours?|edges?|marginated)"
MARGIN = (
    ("extrathyroidal extension", 3, re.compile(
        r"\bextra-?thyroidal (?:extension|spread|invasion)\b|\binvad\w+ (?:the )?(?:strap|adjacent) (?:muscles?|structures?)\b|"
        r"\b(?:breach|disrupt)\w* (?:of )?the (?:thyroid )?capsule\b|\bextends? beyond the (?:thyroid )?capsule\b", _I)),
    ("lobulated or irregular", 2, re.compile(
        r"\b(?:irregular(?:ly)?|lobulated|micro-?lobulated|spiculated|angular|jagged)\b(?:[\s,]+(?:and|or)?\s*\w+)?\s+" + _MARGIN_WORD + r"|"
        + _MARGIN_WORD + r"\s+(?:(?:is|are|appears?|which (?:is|are))\s+)?(?:somewhat\s+|slightly\s+|mildly\s+)?(?:irregular|lobulated|micro-?lobulated|spiculated|angular)\b|"
        r"\birregular(?:ly)?[\s-]+(?:marginated|outlined|shaped)\b", _I)),
    ("ill-defined", 0, re.compile(r"\b(?:ill|poorly)[\s-]+(?:defined|circumscribed|marginated)\b|\bindistinct\b|\bblurred " + _MARGIN_WORD, _I)),
    ("smooth", 0, re.compile(r"\bsmooth(?:ly)?\b|\bwell[\s-]+(?:defined|circumscribed|marginated|demarcated)\b|\bcircumscribed\b|"
                             r"\bregular " + _MARGIN_WORD, _I)),
)
FOCI = (  # additive
    ("punctate echogenic foci", 3, re.compile(
        r"\bpunctate (?:echogenic )?(?:foci|focus|calcifications?|calcification)\b|\bmicro-?calcifications?\b|"
        r"\bmicro-?calcific\w*|\bpsammom\w+|\bstippled calcif\w*|\bfine (?:echogenic foci|calcifications?)\b", _I)),
    ("peripheral (rim) calcification", 2, re.compile(
        r"\b(?:peripheral|rim|egg-?shell|curvilinear)(?:\s+or\s+\w+)?\s+(?:calcifications?|calcification|calcified rim)\b|"
        r"\brim[\s-]+calcified\b|\bcalcified rim\b|\bperipheral(?:ly)? calcified\b", _I)),
    ("macrocalcification", 1, re.compile(
        r"\bmacro-?calcifications?\b|\b(?:coarse|large|dense|chunky) calcifications?\b|\bcoarse(?:ly)? calcified\b|"
        r"\bcalcifications? with (?:posterior )?(?:acoustic )?shadowing\b", _I)),
    ("large comet-tail artefacts", 0, re.compile(r"\bcomet[\s-]*tail\w*", _I)),
)
# Words that settle "which echogenic foci" when said in the negative ("no calcification").
_ANY_FOCI = re.compile(r"\b(?:echogenic foci|echogenic focus|calcifications?|calcification|calcified|microcalcifications?|"
                       r"micro-calcifications?)\b", _I)
_NOT_NODULE = re.compile(r"\b(?:lobe|isthmus|gland) (?:measures|measuring|is)\b|\bnodes?\b", _I)
_NODULE = re.compile(r"\bnodules?\b|\blesions?\b|\bcysts?\b|\bmass\b|\bnodular\b|\bTR\d\b", _I)
_LABEL_NUMBER = re.compile(r"\b(?:nodule|lesion)\s*(?:#|no\.?\s*|number\s*)?(\d+)\b|\b(?:#|no\.?\s*)(\d+)\s*[:.)]", _I)
# Where a nodule is: a pole of a lobe ("Rt mid pole", "lower pole of the left lobe"), a lobe or side
# ("L lobe", "right-sided"), the isthmus. Poles are kept apart: two nodules in one lobe are two nodules.
_SIDE = r"(right|left|rt|lt|r|l)\.?"
_POLE = r"(upper|superior|mid|middle|lower|inferior)\s+pole"
_LABEL_SIDE = re.compile(
    rf"\b{_SIDE}\s+(?:thyroid\s+)?(?:lobe\s+)?{_POLE}\b|\b{_POLE}\s+of\s+the\s+{_SIDE}\s+(?:thyroid\s+)?lobe\b|"
    rf"\b{_SIDE}\s+(?:thyroid\s+)?(?:lobe|side|thyroid)\b|\b(isthmus|isthmic)\b|\b(right|left)[\s-]sided\b", _I)
_SIDE_NAME = {"rt": "right", "r": "right", "lt": "left", "l": "left"}
_POLE_NAME = {"superior": "upper", "middle": "mid", "inferior": "lower"}


def lesion_label(sentence: str) -> str | None:
    """The nodule a sentence introduces ("nodule 2", "right lower pole", "isthmus"), or None."""
    if m := _LABEL_NUMBER.search(sentence):
        return f"nodule {m.group(1) or m.group(2)}"
    if m := _LABEL_SIDE.search(sentence):
        # The alternatives' groups, in order: side, pole | pole, side | side | isthmus | side ("-sided").
        side_pole, pole_side, plain_side, isthmus, sided = m.groups()[0:2], m.groups()[2:4], *m.groups()[4:]
        if isthmus:
            return "isthmus"
        side = (side_pole[0] or pole_side[1] or plain_side or sided).lower()
        side = _SIDE_NAME.get(side, side)
        pole = side_pole[1] or pole_side[0]
        if pole:
            return f"{side} {_POLE_NAME.get(pole.lower(), pole.lower())} pole"
        return f"{side} lobe"
    return None


def level(points: int) -> str:
    """White paper chart: 0 TR1, 2 TR2, 3 TR3, 4-6 TR4, >=7 TR5 (1 point: read as TR1)."""
    return "TR1" if points <= 1 else "TR2" if points == 2 else "TR3" if points == 3 else "TR4" if points <= 6 else "TR5"


def _points(features: Mapping[str, Any]) -> int:
    if features["composition"] == "spongiform":
        return 0
    return sum(int(features[name]) for name in ("composition points", "echogenicity", "shape", "margin", "echogenic foci"))


_POINTS_OF = {
    "echogenicity": [0, 1, 2, 3], "shape": [0, 3], "margin": [0, 2, 3],
    "echogenic foci": [0, 1, 2, 3, 4, 5, 6],  # the sums of the additive kinds
}
# The features the model may be asked (ACR TI-RADS 2017 chart), each with the chart's values and points.
ASKED = {
    "composition": sorted(((n, p) for n, p, _ in COMPOSITION), key=lambda v: v[1]),
    "echogenicity": sorted(((n, p) for n, p, _ in ECHOGENICITY), key=lambda v: v[1]),
    "shape": [(n, p) for n, p, _ in SHAPE][::-1],
    "margin": [(n, p) for n, p, _ in MARGIN][::-1],
    "echogenic foci": [("none", 0)] + [(n, p) for n, p, _ in FOCI][::-1],
}


def _given(feature: str, given: Mapping[str, str]) -> tuple[str, int, None] | None:
    """A model-read value of an open feature, with its chart points (no quote: unverified)."""
    points = dict(ASKED[feature])
    value = given.get(feature)
    return (value, points[value], None) if value in points else None


_READ = "read by the model (unverified)"
MISSING_WORDS = {"composition": "composition (cystic, spongiform, mixed or solid)",
                 "echogenicity": "echogenicity", "shape": "shape (taller-than-wide or not)",
                 "margin": "margin", "echogenic foci": "echogenic foci / calcification"}


def management(category: str, size_mm: float | None) -> str:
    fna, follow = {"TR3": (25, 15), "TR4": (15, 10), "TR5": (10, 5)}.get(category, (None, None))
    if fna is None:
        return "No FNA (TR1/TR2)."
    if size_mm is None:
        return f"FNA if >= {fna / 10:g} cm; follow-up if >= {follow / 10:g} cm (size not stated)."
    if size_mm >= fna:
        return f"FNA recommended: {size_mm / 10:g} cm >= {fna / 10:g} cm."
    if size_mm >= follow:
        return f"Ultrasound follow-up: {size_mm / 10:g} cm >= {follow / 10:g} cm, below the FNA size {fna / 10:g} cm."
    return f"No FNA or follow-up: {size_mm / 10:g} cm is below {follow / 10:g} cm."


def _first(table, lesion: Lesion) -> tuple[str, int, Match] | None:
    for name, points, pattern in table:
        if m := lesion.find(pattern):
            return name, points, m
    return None


def assess_lesion(lesion: Lesion, text: str, given: Mapping[str, str] | None = None) -> LesionResult:
    """One nodule's level. `given`: model-read values of open features (ASKED), used only
    where the report's words settle nothing; None: the report alone (open questions listed)."""
    findings: list[Finding] = []
    known: dict[str, Any] = {}
    deciding: list[tuple[int, str]] = []
    asked = given or {}
    q = lambda m: quote(text, m) if m is not None else None

    comp = _first(COMPOSITION, lesion) or _given("composition", asked)
    if comp:
        name, pts, m = comp
        known["composition"], known["composition points"] = name, pts
        findings.append(Finding("composition", name, q(m), pts,
                                "spongiform: 0 points and no further points for other features" if name == "spongiform"
                                else None if m else _READ))
        if m:
            deciding.append((pts, q(m)))
    spongiform = known.get("composition") == "spongiform"

    echo = _first(ECHOGENICITY, lesion)
    if echo and not spongiform:
        name, pts, m = echo
        known["echogenicity"] = pts
        findings.append(Finding("echogenicity", name, quote(text, m), pts))
        deciding.append((pts, quote(text, m)))
    elif comp and comp[0] == "cystic or almost completely cystic" and not spongiform:
        known["echogenicity"] = 0
        findings.append(Finding("echogenicity", "anechoic", None, 0, "a cystic nodule is anechoic (0 points)"))
    elif not spongiform and (read := _given("echogenicity", asked)):
        known["echogenicity"] = read[1]
        findings.append(Finding("echogenicity", read[0], None, read[1], _READ))

    shape = _first(SHAPE, lesion)
    if shape and not spongiform:
        name, pts, m = shape
        known["shape"] = pts
        findings.append(Finding("shape", name, quote(text, m), pts))
        deciding.append((pts, quote(text, m)))
    # "not taller than wide" is a negated match of taller-than-wide: wider-than-tall.
    elif not spongiform and (neg := lesion.find_all(SHAPE[0][2], negated=True)):
        known["shape"] = 0
        findings.append(Finding("shape", "not taller-than-wide", quote(text, neg[0]), 0))
    elif not spongiform and (read := _given("shape", asked)):
        known["shape"] = read[1]
        findings.append(Finding("shape", read[0], None, read[1], _READ))

    margin = _first(MARGIN, lesion)
    if margin and not spongiform:
        name, pts, m = margin
        known["margin"] = pts
        findings.append(Finding("margin", name, quote(text, m), pts))
        deciding.append((pts, quote(text, m)))
    elif not spongiform and (neg := lesion.find_all(MARGIN[0][2], negated=True) + lesion.find_all(MARGIN[1][2], negated=True)):
        known["margin"] = 0
        findings.append(Finding("margin", "smooth (no irregularity or extension stated)", quote(text, neg[0]), 0))
    elif not spongiform and (read := _given("margin", asked)):
        known["margin"] = read[1]
        findings.append(Finding("margin", read[0], None, read[1], _READ))

    if not spongiform:
        foci_points, any_foci = 0, False
        for name, pts, pattern in FOCI:
            if m := lesion.find(pattern):
                any_foci = True
                foci_points += pts
                findings.append(Finding("echogenic foci", name, quote(text, m), pts, "echogenic foci are additive"))
                deciding.append((pts, quote(text, m)))
        if not any_foci and (neg := lesion.find_all(_ANY_FOCI, negated=True)):
            any_foci = True
            findings.append(Finding("echogenic foci", "none", quote(text, neg[0]), 0))
        if not any_foci and comp and comp[2] is not None and re.search(r"\bsimple\b", comp[2].words, _I):
            any_foci = True  # a simple cyst is anechoic throughout: no echogenic foci by definition
            findings.append(Finding("echogenic foci", "none (simple cyst)", quote(text, comp[2]), 0))
        if not any_foci and (read := _given("echogenic foci", asked)):
            any_foci = True
            foci_points = read[1]
            findings.append(Finding("echogenic foci", read[0], None, read[1], _READ))
        if any_foci:
            known["echogenic foci"] = foci_points

    sizes = lesion_sizes(lesion, _NODULE, _NOT_NODULE)
    size_mm = max((s.mm for s in sizes), default=None) if sizes else None
    if sizes:
        s = max(sizes, key=lambda s: s.mm)
        findings.append(Finding("maximum diameter", f"{s.mm / 10:g} cm", _size_quote(text, s)))

    if not comp:
        # Without a composition nothing else is settled; a lesion with no feature at all is no nodule.
        if not any(f.feature != "maximum diameter" for f in findings):
            return LesionResult(lesion.label, set())
        options = {"composition": ["spongiform", "cystic or almost completely cystic", "mixed cystic and solid",
                                   "solid or almost completely solid"]}
        cats = set()
        for c in options["composition"]:
            pts = {"spongiform": 0, "cystic or almost completely cystic": 0, "mixed cystic and solid": 1,
                   "solid or almost completely solid": 2}[c]
            cats |= possible(lambda f: level(_points(f)), {**known, "composition": c, "composition points": pts}, _POINTS_OF)
        missing = ["composition (cystic, spongiform, mixed or solid)"] + [MISSING_WORDS[n] for n in _POINTS_OF if n not in known]
        return _with_questions(LesionResult(lesion.label, cats, findings, missing), lesion, text, given,
                               ["composition"] + [n for n in _POINTS_OF if n not in known])

    if spongiform:
        cats = {"TR1"}
    elif known.get("composition") == "cystic or almost completely cystic" and known.get("echogenicity") == 0:
        # An anechoic cystic nodule has no solid tissue to be taller-than-wide or irregular:
        # unstated shape and margin add nothing; echogenic foci still add.
        for name in ("shape", "margin"):
            if name not in known:
                known[name] = 0
                findings.append(Finding(name, "not applicable (anechoic cystic nodule)", None, 0,
                                        "a cystic nodule without solid tissue scores 0 for shape and margin"))
        cats = possible(lambda f: level(_points(f)), known, _POINTS_OF)
    else:
        cats = possible(lambda f: level(_points(f)), known, _POINTS_OF)
    missing = [] if len(cats) == 1 else [MISSING_WORDS[n] for n in _POINTS_OF if n not in known]
    result = _with_questions(LesionResult(lesion.label, cats, findings, missing), lesion, text, given,
                             [n for n in _POINTS_OF if n not in known])
    if result.category:
        total = 0 if spongiform else _points({**known, **{n: 0 for n in _POINTS_OF if n not in known}})
        if spongiform or all(n in known for n in _POINTS_OF):
            rule = f"{total} points -> {result.category}"
            if total == 1:
                rule += " (the chart has no level for 1 point; read as TR1)"
            findings.append(Finding("total points", str(total), None, total, rule))
        else:
            unstated = ", ".join(MISSING_WORDS[n] for n in _POINTS_OF if n not in known)
            findings.append(Finding("points from the stated features", str(total), None, total,
                                    f"{result.category} whatever the unstated features ({unstated})"))
        findings.append(Finding("recommendation", management(result.category, size_mm), None, None,
                                "ACR TI-RADS size thresholds for FNA and follow-up"))
        deciding.sort(key=lambda d: -d[0])
        result.evidence = deciding[0][1] if deciding else None
        result.note = management(result.category, size_mm)
    return result


def _with_questions(result: LesionResult, lesion: Lesion, text: str, given: Mapping[str, str] | None,
                    open_features: list[str]) -> LesionResult:
    """An open nodule (report alone) lists the chart features whose answer would change its level."""
    if given is None and result.category is None:
        result.questions, result.resolve = open_questions(
            lesion.label, lambda g: assess_lesion(lesion, text, g).categories,
            [(f, [v for v, _ in ASKED[f]]) for f in open_features])
    return result


def _size_quote(text: str, s) -> str:
    from ..tools.lexicon import sentence_at
    sentence = sentence_at(text, s.start, s.end)
    return sentence if len(sentence) <= 160 else s.words


def assess(text: str) -> ToolAnswer | None:
    results = [assess_lesion(lesion, text) for lesion in split_lesions(text, lesion_label)]
    results = [r for r in results if r.categories and _has_nodule(r)]
    return combine(ROW, GUIDELINE, results)


def _has_nodule(result: LesionResult) -> bool:
    return any(f.feature in ("composition", "echogenicity", "margin", "shape") for f in result.findings)
