"""Consistency checks: a result that contradicts the report's own words is flagged for review."""

from __future__ import annotations

import re

from ..tasks.rads_systems import RADS_BENIGN, RADS_HIGH
from .negation import first_positive

_SUSPICIOUS = re.compile(
    r"highly suspicious|highly suggestive of malignancy|suspicious for (malignancy|carcinoma|cancer)|"
    r"concerning for (malignancy|carcinoma|cancer)|consistent with (malignancy|carcinoma)|spiculated|"
    r"\bsuspicious\b|suspicion (for|of) malignancy",
    re.IGNORECASE,
)
# "Benign-appearing calcifications" describes one finding beside others, not the report's verdict.
_BENIGN = re.compile(r"\b(benign(?![\s-]+appearing)|normal study|no suspicious (mass|lesion|finding)s?|unremarkable)\b",
                     re.IGNORECASE)
_METASTASIS = re.compile(r"metasta\w+", re.IGNORECASE)
_NODES = re.compile(r"lymphadenopathy|(enlarged|pathologic\w*|suspicious|involved) [\w\s,-]{0,30}lymph nodes?|"
                    r"nodal (disease|involvement|metasta\w+)", re.IGNORECASE)


def consistency_flags(results: dict[str, dict], text: str) -> list[str]:
    flags = []
    rads = results.get("rads_assignment")
    if rads and rads["system"] in RADS_BENIGN:
        if rads["category"] in RADS_BENIGN[rads["system"]] and (words := first_positive(_SUSPICIOUS, text)):
            flags.append(f"inconsistent:benign {rads['system']} {rads['category']} but the report says {words!r}")
        if (rads["category"] in RADS_HIGH[rads["system"]] and first_positive(_BENIGN, text)
                and not first_positive(_SUSPICIOUS, text)):
            flags.append(f"inconsistent:high {rads['system']} {rads['category']} but the report reads benign")
    m_stage = results.get("m_staging", {}).get("m_stage")
    if m_stage == "M0" and (words := first_positive(_METASTASIS, text)):
        flags.append(f"inconsistent:M0 but the report says {words!r}")
    if m_stage and m_stage.startswith("M1") and not first_positive(_METASTASIS, text):
        flags.append(f"inconsistent:{m_stage} but no metastasis is described")
    n_stage = results.get("n_staging", {}).get("n_stage")
    if n_stage == "N0" and (words := first_positive(_NODES, text)):
        flags.append(f"inconsistent:N0 but the report says {words!r}")
    return flags
