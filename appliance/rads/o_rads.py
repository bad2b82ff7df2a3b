"""O-RADS category of adnexal lesions from the features the report describes (US or MRI).

Sources: ACR O-RADS US Risk Stratification and Management System v2022 (Strachowski LM
et al., Radiology 2023;308:e230685) and the O-RADS MRI risk score (Sadowski EA et al.,
Radiology 2022;303:35-47; ACR O-RADS MRI 2022).

O-RADS US v2022 (rules applied, each named in the working):
- 5: ascites and/or peritoneal nodules (not physiological fluid); unilocular or bilocular
  cyst with >=4 papillary projections; multilocular cyst with solid component colour
  score (CS) 3-4; solid lesion with irregular outer contour; solid smooth lesion CS 4.
- 4: multilocular cyst without solid component >=10 cm, or CS 4, or irregular inner wall;
  unilocular cyst with solid component (1-3 papillary projections or other solid component);
  bilocular cyst with solid component; multilocular cyst with solid component CS 1-2;
  solid smooth lesion CS 2-3.
- 3: unilocular or bilocular cyst without solid component >=10 cm; classic benign lesion
  >=10 cm; unilocular/bilocular with irregular inner wall (<3 mm); multilocular smooth
  cyst <10 cm, CS 1-3; solid smooth lesion CS 1.
- 2: simple cyst >3 cm and <10 cm (any age) or <=3 cm after the menopause; unilocular or
  bilocular smooth non-simple cyst <10 cm; classic benign lesions <10 cm (typical
  haemorrhagic cyst, dermoid, endometrioma, paraovarian cyst, peritoneal inclusion cyst,
  hydrosalpinx).
- 1: normal premenopausal ovary: follicle or simple cyst <=3 cm, corpus luteum <=3 cm.
- 0: incomplete evaluation.
O-RADS MRI score (2022): 5 peritoneal implants or solid tissue with a high-risk
time-intensity curve (TIC); 4 solid tissue with an intermediate-risk TIC; 3 solid tissue
with a low-risk TIC, multilocular cyst without solid tissue, unilocular non-simple
(proteinaceous/haemorrhagic/mucinous) cyst with a smooth enhancing wall; 2 simple or
endometriotic unilocular cyst, lipid without solid tissue, solid tissue dark on T2 and DWI;
1 normal ovaries. Without DCE curves: solid tissue enhancing more than myometrium -> 5,
not more -> 4 (non-DCE score).
Several lesions: each is categorised; the most severe governs.

Open questions (`ASKED_US`, `ASKED_MRI`, in the lexicon's words): colour score, outer contour
of a solid lesion, number of papillary projections, menopausal status; on MRI the
time-intensity curve of solid tissue and the fluid of a unilocular cyst. An answer is used
only where the report's words settle nothing; a question is asked only where some answer
changes the category. Size is never asked.
"""

from __future__ import annotations

import re
from typing import Mapping

from ..tasks.rads_systems import system
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import Match, find, findings_text, sentence_at
from .lesions import Lesion, LesionResult, combine, lesion_sizes, quote, split_lesions
from .questions import open_questions

GUIDELINE = "ACR O-RADS US v2022; O-RADS MRI score (2022)"
ROW = system("O-RADS")
_I = re.IGNORECASE

_LESION = re.compile(r"\bcysts?\b|\bmass(?:es)?\b|\blesions?\b|\bfollicles?\b|\bcorpus luteum\b|\bendometrioma\b|\bdermoid\b|"
                     r"\bteratoma\b|\bhydrosalpinx\b|\bcollection\b", _I)
_NOT_LESION = re.compile(r"\b(?:ovary|uterus|endometrium|ovaries) (?:measures|measuring|is)\b|\bendometri(?:um|al thickness)\b", _I)
_MRI = re.compile(r"\bMRI\b|\bMR\b|\bmagnetic resonance\b|\bT2[- ]?weighted\b|\bT2\b|\bDWI\b|\bdiffusion[- ]weighted\b|\bgadolinium\b|"
                  r"\btime[- ]intensity curve\b|\bTIC\b|\bDCE\b", _I)
_PERITONEAL = re.compile(r"\bascites\b|\bperitoneal (?:nodules?|nodularity|deposits?|implants?|thickening|carcinomatosis|disease)\b|"
                         r"\bomental (?:cak\w+|nodules?|deposits?|thickening)\b|\bcarcinomatosis\b", _I)
_INCOMPLETE = re.compile(r"\b(?:incomplete(?:ly)?|not|inadequately|suboptimally|poorly) (?:evaluated|assessed|visuali[sz]ed|seen)\b|"
                         r"\bnon-?diagnostic\b|\btechnically limited\b", _I)
_POSTMENO = re.compile(r"\bpost-?menopausal\b|\bpost[- ]menopause\b|\bafter (?:the )?menopause\b", _I)
_PREMENO = re.compile(r"\bpre-?menopausal\b|\bLMP\b|\bday \d+ of (?:her |the )?(?:menstrual )?cycle\b|\bmenstruating\b|\breproductive age\b", _I)
_FOLLICLE = re.compile(r"\b(?:dominant )?follicles?\b|\bcorpus luteum\b|\bnormal (?:appearing )?ovar(?:y|ies)\b|\bfollicular cyst\b", _I)
_CLASSIC = (
    ("typical haemorrhagic cyst", re.compile(r"\bha?emorrhagic cyst\b|\breticular (?:pattern|echoes)\b|\blace-?like\b|\bfish-?net\b|"
                                             r"\bretracting clot\b|\blacy\b", _I)),
    ("dermoid", re.compile(r"\bdermoid\b|\bmature (?:cystic )?teratoma\b|\bechogenic (?:plug|nodule)\b|\bdot[- ]dash\b|"
                           r"\bhyperechoic lines and dots\b|\bfat[- ]fluid level\b|\bRokitansky\b", _I)),
    ("endometrioma", re.compile(r"\bendometrioma\b|\bchocolate cyst\b|\bground[- ]glass echoes\b|\bhomogene\w+ low[- ]level (?:internal )?echoes\b", _I)),
    ("paraovarian cyst", re.compile(r"\bpara-?ovarian\b|\bparatubal\b|\bfimbrial cyst\b", _I)),
    ("hydrosalpinx", re.compile(r"\bhydrosalpinx\b", _I)),
    ("peritoneal inclusion cyst", re.compile(r"\bperitoneal inclusion cyst\b|\bpseudocyst\b", _I)),
)
_SOLID_LESION = re.compile(r"\b(?:entirely |predominantly |mostly |purely |largely )?solid(?:[- ]appearing)? (?:\w+ )?(?:mass|lesion|tumou?r)\b|"
                           r"\b(?:mass|lesion) is (?:entirely |predominantly )?solid\b|\bsolid ovarian\b", _I)
_SOLID_COMPONENT = re.compile(r"\bsolid (?:component|element|portion|area|nodule|tissue)s?\b|\bmural nodules?\b|\bpapillary (?:projections?|excrescences?)\b|"
                              r"\bvegetations?\b|\bsolid papillar\w+", _I)
_PAPILLARY = re.compile(r"\bpapillary (?:projections?|excrescences?)\b|\bvegetations?\b", _I)
_COUNT = re.compile(r"\b(one|a single|single|two|three|four|five|six|\d+|numerous|innumerable|more than (?:three|3)|>\s*3|≥\s*4|multiple|several)\s+"
                    r"(?:small\s+|tiny\s+|solid\s+|vascular(?:ised|ized)?\s+)?(?:papillary (?:projections?|excrescences?)|vegetations?)", _I)
_WORD_NUMBER = {"one": 1, "a single": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "numerous": 4, "innumerable": 4, "more than three": 4, "more than 3": 4}
_MULTILOCULAR = re.compile(r"\bmulti-?locul\w+|\bmulti-?septat\w+|\bmultiple (?:thin |thick |internal )?septa\w*|\bseptations\b|\bloculated\b", _I)
_BILOCULAR = re.compile(r"\bbi-?locul\w+|\b(?:a )?single (?:thin |internal |smooth )?septation\b|\b(?:one|a) (?:thin |smooth )?(?:internal )?septation\b|\bseptated\b", _I)
_UNILOCULAR = re.compile(r"\buni-?locul\w+|\bsimple cyst\b|\bcysts?\b", _I)
_NON_SIMPLE = re.compile(r"\binternal echoes\b|\blow[- ]level echoes\b|\bdebris\b|\bechogenic (?:fluid|contents?)\b|\bha?emorrhag\w+|"
                         r"\bfluid[- ]fluid level\b|\bcomplex\b", _I)
_SIMPLE = re.compile(r"\bsimple\b|\ban-?echoic\b|\bthin[- ]walled\b", _I)
_IRREGULAR_WALL = re.compile(r"\birregular (?:inner )?(?:wall|septa\w*|lining|inner margin)\b|\b(?:wall|septa\w*) (?:is |are )?irregular\b|"
                             r"\bwall irregularit\w+", _I)
_IRREGULAR_OUTER = re.compile(r"\birregular(?:ly)? (?:outer )?(?:contour|margins?|borders?|outline|shaped)\b|\b(?:contour|margins?|outline) (?:is |are )?irregular\b|"
                              r"\blobulated\b|\bspiculated\b|\bill[- ]defined\b", _I)
_SMOOTH = re.compile(r"\bsmooth\b|\bwell[- ](?:defined|circumscribed)\b|\bregular (?:contour|margins?|wall)\b|\bthin[- ]walled\b", _I)
_CS = re.compile(r"\bcolou?r score\s*(?:of\s*|:\s*|=\s*)?([1-4])\b|\bCS\s*([1-4])\b", _I)
_FLOW = (
    (4, re.compile(r"\b(?:very strong|marked(?:ly)?|abundant|intense|prominent|florid|avid|extensive|high)\s+(?:internal\s+)?(?:colou?r\s+|doppler\s+)?"
                   r"(?:flow|vascularity|vascularisation|vascularization)\b|\bhighly vascular\b|\bhypervascular\b", _I)),
    (3, re.compile(r"\bmoderate\s+(?:internal\s+)?(?:colou?r\s+|doppler\s+)?(?:flow|vascularity)\b", _I)),
    (2, re.compile(r"\b(?:minimal|mild|little|scant|small amount of|some|low)\s+(?:internal\s+)?(?:colou?r\s+|doppler\s+)?(?:flow|vascularity)\b", _I)),
)
_FLOW_ANY = re.compile(r"\b(?:internal |intralesional |detectable )?(?:colou?r |doppler )?(?:flow|vascularity|vascularisation|vascularization)\b|\bavascular\b", _I)
_AVASCULAR = re.compile(r"\bavascular\b", _I)
# O-RADS MRI
_TIC = ((5, re.compile(r"\bhigh[- ]risk (?:time[- ]intensity )?curve\b|\b(?:TIC|curve)\s*(?:type\s*)?3\b|\btype\s*(?:3|III) (?:time[- ]intensity )?curve\b", _I)),
        (4, re.compile(r"\bintermediate[- ]risk (?:time[- ]intensity )?curve\b|\b(?:TIC|curve)\s*(?:type\s*)?2\b|\btype\s*(?:2|II) (?:time[- ]intensity )?curve\b", _I)),
        (3, re.compile(r"\blow[- ]risk (?:time[- ]intensity )?curve\b|\b(?:TIC|curve)\s*(?:type\s*)?1\b|\btype\s*(?:1|I) (?:time[- ]intensity )?curve\b", _I)))
_DARK = re.compile(r"\b(?:dark|low(?: signal)?|hypointense)\b[^.;\n]{0,30}\bT2\b[^.;\n]{0,40}\b(?:dark|low|hypointense)?\b[^.;\n]{0,20}\bDWI\b|"
                   r"\bdark T2 (?:and|/) dark DWI\b|\bT2[- ]dark\b[^.;\n]{0,30}\bDWI[- ]dark\b", _I)
# "Fat-suppressed / fat-saturated images" names a sequence, not fat in the lesion (O-RADS MRI 2022 lexicon).
_LIPID = re.compile(r"\b(?:macroscopic |intralesional )?(?:fat|lipid)(?![- ](?:suppress|sat|satur)\w*)(?:[- ]containing)?\b|\bsignal (?:drop|loss) on fat[- ]sat\w*|\bdermoid\b|\bteratoma\b", _I)
_ENHANCING_SOLID = re.compile(r"\benhancing solid (?:tissue|component|portion)\b|\bsolid (?:tissue|component) (?:that )?enhanc\w+\b|\bsolid tissue\b", _I)
_ENH_MORE = re.compile(r"\benhanc\w+ (?:more|greater) than (?:the )?myometrium\b|\bhyperenhanc\w+ (?:relative|compared) to (?:the )?myometrium\b", _I)
_ENH_LESS = re.compile(r"\benhanc\w+ (?:less than|equal to|similar to|no more than) (?:the )?myometrium\b", _I)
_ENDO_FLUID = re.compile(r"\bendometri\w+|\bT2 shading\b|\bshading\b", _I)
_NONSIMPLE_FLUID = re.compile(r"\bproteinaceous\b|\bha?emorrhagic\b|\bmucinous\b|\bT1[- ]hyperintense\b", _I)

_LABEL = re.compile(r"\b(right|left)\s+(?:ovary|ovarian|adnexa\w*|side)\b|\b(?:lesion|mass|cyst)\s*(?:#|no\.?\s*)?(\d+)\b", _I)


# O-RADS US v2022 colour score lexicon: 1 no flow, 2 minimal, 3 moderate, 4 very strong flow.
COLOUR_SCORES = {"no flow": 1, "minimal flow": 2, "moderate flow": 3, "very strong flow": 4}
PAPILLARY_COUNTS = {"1 to 3": 1, "4 or more": 4}
ASKED_US = {
    "colour score (blood flow)": tuple(COLOUR_SCORES),
    "outer contour": ("smooth", "irregular"),
    "number of papillary projections": tuple(PAPILLARY_COUNTS),
    "menopausal status": ("premenopausal", "postmenopausal"),
}
TIC_RISK = {"low risk": 3, "intermediate risk": 4, "high risk": 5}   # O-RADS MRI score of solid tissue by its curve
CYST_FLUID = {"simple fluid": "2", "endometriotic (T2 shading)": "2", "proteinaceous, haemorrhagic or mucinous": "3"}
ASKED_MRI = {"time-intensity curve of the solid tissue": tuple(TIC_RISK), "cyst fluid content": tuple(CYST_FLUID)}
_READ = "read by the model (unverified)"


def _with_questions(result: LesionResult, lesion: Lesion, given: Mapping[str, str] | None, asked: Mapping[str, tuple[str, ...]],
                    categorise) -> LesionResult:
    """An open lesion (report alone) lists the features whose answer would change its category."""
    if given is None and result.categories and result.category is None:
        result.questions, result.resolve = open_questions(lesion.label, categorise, asked.items())
    return result


def _label(sentence: str) -> str | None:
    if m := _LABEL.search(sentence):
        return f"{m.group(1).lower()} adnexa" if m.group(1) else f"lesion {m.group(2)}"
    return None


def _size(lesion: Lesion, text: str) -> tuple[float | None, Finding | None]:
    sizes = lesion_sizes(lesion, _LESION, _NOT_LESION)
    if not sizes:
        return None, None
    s = max(sizes, key=lambda s: s.mm)
    sentence = sentence_at(text, s.start, s.end)
    return s.mm, Finding("maximum diameter", f"{s.mm / 10:g} cm", sentence if len(sentence) <= 160 else s.words)


def _colour_score(lesion: Lesion, text: str, given: Mapping[str, str]) -> tuple[int | None, Match | None]:
    if m := lesion.find(_CS):
        return int(m.words[-1]), m
    for score, pattern in _FLOW:
        if m := lesion.find(pattern):
            return score, m
    if m := lesion.find(_AVASCULAR):
        return 1, m
    if neg := lesion.find_all(_FLOW_ANY, negated=True):
        return 1, neg[0]
    return COLOUR_SCORES.get(given.get("colour score (blood flow)", "")), None


def _papillary_count(lesion: Lesion) -> tuple[int | None, Match | None]:
    if m := lesion.find(_COUNT):
        word = re.match(r"(one|a single|single|two|three|four|five|six|\d+|numerous|innumerable|more than (?:three|3)|>\s*3|≥\s*4|multiple|several)",
                        m.words, _I).group(1).lower()
        if word.isdigit():
            return int(word), m
        if word.startswith((">", "≥")):
            return 4, m
        return _WORD_NUMBER.get(word), m
    if m := lesion.find(r"\ba (?:small |tiny |solid )?papillary (?:projection|excrescence)\b"):
        return 1, m
    return None, lesion.find(_PAPILLARY)


def assess_us(lesion: Lesion, text: str, postmenopausal: bool | None, given: Mapping[str, str] | None = None) -> LesionResult:
    """One adnexal lesion on ultrasound. `given`: model-read values of open features (ASKED_US),
    used only where the report's words settle nothing; None: the report alone (questions listed)."""
    return _with_questions(_assess_us(lesion, text, postmenopausal, given or {}), lesion, given, ASKED_US,
                           lambda g: _assess_us(lesion, text, postmenopausal, g).categories)


def _assess_us(lesion: Lesion, text: str, postmenopausal: bool | None, given: Mapping[str, str]) -> LesionResult:
    q = lambda m: quote(text, m) if m is not None else None
    findings: list[Finding] = []
    size, size_f = _size(lesion, text)
    if size_f:
        findings.append(size_f)

    def result(cats: set[str], rule: str, m: Match | None, missing: list[str] | None = None) -> LesionResult:
        r = LesionResult(lesion.label, cats, findings, missing or [])
        if r.category:
            findings.append(Finding("category rule", r.category, None, rule=rule))
            r.evidence = q(m) if m else None
        return r

    cs, cs_m = _colour_score(lesion, text, given)
    if cs is not None:
        findings.append(Finding("colour score", str(cs), q(cs_m), rule=None if cs_m else _READ))

    solid_m = lesion.find(_SOLID_LESION)
    component_m = lesion.find(_SOLID_COMPONENT)
    if solid_m and not lesion.find(r"\bcyst\w*\b|\blocul\w+"):
        findings.append(Finding("lesion type", "solid", q(solid_m)))
        if m := lesion.find(_IRREGULAR_OUTER):
            findings.append(Finding("outer contour", "irregular", q(m)))
            return result({"5"}, "solid lesion with irregular outer contour -> 5", m)
        smooth = lesion.find(_SMOOTH)
        if smooth:
            findings.append(Finding("outer contour", "smooth", q(smooth)))
        elif given.get("outer contour") == "irregular":
            findings.append(Finding("outer contour", "irregular", None, rule=_READ))
            return result({"5"}, "solid lesion with irregular outer contour -> 5", None)
        elif given.get("outer contour") == "smooth":
            smooth = True
            findings.append(Finding("outer contour", "smooth", None, rule=_READ))
        if cs is None:
            cats = {"3", "4", "5"} if smooth else {"3", "4", "5"}
            return result(cats, "", None, ["colour score (blood flow)"] + ([] if smooth else ["outer contour"]))
        cats = {"3"} if cs == 1 else {"4"} if cs in (2, 3) else {"5"}
        if not smooth and cats != {"5"}:
            return result(cats | {"5"}, "", None, ["outer contour (smooth or irregular)"])
        return result(cats, f"solid smooth lesion, colour score {cs}", cs_m if cs == 4 else solid_m)

    for name, pattern in _CLASSIC:
        if (m := lesion.find(pattern)) and not component_m:
            findings.append(Finding("classic benign lesion", name, q(m)))
            if size is None:
                return result({"2", "3"}, "", None, ["size"])
            return result({"2"} if size < 100 else {"3"}, f"classic benign lesion ({name}) {'<' if size < 100 else '>='} 10 cm", m)

    multi = lesion.find(_MULTILOCULAR)
    bi = None if multi else lesion.find(_BILOCULAR)
    uni = None if (multi or bi) else lesion.find(_UNILOCULAR)
    if not (multi or bi or uni):
        if fol := lesion.find(_FOLLICLE):
            findings.append(Finding("normal ovary", fol.words, q(fol)))
            return result({"1"}, "normal premenopausal ovary: follicle or corpus luteum <= 3 cm -> 1", fol)
        return LesionResult(lesion.label, set())
    kind = "multilocular" if multi else "bilocular" if bi else "unilocular"
    kind_m = multi or bi or uni
    findings.append(Finding("cyst type", kind, q(kind_m)))
    irregular = lesion.find(_IRREGULAR_WALL)
    if irregular:
        findings.append(Finding("inner wall", "irregular", q(irregular)))

    if component_m:
        findings.append(Finding("solid component", component_m.words, q(component_m)))
        if kind == "multilocular":
            if cs is None:
                return result({"4", "5"}, "", None, ["colour score (blood flow)"])
            return result({"4"} if cs <= 2 else {"5"}, f"multilocular cyst with solid component, colour score {cs}", cs_m if cs > 2 else component_m)
        count, count_m = _papillary_count(lesion)
        if lesion.find(_PAPILLARY):
            if count is None and (count := PAPILLARY_COUNTS.get(given.get("number of papillary projections", ""))):
                count_m = None
            if count is None:
                return result({"4", "5"}, "", None, ["number of papillary projections"])
            findings.append(Finding("papillary projections", str(count) if count < 4 else ">= 4", q(count_m),
                                    rule=None if count_m else _READ))
            if count >= 4:
                return result({"5"}, f"{kind} cyst with >= 4 papillary projections -> 5", count_m)
        return result({"4"}, f"{kind} cyst with a solid component (< 4 papillary projections) -> 4", component_m)

    if kind == "multilocular":
        if irregular:
            return result({"4"}, "multilocular cyst with irregular inner wall -> 4", irregular)
        if size is not None and size >= 100:
            return result({"4"}, "multilocular cyst >= 10 cm -> 4", kind_m)
        if cs == 4:
            return result({"4"}, "multilocular cyst, colour score 4 -> 4", cs_m)
        if size is None or cs is None:
            return result({"3", "4"}, "", None, [n for n, v in (("size", size), ("colour score (blood flow)", cs)) if v is None])
        return result({"3"}, "multilocular smooth cyst < 10 cm, colour score 1-3 -> 3", kind_m)

    if irregular:
        return result({"3"}, f"{kind} cyst with irregular inner wall (< 3 mm) -> 3", irregular)
    if size is None:
        return result({"1", "2", "3"}, "", None, ["size"])
    if size >= 100:
        return result({"3"}, f"{kind} cyst >= 10 cm -> 3", kind_m)
    simple = kind == "unilocular" and lesion.find(_SIMPLE) and not lesion.find(_NON_SIMPLE)
    if simple:
        findings.append(Finding("cyst content", "simple (anechoic, thin smooth wall)", q(lesion.find(_SIMPLE))))
        if size <= 30:
            if postmenopausal is None and given.get("menopausal status") in ASKED_US["menopausal status"]:
                postmenopausal = given["menopausal status"] == "postmenopausal"
                findings.append(Finding("menopausal status", given["menopausal status"], None, rule=_READ))
            if postmenopausal is None:
                return result({"1", "2"}, "", None, ["menopausal status"])
            if not postmenopausal:
                return result({"1"}, "premenopausal simple cyst <= 3 cm (a follicle) -> 1", kind_m)
            return result({"2"}, "postmenopausal simple cyst <= 3 cm -> 2", kind_m)
        return result({"2"}, "simple cyst > 3 cm and < 10 cm -> 2", kind_m)
    return result({"2"}, f"{kind} smooth cyst < 10 cm -> 2", kind_m)


def assess_mri(lesion: Lesion, text: str, given: Mapping[str, str] | None = None) -> LesionResult:
    """One adnexal lesion on MRI. `given`: model-read values of open features (ASKED_MRI), used
    only where the report's words settle nothing; None: the report alone (questions listed)."""
    return _with_questions(_assess_mri(lesion, text, given or {}), lesion, given, ASKED_MRI,
                           lambda g: _assess_mri(lesion, text, g).categories)


def _assess_mri(lesion: Lesion, text: str, given: Mapping[str, str]) -> LesionResult:
    q = lambda m: quote(text, m) if m is not None else None
    findings: list[Finding] = []

    def result(cats, rule, m, missing=None):
        r = LesionResult(lesion.label, set(cats), findings, missing or [])
        if r.category:
            findings.append(Finding("category rule", r.category, None, rule=rule))
            r.evidence = q(m) if m else None
        return r

    if not lesion.find(_LESION) and not lesion.find(_ENHANCING_SOLID):
        return LesionResult(lesion.label, set())
    solid = lesion.find(_ENHANCING_SOLID) or lesion.find(_SOLID_COMPONENT) or lesion.find(_SOLID_LESION)
    if solid:
        findings.append(Finding("solid tissue", solid.words, q(solid)))
        if m := lesion.find(_DARK):
            findings.append(Finding("solid tissue signal", "dark on T2 and DWI", q(m)))
            return result({"2"}, "solid tissue dark on T2 and DWI -> 2", m)
        for score, pattern in _TIC:
            if m := lesion.find(pattern):
                findings.append(Finding("time-intensity curve", {5: "high risk", 4: "intermediate risk", 3: "low risk"}[score], q(m)))
                return result({str(score)}, f"solid tissue with {'high' if score == 5 else 'intermediate' if score == 4 else 'low'}-risk curve -> {score}", m)
        if m := lesion.find(_ENH_MORE):
            findings.append(Finding("solid tissue enhancement at 30-40 s", "more than myometrium", q(m)))
            return result({"5"}, "non-DCE: solid tissue enhancing more than myometrium -> 5", m)
        if m := lesion.find(_ENH_LESS):
            findings.append(Finding("solid tissue enhancement at 30-40 s", "not more than myometrium", q(m)))
            return result({"4"}, "non-DCE: solid tissue enhancing not more than myometrium -> 4", m)
        if (read := given.get("time-intensity curve of the solid tissue")) in TIC_RISK:
            findings.append(Finding("time-intensity curve", read, None, rule=_READ))
            return result({str(TIC_RISK[read])}, f"solid tissue with {read.split()[0]}-risk curve -> {TIC_RISK[read]}", None)
        return result({"3", "4", "5"}, "", None, ["time-intensity curve of the solid tissue"])
    if m := lesion.find(_LIPID):
        findings.append(Finding("lipid content", m.words, q(m)))
        return result({"2"}, "lipid content without enhancing solid tissue -> 2", m)
    if m := lesion.find(_MULTILOCULAR):
        findings.append(Finding("cyst type", "multilocular", q(m)))
        return result({"3"}, "multilocular cyst without solid tissue -> 3", m)
    if m := lesion.find(_ENDO_FLUID):
        findings.append(Finding("cyst content", "endometriotic", q(m)))
        return result({"2"}, "unilocular endometriotic cyst -> 2", m)
    if m := lesion.find(_NONSIMPLE_FLUID):
        findings.append(Finding("cyst content", m.words, q(m)))
        return result({"3"}, "unilocular non-simple cyst with smooth enhancing wall -> 3", m)
    if m := lesion.find(_UNILOCULAR):
        findings.append(Finding("cyst type", "unilocular", q(m)))
        if s := lesion.find(_SIMPLE):
            return result({"2"}, "unilocular simple fluid cyst -> 2", s)
        if (read := given.get("cyst fluid content")) in CYST_FLUID:
            findings.append(Finding("cyst content", read, None, rule=_READ))
            return result({CYST_FLUID[read]}, f"unilocular cyst with {read} -> {CYST_FLUID[read]}", None)
        return result({"2", "3"}, "", None, ["cyst fluid content"])
    return LesionResult(lesion.label, set())


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    mri = bool(find(_MRI, body))
    postmenopausal = True if find(_POSTMENO, text) else False if find(_PREMENO, text) else None
    lesions = split_lesions(text, _label)
    results = [assess_mri(l, text) if mri else assess_us(l, text, postmenopausal) for l in lesions]
    results = [r for r in results if r.categories]
    if m := find(_PERITONEAL, body):
        rule = "peritoneal implants -> 5" if mri else "ascites and/or peritoneal nodules -> 5"
        results.append(LesionResult("peritoneum", {"5"}, [Finding("ascites or peritoneal disease", m.words, quote(text, m), rule=rule)],
                                    evidence=quote(text, m)))
    if not results and (m := find(_INCOMPLETE, body)) and find(r"\bovar|\badnex", body):
        return ToolAnswer({"system": ROW.name, "category": "0", "evidence": quote(text, m)}, guideline=GUIDELINE,
                          findings=[Finding("evaluation", "incomplete", quote(text, m), rule="incomplete evaluation -> 0")])
    return combine(ROW, GUIDELINE, results, note="O-RADS MRI score" if mri else "O-RADS US")
