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

# Categories that say "benign / no action" and those that say "act now"; used by
# the consistency checks against the report's own words.
RADS_BENIGN: dict[str, frozenset[str]] = {
    "BI-RADS": frozenset({"1", "2", "3"}), "TI-RADS": frozenset({"TR1", "TR2"}),
    "LI-RADS": frozenset({"LR-1", "LR-2"}), "Lung-RADS": frozenset({"1", "2"}),
    "PI-RADS": frozenset({"1", "2"}), "O-RADS": frozenset({"1", "2"}), "CAD-RADS": frozenset({"0", "1"}),
    "C-RADS": frozenset({"C1", "E1", "E2"}), "NI-RADS": frozenset({"1"}), "VI-RADS": frozenset({"1", "2"}),
}
RADS_HIGH: dict[str, frozenset[str]] = {
    "BI-RADS": frozenset({"4C", "5", "6"}), "TI-RADS": frozenset({"TR5"}), "LI-RADS": frozenset({"LR-5", "LR-M", "LR-TIV"}),
    "Lung-RADS": frozenset({"4B", "4X"}), "PI-RADS": frozenset({"5"}), "O-RADS": frozenset({"5"}),
    "CAD-RADS": frozenset({"4B", "5"}), "C-RADS": frozenset({"C4"}), "NI-RADS": frozenset({"4"}),
    "VI-RADS": frozenset({"5"}),
}

# What each category asks for next: a summary of each system's own management table,
# shown beside the category for the clinician (the radiologist's report still governs).
RADS_MANAGEMENT: dict[str, dict[str, str]] = {
    "BI-RADS": {
        "0": "Incomplete: additional imaging and/or prior mammograms for comparison.",
        "1": "Negative: routine screening.",
        "2": "Benign: routine screening.",
        "3": "Probably benign (<=2% malignancy): short-interval follow-up, usually 6 months.",
        "4": "Suspicious: tissue diagnosis (biopsy).",
        "4A": "Low suspicion (>2-10%): tissue diagnosis (biopsy).",
        "4B": "Moderate suspicion (>10-50%): tissue diagnosis (biopsy).",
        "4C": "High suspicion (>50-<95%): tissue diagnosis (biopsy).",
        "5": "Highly suggestive of malignancy (>=95%): tissue diagnosis (biopsy).",
        "6": "Known biopsy-proven malignancy: surgical excision when clinically appropriate.",
    },
    "TI-RADS": {
        "TR1": "Benign: no FNA.",
        "TR2": "Not suspicious: no FNA.",
        "TR3": "Mildly suspicious: FNA if >=2.5 cm; follow-up if >=1.5 cm.",
        "TR4": "Moderately suspicious: FNA if >=1.5 cm; follow-up if >=1 cm.",
        "TR5": "Highly suspicious: FNA if >=1 cm; follow-up if >=0.5 cm.",
    },
    "LI-RADS": {
        "LR-NC": "Not categorizable: repeat or alternative imaging in <=3 months.",
        "LR-1": "Definitely benign: return to routine surveillance.",
        "LR-2": "Probably benign: return to surveillance; consider repeat imaging <=6 months.",
        "LR-3": "Intermediate probability of malignancy: repeat or alternative imaging in 3-6 months.",
        "LR-4": "Probably HCC: multidisciplinary discussion; repeat/alternative imaging or biopsy in <=3 months.",
        "LR-5": "Definitely HCC: multidisciplinary discussion for consensus management.",
        "LR-M": "Probably or definitely malignant, not HCC-specific: multidisciplinary discussion, often biopsy.",
        "LR-TIV": "Tumour in vein: multidisciplinary discussion.",
    },
    "Lung-RADS": {
        "0": "Incomplete: prior CT for comparison or additional LDCT in 1-3 months.",
        "1": "Negative: continue annual screening LDCT in 12 months.",
        "2": "Benign appearance or behaviour: continue annual screening LDCT in 12 months.",
        "3": "Probably benign: LDCT in 6 months.",
        "4A": "Suspicious: LDCT in 3 months; PET/CT may be considered if solid component >=8 mm.",
        "4B": "Very suspicious: diagnostic chest CT, PET/CT and/or tissue sampling.",
        "4X": "Very suspicious with additional features: diagnostic chest CT, PET/CT and/or tissue sampling.",
    },
    "PI-RADS": {
        "1": "Very low: clinically significant cancer highly unlikely.",
        "2": "Low: clinically significant cancer unlikely.",
        "3": "Intermediate (equivocal): biopsy considered with PSA density and clinical factors.",
        "4": "High: clinically significant cancer likely; targeted biopsy.",
        "5": "Very high: clinically significant cancer highly likely; targeted biopsy.",
    },
    "O-RADS": {
        "0": "Incomplete evaluation: repeat or alternative study.",
        "1": "Normal ovary: no further management.",
        "2": "Almost certainly benign (<1%): conservative management per lesion type.",
        "3": "Low risk (1-<10%): ultrasound specialist or MRI; gynaecologist.",
        "4": "Intermediate risk (10-<50%): ultrasound specialist or MRI; gynaecologist with gynae-oncology input.",
        "5": "High risk (>=50%): gynaecologic oncologist.",
    },
    "CAD-RADS": {
        "0": "No plaque or stenosis: reassurance; consider non-atherosclerotic causes.",
        "1": "Minimal stenosis (1-24%): preventive therapy and risk-factor modification.",
        "2": "Mild stenosis (25-49%): preventive therapy and risk-factor modification.",
        "3": "Moderate stenosis (50-69%): consider functional assessment.",
        "4A": "Severe stenosis (70-99%): consider invasive angiography or functional assessment.",
        "4B": "Left main >=50% or three-vessel >=70%: invasive angiography recommended.",
        "5": "Total occlusion: consider invasive angiography and/or viability assessment.",
        "N": "Non-diagnostic study: alternative evaluation may be needed.",
    },
    "C-RADS": {
        "C0": "Inadequate study: repeat CT colonography or colonoscopy.",
        "C1": "Normal or benign lesion: routine screening in 5 years.",
        "C2": "Intermediate polyp(s): surveillance CT colonography in 3 years or colonoscopy.",
        "C3": "Polyp, possibly advanced adenoma: colonoscopy.",
        "C4": "Colonic mass, likely malignant: surgical consultation.",
        "E1": "Normal extracolonic findings.",
        "E2": "Clinically unimportant extracolonic finding: no work-up.",
        "E3": "Likely unimportant, incompletely characterized: work-up may be indicated.",
        "E4": "Potentially important extracolonic finding: communicate to the referring clinician.",
    },
    "NI-RADS": {
        "0": "New baseline without prior imaging: assign after comparison.",
        "1": "No evidence of recurrence: routine surveillance.",
        "2A": "Low suspicion, superficial: direct visual inspection.",
        "2B": "Low suspicion, deep: short-interval follow-up (about 3 months) or PET.",
        "3": "High suspicion: biopsy.",
        "4": "Definite recurrence: clinical management.",
    },
    "VI-RADS": {
        "1": "Muscle invasion highly unlikely.",
        "2": "Muscle invasion unlikely.",
        "3": "Muscle invasion equivocal.",
        "4": "Muscle invasion likely.",
        "5": "Muscle invasion very likely.",
    },
}
