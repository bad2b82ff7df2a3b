"""BI-RADS features-to-category GUIDANCE from the breast imaging lexicon (a suggestion only).

Source: ACR BI-RADS Atlas, 5th edition (2013): mammography, ultrasound and MRI lexicons and
the assessment categories. BI-RADS does not define the category from features: the final
assessment is the radiologist's judgement. This module suggests the category the lexicon
descriptors usually support, and always says so (note + flag `bi_rads_suggestion`).

Guidance applied (each named in the working):
- 6: known biopsy-proven malignancy.
- 5: irregular spiculated mass, or a mass with fine linear / fine-linear branching
  calcifications (highly suggestive of malignancy).
- 4C: fine linear or fine-linear branching calcifications; spiculated margin alone;
  irregular shape with a not-circumscribed margin and a non-parallel orientation or
  posterior shadowing.
- 4B: irregular shape or a not-circumscribed margin (indistinct, angular, microlobulated);
  amorphous, coarse heterogeneous or fine pleomorphic calcifications; architectural
  distortion without a surgical history; complex cystic and solid mass.
- 3: circumscribed oval or round solid mass (parallel on US) without prior imaging;
  complicated cyst; grouped punctate calcifications; focal asymmetry without other features.
- 2: simple cyst, intramammary lymph node, fat-containing lesions (oil cyst, lipoma,
  hamartoma, fat necrosis), typically benign calcifications, implants, postsurgical scar,
  a finding stable over two years or more.
- 1: no mass, suspicious calcification or architectural distortion.
- 0: additional imaging or prior films needed (recall).
Several findings: each is assessed; the most suspicious governs.
"""

from __future__ import annotations

import re

from ..tasks.rads_systems import system
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import find, find_all, findings_text
from .lesions import Lesion, LesionResult, combine, quote, split_lesions

GUIDELINE = "ACR BI-RADS Atlas, 5th edition (2013) - lexicon guidance"
ROW = system("BI-RADS")
NOTE = ("Suggested category from the BI-RADS lexicon features: the final BI-RADS assessment is the "
        "radiologist's call; this is a suggestion for review.")
FLAG = "bi_rads_suggestion"
_I = re.IGNORECASE

_KNOWN_CANCER = re.compile(r"\b(?:known|biopsy[- ]proven|biopsy[- ]confirmed|histologically (?:proven|confirmed)|recently diagnosed)\b"
                           r"[^.;\n]{0,40}\b(?:carcinoma|cancer|malignancy|DCIS|IDC|ILC)\b", _I)
_FINDING = re.compile(r"\bmass(?:es)?\b|\blesions?\b|\bcalcifications?\b|\bcalcification\b|\bcysts?\b|\bnodules?\b|\bdistortion\b|"
                      r"\basymmetr\w+|\blymph node\b|\bfibroadenoma\b|\blipoma\b|\bhamartoma\b|\bscar\b|\bimplants?\b", _I)
_SPICULATED = re.compile(r"\bspiculat\w+", _I)
_FINE_LINEAR = re.compile(r"\bfine[- ]linear(?:[- ]branching)?\b|\blinear branching\b|\bcasting\b", _I)
_SUSP_CALC = re.compile(r"\bamorphous\b|\bcoarse heterogeneous\b|\bfine pleomorphic\b|\bpleomorphic\b|\bheterogeneous calcifications?\b", _I)
_IRREGULAR = re.compile(r"\birregular(?:ly shaped| shape| mass| hypoechoic| solid)?\b", _I)
_NOT_CIRCUMSCRIBED = re.compile(r"\bindistinct\b|\bangular\b|\bmicro-?lobulated\b|\bill[- ]defined\b|\bpoorly defined\b|\bnot circumscribed\b", _I)
_NON_PARALLEL = re.compile(r"\bnon-?parallel\b|\btaller[- ]than[- ]wide\b|\bposterior (?:acoustic )?shadowing\b|\bechogenic halo\b", _I)
_DISTORTION = re.compile(r"\barchitectural distortion\b|\bdistortion\b", _I)
_SURGERY = re.compile(r"\b(?:post-?surgical|post-?operative|lumpectomy|surgical (?:scar|site)|excision site|biopsy site|scar)\b", _I)
_COMPLEX = re.compile(r"\bcomplex cystic and solid\b|\bcystic and solid\b|\bsolid and cystic\b|\bintracystic (?:mass|solid)\b", _I)
_PROB_BENIGN = re.compile(r"\b(?:circumscribed|well[- ]circumscribed|well[- ]defined)\b[^.;\n]{0,40}\b(?:oval|round)\b|"
                          r"\b(?:oval|round)\b[^.;\n]{0,40}\b(?:circumscribed|well[- ]defined)\b|\bcomplicated cyst\b|"
                          r"\bgrouped (?:punctate|round)\b|\bprobable fibroadenoma\b|\bfocal asymmetry\b", _I)
_BENIGN = re.compile(r"\bsimple cysts?\b|\bintramammary (?:lymph )?node\b|\boil cyst\b|\blipoma\b|\bhamartoma\b|\bfat necrosis\b|"
                     r"\bvascular calcifications?\b|\bskin calcifications?\b|\bdystrophic\b|\brim calcifications?\b|\bpopcorn\b|"
                     r"\brod-?like\b|\bsecretory\b|\bmilk of calcium\b|\bbenign[- ]appearing\b|\bimplants?\b|\bstable (?:for|over|since)\b[^.;\n]{0,30}\b(?:2|two|3|three|[2-9]) years?\b|"
                     r"\bfat[- ]containing\b|\bcoarse calcifications?\b|\bcalcified (?:fibroadenoma|involuting)\b|\blymph nodes? with (?:a )?(?:normal )?fatty hil\w+", _I)
_RECALL = re.compile(r"\badditional (?:imaging|views?|evaluation)\b[^.;\n]{0,30}\b(?:recommended|required|needed|advised)\b|\brecall\b|"
                     r"\bspot compression\b[^.;\n]{0,30}\brecommended\b|\bprior (?:films|mammograms?|studies) (?:for comparison )?(?:are )?(?:requested|needed)\b|"
                     r"\bfurther evaluation with\b", _I)
_NEGATIVE = re.compile(r"\bmass(?:es)?\b|\bsuspicious (?:calcifications?|microcalcifications?|findings?)\b|\barchitectural distortion\b|"
                       r"\bmalignan\w+\b", _I)
_CLOCK = re.compile(r"\b(\d{1,2})(?::\d{2})?\s*o'?\s*clock\b|\b(right|left) breast\b|\b(?:mass|lesion|finding)\s*(?:#|no\.?\s*)?(\d+)\b|\b(RIGHT|LEFT)\s*:", _I)


def _label(sentence: str) -> str | None:
    if m := _CLOCK.search(sentence):
        if m.group(1):
            return f"{m.group(1)} o'clock"
        if m.group(2) or m.group(4):
            return f"{(m.group(2) or m.group(4)).lower()} breast"
        return f"finding {m.group(3)}"
    return None


def assess_lesion(lesion: Lesion, text: str) -> LesionResult:
    q = lambda m: quote(text, m)
    if not lesion.find(_FINDING):
        return LesionResult(lesion.label, set())
    findings: list[Finding] = []

    def out(category: str, rule: str, *matches) -> LesionResult:
        for name, m in matches:
            findings.append(Finding(name, m.words, q(m)))
        findings.append(Finding("suggested category", category, None, rule=rule))
        return LesionResult(lesion.label, {category}, findings, evidence=q(matches[0][1]))

    if m := lesion.find(_KNOWN_CANCER):
        return out("6", "known biopsy-proven malignancy -> 6", ("known malignancy", m))
    spic, fine, irregular = lesion.find(_SPICULATED), lesion.find(_FINE_LINEAR), lesion.find(_IRREGULAR)
    mass = lesion.find(r"\bmass(?:es)?\b|\blesion\b|\bnodule\b")
    if spic and (irregular or mass):
        return out("5", "irregular spiculated mass: highly suggestive of malignancy -> 5", ("margin", spic), *([("shape", irregular)] if irregular else []))
    if fine and mass:
        return out("5", "mass with fine linear (branching) calcifications -> 5", ("calcification morphology", fine), ("mass", mass))
    if fine:
        return out("4C", "fine linear or fine-linear branching calcifications -> 4C", ("calcification morphology", fine))
    if spic:
        return out("4C", "spiculated margin -> 4C", ("margin", spic))
    not_circ, non_parallel = lesion.find(_NOT_CIRCUMSCRIBED), lesion.find(_NON_PARALLEL)
    if irregular and not_circ and non_parallel:
        return out("4C", "irregular shape, not-circumscribed margin and non-parallel orientation / shadowing -> 4C",
                   ("shape", irregular), ("margin", not_circ), ("orientation or posterior features", non_parallel))
    if irregular or not_circ:
        matches = [("shape", irregular)] if irregular else []
        matches += [("margin", not_circ)] if not_circ else []
        return out("4B", "irregular shape or not-circumscribed margin -> 4B", *matches)
    if m := lesion.find(_SUSP_CALC):
        return out("4B", "amorphous, coarse heterogeneous or fine pleomorphic calcifications -> 4B", ("calcification morphology", m))
    if (m := lesion.find(_DISTORTION)) and not lesion.find(_SURGERY):
        return out("4B", "architectural distortion without a surgical history -> 4B", ("architectural distortion", m))
    if m := lesion.find(_COMPLEX):
        return out("4B", "complex cystic and solid mass -> 4B", ("composition", m))
    if m := lesion.find(_BENIGN):
        return out("2", "typically benign finding -> 2", ("benign finding", m))
    if m := lesion.find(_PROB_BENIGN):
        return out("3", "circumscribed oval/round mass, complicated cyst, grouped punctate calcifications or focal asymmetry -> 3",
                   ("probably benign feature", m))
    if mass:
        findings.append(Finding("mass", mass.words, q(mass)))
        return LesionResult(lesion.label, {"3", "4A", "4B", "4C", "5"}, findings, ["mass shape", "mass margin"])
    return LesionResult(lesion.label, set())


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    results = [r for r in (assess_lesion(lesion, text) for lesion in split_lesions(text, _label)) if r.categories]
    recall = find(_RECALL, body)
    if not results or all(r.category in ("1", "2", "3") for r in results):
        if recall:
            return ToolAnswer({"system": ROW.name, "category": "0", "evidence": quote(text, recall)}, guideline=GUIDELINE,
                              findings=[Finding("additional imaging needed", recall.words, quote(text, recall),
                                                rule="additional imaging or prior films needed -> 0")],
                              others=[r.as_other() for r in results], flags=[FLAG], note=NOTE)
    if not results:
        if find(r"\bbreasts?\b|\bmammogra", body) and (neg := find_all(_NEGATIVE, body, negated=True)):
            return ToolAnswer({"system": ROW.name, "category": "1", "evidence": quote(text, neg[0])}, guideline=GUIDELINE,
                              findings=[Finding("suspicious finding", "none", quote(text, neg[0]), rule="no mass, suspicious calcification or distortion -> 1")],
                              flags=[FLAG], note=NOTE)
        return None
    return combine(ROW, GUIDELINE, results, note=NOTE, flags=[FLAG])
