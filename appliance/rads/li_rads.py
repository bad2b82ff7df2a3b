"""LI-RADS category of liver observations on CT/MRI from the features the report describes.

Source: ACR CT/MRI LI-RADS v2018 Core (diagnostic algorithm and the CT/MRI diagnostic
table) and the LI-RADS v2018 CT/MRI treatment response algorithm (LR-TR).

Rules applied (in this order, each named in the working):
1. Treated observation (after TACE, ablation, radioembolisation, SBRT...): LR-TR —
   viable: nodular, mass-like or thick irregular tissue with arterial phase hyperenhancement,
   washout or enhancement like before treatment; nonviable: no lesional enhancement /
   treatment-specific expected enhancement; equivocal: enhancement atypical for the treatment
   and not meeting viable criteria.
2. LR-TIV: enhancing soft tissue in a vein (tumour in vein).
3. LR-M: targetoid features (rim APHE, peripheral washout, delayed central enhancement,
   targetoid diffusion restriction) or non-targetoid features of non-HCC malignancy
   (infiltrative appearance, marked diffusion restriction, necrosis).
4. LR-1 (definitely benign: simple cyst, typical haemangioma) / LR-2 (probably benign:
   focal fat, perfusion alteration, hypertrophic pseudomass, confluent fibrosis).
5. Diagnostic table (size; nonrim APHE; additional major features: nonperipheral washout,
   enhancing capsule, threshold growth >=50 % in <=6 months):
   no APHE: <20 mm: 0-1 feature LR-3, >=2 LR-4; >=20 mm: 0 LR-3, >=1 LR-4.
   nonrim APHE: <10 mm: 0 LR-3, >=1 LR-4; 10-19 mm: 0 LR-3, capsule only LR-4, washout or
   threshold growth LR-5, >=2 LR-5; >=20 mm: 0 LR-4, >=1 LR-5.
   Threshold growth not described is taken as absent (it needs a prior study the report
   would cite); washout and capsule not described are missing features. Ancillary
   features (which may adjust by one category) are not applied.
Several observations: each is categorised; the most severe governs.

Open questions (`ASKED`): the response of a treated observation, and APHE, washout and
capsule when the report does not say whether they are present; an answer is used only
where the report's words settle nothing. Size is never asked.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..tasks.rads_systems import system
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import Match, sentence_at
from .lesions import Lesion, LesionResult, combine, lesion_sizes, possible, quote, split_lesions
from .questions import open_questions

GUIDELINE = "ACR LI-RADS v2018 CT/MRI"
ROW = system("LI-RADS")
_I = re.IGNORECASE

_OBSERVATION = re.compile(r"\bobservations?\b|\blesions?\b|\bnodules?\b|\bmass(?:es)?\b|\bfocus\b|\btumou?r\b|\bHCC\b|"
                          r"\bcysts?\b|\bha?emangiomas?\b|\barea\b|\bzone\b|\bthrombus\b", _I)
_RIM_APHE = re.compile(r"\brim(?:[\s-]+like)? (?:arterial )?(?:phase )?(?:hyper)?enhanc\w+|\brim APHE\b|\bperipheral rim(?:[\s-]+like)? (?:arterial )?enhanc\w+", _I)
# Not after "hypo-"/"iso-": "hypo-enhancing in the arterial phase" is the absence of APHE (_NO_APHE).
_APHE = re.compile(r"(?<!hypo-)(?<!iso-)\b(?:non-?rim )?(?:arterial(?:ly)?[\s-]+(?:phase )?hyper-?enhanc\w+|arterial(?:ly)? (?:phase )?enhanc\w+|arterial[\s-]+phase enhancement|"
                   r"APHE|hyper-?vascular|hyper-?enhanc\w+ (?:in|on|during) the (?:late )?arterial(?: phase)?|"
                   r"enhanc\w+ (?:avidly |briskly |intensely )?(?:in|on|during) the (?:late )?arterial(?: phase)?|"
                   r"avid(?:ly)? (?:arterial )?enhanc\w+|brisk (?:arterial )?enhancement)", _I)
_NO_APHE = re.compile(r"\b(?:iso|hypo)-?enhanc\w+ (?:in|on|during|relative to the liver in) the (?:late )?arterial|"
                      r"\b(?:arterial[\s-]+phase )?(?:iso|hypo)-?(?:enhanc\w+|attenuat\w+|intense) (?:in|on) (?:the )?arterial", _I)
_PERIPHERAL_WASHOUT = re.compile(r"\bperipheral wash-?out\b", _I)
_WASHOUT = re.compile(r"\b(?:non-?peripheral )?wash-?out\b|\bwashes out\b|\bwashing out\b|\bde-?enhanc\w+|"
                      r"\bhypo-?(?:enhanc\w+|attenuat\w+|intense) (?:in|on) the (?:portal venous|delayed|transitional|venous)", _I)
_CAPSULE = re.compile(r"\b(?:enhancing )?(?:pseudo-?)?capsule\b|\bcapsular enhancement\b|\benhancing rim on (?:the )?(?:delayed|portal)", _I)
_GROWTH = re.compile(r"\bthreshold growth\b", _I)
_GROWTH_FROM = re.compile(r"\b(?:increased|grown|enlarged)\b[^.;\n]{0,30}?\bfrom (\d+(?:\.\d+)?)\s*(mm|cm)\b[^.;\n]{0,10}?\bto (\d+(?:\.\d+)?)\s*(mm|cm)\b"
                          r"(?:[^.;\n]{0,40}?\b(\d+)\s*months?\b)?", _I)
_LR_M = re.compile(r"\btargetoid\b|\bdelayed central enhancement\b|\binfiltrative\b|\bmarked(?:ly)? (?:diffusion )?restrict\w+|"
                   r"\bnecro(?:sis|tic)\b|\bperipheral wash-?out\b|\brim(?:[\s-]+like)? (?:arterial )?(?:phase )?(?:hyper)?enhanc\w+|\brim APHE\b", _I)
_TIV = re.compile(r"\btumou?r in (?:the )?(?:portal |hepatic )?vein\b|\btumou?r(?:al)? thromb\w+|\benhancing (?:soft[\s-]tissue|thrombus|tissue) "
                  r"(?:in|within|expanding|filling) (?:the )?(?:\w+ )?(?:portal|hepatic)?\s*vein|\benhancing (?:portal vein )?thrombus\b|"
                  r"\bexpansile (?:enhancing )?thrombus\b", _I)
_TREATED = re.compile(r"\b(?:post|after|following|status post|s/p)[\s-]+(?:\w+\s+){0,2}?(?:TACE|DEB-TACE|chemoembolis\w+|chemoemboliz\w+|ablation|RFA|MWA|"
                      r"radioembolis\w+|radioemboliz\w+|Y-?90|SBRT|treatment|radiofrequency|microwave)\b|\btreated (?:observation|lesion|HCC|tumou?r)\b|"
                      r"\bablation (?:zone|cavity|defect|site)\b|\bTACE\b|\blipiodol\w*\b|\bablated\b|\btreatment zone\b|\bembolised\b|\bembolized\b", _I)
_VIABLE = re.compile(r"\b(?:nodular|mass[\s-]?like|thick(?:ened)?|irregular)\b[^.;\n]{0,30}\b(?:arterial[\s-]+(?:phase )?)?(?:hyper)?enhanc\w+|"
                     r"\bresidual (?:enhanc\w+|tumou?r|disease|viable)|\brecurren\w+|\bviable tumou?r\b|\bviable\b|"
                     r"\b(?:arterial[\s-]+(?:phase )?hyper-?enhanc\w+|APHE)\b|\bwash-?out\b", _I)
_NONVIABLE = re.compile(r"\bnon-?enhancing\b|\bno (?:residual |internal |nodular |lesional )?(?:arterial )?(?:enhancement|enhancing)\b|"
                        r"\bno (?:evidence of )?(?:residual|viable|recurrent) (?:tumou?r|disease)\b|\bcomplete(?:ly)? (?:response|necro\w+|ablated)\b|"
                        r"\bnonviable\b|\bnon-viable\b|\bthin,? smooth (?:perilesional |peripheral |rim )?(?:enhancement|rim)\b|"
                        r"\b(?:treatment|expected)[\s-]specific (?:expected )?enhancement\b|\bexpected post-?treatment\b", _I)
_EQUIVOCAL = re.compile(r"\bequivocal\b|\bindeterminate (?:enhancement|viability)\b|\batypical (?:\w+ )?enhancement\b", _I)
_DEF_BENIGN = re.compile(r"\bsimple cysts?\b|\b(?:typical |flash[\s-]filling )?ha?emangiomas?\b|\bcysts?\b", _I)
_PROB_BENIGN = re.compile(r"\bfocal fat(?:ty)? (?:sparing|deposition|infiltration)?\b|\bperfusion (?:alteration|anomaly|defect)\b|"
                          r"\bhypertrophic pseudomass\b|\bconfluent fibrosis\b|\bTHID\b|\btransient hepatic (?:intensity|attenuation) difference\b|"
                          r"\bprobably benign\b|\bprobable (?:ha?emangioma|cyst)\b", _I)

_NOT_LESION = re.compile(r"\b(?:spleen|liver span|liver measures|portal vein|kidney|aorta|CBD|duct)\b", _I)
# Couinaud segments, sub-segments of 4 included ("segment 4a", "IVb", "S4a").
_SEGMENT = re.compile(r"\bsegment\s*(\d[ab]?|IV[ab]|[IVX]{1,4})\b|\bS(\d[ab]?)\b|\b(?:observation|lesion|nodule)\s*(?:#|no\.?\s*)?(\d+)\b|\b(caudate|hepatic dome)\b", _I)
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "IVA": "4a", "IVB": "4b", "V": "5", "VI": "6", "VII": "7", "VIII": "8"}


# LR-TR from the treated observation's enhancement (v2018 treatment response algorithm).
RESPONSE = {"no viable tissue": "LR-TR nonviable", "equivocal enhancement": "LR-TR equivocal", "viable tissue": "LR-TR viable"}
# The diagnostic table's major features, as the working names them.
FEATURE_WORDS = {"aphe": "nonrim arterial phase hyperenhancement", "washout": "nonperipheral washout",
                 "capsule": "enhancing capsule"}
PRESENCE = {"present": True, "absent": False}
ASKED = {"treatment response": tuple(RESPONSE), **{w: tuple(PRESENCE) for w in FEATURE_WORDS.values()}}
_READ = "read by the model (unverified)"


def _label(sentence: str) -> str | None:
    if m := _SEGMENT.search(sentence):
        if m.group(3):
            return f"observation {m.group(3)}"
        if m.group(4):
            return m.group(4).lower()
        seg = m.group(1) or m.group(2)
        return f"segment {_ROMAN.get(seg.upper(), seg)}"
    return None


def diagnostic_category(f: Mapping[str, Any]) -> str:
    """The CT/MRI diagnostic table (v2018)."""
    size, aphe = f["size"], f["aphe"]
    n = int(f["washout"]) + int(f["capsule"]) + int(f["growth"])
    if not aphe:
        if size < 20:
            return "LR-3" if n <= 1 else "LR-4"
        return "LR-3" if n == 0 else "LR-4"
    if size < 10:
        return "LR-3" if n == 0 else "LR-4"
    if size < 20:
        if n == 0:
            return "LR-3"
        if n == 1:
            return "LR-5" if (f["washout"] or f["growth"]) else "LR-4"
        return "LR-5"
    return "LR-4" if n == 0 else "LR-5"


def _feature(lesion: Lesion, pattern: re.Pattern) -> tuple[bool | None, Match | None]:
    if m := lesion.find(pattern):
        return True, m
    neg = lesion.find_all(pattern, negated=True)
    return (False, neg[0]) if neg else (None, None)


def _with_questions(result: LesionResult, lesion: Lesion, text: str, given: Mapping[str, str] | None,
                    open_features: list[str]) -> LesionResult:
    """An open observation (report alone) lists the features whose answer would change its category."""
    if given is None and result.category is None:
        result.questions, result.resolve = open_questions(
            lesion.label, lambda g: assess_lesion(lesion, text, g).categories, [(f, ASKED[f]) for f in open_features])
    return result


def assess_lesion(lesion: Lesion, text: str, given: Mapping[str, str] | None = None) -> LesionResult:
    """One observation's category. `given`: model-read values of open features (ASKED), used
    only where the report's words settle nothing; None: the report alone (open questions listed)."""
    asked = given or {}
    obs = lesion.find(_OBSERVATION)
    if not obs:
        return LesionResult(lesion.label, set())
    findings: list[Finding] = []
    q = lambda m: quote(text, m)

    if m := lesion.find(_TREATED):
        findings.append(Finding("treated observation", m.words, q(m), rule="LI-RADS treatment response algorithm"))
        viable = lesion.find(_VIABLE)
        if viable:
            findings.append(Finding("treatment response", "viable tissue", q(viable),
                                    rule="nodular/mass-like/thick irregular enhancement, APHE or washout -> LR-TR viable"))
            return LesionResult(lesion.label, {"LR-TR viable"}, findings, evidence=q(viable))
        if eq := lesion.find(_EQUIVOCAL):
            findings.append(Finding("treatment response", "equivocal enhancement", q(eq), rule="atypical enhancement -> LR-TR equivocal"))
            return LesionResult(lesion.label, {"LR-TR equivocal"}, findings, evidence=q(eq))
        if nv := lesion.find(_NONVIABLE):
            findings.append(Finding("treatment response", "no viable tissue", q(nv), rule="no lesional enhancement -> LR-TR nonviable"))
            return LesionResult(lesion.label, {"LR-TR nonviable"}, findings, evidence=q(nv))
        if (read := asked.get("treatment response")) in RESPONSE:
            findings.append(Finding("treatment response", read, None, rule=_READ))
            return LesionResult(lesion.label, {RESPONSE[read]}, findings)
        return _with_questions(LesionResult(lesion.label, {"LR-TR nonviable", "LR-TR equivocal", "LR-TR viable"}, findings,
                                            ["enhancement of the treated observation"]),
                               lesion, text, given, ["treatment response"])

    if m := lesion.find(_TIV):
        findings.append(Finding("tumour in vein", m.words, q(m), rule="enhancing soft tissue in vein -> LR-TIV"))
        return LesionResult(lesion.label, {"LR-TIV"}, findings, evidence=q(m))
    if m := lesion.find(_LR_M):
        findings.append(Finding("LR-M feature", m.words, q(m), rule="targetoid or non-HCC malignant feature -> LR-M"))
        return LesionResult(lesion.label, {"LR-M"}, findings, evidence=q(m))

    aphe, aphe_m = _feature(lesion, _APHE)
    if aphe is None and (m := lesion.find(_NO_APHE)):
        aphe, aphe_m = False, m
    washout, washout_m = _feature(lesion, _WASHOUT)
    capsule, capsule_m = _feature(lesion, _CAPSULE)
    growth, growth_m = _feature(lesion, _GROWTH)
    if growth is None and (g := _GROWTH_FROM.search(lesion.view)):
        before = float(g.group(1)) * (10 if g.group(2).lower() == "cm" else 1)
        after = float(g.group(3)) * (10 if g.group(4).lower() == "cm" else 1)
        months = int(g.group(5)) if g.group(5) else None
        if months is not None and months <= 6:
            growth = after >= 1.5 * before
            growth_m = Match(g.start(), g.end(), g.group(0), sentence_at(lesion.view, g.start(), g.end()))

    if aphe is None and washout is None and capsule is None:
        if m := lesion.find(_DEF_BENIGN):
            findings.append(Finding("definitely benign", m.words, q(m), rule="simple cyst or typical haemangioma -> LR-1"))
            return LesionResult(lesion.label, {"LR-1"}, findings, evidence=q(m))
        if m := lesion.find(_PROB_BENIGN):
            findings.append(Finding("probably benign", m.words, q(m), rule="probably benign entity -> LR-2"))
            return LesionResult(lesion.label, {"LR-2"}, findings, evidence=q(m))

    sizes = lesion_sizes(lesion, _OBSERVATION, _NOT_LESION)
    size = max((s.mm for s in sizes), default=None)
    known: dict[str, Any] = {}
    if size is not None:
        s = max(sizes, key=lambda s: s.mm)
        known["size"] = size
        sentence = sentence_at(text, s.start, s.end)
        findings.append(Finding("size", f"{size:g} mm", sentence if len(sentence) <= 160 else s.words))
    for name, value, m in (("aphe", aphe, aphe_m), ("washout", washout, washout_m), ("capsule", capsule, capsule_m)):
        words = FEATURE_WORDS[name]
        if value is not None:
            known[name] = value
            findings.append(Finding(words, "present" if value else "absent", q(m)))
        elif not (aphe is None and washout is None and capsule is None):  # an observation described by enhancement
            if (read := asked.get(words)) in PRESENCE:
                known[name] = PRESENCE[read]
                findings.append(Finding(words, read, None, rule=_READ))
    known["growth"] = bool(growth)
    findings.append(Finding("threshold growth", "present" if growth else "absent",
                            q(growth_m) if growth_m else None,
                            rule=None if growth_m else "not described: taken as absent (needs a prior study)"))
    if not any(k in known for k in ("aphe", "washout", "capsule")):
        return LesionResult(lesion.label, set())  # no enhancement features: not an LI-RADS observation description
    options = {"size": [5, 15, 25], "aphe": [False, True], "washout": [False, True], "capsule": [False, True]}
    cats = possible(diagnostic_category, known, options)
    plain = {"size": "observation size", "aphe": "arterial phase hyperenhancement", "washout": "washout", "capsule": "enhancing capsule"}
    missing = [] if len(cats) == 1 else [plain[n] for n in options if n not in known]
    result = _with_questions(LesionResult(lesion.label, cats, findings, missing), lesion, text, given,
                             [FEATURE_WORDS[n] for n in ("aphe", "washout", "capsule") if n not in known])
    if result.category:
        deciding = next((m for m in (washout_m if washout else None, growth_m if growth else None,
                                     capsule_m if capsule else None, aphe_m) if m is not None), obs)
        result.evidence = q(deciding)
        findings.append(Finding("category rule", result.category, None,
                                rule="CT/MRI diagnostic table: size, nonrim APHE and the additional major features"))
    return result


def assess(text: str) -> ToolAnswer | None:
    results = [r for r in (assess_lesion(lesion, text) for lesion in split_lesions(text, _label)) if r.categories]
    return combine(ROW, GUIDELINE, results,
                   note="Ancillary features, which may adjust the category by one, are not applied.")
