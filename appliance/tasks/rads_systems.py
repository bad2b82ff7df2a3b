"""The RADS systems as data: one row per system, the one table everything else reads.

A row holds what the rest of the appliance needs to know about a system: its valid
categories in severity order (the rads_assignment schema and grammar), the pattern of its
name (the stated-category tool), the anatomy/modality words that make a document one of
its cases (the planner), the benign and high categories (the consistency checks), the
management step per category (shown beside the category) and the module of its guideline
calculator (resolved lazily, so a system without one, or a calculator module not yet
written, is simply None). Adding a system = one row + its tests.

Guidelines and versions (management texts summarise each system's own table; the
radiologist's report still governs):
- ACR BI-RADS Atlas, 5th edition (2013).
- ACR TI-RADS, 2017 white paper (Tessler et al., JACR 2017).
- ACR LI-RADS v2018 CT/MRI (diagnostic and treatment-response algorithms).
- ACR Lung-RADS v2022.
- PI-RADS v2.1 (2019).
- O-RADS US v2022 risk stratification and O-RADS MRI (2022 score).
- CAD-RADS 2.0 (2022).
- C-RADS (CT colonography reporting and data system, Zalis et al. 2005).
- ACR NI-RADS (2018 white paper).
- VI-RADS (Panebianco et al. 2018).
- ACR/SRU GB-RADS (gallbladder wall thickening, 2022).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Mapping


@dataclass(frozen=True)
class RadsSystem:
    name: str                          # as the report and the schema spell it: "TI-RADS"
    guideline: str                     # guideline and version
    categories: tuple[str, ...]        # valid categories, least to most severe (see `severity`)
    name_pattern: str                  # regex for the system's name in a report (stated-category tool)
    anatomy: str                       # regex: anatomy/modality words of a document assessed under it (planner)
    context: str                       # regex: loose words one of which any such report contains (mismatch check)
    benign: frozenset[str]             # "benign / no action" categories
    high: frozenset[str]               # "act now" categories
    management: Mapping[str, str]      # category -> next step, in words
    calculator: str | None = None      # dotted module with `assess(text) -> ToolAnswer | None`
    severity: tuple[str, ...] = field(default=())  # order for "most severe" when it differs from `categories`

    def rank(self, category: str) -> int:
        """Severity rank of a category (higher = more severe); -1 when unknown."""
        order = self.severity or self.categories
        return order.index(category) if category in order else -1


SYSTEMS: tuple[RadsSystem, ...] = (
    RadsSystem(
        name="BI-RADS",
        guideline="ACR BI-RADS Atlas, 5th edition (2013)",
        categories=("0", "1", "2", "3", "4", "4A", "4B", "4C", "5", "6"),
        name_pattern=r"BI-?RADS®?",
        anatomy=r"\b(breast|mammogra\w*|tomosynthesis)\b",
        context=r"breast|mammogra|tomosynthesis",
        benign=frozenset({"1", "2", "3"}),
        high=frozenset({"4C", "5", "6"}),
        management={
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
        calculator="appliance.rads.bi_rads",
    ),
    RadsSystem(
        name="TI-RADS",
        guideline="ACR TI-RADS 2017 white paper",
        categories=("TR1", "TR2", "TR3", "TR4", "TR5"),
        name_pattern=r"(?:ACR[\s-]*)?TI-?RADS",
        anatomy=r"\bthyroid\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,60}\b(nodules?|ultrasound|sonograph\w*|US|lobe)\b|"
                r"\b(ultrasound|sonograph\w*|US)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\bthyroid\b|\bthyroid nodules?\b",
        context=r"thyroid",
        benign=frozenset({"TR1", "TR2"}),
        high=frozenset({"TR5"}),
        management={
            "TR1": "Benign: no FNA.",
            "TR2": "Not suspicious: no FNA.",
            "TR3": "Mildly suspicious: FNA if >=2.5 cm; follow-up if >=1.5 cm.",
            "TR4": "Moderately suspicious: FNA if >=1.5 cm; follow-up if >=1 cm.",
            "TR5": "Highly suspicious: FNA if >=1 cm; follow-up if >=0.5 cm.",
        },
        calculator="appliance.rads.ti_rads",
    ),
    RadsSystem(
        name="LI-RADS",
        guideline="ACR LI-RADS v2018 CT/MRI",
        categories=("LR-NC", "LR-1", "LR-2", "LR-3", "LR-4", "LR-5", "LR-M", "LR-TIV",
                    "LR-TR nonviable", "LR-TR equivocal", "LR-TR viable"),
        # LR-NC is "cannot categorise", not least severe; treatment response ranks by viability.
        severity=("LR-1", "LR-TR nonviable", "LR-2", "LR-NC", "LR-3", "LR-TR equivocal", "LR-4",
                  "LR-M", "LR-5", "LR-TR viable", "LR-TIV"),
        name_pattern=r"LI-?RADS",
        anatomy=r"\b(liver|hepatic)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,80}\b(cirrho\w*|HCC|hepatocellular|surveillance|observation)\b|"
                r"\b(cirrho\w*|hepatocellular carcinoma|HCC)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,80}\b(CT|MRI|MR|computed tomography|magnetic resonance|liver)\b|"
                r"\b(CT|MRI|MR)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(liver|hepatic)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(protocol|multiphas\w*|triphas\w*)\b|"
                r"\b(TACE|chemoembolization|chemoembolisation|radiofrequency ablation|microwave ablation|Y-?90)\b|"
                r"\b(CT|MRI|MR)\b[^\n]{0,20}\bliver\b[\s\S]{0,150}\b(cirrho\w*|HCC|hepatocellular)",
        context=r"liver|hepat|cirrho",
        benign=frozenset({"LR-1", "LR-2", "LR-TR nonviable"}),
        high=frozenset({"LR-5", "LR-M", "LR-TIV", "LR-TR viable"}),
        management={
            "LR-NC": "Not categorizable: repeat or alternative imaging in <=3 months.",
            "LR-1": "Definitely benign: return to routine surveillance.",
            "LR-2": "Probably benign: return to surveillance; consider repeat imaging <=6 months.",
            "LR-3": "Intermediate probability of malignancy: repeat or alternative imaging in 3-6 months.",
            "LR-4": "Probably HCC: multidisciplinary discussion; repeat/alternative imaging or biopsy in <=3 months.",
            "LR-5": "Definitely HCC: multidisciplinary discussion for consensus management.",
            "LR-M": "Probably or definitely malignant, not HCC-specific: multidisciplinary discussion, often biopsy.",
            "LR-TIV": "Tumour in vein: multidisciplinary discussion.",
            "LR-TR nonviable": "Treated, probably or definitely not viable: return to surveillance imaging in about 3 months.",
            "LR-TR equivocal": "Treated, viability equivocal: repeat or alternative imaging in <=3 months.",
            "LR-TR viable": "Treated, probably or definitely viable: multidisciplinary discussion, often retreatment.",
        },
        calculator="appliance.rads.li_rads",
    ),
    RadsSystem(
        name="Lung-RADS",
        guideline="ACR Lung-RADS v2022",
        categories=("0", "1", "2", "3", "4A", "4B", "4X"),
        name_pattern=r"Lung[\s-]?RADS",
        anatomy=r"\blung cancer screening\b|\bscreening\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(chest )?(CT|LDCT|computed tomography)\b|"
                r"\blow[- ]dose\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,20}\b(chest )?(CT|computed tomography)\b|\bLDCT\b",
        context=r"lung|pulmonary",
        benign=frozenset({"1", "2"}),
        high=frozenset({"4B", "4X"}),
        management={
            "0": "Incomplete: prior CT for comparison or additional LDCT in 1-3 months.",
            "1": "Negative: continue annual screening LDCT in 12 months.",
            "2": "Benign appearance or behaviour: continue annual screening LDCT in 12 months.",
            "3": "Probably benign: LDCT in 6 months.",
            "4A": "Suspicious: LDCT in 3 months; PET/CT may be considered if solid component >=8 mm.",
            "4B": "Very suspicious: diagnostic chest CT, PET/CT and/or tissue sampling.",
            "4X": "Very suspicious with additional features: diagnostic chest CT, PET/CT and/or tissue sampling.",
        },
        calculator="appliance.rads.lung_rads",
    ),
    RadsSystem(
        name="PI-RADS",
        guideline="PI-RADS v2.1 (2019)",
        categories=("1", "2", "3", "4", "5"),
        name_pattern=r"PI-?RADS",
        anatomy=r"\bprostate\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(?:mp|bp)?(MRI|MR|magnetic resonance)\b|\b(?:mp|bp)?(MRI|MR)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,30}\bprostate\b|"
                r"\bmultiparametric\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,30}\b(MRI|MR)\b|\bbiparametric\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,30}\b(MRI|MR)\b",
        context=r"prostat",
        benign=frozenset({"1", "2"}),
        high=frozenset({"5"}),
        management={
            "1": "Very low: clinically significant cancer highly unlikely.",
            "2": "Low: clinically significant cancer unlikely.",
            "3": "Intermediate (equivocal): biopsy considered with PSA density and clinical factors.",
            "4": "High: clinically significant cancer likely; targeted biopsy.",
            "5": "Very high: clinically significant cancer highly likely; targeted biopsy.",
        },
        calculator="appliance.rads.pi_rads",
    ),
    RadsSystem(
        name="O-RADS",
        guideline="ACR O-RADS US v2022 risk stratification; O-RADS MRI score (2022)",
        categories=("0", "1", "2", "3", "4", "5"),
        name_pattern=r"O-?RADS(?:\s*(?:US|MRI))?",
        anatomy=r"\b(adnexa\w*|ovar(y|ian|ies))\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,60}\b(mass|cyst\w*|lesion|ultrasound|US|MRI|MR|sonograph\w*)\b|"
                r"\b(pelvic|transvaginal|endovaginal)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(ultrasound|US|sonograph\w*|MRI)\b[^\n]{0,200}\b(adnexa\w*|ovar(y|ian|ies))\b",
        context=r"ovar|adnex",
        benign=frozenset({"1", "2"}),
        high=frozenset({"5"}),
        management={
            "0": "Incomplete evaluation: repeat or alternative study.",
            "1": "Normal ovary: no further management.",
            "2": "Almost certainly benign (<1%): conservative management per lesion type.",
            "3": "Low risk (1-<10%): ultrasound specialist or MRI; gynaecologist.",
            "4": "Intermediate risk (10-<50%): ultrasound specialist or MRI; gynaecologist with gynae-oncology input.",
            "5": "High risk (>=50%): gynaecologic oncologist.",
        },
        calculator="appliance.rads.o_rads",
    ),
    RadsSystem(
        name="CAD-RADS",
        guideline="CAD-RADS 2.0 (2022)",
        categories=("0", "1", "2", "3", "4A", "4B", "5", "N"),
        severity=("0", "1", "2", "N", "3", "4A", "4B", "5"),
        name_pattern=r"CAD-?RADS",
        anatomy=r"\b(coronary CT|CT coronary|CCTA|CTCA|coronary CTA|cardiac CT angio\w*|CT angiogra\w* of the coronar\w*)\b",
        context=r"coronar",
        benign=frozenset({"0", "1"}),
        high=frozenset({"4B", "5"}),
        management={
            "0": "No plaque or stenosis: reassurance; consider non-atherosclerotic causes.",
            "1": "Minimal stenosis (1-24%): preventive therapy and risk-factor modification.",
            "2": "Mild stenosis (25-49%): preventive therapy and risk-factor modification.",
            "3": "Moderate stenosis (50-69%): consider functional assessment.",
            "4A": "Severe stenosis (70-99%): consider invasive angiography or functional assessment.",
            "4B": "Left main >=50% or three-vessel >=70%: invasive angiography recommended.",
            "5": "Total occlusion: consider invasive angiography and/or viability assessment.",
            "N": "Non-diagnostic study: alternative evaluation may be needed.",
        },
        calculator="appliance.rads.cad_rads",
    ),
    RadsSystem(
        name="C-RADS",
        guideline="C-RADS CT colonography reporting and data system (2005)",
        categories=("C0", "C1", "C2", "C3", "C4", "E1", "E2", "E3", "E4"),
        severity=("E1", "E2", "C1", "E3", "C0", "C2", "E4", "C3", "C4"),
        name_pattern=r"(?<![A-Za-z-])C-?RADS",
        anatomy=r"\b(CT colonograph\w*|virtual colonoscopy|CTC)\b",
        context=r"colon",
        benign=frozenset({"C1", "E1", "E2"}),
        high=frozenset({"C4"}),
        management={
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
        calculator="appliance.rads.c_rads",
    ),
    RadsSystem(
        name="NI-RADS",
        guideline="ACR NI-RADS (2018 white paper)",
        categories=("0", "1", "2A", "2B", "3", "4"),
        name_pattern=r"NI-?RADS",
        anatomy=r"\b(head and neck|neck|\w*laryn\w*|\w*pharyn\w*|\w*glott\w*|oral cavity|tongue|tonsil\w*)\b[^\n]{0,120}"
                r"\b(post[- ]?(treatment|operative|surgical|radiation|chemoradiation)|treated|surveillance|recurren\w*|"
                r"resection|chemoradiotherapy|radiotherapy)\b|"
                r"\b(post[- ]?treatment|surveillance)\b[^\n]{0,60}\b(neck|head and neck)\b[^\n]{0,40}\b(CT|PET|MRI)\b|"
                r"\b(post[- ]?\w*(treatment|radiation|radiotherapy|operative|surgical)|surveillance|"
                r"after (chemo)?radiotherapy|after treatment)\b[^\n]{0,80}"
                r"\b(neck|\w*glott\w*|\w*pharyn\w*|\w*laryn\w*|oral cavity|tongue|tonsil\w*|head and neck)\b",
        context=r"neck|laryn|pharyn|oral cavity",
        benign=frozenset({"1"}),
        high=frozenset({"4"}),
        management={
            "0": "New baseline without prior imaging: assign after comparison.",
            "1": "No evidence of recurrence: routine surveillance.",
            "2A": "Low suspicion, superficial: direct visual inspection.",
            "2B": "Low suspicion, deep: short-interval follow-up (about 3 months) or PET.",
            "3": "High suspicion: biopsy.",
            "4": "Definite recurrence: clinical management.",
        },
        calculator="appliance.rads.ni_rads",
    ),
    RadsSystem(
        name="VI-RADS",
        guideline="VI-RADS (Vesical Imaging-RADS, 2018)",
        categories=("1", "2", "3", "4", "5"),
        name_pattern=r"VI-?RADS",
        anatomy=r"\bbladder\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(MRI|MR|magnetic resonance)\b|\b(MRI|MR)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,30}\bbladder\b",
        context=r"bladder",
        benign=frozenset({"1", "2"}),
        high=frozenset({"5"}),
        management={
            "1": "Muscle invasion highly unlikely.",
            "2": "Muscle invasion unlikely.",
            "3": "Muscle invasion equivocal.",
            "4": "Muscle invasion likely.",
            "5": "Muscle invasion very likely.",
        },
        calculator="appliance.rads.vi_rads",
    ),
    RadsSystem(
        name="GB-RADS",
        guideline="ACR/SRU GB-RADS 2022 (gallbladder wall thickening on ultrasound)",
        categories=("0", "1", "2", "3", "4", "5"),
        name_pattern=r"GB-?RADS",
        # GB-RADS assesses gallbladder wall thickening, not every gallbladder study (stones alone: no).
        anatomy=r"\bgall ?bladder\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,60}\b(wall )?thicken\w*|\bthicken\w* of the gall ?bladder\b|\bthicken\w* (of the )?gall ?bladder wall|"
                r"\bgall ?bladder wall\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,30}\b(thick\w*|\d+(\.\d+)? ?mm)\b(?:[^.\n]|(?<=\d)\.(?=\d)){0,40}\b(thick\w*)\b",
        context=r"gall ?bladder",
        benign=frozenset({"1", "2"}),
        high=frozenset({"5"}),
        management={
            "0": "Incomplete: inadequate visualisation; repeat ultrasound (fasting) or other imaging.",
            "1": "Normal: no gallbladder wall thickening; no follow-up for the wall.",
            "2": "Benign (<1%): no follow-up for the wall; manage the benign cause.",
            "3": "Equivocal (1-5%): follow-up ultrasound or MRI/CT as appropriate.",
            "4": "Concerning (5-10%): MRI or CT; surgical consultation.",
            "5": "Highly concerning (>50%): surgical/oncology referral.",
        },
        calculator="appliance.rads.gb_rads",
    ),
)

NOT_APPLICABLE = "none"  # the document is not assessed under any RADS system

_BY_NAME: dict[str, RadsSystem] = {s.name: s for s in SYSTEMS}


def system(name: str) -> RadsSystem:
    """The row of a system by its name ("TI-RADS"); KeyError when unknown."""
    return _BY_NAME[name]


def calculator_for(name: str) -> Callable | None:
    """The system's guideline calculator `assess(text) -> ToolAnswer | None`, or None.

    None when the system has no calculator or its module is not installed yet."""
    row = _BY_NAME.get(name)
    if row is None or row.calculator is None:
        return None
    try:
        module = importlib.import_module(row.calculator)
    except ModuleNotFoundError as error:
        if error.name and row.calculator.startswith(error.name):
            return None
        raise
    return getattr(module, "assess", None)


# The old tables, derived from the rows (read by the schema, checks and TUI).
RADS_CATEGORIES: dict[str, tuple[str, ...]] = {s.name: s.categories for s in SYSTEMS}
RADS_SYSTEMS: tuple[str, ...] = tuple(RADS_CATEGORIES)
# Words one of which a report assessed under the system must contain (anatomy or
# study); a model-chosen system whose words are absent is flagged for review.
RADS_CONTEXT: dict[str, str] = {s.name: s.context for s in SYSTEMS}
RADS_ANATOMY: dict[str, str] = {s.name: s.anatomy for s in SYSTEMS}
RADS_BENIGN: dict[str, frozenset[str]] = {s.name: s.benign for s in SYSTEMS}
RADS_HIGH: dict[str, frozenset[str]] = {s.name: s.high for s in SYSTEMS}
RADS_MANAGEMENT: dict[str, dict[str, str]] = {s.name: dict(s.management) for s in SYSTEMS}
