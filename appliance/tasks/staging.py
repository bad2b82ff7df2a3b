"""n_staging and m_staging: the regional-node (N) and distant-metastasis (M) categories of TNM."""

from __future__ import annotations

from typing import Literal

from .base import Output, Quote, Task

N_STAGES = ("NX", "N0", "N1mi", "N1", "N1a", "N1b", "N1c", "N2", "N2a", "N2b", "N2c", "N3", "N3a", "N3b", "N3c")
M_STAGES = ("MX", "M0", "M1", "M1a", "M1b", "M1c", "M1d")


def n_group(stage: str) -> str:
    """N1mi, N1a, N1b … → N1: the level registries and most evaluations compare."""
    return stage[:2]


def m_group(stage: str) -> str:
    return stage[:2]


class NStaging(Output):
    n_stage: Literal[N_STAGES]  # type: ignore[valid-type]
    evidence: Quote


class MStaging(Output):
    m_stage: Literal[M_STAGES]  # type: ignore[valid-type]
    evidence: Quote


_STAGING_GOLDEN = (
    "EXAM: CT chest, abdomen and pelvis with contrast, staging.\nFINDINGS: 4.2 cm spiculated mass in the right "
    "upper lobe. Enlarged right hilar lymph node, 1.8 cm. Two hypodense lesions in the liver consistent with "
    "metastases.\nIMPRESSION: Right upper lobe carcinoma with ipsilateral hilar nodal disease and hepatic metastases."
)


N_TASK = Task(
    name="n_staging",
    title="N stage",
    output=NStaging,
    instruction=(
        "Give the TNM N category (regional lymph nodes) supported by this report; NX if nodes cannot be assessed. "
        'Answer as {"n_stage": ..., "evidence": ...} where evidence copies the supporting words from the document exactly.'
    ),
    golden=_STAGING_GOLDEN,
    budget=200,
    quote_keys=("evidence",),
    tools=("appliance.tools.stated:stated_n", "appliance.tools.staging_rules:n_stage"),
    describe=lambda v: [f"N stage: {v['n_stage']}"],
    metric=lambda expected, predicted: float(n_group(predicted["n_stage"]) == n_group(expected["n_stage"])),
    metric_name="accuracy (N0-N3, sub-letters collapsed)",
    severity=lambda v: int(v["n_stage"][1]) if v["n_stage"][1].isdigit() else None,
    label_key="n_stage",
)

M_TASK = Task(
    name="m_staging",
    title="M stage",
    output=MStaging,
    instruction=(
        "Give the TNM M category (distant metastasis) supported by this report; M0 if none is described. "
        'Answer as {"m_stage": ..., "evidence": ...} where evidence copies the supporting words from the document exactly.'
    ),
    golden=_STAGING_GOLDEN,
    budget=200,
    quote_keys=("evidence",),
    tools=("appliance.tools.stated:stated_m", "appliance.tools.staging_rules:m_stage"),
    describe=lambda v: [f"M stage: {v['m_stage']}"],
    metric=lambda expected, predicted: float(m_group(predicted["m_stage"]) == m_group(expected["m_stage"])),
    metric_name="accuracy (M0/M1/MX, sub-letters collapsed)",
    severity=lambda v: int(v["m_stage"][1]) if v["m_stage"][1].isdigit() else None,
    label_key="m_stage",
)
