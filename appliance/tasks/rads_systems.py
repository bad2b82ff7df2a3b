"""The ten RADS systems and their valid categories: the one validity table.

The rads_assignment schema, its grammar (a category invalid for the chosen system
cannot be emitted), and later the stated-category extractor and management table
all read from here.
"""

from __future__ import annotations

RADS_CATEGORIES: dict[str, tuple[str, ...]] = {
    # ACR BI-RADS (breast imaging), 5th edition assessment categories.
    "BI-RADS": ("0", "1", "2", "3", "4", "4A", "4B", "4C", "5", "6"),
    # ACR TI-RADS (thyroid nodules on ultrasound).
    "TI-RADS": ("TR1", "TR2", "TR3", "TR4", "TR5"),
    # ACR LI-RADS CT/MRI diagnostic categories (liver, patients at risk of HCC).
    "LI-RADS": ("LR-NC", "LR-1", "LR-2", "LR-3", "LR-4", "LR-5", "LR-M", "LR-TIV"),
    # ACR Lung-RADS v2022 (lung cancer screening CT).
    "Lung-RADS": ("0", "1", "2", "3", "4A", "4B", "4X"),
    # PI-RADS v2.1 (prostate MRI).
    "PI-RADS": ("1", "2", "3", "4", "5"),
    # O-RADS US (ovarian/adnexal lesions).
    "O-RADS": ("0", "1", "2", "3", "4", "5"),
    # CAD-RADS 2.0 (coronary CT angiography).
    "CAD-RADS": ("0", "1", "2", "3", "4A", "4B", "5", "N"),
    # C-RADS (CT colonography): colonic C0-C4 and extracolonic E1-E4.
    "C-RADS": ("C0", "C1", "C2", "C3", "C4", "E1", "E2", "E3", "E4"),
    # NI-RADS (head and neck cancer surveillance).
    "NI-RADS": ("0", "1", "2A", "2B", "3", "4"),
    # VI-RADS (bladder MRI).
    "VI-RADS": ("1", "2", "3", "4", "5"),
}

NOT_APPLICABLE = "none"  # the document is not assessed under any RADS system

RADS_SYSTEMS: tuple[str, ...] = tuple(RADS_CATEGORIES)

# Words one of which a report assessed under the system must contain (anatomy or
# study); a model-chosen system whose words are absent is flagged for review.
RADS_CONTEXT: dict[str, str] = {
    "BI-RADS": r"breast|mammogra|tomosynthesis",
    "TI-RADS": r"thyroid",
    "LI-RADS": r"liver|hepat|cirrho",
    "Lung-RADS": r"lung|pulmonary",
    "PI-RADS": r"prostat",
    "O-RADS": r"ovar|adnex",
    "CAD-RADS": r"coronar",
    "C-RADS": r"colon",
    "NI-RADS": r"neck|laryn|pharyn|oral cavity",
    "VI-RADS": r"bladder",
}
