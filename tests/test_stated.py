"""Stated categories are extracted exactly, normalised, and only when valid for their system."""

from __future__ import annotations

import pytest

from appliance.tools.stated import stated_m, stated_n, stated_rads


@pytest.mark.parametrize("text, system, category", [
    ("IMPRESSION: BI-RADS 4C: high suspicion for malignancy.", "BI-RADS", "4C"),
    ("BI-RADS® Category 0: incomplete.", "BI-RADS", "0"),
    ("ACR TI-RADS TR4 nodule", "TI-RADS", "TR4"),
    ("TI-RADS 5", "TI-RADS", "TR5"),
    ("observation is LI-RADS category LR-5", "LI-RADS", "LR-5"),
    ("LR-M lesion in segment 7", "LI-RADS", "LR-M"),
    ("Lung-RADS v2022 category 4X", "Lung-RADS", "4X"),
    ("lung rads 2", "Lung-RADS", "2"),
    ("PI-RADS v2.1 score: 4", "PI-RADS", "4"),
    ("O-RADS US 3", "O-RADS", "3"),
    ("CAD-RADS 4A", "CAD-RADS", "4A"),
    ("CT colonography: C-RADS C2, E1", "C-RADS", "C2"),
    ("NI-RADS 2b at the primary site", "NI-RADS", "2B"),
    ("VI-RADS 5", "VI-RADS", "5"),
    ("Gallbladder wall: GB-RADS 3 (equivocal).", "GB-RADS", "3"),
    ("ACR GBRADS category 4", "GB-RADS", "4"),
    ("Treated observation in segment 8: LR-TR Nonviable.", "LI-RADS", "LR-TR nonviable"),
    ("LI-RADS LR-TR viable", "LI-RADS", "LR-TR viable"),
    ("post-TACE, LI-RADS treatment response LR-TR Non-viable", "LI-RADS", "LR-TR nonviable"),
    ("LR-TR-Equivocal", "LI-RADS", "LR-TR equivocal"),
])
def test_each_system_is_found_with_its_exact_words(text, system, category):
    found = stated_rads(text)
    assert found is not None
    assert (found.output["system"], found.output["category"]) == (system, category)
    assert found.span in text


@pytest.mark.parametrize("text", ["GB-RADS 6", "LR-TR maybe", "BI-RADS 7", "TI-RADS TR9", "no RADS category given", "Lung-RADS 5", "CAD-RADS 6"])
def test_invalid_or_absent_categories_give_nothing(text):
    assert stated_rads(text) is None


def test_most_severe_stated_category_wins_and_the_rest_are_flagged():
    found = stated_rads("Right breast: BI-RADS 2. Left breast: BI-RADS 4B.")
    assert found.output["category"] == "4B"
    assert found.flags == ["multiple_stated_rads:BI-RADS 2|BI-RADS 4B"]


@pytest.mark.parametrize("text, n, m", [
    ("Clinical stage cT2 N1 M0.", "N1", "M0"),
    ("pT3N2bM1c", "N2b", "M1c"),
    ("staged T2 N0", "N0", None),
    ("ypT1 N1mi M0", "N1mi", "M0"),
])
def test_tnm_n_and_m(text, n, m):
    assert stated_n(text).output["n_stage"] == n
    found_m = stated_m(text)
    assert (found_m.output["m_stage"] if found_m else None) == m


def test_no_tnm_in_prose():
    assert stated_n("Three enlarged pericolic lymph nodes.") is None
    assert stated_m("No distant metastases.") is None


def test_a_rads_system_foreign_to_the_report_is_flagged():
    from appliance.pipeline.checks import rads_system_mismatch

    thyroid = "Ultrasound thyroid: 2.1 cm solid hypoechoic nodule."
    assert rads_system_mismatch({"system": "BI-RADS", "category": "1"}, thyroid) == [
        "rads_system_not_supported_by_text:BI-RADS"]
    assert rads_system_mismatch({"system": "TI-RADS", "category": "TR4"}, thyroid) == []
    assert rads_system_mismatch({"system": "none", "category": "not applicable"}, thyroid) == []


def test_system_names_come_from_the_rows():
    from appliance.tasks.rads_systems import SYSTEMS
    from appliance.tools.stated import _SYSTEM_NAMES

    assert _SYSTEM_NAMES == {row.name: row.name_pattern for row in SYSTEMS}


def test_treatment_response_viable_outranks_an_untreated_lr3():
    found = stated_rads("Segment 7: LR-3. Segment 4 ablation zone: LR-TR viable.")
    assert found.output["category"] == "LR-TR viable"
