"""N and M staging rules read the many ways pathologists write the same finding (AJCC 8th edition, CAP protocols).

Every sentence here is written for the test (terse synoptic, verbose prose, UK and US spelling, OCR artefacts,
negations); none is copied from a development report. Pure python: no model is loaded.
"""

from __future__ import annotations

import pytest

from appliance.tasks.staging import M_STAGES, N_STAGES
from appliance.tools.staging_rules import m_stage, n_stage
from appliance.tools.stated import stated_m, stated_n


def _answer(text: str, task: str) -> str | None:
    """The appliance's tool order: a stated TNM token first, then the rules; evidence always verbatim."""
    first = stated_n(text) if task == "n" else stated_m(text)
    key = "n_stage" if task == "n" else "m_stage"
    if first is not None:
        return first.output[key]
    answer = n_stage(text) if task == "n" else m_stage(text)
    if answer is None or answer.output is None:
        return None
    assert answer.output[key] in (N_STAGES if task == "n" else M_STAGES)
    assert answer.output["evidence"] in text and 0 < len(answer.output["evidence"]) <= 160
    return answer.output[key]


def _n(text: str) -> str | None:
    return _answer(text, "n")


def _m(text: str) -> str | None:
    return _answer(text, "m")


# ---------------------------------------------------------------- stated categories (AJCC 8, ch. 1: X = cannot be assessed)

@pytest.mark.parametrize("text, n, m", [
    ("Lung, wedge resection: adenocarcinoma. Stage T1bN0Mx.", "N0", "MX"),           # lower-case x
    ("Oesophagectomy: adenocarcinoma. TNM: T2 Nx Mx", "NX", "MX"),
    ("Prostatectomy: acinar adenocarcinoma; overall stage T3/N0/M0.", "N0", "M0"),   # slash-separated
])
def test_stated_tnm_with_lower_case_x_and_slashes(text, n, m):
    assert _n(text) == n
    assert _m(text) == m


def test_ocr_lower_case_o_in_a_stated_pn():
    # OCR reads the zero of "pN0" as a letter o ("pNo"); a p prefix makes it unambiguous.
    assert _n("Thyroid, total thyroidectomy: papillary carcinoma. Stage: pT2 pNo.") == "N0"
    # ...but "T2 No lymph nodes" in prose is not a stated N0 (no p prefix, a word follows).
    assert stated_n("Tumour is T2. No lymph nodes were received.") is None


@pytest.mark.parametrize("text, n, m", [
    ("Breast carcinoma, procurement form. Grade: 2. T Stage: 2 N Stage: 1 M Stage: 0 Treatment: none.", "N1", "M0"),
    ("Breast, mastectomy: ductal carcinoma. N category (pathologic): pN2a", "N2a", None),
])
def test_form_fields_with_a_bare_digit(text, n, m):
    assert _n(text) == n
    if m:
        assert _m(text) == m


# ---------------------------------------------------------------- counts in their written forms (CAP synoptic "Regional Lymph Nodes")

@pytest.mark.parametrize("text, expected", [
    # synoptic without a colon (CAP: "Number of Lymph Nodes Examined / Involved")
    ("Rectum, anterior resection: adenocarcinoma. Regional Lymph Nodes: Number examined 18, Number involved 0.", "N0"),
    ("Rectum, resection: adenocarcinoma. Regional lymph nodes: No. examined 15; No. positive 0.", "N0"),
    ("Caecum, right hemicolectomy: adenocarcinoma. Lymph nodes: number examined 21 number involved 2", "N1b"),
    # UK "nil"
    ("Oesophagus, oesophagectomy: adenocarcinoma. Lymph nodes: nil of 15 involved.", "N0"),
    # prose negatives, including an OCR line break after a conjunction
    ("LUNG, RIGHT LOWER LOBE, LOBECTOMY: SQUAMOUS CELL CARCINOMA. ALL SIX (6) HILAR LYMPH NODES ARE FREE OF TUMOUR.", "N0"),
    ("LEFT UPPER LOBE, LOBECTOMY: ADENOCARCINOMA. FOUR (4) PERIBRONCHIAL LYMPH NODES AND THE. BRONCHIAL MARGIN ARE NEGATIVE "
     "FOR MALIGNANCY.", "N0"),
    ("Lung lobectomy: adenocarcinoma. No lymph node metastases.", "N0"),
    ("Lung lobectomy: adenocarcinoma. Lymph nodes show anthracosis; metastases are absent.", "N0"),
    ("Liver, hepatectomy: hepatocellular carcinoma. A hilar lymph node shows reactive changes; negative for tumour.", "N0"),
    ("Hepatectomy for hepatocellular carcinoma. A portal lymph node received with the. resection and a separately submitted "
     "cystic duct node show benign reactive changes.", "N0"),
])
def test_count_and_status_phrasings(text, expected):
    assert _n(text) == expected


def test_a_positive_group_written_in_words_is_not_overruled_by_negative_groups():
    # Undercall safety: negative counts of other groups never hide a node stated positive in words.
    text = ("Breast, left, modified radical mastectomy: invasive ductal carcinoma. One solitary (of 19) level II axillary "
            "lymph node is positive for metastatic carcinoma. Lymph nodes, level III, excision: three lymph nodes, all "
            "negative for tumour.")
    assert _n(text) == "N1"


def test_gross_handling_counts_are_not_results():
    text = ("Cervix, radical hysterectomy: squamous cell carcinoma. Gross: three of seven lymph nodes are submitted for "
            "frozen section. Synoptic: Number of lymph nodes examined: 22. Number of lymph nodes involved: 0.")
    answer = n_stage(text)
    assert answer.output["n_stage"] == "N0"
    assert "involved: 0" in answer.output["evidence"]


def test_literature_and_explanatory_text_are_not_positive_nodes():
    text = ("Lung, lobectomy: adenocarcinoma. Lymph nodes: 0/9. Note: in node-positive patients adjuvant therapy improves "
            "survival.")
    assert _n(text) == "N0"


# ---------------------------------------------------------------- NX: nodes not in the specimen (CAP: "No lymph nodes submitted or found")

@pytest.mark.parametrize("text", [
    "Kidney, radical nephrectomy: clear cell RCC. No lymph nodes were submitted with this specimen.",
    "Kidney, partial nephrectomy: clear cell RCC. Regional lymph nodes: no lymph nodes submitted or found.",
    "Breast, simple mastectomy without axillary contents: ductal carcinoma, 2.4 cm.",
    "Right breast, total mastectomy (no axillary tissue is present): lobular carcinoma, 3 cm.",
])
def test_no_nodes_in_the_specimen_is_nx(text):
    assert _n(text) == "NX"


def test_no_information_is_never_turned_into_n0():
    assert n_stage("Colon, biopsy: invasive adenocarcinoma, moderately differentiated.") is None
    assert n_stage("Stomach, endoscopic biopsy: signet ring cell carcinoma.") is None


# ---------------------------------------------------------------- ITC and micrometastasis (AJCC 8 ch. 48; ch. 47 for melanoma)

def test_isolated_tumour_cells_only_are_n0_outside_melanoma():
    text = ("Breast, wide local excision: ductal carcinoma. Sentinel node: occasional isolated tumour cells (ITC) on "
            "cytokeratin stain; no metastasis on H&E.")
    assert _n(text) == "N0"
    assert _n("Breast, mastectomy: ductal carcinoma. Sentinel lymph nodes (2): isolated tumor cells only, largest cluster 0.15 mm.") == "N0"


def test_isolated_tumour_cells_in_melanoma_are_a_positive_node():
    text = ("Skin, back, wide excision: malignant melanoma, Breslow 2.1 mm. Sentinel lymph node, left axilla: isolated "
            "melanoma cells identified on SOX10 immunostain.")
    assert _n(text) == "N1"


def test_micrometastasis_in_a_sentinel_node():
    text = "Breast, mastectomy: ductal carcinoma. Sentinel lymph node: micrometastatic carcinoma, 1.2 mm, without extranodal extension."
    assert _n(text) == "N1mi"


# ---------------------------------------------------------------- site counts

def test_colorectal_tumour_deposits_written_as_a_number_word():
    # AJCC 8 ch. 20: tumour deposits without regional node metastasis -> N1c.
    text = "Colon, right hemicolectomy: adenocarcinoma. Lymph nodes: 0/21. Tumour deposits: two identified in pericolic fat."
    assert _n(text) == "N1c"
    assert _n("Colon, sigmoid, resection: adenocarcinoma. Lymph nodes: 0/16. No tumour deposits identified.") == "N0"


def test_stomach_counts_n3a_and_n3b():
    # AJCC 8 ch. 17: 7-15 N3a, >=16 N3b.
    assert _n("Stomach, total gastrectomy: adenocarcinoma. Perigastric nodes: metastatic carcinoma in 9 of 24.") == "N3a"
    assert _n("Stomach, gastrectomy: diffuse-type adenocarcinoma. Lymph nodes: 18 of 32 positive.") == "N3b"


def test_thyroid_nodes_by_the_isthmus_are_central():
    # AJCC 8 ch. 73: level VI includes the pretracheal nodes by the isthmus -> N1a.
    text = ("Thyroid, total thyroidectomy: papillary carcinoma. Lymph nodes adjacent to the isthmus: metastatic papillary "
            "carcinoma in two of four (2/4).")
    assert _n(text) == "N1a"


def test_lung_station_6_para_aortic_node_is_n2_not_m1():
    # IASLC map / AJCC 8 ch. 36: station 6 (para-aortic) is mediastinal, N2.
    text = "Lung, left upper lobe, lobectomy: adenocarcinoma. Station 6 (para-aortic) lymph node: metastatic adenocarcinoma (1/2)."
    assert _n(text) == "N2"
    assert _m(text) == "MX"


# ---------------------------------------------------------------- M: only from explicit statements; MX otherwise

@pytest.mark.parametrize("text", [
    "Sigmoid colon, resection: adenocarcinoma. Liver, segment 6, wedge biopsy: metastatic adenocarcinoma, consistent with colonic primary.",
    "Colon, resection: adenocarcinoma. Separately submitted liver nodule shows metastatic carcinoma.",
    "Stomach, gastrectomy: adenocarcinoma. Omental nodule, excision: metastatic signet ring cell carcinoma.",
    "Stomach: gastrectomy for adenocarcinoma. Ovaries, bilateral oophorectomy: metastatic signet ring cell carcinoma (Krukenberg).",
    "Lung, lobectomy: adenocarcinoma. Brain, left frontal lesion, resection: metastatic adenocarcinoma of pulmonary origin.",
    "Lung, left lower lobe, lobectomy: adenocarcinoma. Parietal pleural nodule, biopsy: metastatic adenocarcinoma.",
    "Colon, resection: adenocarcinoma. Peritoneal implant, biopsy: positive for metastatic adenocarcinoma.",
    "Rectal adenocarcinoma, anterior resection. Metastatic adenocarcinoma involving the omentum.",
    # ch. 60: a non-contiguous ipsilateral adrenal metastasis is M1 (contiguous spread is T4)
    "Kidney, nephrectomy: clear cell RCC. Adrenal gland, left, excision: metastatic clear cell renal cell carcinoma.",
    # ch. 53: intraperitoneal disease of an endometrial primary is M1
    "Uterus, hysterectomy: serous carcinoma of the endometrium. Omental biopsy: involved by metastatic serous carcinoma.",
    "Sigmoid colon, resection: adenocarcinoma. Distant metastasis: present (liver).",
])
def test_metastasis_in_a_distant_organ_specimen_is_m1(text):
    assert (_m(text) or "")[:2] == "M1"


@pytest.mark.parametrize("text", [
    # ch. 20: para-aortic nodes are not regional for the colon and rectum
    "Colorectal adenocarcinoma, resection. Para-aortic lymph node, biopsy: metastatic adenocarcinoma.",
    # ch. 60: the kidney's regional nodes (hilar, caval, aortic) lie above the aortic bifurcation
    "Kidney nephrectomy: clear cell RCC. Inguinal lymph node, excision: metastatic renal cell carcinoma.",
    "Kidney, radical nephrectomy: clear cell RCC. Lymph node inferior to the aortic bifurcation: metastatic RCC.",
    # ch. 58: common iliac nodes are M1a for prostate
    "Prostate, radical prostatectomy: adenocarcinoma. Common iliac lymph nodes, left: metastatic prostatic adenocarcinoma in 1 of 3.",
    # ch. 48: contralateral axillary nodes are M1
    "Breast, mastectomy: ductal carcinoma. Contralateral axillary lymph node, core biopsy: metastatic carcinoma of breast origin.",
])
def test_metastasis_in_a_non_regional_node_group_is_m1(text):
    assert (_m(text) or "")[:2] == "M1"


@pytest.mark.parametrize("text", [
    "Colon, resection: adenocarcinoma. Liver: no evidence of metastatic carcinoma.",
    "Colon, resection: adenocarcinoma. Omentum, biopsy: benign adipose tissue; no metastatic tumour.",
    "Colon, resection: adenocarcinoma. Omentum: negative for metastatic carcinoma.",
    "Colon, resection: adenocarcinoma. Metastatic carcinoma in 4 of 12 pericolic lymph nodes.",
    "Sigmoid colon, resection: adenocarcinoma. Para-aortic lymph nodes: 0/6, negative for metastatic carcinoma.",
    "Kidney, nephrectomy: clear cell RCC. Inguinal lymph node, excision: reactive; no metastatic carcinoma.",
    "Colon, resection: adenocarcinoma. Liver lesion, biopsy: suspicious for metastatic carcinoma; see comment.",
    # ch. 53: adnexal spread of an endometrial primary is T3a, not M1
    "Endometrium, hysterectomy: endometrioid carcinoma. Right ovary: metastatic endometrioid carcinoma.",
    # ch. 53: para-aortic nodes are regional (N2) for the corpus uteri
    "Endometrium, hysterectomy: endometrioid carcinoma. Para-aortic lymph nodes: metastatic carcinoma (2/7).",
    "Kidney, nephrectomy: clear cell RCC. Adrenal gland: involved by direct extension of renal cell carcinoma.",
    # ch. 36: a separate nodule in another ipsilateral lobe is T4
    "Lung, right upper lobe, lobectomy: adenocarcinoma. Separate nodule, right lower lobe: metastatic adenocarcinoma.",
    "Prostate, radical prostatectomy: adenocarcinoma. Obturator lymph nodes: metastatic adenocarcinoma (1/5).",
    "Stomach, gastrectomy: adenocarcinoma. Peritoneal washings: negative for malignant cells.",
    "Colon, hemicolectomy: adenocarcinoma. Hepatic flexure margin: free of tumour; metastatic carcinoma in 2 of 20 nodes.",
])
def test_no_distant_metastasis_stated_stays_mx(text):
    # Pathology rarely states M0: a report silent (or negative for one specimen) about distant disease is MX, never M0.
    assert _m(text) == "MX"


def test_explicit_m0_field_is_m0():
    assert _m("Breast, mastectomy: ductal carcinoma. M stage: 0") == "M0"
