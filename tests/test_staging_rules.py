"""N and M staging rules (AJCC 8th edition): written forms, negation, hedging, site rules, verbatim evidence.

Pure python: no model is loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.tasks.staging import M_STAGES, N_STAGES
from appliance.tools.staging_rules import cancer_site, document_kind, m_stage, n_stage, node_counts


def _n(text: str) -> str | None:
    answer = n_stage(text)
    assert answer is not None
    if answer.output is not None:
        assert answer.output["n_stage"] in N_STAGES
        assert answer.output["evidence"] in text and 0 < len(answer.output["evidence"]) <= 160
        return answer.output["n_stage"]
    return None


def _m(text: str) -> str | None:
    answer = m_stage(text)
    assert answer is not None
    if answer.output is not None:
        assert answer.output["m_stage"] in M_STAGES
        assert answer.output["evidence"] in text and 0 < len(answer.output["evidence"]) <= 160
        return answer.output["m_stage"]
    return None


# ---------------------------------------------------------------- pathology: written forms of node counts

@pytest.mark.parametrize("text, positive", [
    ("Breast, left, mastectomy: invasive ductal carcinoma. Axillary lymph nodes: 3 of 15 lymph nodes positive for metastatic carcinoma.", 3),
    ("Breast, mastectomy: ductal carcinoma. Lymph nodes, axillary: negative for carcinoma (0/12).", 0),
    ("Breast, lumpectomy: ductal carcinoma. Sentinel lymph nodes: metastatic carcinoma in two of twelve lymph nodes.", 2),
    ("Breast, mastectomy: lobular carcinoma. Number of lymph nodes examined: 14. Number of lymph nodes involved: 4.", 4),
    ("Breast, mastectomy: ductal carcinoma. Axillary lymph nodes: negative (0/8).", 0),
    ("Breast, mastectomy: ductal carcinoma. Lymph nodes, axillary dissection: FOUR OF SIX (4/6) LYMPH NODES ARE POSITIVE.", 4),
])
def test_node_count_written_forms_give_the_breast_category(text, positive):
    expected = "N0" if positive == 0 else "N1" if positive <= 3 else "N2" if positive <= 9 else "N3"
    assert _n(text)[:2] == expected


def test_counts_are_summed_over_node_groups_and_a_repeated_line_counts_once():
    text = ("Stomach, gastrectomy: adenocarcinoma. Perigastric lymph nodes, lesser curvature: metastatic carcinoma (2/9). "
            "Perigastric lymph nodes, greater curvature: metastatic carcinoma (3/11). Left gastric lymph nodes (0/4). "
            "Summary: metastatic carcinoma (2/9).")
    assert _n(text) == "N2"   # 2 + 3 = 5 positive: stomach 3-6 -> N2


def test_synoptic_total_and_ocr_spacing():
    text = ("Colon, sigmoid, resection: adenocarcinoma.\nRegional Lymph Nodes: Number of lymph nodes examined:22. "
            "Number of lymph nodes involved:  5")
    assert _n(text) == "N2a"   # colorectal 4-6 -> N2a
    counts = node_counts(text)
    assert any(c.positive == 5 for c in counts)


def test_ocr_letter_o_for_zero_in_a_stated_pn():
    answer = n_stage("Lung, right lower lobe, lobectomy: squamous cell carcinoma. Pathologic stage: pT2a pNO")
    assert answer.output["n_stage"] == "N0" and answer.source == "stated_in_document"


def test_negative_node_statements_in_words():
    text = ("Lung, left lower lobe, lobectomy: squamous cell carcinoma. Lymph nodes, mediastinal, excision: "
            "No tumor is identified in multiple (14) left lower paratracheal (station 4L) lymph nodes.")
    assert _n(text) == "N0"


def test_no_lymph_nodes_submitted_is_nx():
    answer = n_stage("Kidney, right, partial nephrectomy: clear cell renal cell carcinoma. Lymph nodes: none submitted.")
    assert answer.output["n_stage"] == "NX"
    assert answer.output["evidence"] == "Lymph nodes: none submitted"


def test_report_silent_about_nodes_is_withheld():
    assert n_stage("Liver, segment 6, resection: hepatocellular carcinoma, 3.2 cm, margins negative.") is None


# ---------------------------------------------------------------- site-specific AJCC 8 rules

def test_breast_micrometastasis_and_itc():
    assert _n("Breast, lumpectomy: ductal carcinoma. Sentinel lymph node: micrometastasis (1.5 mm) in one lymph node.") == "N1mi"
    assert _n("Breast, lumpectomy: ductal carcinoma. Sentinel lymph node: isolated tumour cells only; lymph nodes negative for "
              "metastatic carcinoma (0/2).") == "N0"


def test_breast_ten_or_more_is_n3():
    assert _n("Breast, mastectomy: ductal carcinoma. Axillary lymph nodes: 12/20 lymph nodes positive.") == "N3"


@pytest.mark.parametrize("count, expected", [(1, "N1a"), (3, "N1b"), (6, "N2a"), (9, "N2b")])
def test_colorectal_counts(count, expected):
    text = f"Colon, right hemicolectomy: adenocarcinoma of the cecum. Lymph nodes: {count}/20 positive for metastatic carcinoma."
    assert _n(text) == expected


def test_colorectal_tumour_deposits_without_nodes_is_n1c():
    text = ("Rectum, low anterior resection: adenocarcinoma. Lymph nodes: 0/14 negative for carcinoma. "
            "Tumor deposits: present (2).")
    assert _n(text) == "N1c"


def test_lung_station_rules():
    hilar = "Lung, right upper lobe, lobectomy: adenocarcinoma. Lymph nodes, hilar: metastatic carcinoma (1/3)."
    subcarinal = ("Lung, right upper lobe, lobectomy: adenocarcinoma. Lymph nodes, hilar (0/3). "
                  "Lymph nodes, subcarinal (station 7): metastatic carcinoma (2/4).")
    assert _n(hilar) == "N1"
    assert _n(subcarinal) == "N2"


@pytest.mark.parametrize("count, expected", [(2, "N1"), (5, "N2"), (10, "N3a"), (18, "N3b")])
def test_stomach_counts(count, expected):
    text = f"Stomach, distal gastrectomy: adenocarcinoma. Perigastric lymph nodes: {count}/30 with metastatic carcinoma."
    assert _n(text) == expected


def test_thyroid_central_and_lateral():
    central = "Thyroid, total thyroidectomy: papillary carcinoma. Central compartment (level VI) lymph nodes: metastatic carcinoma (2/5)."
    lateral = ("Thyroid, total thyroidectomy: papillary carcinoma. Left lateral neck dissection, level III lymph nodes: "
               "metastatic carcinoma (3/12).")
    assert _n(central) == "N1a"
    assert _n(lateral) == "N1b"


def test_head_and_neck_single_node_with_and_without_ene():
    base = "Tongue, left lateral, partial glossectomy: squamous cell carcinoma. Left neck dissection, level II: "
    assert _n(base + "metastatic carcinoma in 1 of 14 lymph nodes, largest metastasis 1.5 cm. Extranodal extension: not identified.") == "N1"
    assert _n(base + "metastatic carcinoma in 1 of 14 lymph nodes, largest metastasis 1.5 cm. Extranodal extension: present.") == "N2a"
    assert _n(base + "metastatic carcinoma in 3 of 14 lymph nodes, largest metastasis 1.5 cm. Extranodal extension: not identified.") == "N2b"


def test_bladder_single_vs_multiple_vs_common_iliac():
    base = "Urinary bladder, radical cystectomy: invasive urothelial carcinoma. "
    assert _n(base + "Left obturator lymph nodes: metastatic carcinoma (1/6).") == "N1"
    assert _n(base + "Left obturator lymph nodes: metastatic carcinoma (3/6).") == "N2"
    assert _n(base + "Right common iliac lymph nodes: metastatic carcinoma (1/4).") == "N3"


def test_endometrium_para_aortic_is_n2():
    text = ("Uterus, total hysterectomy: endometrioid adenocarcinoma of the endometrium, myometrial invasion 70 %. "
            "Para-aortic lymph nodes: metastatic carcinoma (1/5). Pelvic lymph nodes (0/12).")
    assert _n(text) == "N2"


def test_unknown_site_uses_the_count_and_says_so():
    answer = n_stage("Specimen: soft tissue mass, excision. Lymph nodes: metastatic carcinoma (2/7).")
    assert answer.output["n_stage"] == "N1"
    assert answer.note and "not site-specific" in answer.note


def test_findings_carry_counts_with_verbatim_evidence_and_the_chapter():
    text = "Breast, mastectomy: ductal carcinoma. Axillary lymph nodes: 5 of 17 lymph nodes positive for metastatic carcinoma."
    answer = n_stage(text)
    assert answer.guideline == "AJCC Cancer Staging Manual, 8th edition, Breast, chapter 48"
    counted = [f for f in answer.findings if f.feature == "lymph node count"]
    assert counted and all(f.evidence in text for f in counted)


# ---------------------------------------------------------------- radiology N

def test_radiology_lung_levels():
    hilar = ("CT CHEST WITH CONTRAST\nHISTORY: Right lower lobe adenocarcinoma.\nFINDINGS: 3 cm right lower lobe mass. "
             "Enlarged right hilar lymph node 14 mm short axis. No mediastinal lymphadenopathy.")
    mediastinal = hilar.replace("Enlarged right hilar lymph node 14 mm short axis. No mediastinal lymphadenopathy.",
                                "Enlarged right paratracheal lymph node 16 mm short axis.")
    contralateral = hilar.replace("Enlarged right hilar lymph node 14 mm short axis. No mediastinal lymphadenopathy.",
                                  "Enlarged left hilar lymph node 15 mm, contralateral to the tumour.")
    assert document_kind(hilar) == "radiology"
    assert _n(hilar) == "N1"
    assert _n(mediastinal) == "N2"
    assert _n(contralateral) == "N3"


def test_radiology_negated_nodes_are_n0():
    text = ("CT CHEST ABDOMEN PELVIS\nHISTORY: Sigmoid colon cancer.\nFINDINGS: Sigmoid wall thickening. "
            "No enlarged lymph nodes. Liver is unremarkable.\nIMPRESSION: No lymphadenopathy. No evidence of metastatic disease.")
    assert _n(text) == "N0"
    assert _m(text) == "M0"


def test_radiology_subcentimetre_reactive_nodes_are_not_positive():
    text = ("CT NECK WITH CONTRAST\nHISTORY: Floor of mouth carcinoma.\nFINDINGS: Subcentimetre level II lymph nodes with "
            "preserved fatty hilum, likely reactive. No cervical lymphadenopathy.")
    assert _n(text) == "N0"


def test_radiology_hedged_node_is_not_called():
    text = ("CT CHEST\nHISTORY: Left upper lobe carcinoma.\nFINDINGS: Left upper lobe mass. Borderline 9 mm subcarinal "
            "lymph node, indeterminate.")
    answer = n_stage(text)
    assert answer is not None and answer.output is None and "n_uncertain" in answer.flags


# ---------------------------------------------------------------- M

def test_radiology_definite_liver_metastases_are_m1():
    text = ("CT ABDOMEN PELVIS\nHISTORY: Rectal cancer.\nFINDINGS: Multiple hypodense hepatic lesions consistent with "
            "metastases. No peritoneal disease.")
    assert _m(text)[:2] == "M1"


def test_radiology_hedged_liver_lesion_is_uncertain_not_m1_nor_m0():
    text = ("CT CHEST ABDOMEN PELVIS\nHISTORY: Lung cancer staging.\nFINDINGS: 5 mm hypodense liver lesion, too small to "
            "characterise. No adrenal nodule.\nIMPRESSION: Indeterminate liver lesion; metastasis cannot be excluded.")
    answer = m_stage(text)
    assert answer.output is None
    assert "uncertain" in answer.note and "m_uncertain" in answer.flags


def test_radiology_benign_liver_cyst_is_not_m1():
    text = ("CT ABDOMEN\nHISTORY: Colon cancer staging.\nFINDINGS: 1 cm simple hepatic cyst. No evidence of distant "
            "metastases.")
    assert _m(text) == "M0"


def test_radiology_negated_distant_disease_quotes_the_sentence():
    text = ("PET/CT\nINDICATION: Cervical cancer staging.\nFINDINGS: FDG-avid cervical mass. "
            "No hypermetabolic distant disease.")
    answer = m_stage(text)
    assert answer.output["m_stage"] == "M0"
    assert answer.output["evidence"] == "No hypermetabolic distant disease"


def test_pathology_states_nothing_about_m_gives_mx():
    answer = m_stage("Colon, sigmoid, resection: adenocarcinoma. Lymph nodes: 0/15 negative.")
    assert answer.output["m_stage"] == "MX"
    assert "not assessable" in answer.note


@pytest.mark.parametrize("text, expected", [
    ("Lung, lobectomy: adenocarcinoma. Pathologic stage (TNM): pT2b pNO pM1b(cerebellum)", "M1b"),
    ("Colon, resection: adenocarcinoma. Distant metastasis: Present. Liver, wedge biopsy: metastatic adenocarcinoma.", "M1"),
    ("Colon, resection: adenocarcinoma. A: Omentum, mass, excision. - Metastatic adenocarcinoma, consistent with colonic primary.", "M1"),
    ("Kidney, nephrectomy: clear cell carcinoma. Distant metastasis: Not applicable.", "MX"),
    ("Breast, mastectomy: ductal carcinoma. DISTANT METASTASES: M0 (Distant metastases are reportedly absent).", "M0"),
])
def test_pathology_m_only_from_explicit_statements(text, expected):
    assert _m(text) == expected


def test_liver_primary_does_not_make_liver_specimen_m1():
    text = "Liver, right lobe, resection: hepatocellular carcinoma. Liver, segment 4 nodule, biopsy: - Metastatic? no; dysplastic nodule."
    assert _m(text) != "M1"


def test_cancer_site_from_history_line():
    text = "CT CHEST ABDOMEN PELVIS\nHistory: Left kidney mass.\nFINDINGS: Renal mass. Lungs are clear."
    assert cancer_site(text)[0] == "kidney"


# ---------------------------------------------------------------- the labelled radiology set

def test_labelled_radiology_set_is_well_formed():
    path = Path(__file__).parent / "data" / "labelled" / "staging_radiology.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert len(rows) >= 30
    for row in rows:
        assert {"id", "text", "label", "style"} <= row.keys()
        assert row["label"]["N"] in (None, *N_STAGES) and row["label"]["M"] in (None, *M_STAGES)
