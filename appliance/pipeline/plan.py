"""Which document this is and which tasks it needs: cheap rules, recorded with their reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..tasks.rads_systems import RADS_SYSTEMS

_RADIOLOGY = re.compile(
    r"\b(findings|impression|technique|comparison|mammogra\w*|ultrasound|sonograph\w*|radiograph\w*|x-ray|"
    r"ct|mri|mr|pet|angiograph\w*|colonograph\w*|tomosynthesis)\b",
    re.IGNORECASE,
)
_RADS_CONTEXT = re.compile(
    "|".join(re.escape(s) for s in RADS_SYSTEMS)
    + r"|\b(breast|mammogra\w*|thyroid nodules?|cirrho\w*|hepatocellular|lung cancer screening|low-dose ct|"
    r"prostate mri|multiparametric|adnexa\w*|ovarian (mass|cyst|lesion)|coronary ct|ct colonograph\w*|"
    r"bladder mri)\b",
    re.IGNORECASE,
)
_ONCOLOGY = re.compile(
    r"\b(carcinoma|cancer|malignan\w*|metasta\w*|staging|tumou?r|neoplasm|lymphadenopathy|lymph nodes?)\b",
    re.IGNORECASE,
)


@dataclass
class Plan:
    document_type: str
    tasks: list[str]
    reasons: dict[str, str] = field(default_factory=dict)


def plan_document(text: str, requested: list[str] | None = None) -> Plan:
    document_type = "radiology_report" if len(_RADIOLOGY.findall(text)) >= 2 else "clinical_note"
    if requested:
        return Plan(document_type, list(requested), {t: "requested by the operator" for t in requested})
    plan = Plan(document_type, [])
    if document_type == "radiology_report":
        if m := _RADS_CONTEXT.search(text):
            plan.tasks.append("rads_assignment")
            plan.reasons["rads_assignment"] = f"RADS context: {m.group(0)!r}"
        if m := _ONCOLOGY.search(text):
            plan.tasks += ["n_staging", "m_staging"]
            plan.reasons["n_staging"] = plan.reasons["m_staging"] = f"oncologic context: {m.group(0)!r}"
    else:
        plan.tasks.append("differential_diagnosis")
        plan.reasons["differential_diagnosis"] = "clinical note or symptom presentation"
    return plan
