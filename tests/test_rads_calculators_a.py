"""Guideline calculators (TI-RADS, Lung-RADS, LI-RADS, O-RADS, BI-RADS) on worked examples.

Each example names the rule it exercises; every evidence quote must be verbatim document text.
"""

from __future__ import annotations

import pytest

from appliance.rads import bi_rads, li_rads, lung_rads, o_rads, ti_rads
from appliance.tasks.rads_systems import RADS_CATEGORIES, SYSTEMS, calculator_for, system


def _quotes_verbatim(answer, text):
    quotes = [answer.output["evidence"]] if answer.output else []
    quotes += [f.evidence for f in answer.findings if f.evidence]
    for other in answer.others:
        quotes += [f["evidence"] for f in other.get("findings", []) if f.get("evidence")]
    for q in quotes:
        assert q in text, q
        assert len(q) <= 160


def check(module, text, category):
    answer = module.assess(text)
    assert answer is not None
    assert answer.output is not None, (answer.missing, answer.allowed)
    assert answer.output["category"] == category, [f.as_dict() for f in answer.findings]
    assert answer.output["category"] in RADS_CATEGORIES[answer.output["system"]]
    assert answer.guideline == module.GUIDELINE
    _quotes_verbatim(answer, text)
    return answer


# ---------------------------------------------------------------- rows

def test_every_row_is_complete_and_its_calculator_resolves_or_is_none():
    assert {s.name for s in SYSTEMS} >= {"BI-RADS", "TI-RADS", "LI-RADS", "Lung-RADS", "PI-RADS", "O-RADS",
                                         "CAD-RADS", "C-RADS", "NI-RADS", "VI-RADS", "GB-RADS"}
    for row in SYSTEMS:
        assert set(row.management) == set(row.categories), row.name
        assert row.benign <= set(row.categories) and row.high <= set(row.categories)
        fn = calculator_for(row.name)
        assert fn is None or callable(fn)
    assert calculator_for("TI-RADS") is ti_rads.assess
    assert calculator_for("no such system") is None
    assert {"LR-TR nonviable", "LR-TR equivocal", "LR-TR viable"} <= set(system("LI-RADS").categories)
    assert system("GB-RADS").categories == ("0", "1", "2", "3", "4", "5")


# ---------------------------------------------------------------- TI-RADS

THYROID = "EXAM: Ultrasound thyroid.\nHISTORY: Goitre.\nFINDINGS: "


def test_tirads_spongiform_scores_zero_whatever_else():
    check(ti_rads, THYROID + "Right lobe: 2.4 cm spongiform nodule, isoechoic, wider-than-tall, smooth margins.", "TR1")


def test_tirads_echogenic_foci_are_additive():
    # mixed 1 + isoechoic 1 + wider 0 + smooth 0 + macro 1 + punctate 3 = 6 -> TR4 (not TR3 from the largest focus alone)
    a = check(ti_rads, THYROID + "Left lobe 1.6 cm mixed cystic and solid isoechoic nodule, wider than tall, smooth margin, "
              "with coarse calcification and punctate echogenic foci.", "TR4")
    assert sum(f.points for f in a.findings if f.feature == "echogenic foci") == 4


def test_tirads_tr5_and_fna_by_size():
    a = check(ti_rads, THYROID + "Right lobe 1.1 cm solid markedly hypoechoic nodule, taller-than-wide, irregular margins. "
              "No calcifications.", "TR5")
    assert "FNA recommended" in a.note


@pytest.mark.parametrize("size, advice", [("1.2 cm", "follow-up"), ("1.6 cm", "FNA recommended"), ("0.8 cm", "No FNA or follow-up")])
def test_tirads_tr4_fna_and_follow_up_thresholds(size, advice):
    a = check(ti_rads, THYROID + f"Right lobe: {size} solid hypoechoic nodule, wider-than-tall, smooth margins, no echogenic foci.", "TR4")
    assert advice in a.note


def test_tirads_negated_microcalcifications_and_uk_spelling():
    check(ti_rads, THYROID + "Left lobe: 1.9 cm solid isoechoic nodule, wider than tall with well-defined margins. "
          "No microcalcifications.", "TR3")


def test_tirads_highest_nodule_governs_and_the_others_are_listed():
    text = THYROID + ("Nodule 1: right lobe, 1.0 cm cystic nodule with smooth margins, wider than tall, comet-tail artefact. "
                      "Nodule 2: left lobe, 1.5 cm solid hypoechoic nodule, wider than tall, lobulated margins, no calcification.")
    a = check(ti_rads, text, "TR4")
    assert [o["category"] for o in a.others] == ["TR1"]


def test_tirads_missing_features_give_a_range_not_a_guess():
    a = ti_rads.assess(THYROID + "Right lobe: 1.4 cm solid hypoechoic nodule.")
    assert a.output is None and a.allowed == "TR4-TR5"
    assert "margin" in a.missing and any("shape" in m for m in a.missing)


def test_tirads_no_nodule_no_answer():
    assert ti_rads.assess(THYROID + "Normal size and echotexture. No nodules.") is None


# A TR4 nodule (solid 2 + hypoechoic 2) next to a spongiform one (TR1): each is its own nodule. These once
# merged into one lesion (poles and "Rt"/"Lt" were no markers; a nodule before the first marker was
# dropped), and the spongiform rule ("no further points") called the TR4 nodule TR1.
TR4_NODULE = "1.6 cm solid hypoechoic nodule, wider than tall, smooth margins, no echogenic foci."


@pytest.mark.parametrize("report", [
    f"Right lower pole: {TR4_NODULE}\nLeft upper pole: 9 mm spongiform nodule.",
    f"Rt lobe 4.6 x 1.5 x 1.4 cm, Lt lobe 4.4 x 1.3 x 1.2 cm, isthmus 3 mm.\nRt mid pole: {TR4_NODULE}\n"
    f"Lt lower pole: 9 mm spongiform nodule.\nIMP: Rt thyroid nodule.",
    f"There is a {TR4_NODULE} Left lobe: 9 mm spongiform nodule.",
    f"R lobe: {TR4_NODULE} L lobe: 9 mm spongiform nodule.",
    f"There is a {TR4_NODULE} A second 9 mm spongiform nodule is also seen.",
    f"There is a {TR4_NODULE} No other solid nodule. Another 9 mm spongiform nodule.",
    "There is a 1.6 cm solid hypoechoic nodule in the right lobe, wider than tall, with smooth margins and no "
    "echogenic foci, and a 9 mm spongiform nodule in the left lobe.",
], ids=["poles", "abbreviations-after-isthmus", "before-the-first-marker", "single-letter-sides",
        "a-second-nodule", "another-nodule-after-a-negated-one", "two-in-one-sentence"])
def test_tirads_two_nodules_stay_two(report):
    a = check(ti_rads, THYROID + report, "TR4")
    assert "TR1" in [o["category"] for o in a.others], a.others


def test_tirads_a_negated_further_nodule_does_not_split_the_nodule_described():
    check(ti_rads, THYROID + "There is a 1.6 cm nodule. No additional nodules are seen. "
          "It is solid and hypoechoic, wider than tall, with smooth margins and no echogenic foci.", "TR4")


def test_tirads_a_background_gland_description_is_no_nodule():
    # Thyroiditis ("heterogeneous and hypoechoic" gland) before the first marker is not a lesion of its own.
    check(ti_rads, THYROID + "The thyroid gland is diffusely heterogeneous and hypoechoic, in keeping with "
          "thyroiditis. Right lobe: 1.2 cm spongiform nodule.", "TR1")
    # "Further evaluation of the 1.6 cm nodule" names the same nodule, not a further one.
    check(ti_rads, THYROID + f"Right lobe: {TR4_NODULE} Further evaluation of the 1.6 cm nodule by FNA is advised.",
          "TR4")


# ---------------------------------------------------------------- Lung-RADS

LDCT = "EXAM: Low-dose CT chest for lung cancer screening.\nFINDINGS: "


def test_lungrads_mean_diameter_of_long_and_short_axis():
    check(lung_rads, LDCT + "Right upper lobe solid nodule 9 x 6 mm, baseline study.", "3")   # mean 7.5 -> 3
    check(lung_rads, LDCT + "Right upper lobe solid nodule 9 x 7 mm, baseline study.", "4A")  # mean 8.0 -> 4A


def test_lungrads_part_solid_solid_component_and_new_vs_baseline():
    check(lung_rads, LDCT + "LUL part-solid nodule 14 mm with a 5 mm solid component.", "3")
    check(lung_rads, LDCT + "LUL part-solid nodule 14 mm with a 7 mm solid component.", "4A")
    check(lung_rads, LDCT + "LUL part-solid nodule 14 mm with a 9 mm solid component.", "4B")
    check(lung_rads, LDCT + "New LUL part-solid nodule 14 mm with a 5 mm solid component.", "4B")


def test_lungrads_new_solid_nodule_thresholds():
    check(lung_rads, LDCT + "New 5 mm solid nodule in the right lower lobe.", "3")
    check(lung_rads, LDCT + "Right lower lobe 5 mm solid nodule.", "2")


def test_lungrads_perifissural_ground_glass_benign_and_negative():
    check(lung_rads, LDCT + "8 mm perifissural solid nodule along the right major fissure.", "2")
    check(lung_rads, LDCT + "Left upper lobe 22 mm ground-glass nodule.", "2")
    check(lung_rads, LDCT + "Right middle lobe 7 mm calcified granuloma.", "1")
    check(lung_rads, LDCT + "No pulmonary nodules.", "1")


def test_lungrads_non_calcified_or_partly_calcified_nodule_is_not_benign():
    # Lung-RADS v2022: only complete, central, popcorn or concentric calcification is benign.
    # "non-calcified nodule" (the commonest screening phrase) once matched "calcified nodule": category 1.
    for words in ("9 mm non-calcified nodule", "9 mm non calcified nodule", "9 mm partially calcified nodule",
                  "9 mm partly calcified nodule"):
        answer = lung_rads.assess(LDCT + f"Right upper lobe {words}.")
        assert answer is not None and (answer.output is None or answer.output["category"] not in ("1", "2")), words
    check(lung_rads, LDCT + "Right upper lobe 9 x 9 mm non-calcified solid nodule, baseline study.", "4A")
    check(lung_rads, LDCT + "Right middle lobe 7 mm calcified nodule.", "1")


def test_lungrads_4x_with_spiculation_and_highest_governs():
    a = check(lung_rads, LDCT + "RUL 11 mm spiculated solid nodule. LLL 4 mm solid nodule. No lymphadenopathy.", "4X")
    assert [o["category"] for o in a.others] == ["2"]


def test_lungrads_stable_nodule_is_2():
    check(lung_rads, LDCT + "Right upper lobe 7 mm solid nodule, unchanged from the prior screening CT.", "2")


# ---------------------------------------------------------------- LI-RADS

LIVER = "EXAM: MRI liver with contrast.\nHISTORY: Cirrhosis, HCC surveillance.\nFINDINGS: "


def test_lirads_diagnostic_table():
    check(li_rads, LIVER + "Segment 7: 25 mm observation with nonrim arterial phase hyperenhancement and nonperipheral washout.", "LR-5")
    check(li_rads, LIVER + "Segment 4: 15 mm observation with APHE and an enhancing capsule, no washout.", "LR-4")
    check(li_rads, LIVER + "Segment 6: 8 mm observation with arterial phase hyperenhancement, no washout, no capsule.", "LR-3")
    check(li_rads, LIVER + "Segment 2: 22 mm observation without arterial phase hyperenhancement; washout is present.", "LR-4")


def test_lirads_threshold_growth_makes_a_10_to_19_mm_aphe_observation_lr5():
    check(li_rads, LIVER + "Segment 8: 14 mm observation with arterial phase hyperenhancement, no washout or capsule; "
          "it shows threshold growth since the MRI 4 months ago.", "LR-5")


def test_lirads_lr_m_and_tiv():
    check(li_rads, LIVER + "Segment 5: 32 mm mass with rim arterial phase hyperenhancement and targetoid diffusion restriction.", "LR-M")
    check(li_rads, LIVER + "Segment 5: 40 mm mass with APHE and washout. Enhancing soft tissue within the right portal vein, tumour in vein.",
          "LR-TIV")


def test_lirads_treatment_response():
    check(li_rads, LIVER + "Segment 7 treated lesion after TACE: no residual enhancement.", "LR-TR nonviable")
    check(li_rads, LIVER + "Segment 7 treated lesion after TACE: nodular arterial phase hyperenhancement at the margin.", "LR-TR viable")


def test_lirads_most_severe_observation_governs():
    a = check(li_rads, LIVER + "Segment 2: 9 mm simple cyst. Segment 8: 21 mm observation with APHE and washout.", "LR-5")
    assert "LR-1" in [o["category"] for o in a.others]


def test_lirads_missing_washout_gives_a_range():
    a = li_rads.assess(LIVER + "Segment 3: 15 mm observation with arterial phase hyperenhancement and an enhancing capsule.")
    assert a.output is None and a.allowed == "LR-4-LR-5" and "washout" in a.missing


def test_lirads_sub_segments_are_their_own_observations():
    # "Segment 4a" / "IVa" / "S4b" once carried no label, so the sentence joined the observation before it.
    for label in ("Segment 4a", "Segment IVa", "S4a"):
        a = check(li_rads, LIVER + f"Segment 7: 8 mm observation without arterial phase hyperenhancement, no washout, "
                  f"no capsule. {label}: 22 mm observation with arterial phase hyperenhancement and washout.", "LR-5")
        assert label in a.output["evidence"], a.output
        assert ["LR-3"] == [o["category"] for o in a.others], (label, a.others)


def test_lirads_arterial_hypoenhancement_is_not_aphe_and_arterially_hyperenhancing_is():
    # v2018: without APHE, <20 mm with washout and capsule is LR-4 (not LR-5).
    check(li_rads, LIVER + "Segment 7 observation 15 mm, hypo-enhancing in the arterial phase, with washout and capsule.",
          "LR-4")
    check(li_rads, LIVER + "Segment 7 observation 25 mm, arterially hyperenhancing, with washout.", "LR-5")


# ---------------------------------------------------------------- O-RADS

PELVIS = "EXAM: Transvaginal ultrasound pelvis.\nFINDINGS: "


@pytest.mark.parametrize("status, size, category", [
    ("Premenopausal.", "2.8 cm", "1"), ("Postmenopausal.", "2.8 cm", "2"), ("Premenopausal.", "5 cm", "2"),
    ("Premenopausal.", "11 cm", "3")])
def test_orads_simple_cyst_by_size_and_menopause(status, size, category):
    check(o_rads, PELVIS + f"{status} Right ovary: {size} simple anechoic cyst with a thin smooth wall.", category)


def test_orads_classic_benign_haemorrhagic_uk_spelling():
    check(o_rads, PELVIS + "Left ovary: 4 cm haemorrhagic cyst with a lace-like reticular pattern, no internal flow.", "2")


def test_orads_solid_component_papillary_projections_and_ascites():
    check(o_rads, PELVIS + "Right ovary: 6 cm unilocular cyst with two papillary projections.", "4")
    check(o_rads, PELVIS + "Right ovary: 6 cm unilocular cyst with four papillary projections.", "5")
    check(o_rads, PELVIS + "Right ovary: 6 cm multilocular cyst with a solid component, colour score 4.", "5")
    check(o_rads, PELVIS + "Left ovary: 3 cm simple cyst. Moderate ascites.", "5")


def test_orads_solid_lesions():
    check(o_rads, PELVIS + "Left adnexa: 5 cm solid mass with smooth contour and no internal vascularity.", "3")
    check(o_rads, PELVIS + "Left adnexa: 5 cm solid mass with irregular contour.", "5")


def test_orads_mri_score():
    mri = "EXAM: MRI pelvis.\nFINDINGS: "
    check(o_rads, mri + "Right ovary: 7 cm lesion with enhancing solid tissue and a high-risk time-intensity curve.", "5")
    check(o_rads, mri + "Left ovary: 5 cm lesion containing macroscopic fat with signal loss on fat-saturated images; no solid tissue.", "2")


def test_orads_mri_fat_suppressed_images_are_a_sequence_not_fat():
    # Bright on T1 fat-suppressed images is blood, not a dermoid's fat: a unilocular haemorrhagic cyst with a
    # smooth enhancing wall is O-RADS MRI 3; reading "fat" would undercall it as 2.
    a = check(o_rads, "EXAM: MRI pelvis.\nFINDINGS: Left ovary: 4 cm unilocular haemorrhagic cyst, bright on T1 "
                      "fat-suppressed images, with a thin smooth enhancing wall; no solid tissue.", "3")
    assert not any(f.feature == "lipid content" for f in a.findings)


def test_orads_missing_colour_score_gives_a_range():
    a = o_rads.assess(PELVIS + "Right ovary: 7 cm multilocular cyst with a solid component.")
    assert a.output is None and a.allowed == "4-5"


# ---------------------------------------------------------------- BI-RADS

def test_birads_is_a_suggestion():
    a = check(bi_rads, "Diagnostic mammogram. Right breast: 14 mm irregular mass with spiculated margins at 10 o'clock.", "5")
    assert "suggestion" in a.note and "bi_rads_suggestion" in a.flags


@pytest.mark.parametrize("text, category", [
    ("Screening mammogram. No mass, architectural distortion or suspicious calcifications.", "1"),
    ("US left breast. 2 o'clock: 12 mm simple cyst.", "2"),
    ("US right breast. 9 o'clock: 8 mm oval circumscribed parallel hypoechoic mass. No prior imaging.", "3"),
    ("Mammogram. Left breast: grouped amorphous calcifications spanning 6 mm.", "4B"),
    ("Mammogram. Right breast: fine linear branching calcifications in a segmental distribution.", "4C"),
    ("Mammogram. Left breast mass, biopsy-proven invasive ductal carcinoma, pre-operative staging.", "6"),
])
def test_birads_lexicon_guidance(text, category):
    check(bi_rads, text, category)


def test_birads_most_suspicious_finding_governs():
    a = check(bi_rads, "US. Right breast: 10 mm simple cyst at 11 o'clock. Left breast: 15 mm irregular mass with indistinct margins "
              "at 2 o'clock.", "4B")
    assert a.others
