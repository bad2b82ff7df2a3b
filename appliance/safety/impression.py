"""Impression safety check: a normal impression for an abnormal report is never shown as is.

A generated (or given) impression is checked against what the rule-based CheXpert labeler
(`appliance.tools.chexpert`; Irvin et al., AAAI 2019, with NegBio's negation and
uncertainty rules, Peng et al. 2018) reads in the report:

- **contradiction**: the impression sounds normal ("normal chest", "no acute disease",
  "no active disease", "unremarkable", "no acute cardiopulmonary abnormality") while the
  report affirms cardiomegaly, edema, consolidation, pneumonia, pneumothorax, pleural
  effusion, a lung lesion (not a calcified granuloma/nodule), a fracture (not an old or
  healed one) or an enlarged cardiomediastinum, and the impression does not name it; or
  the impression explicitly denies ("no pneumothorax") what the findings affirm.
  A "no acute ..." impression is not contradicted by a finding the report itself calls
  stable, unchanged, chronic, old or healed (the radiologist's usual "stable cardiomegaly,
  no acute disease"); a plain "normal" impression is contradicted by any of them.
  Flag: ``"impression contradicts findings: cardiomegaly, pleural effusion"``.
- **omission**: the report affirms an urgent finding — pneumothorax, free air
  (pneumoperitoneum), a widened mediastinum or aortic dissection, a large pleural effusion,
  pneumonia or consolidation — and the impression names none of it.
  Flag: ``"impression omits urgent finding: pneumothorax"``.

The worklist marks a document with any flag for review.
"""

from __future__ import annotations

import re

from ..tools.chexpert import DISPLAY, Mention, aggregate, classify, is_chest_radiograph, mentions

# What a normal-sounding impression says.
_NORMAL_IMPRESSION = re.compile(
    r"\bnormal (?:chest|study|exam\w*|radiograph\w*|x-?ray\w*|cxr|film|appearance of the chest|cardiopulmonary)\b|"
    r"^\W*(?:\d+\.\s*)?normal\.?\W*$|\bno (?:radiographic evidence of |evidence of |signs? of )?(?:acute|active)\b[^.;]{0,40}?"
    r"\b(?:disease|abnormalit\w*|process\w*|findings?|pathology|changes?|illness|infiltrates?|condition)\b|"
    r"\bno (?:significant|focal|definite|radiographic|acute|active)? ?(?:cardiopulmonary |pulmonary |intrathoracic |chest )?"
    r"(?:abnormalit\w*|disease|findings?)\b|\bunremarkable (?:chest|study|exam\w*|radiograph\w*)\b|"
    r"^\W*(?:\d+\.\s*)?unremarkable\.?\W*$|\bnegative (?:chest|study|exam\w*|radiograph\w*|x-?ray)\b|"
    r"\bwithin normal limits\b(?![^.;]{0,30}\b(?:heart|cardiac|mediastin))|\bclear chest\b",
    re.IGNORECASE | re.MULTILINE,
)
_NO_ACUTE = re.compile(r"\b(?:acute|active)\b", re.IGNORECASE)

# Findings the impression must not call normal, and the qualifiers that make one benign or chronic.
CONTRADICTS = ("cardiomegaly", "edema", "consolidation", "pneumonia", "pneumothorax", "pleural_effusion",
               "lung_lesion", "fracture", "enlarged_cardiomediastinum")
_BENIGN = {
    "lung_lesion": re.compile(r"calcif|granuloma", re.IGNORECASE),
    "fracture": re.compile(r"\b(?:old|healed|healing|remote|chronic|prior|previous|united|ununited|deformit\w*)\b", re.IGNORECASE),
}
_CHRONIC = re.compile(r"\b(?:stable|unchanged|chronic|old|healed|remote|again|longstanding|long-standing|persistent|not changed|"
                      r"no (?:significant |interval )?change|similar)\b", re.IGNORECASE)

# Urgent findings an impression must not leave out: group → (labels that are the finding, labels
# whose mention in the impression counts as naming it).
_URGENT_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pneumothorax": (("pneumothorax",), ("pneumothorax",)),
    "pneumonia": (("pneumonia", "consolidation"), ("pneumonia", "consolidation", "lung_opacity")),
}
_FREE_AIR = re.compile(r"free (?:intraperitoneal |subdiaphragmatic )?air|pneumoperitoneum|air under the (?:right |left )?(?:hemi)?diaphragm",
                       re.IGNORECASE)
_WIDE_MEDIASTINUM = re.compile(r"widen\w*|dissection", re.IGNORECASE)
_LARGE = re.compile(r"\b(?:large|massive|moderate(?:-| to )large|tension|extensive|complete opacification)\b", re.IGNORECASE)


def sounds_normal(impression: str) -> bool:
    """Does the impression say the study is normal / shows no acute or active disease?"""
    return bool(_NORMAL_IMPRESSION.search(impression))


def _names(found: list[Mention]) -> set[str]:
    return {m.label for m in found if m.value in ("positive", "uncertain")}


def _affirmed(found: list[Mention], label: str) -> list[Mention]:
    return [m for m in found if m.label == label and m.value == "positive"]


def _phrase_positive(pattern: re.Pattern, text: str) -> bool:
    for m in pattern.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".;\n") + 1
        ends = [i for i in (text.find(c, m.end()) for c in ".;\n") if i != -1]
        sentence = text[start:min(ends) if ends else len(text)]
        if classify(sentence, m.start() - start, m.end() - start, "other")[0] == "positive":
            return True
    return False


def impression_flags(impression: str, report_text: str) -> list[str]:
    """Flags for an impression that calls an abnormal report normal or leaves out an urgent finding."""
    if not impression or not impression.strip() or not report_text or not is_chest_radiograph(report_text + "\n" + impression):
        return []
    report = mentions(report_text)
    said = mentions(impression)
    named, best_said = _names(said), aggregate(said)
    normal = sounds_normal(impression)
    only_acute = normal and bool(_NO_ACUTE.search(impression)) and not re.search(r"\bnormal\b", impression, re.IGNORECASE)

    contradicted: list[str] = []
    for label in CONTRADICTS:
        pos = _affirmed(report, label)
        if label in _BENIGN:
            pos = [m for m in pos if not _BENIGN[label].search(m.sentence)]
        if not pos or label in named:
            continue
        denied = label in best_said and best_said[label].value == "negative"
        if denied:
            contradicted.append(label)
        elif normal:
            if only_acute and all(_CHRONIC.search(m.sentence) for m in pos):
                continue
            contradicted.append(label)

    omitted: list[str] = []
    for group, (labels, naming) in _URGENT_GROUPS.items():
        if any(_affirmed(report, lb) for lb in labels) and not (named & set(naming)) \
                and not any(lb in contradicted for lb in labels):
            omitted.append(group)
    if _phrase_positive(_FREE_AIR, report_text) and not _phrase_positive(_FREE_AIR, impression):
        omitted.append("free air")
    wide = [m for m in _affirmed(report, "enlarged_cardiomediastinum") if _WIDE_MEDIASTINUM.search(m.words)]
    if wide and "enlarged_cardiomediastinum" not in named and "enlarged_cardiomediastinum" not in contradicted:
        omitted.append("aortic dissection" if any("dissection" in m.words.lower() for m in wide) else "widened mediastinum")
    large = [m for m in _affirmed(report, "pleural_effusion") if _LARGE.search(m.sentence)]
    if large and "pleural_effusion" not in named and "pleural_effusion" not in contradicted:
        omitted.append("large pleural effusion")

    flags = []
    if contradicted:
        flags.append("impression contradicts findings: " + ", ".join(DISPLAY[k].lower() for k in contradicted))
    if omitted:
        flags.append("impression omits urgent finding: " + ", ".join(omitted))
    return flags
