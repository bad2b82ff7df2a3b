"""What a document is and which tasks it needs: cheap rules, recorded with their reasons.

Rules only (no model): a report's text cannot talk its way into different tasks,
and every choice comes with the words that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..safety.negation import is_negated
from ..tasks.rads_systems import RADS_SYSTEMS

_RADIOLOGY = re.compile(
    r"\b(findings|impression|technique|comparison|mammogra\w*|ultrasound|sonograph\w*|radiograph\w*|x-ray|"
    r"ct|mri|mr|pet|angiograph\w*|colonograph\w*|tomosynthesis|views?|contrast)\b",
    re.IGNORECASE,
)
_EXAM_HEADER = re.compile(r"^\s*(exam(ination)?|study|procedure|technique)\s*:", re.IGNORECASE | re.MULTILINE)
_TRIAGE = re.compile(r"\btriage\b|\bESI\b|\bMTS\b|presenting complaint|chief complaint", re.IGNORECASE)
_CLINICAL = re.compile(
    r"year[- ]old|\by/?o\b|\b\d{1,3}\s?(yo|M|F)\b|presents?|presenting|complain\w*|symptom\w*|pain|fever|cough|"
    r"breathless\w*|short(ness)? of breath|headache|vomit\w*|rash|on examination|\bO/E\b|\bHR\s?\d|\bBP\s?\d|SpO2",
    re.IGNORECASE,
)
_RADS_CONTEXT = re.compile(
    "|".join(re.escape(s) for s in RADS_SYSTEMS).replace(r"\-", "[- ]?")
    + r"|\b(breast|mammogra\w*|tomosynthesis|thyroid nodules?|cirrho\w*|hepatocellular|\bHCC\b|"
    r"lung cancer screening|low[- ]dose (ct|computed)|prostate mri|mri (of the )?prostate|multiparametric|"
    r"adnexa\w*|ovarian (mass|cyst|lesion)|coronary ct|ct coronary|ccta|ct colonograph\w*|virtual colonoscopy|"
    r"bladder mri|mri (of the )?bladder|head and neck cancer)",
    re.IGNORECASE,
)
# Staging applies to a known or diagnosed cancer, not to a lesion merely suspicious for one.
_ONCOLOGY = re.compile(
    r"\bstaging\b|\bTNM\b|metasta\w*|"
    r"\b(known|newly diagnosed|diagnosed|biopsy[- ]proven|confirmed|recurrent|treated|history of)\b"
    r"[^.;\n]{0,40}\b(carcinoma|cancer|malignan\w*|lymphoma|melanoma|sarcoma|tumou?r|neoplasm)|"
    r"\b(carcinoma|lymphoma|melanoma|sarcoma)\b",
    re.IGNORECASE,
)
_FAMILY = re.compile(r"\b(mother|father|sister|brother|aunt|uncle|grand\w+|family history|FHx)\b", re.IGNORECASE)

MODALITIES = (  # first match wins: the specific before the general
    ("ct_colonography", r"ct colonograph\w*|virtual colonoscopy"),
    ("coronary_cta", r"coronary ct|ct coronary|ccta|cardiac ct angio\w*"),
    ("mammography", r"mammogra\w*|tomosynthesis"),
    ("pet", r"\bpet\b|pet/ct"),
    ("mri", r"\bmri\b|\bmr\b|magnetic resonance"),
    ("ultrasound", r"ultrasound|sonograph\w*|\bus\b|doppler"),
    ("ct", r"\bct\b|computed tomography|\bcta\b|\bctpa\b"),
    ("radiograph", r"radiograph\w*|x-?ray|\bcxr\b|\bpa\b and lateral|frontal and lateral|\bviews?\b"),
)
REGIONS = (
    ("breast", r"breast|mammogra"), ("thyroid", r"thyroid"), ("prostate", r"prostat"),
    ("adnexa", r"ovar|adnex"), ("scrotum", r"scrot|testi(s|cular)"), ("bladder", r"bladder"),
    ("colon", r"colon"), ("heart", r"coronar|cardiac"), ("liver", r"liver|hepat"),
    ("head", r"\bhead\b|brain|cranial"), ("neck", r"neck|laryn|pharyn"), ("spine", r"spine|spinal|lumbar"),
    ("chest", r"chest|thora|lung|pulmonary"), ("pelvis", r"pelvi"), ("abdomen", r"abdom"),
)


@dataclass
class Plan:
    document_type: str               # radiology_report | clinical_note | triage_note | other
    tasks: list[str]
    reasons: dict[str, str] = field(default_factory=dict)
    modality: str | None = None
    region: str | None = None


def _positive(pattern: re.Pattern, text: str) -> re.Match | None:
    """First match that is about this patient: not negated, not family history."""
    for m in pattern.finditer(text):
        if not is_negated(text, m.start(), m.end()) and not _FAMILY.search(text[max(0, m.start() - 60):m.start()]):
            return m
    return None


def _exam_line(text: str) -> str:
    """The line that names the study ("EXAM: CT chest ..."), else the first line."""
    m = _EXAM_HEADER.search(text)
    start = m.start() if m else 0
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def _first(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    for scope in (_exam_line(text.strip()), text):
        for name, pattern in table:
            if re.search(pattern, scope, re.IGNORECASE):
                return name
    return None


def classify(text: str) -> str:
    if _TRIAGE.search(text):
        return "triage_note"
    if _EXAM_HEADER.search(text) or len(_RADIOLOGY.findall(text)) >= 3:
        return "radiology_report"
    if _CLINICAL.search(text):
        return "clinical_note"
    return "other"


def plan_document(text: str, requested: list[str] | None = None) -> Plan:
    document_type = classify(text)
    plan = Plan(document_type, [])
    if document_type == "radiology_report":
        plan.modality, plan.region = _first(MODALITIES, text), _first(REGIONS, text)
    if requested:
        plan.tasks = list(requested)
        plan.reasons = {t: "requested by the operator" for t in requested}
        return plan
    if document_type == "radiology_report":
        if m := _positive(_RADS_CONTEXT, text):
            plan.tasks.append("rads_assignment")
            plan.reasons["rads_assignment"] = f"RADS context: {m.group(0)!r}"
        if m := _positive(_ONCOLOGY, text):
            plan.tasks += ["n_staging", "m_staging"]
            plan.reasons["n_staging"] = plan.reasons["m_staging"] = f"oncologic context: {m.group(0)!r}"
    elif document_type in ("clinical_note", "triage_note"):
        plan.tasks.append("differential_diagnosis")
        plan.reasons["differential_diagnosis"] = f"{document_type.replace('_', ' ')} with a presentation"
    return plan
