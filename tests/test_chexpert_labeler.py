"""The rule-based CheXpert labeler (Irvin et al., AAAI 2019; NegBio, Peng et al. 2018) and the impression check.

Pure python: no model is loaded.
"""

from __future__ import annotations

import pytest

from appliance.safety.impression import impression_flags, sounds_normal
from appliance.tasks.abnormality_detection import AbnormalityDetection, CHEXPERT_LABELS
from appliance.tools.chexpert import GUIDELINE, label_chest


def labels(text: str) -> dict[str, str]:
    answer = label_chest(text)
    assert answer is not None
    AbnormalityDetection.model_validate(answer.output)
    return answer.output


def report(findings: str, impression: str = "", indication: str = "") -> str:
    text = "EXAM: Xray Chest PA and Lateral\n"
    if indication:
        text += f"INDICATION: {indication}\n"
    text += f"FINDINGS: {findings}\n"
    if impression:
        text += f"IMPRESSION: {impression}\n"
    return text


# ---- mentions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, key", [
    ("The heart is enlarged.", "cardiomegaly"),
    ("Heart size is enlarged.", "cardiomegaly"),
    ("The cardiac silhouette is enlarged.", "cardiomegaly"),
    ("The heart is mildly enlarged.", "cardiomegaly"),
    ("Moderate cardiomegaly.", "cardiomegaly"),
    ("Widened mediastinum.", "enlarged_cardiomediastinum"),
    ("There is mediastinal widening.", "enlarged_cardiomediastinum"),
    ("Patchy right lower lobe opacity.", "lung_opacity"),
    ("Left upper lobe infiltrate.", "lung_opacity"),
    ("A 2 cm nodule in the right upper lobe.", "lung_lesion"),
    ("Calcified granuloma in the left lung base.", "lung_lesion"),
    ("Pulmonary edema.", "edema"),
    ("Findings consistent with CHF.", "edema"),
    ("Right lower lobe consolidation.", "consolidation"),
    ("Left lower lobe pneumonia.", "pneumonia"),
    ("Bibasilar subsegmental atelectasis.", "atelectasis"),
    ("Plate-like atelectasis at the left base.", "atelectasis"),
    ("Large right pneumothorax.", "pneumothorax"),
    ("Small left pleural effusion.", "pleural_effusion"),
    ("Biapical pleural thickening.", "pleural_other"),
    ("Calcified pleural plaques.", "pleural_other"),
    ("Old healed left rib fractures.", "fracture"),
    ("Right IJ central venous catheter tip in the SVC.", "support_devices"),
    ("Endotracheal tube tip 4 cm above the carina.", "support_devices"),
    ("Left chest wall pacemaker with leads in the right atrium and ventricle.", "support_devices"),
])
def test_mention_is_positive(sentence, key):
    out = labels(report(sentence))
    assert out[key] == "positive", out
    assert out["no_finding"] == ("positive" if key == "support_devices" else "negative")


def test_unmentions_are_not_mentions():
    out = labels(report("Small pericardial effusion. Findings consistent with prior surgery. Massive hiatal hernia."))
    assert out["pleural_effusion"] == "not_mentioned"
    assert out["support_devices"] == "not_mentioned"   # "consistent" holds "stent"
    assert out["lung_lesion"] == "not_mentioned"       # "massive" is not a mass


def test_post_surgical_material_is_not_a_support_device():
    out = labels(report("Median sternotomy wires and surgical clips. Lungs are clear."))
    assert out["support_devices"] == "not_mentioned"


# ---- negation ----------------------------------------------------------------------------------
def test_negations():
    out = labels(report(
        "Heart size is normal. No focal consolidation. There is no pneumothorax or pleural effusion. "
        "No pulmonary edema. Negative for pneumonia. No acute fracture.",
        "No acute cardiopulmonary disease."))
    for key in ("cardiomegaly", "consolidation", "pneumothorax", "pleural_effusion", "edema", "pneumonia", "fracture"):
        assert out[key] == "negative", key
    assert out["no_finding"] == "positive"
    assert out["atelectasis"] == "not_mentioned"


def test_clear_of_and_normal_silhouette():
    out = labels(report("The lungs are clear of focal airspace disease, pneumothorax, or pleural effusion. "
                        "Normal cardiomediastinal silhouette."))
    assert out["lung_opacity"] == "negative"
    assert out["pneumothorax"] == "negative"
    assert out["pleural_effusion"] == "negative"
    assert out["cardiomegaly"] == "negative"
    assert out["enlarged_cardiomediastinum"] == "negative"


def test_lungs_are_clear_alone_mentions_nothing():
    # The labeler has no mention in "lungs are clear": the observations stay not mentioned.
    out = labels(report("The lungs are clear."))
    assert out["lung_opacity"] == "not_mentioned"
    assert out["no_finding"] == "positive"


def test_negation_scope_ends_at_but():
    out = labels(report("No pleural effusion, but there is a small right apical pneumothorax."))
    assert out["pleural_effusion"] == "negative"
    assert out["pneumothorax"] == "positive"


def test_pseudo_negation():
    out = labels(report("No significant change in the large left pleural effusion."))
    assert out["pleural_effusion"] == "positive"


# ---- uncertainty --------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, key", [
    ("Left basilar opacity may represent pneumonia.", "pneumonia"),
    ("Possible small right pleural effusion.", "pleural_effusion"),
    ("Pneumothorax cannot be excluded.", "pneumothorax"),
    ("Cannot exclude early pneumonia.", "pneumonia"),
    ("Findings suspicious for pneumonia.", "pneumonia"),
    ("Atelectasis versus consolidation at the left base.", "atelectasis"),
    ("Atelectasis versus consolidation at the left base.", "consolidation"),
    ("Right basilar scarring or atelectasis.", "atelectasis"),
    ("Borderline heart size.", "cardiomegaly"),
    ("Pulmonary vascular congestion.", "edema"),
])
def test_uncertain(sentence, key):
    out = labels(report(sentence))
    assert out[key] == "uncertain", out
    assert out["no_finding"] == "negative"


def test_likely_is_affirmative_as_in_the_labeler():
    assert labels(report("Right lower lobe opacity, likely pneumonia."))["pneumonia"] == "positive"


def test_chf_makes_cardiomegaly_uncertain():
    out = labels(report("Findings consistent with congestive heart failure."))
    assert out["edema"] == "positive"
    assert out["cardiomegaly"] == "uncertain"


def test_aggregation_positive_beats_negative_and_uncertain():
    out = labels(report("No large pleural effusion.", "Small left pleural effusion. Possible pneumonia. No pneumonia."))
    assert out["pleural_effusion"] == "positive"
    assert out["pneumonia"] == "uncertain"   # uncertain beats negative


# ---- UK spelling ---------------------------------------------------------------------------------
def test_uk_spellings():
    out = labels(report("Bilateral perihilar oedema. Small right haemothorax."))
    assert out["edema"] == "positive"
    assert out["pleural_effusion"] == "positive"
    out = labels(report("Left haemopneumothorax."))
    assert out["pneumothorax"] == "positive" and out["pleural_effusion"] == "positive"
    assert labels(report("No pulmonary oedema."))["edema"] == "negative"


# ---- sections ------------------------------------------------------------------------------------
def test_indication_and_history_are_not_findings():
    text = ("EXAM: Chest radiograph\nINDICATION: Rule out pneumothorax. History of pneumonia.\n"
            "COMPARISON: None.\nFINDINGS: The lungs are clear. Heart size normal.\nIMPRESSION: Normal chest.")
    out = labels(text)
    assert out["pneumothorax"] == "not_mentioned"
    assert out["pneumonia"] == "not_mentioned"
    assert out["no_finding"] == "positive"


def test_positive_in_either_section_is_positive():
    out = labels(report("No focal consolidation.", "Right lower lobe consolidation."))
    assert out["consolidation"] == "positive"
    out = labels(report("Right lower lobe consolidation.", "No acute disease."))
    assert out["consolidation"] == "positive"


def test_report_without_headings():
    out = labels("Chest x-ray. Cardiomegaly with small bilateral pleural effusions. No pneumothorax.")
    assert out["cardiomegaly"] == "positive" and out["pleural_effusion"] == "positive"
    assert out["pneumothorax"] == "negative"


def test_not_a_chest_radiograph_report():
    assert label_chest("") is None
    assert label_chest("Patient reports knee pain for two weeks. Plan: ibuprofen.") is None
    assert label_chest("EXAM: CT abdomen and pelvis\nFINDINGS: Small pleural effusion at the lung bases.") is None
    assert label_chest("EXAM: Chest radiograph\nINDICATION: cough\nCOMPARISON: none") is None


# ---- no finding ---------------------------------------------------------------------------------
def test_no_finding_rule():
    assert labels(report("Heart size normal. Lungs clear."))["no_finding"] == "positive"
    # Support devices do not count against No Finding (the labeler's rule).
    assert labels(report("PICC line tip in the SVC. Lungs clear."))["no_finding"] == "positive"
    # An uncertain observation does.
    assert labels(report("Possible left basilar atelectasis."))["no_finding"] == "negative"
    # So does another finding the labeler lists (emphysema, scoliosis, ...).
    assert labels(report("Emphysema. No focal consolidation."))["no_finding"] == "negative"


# ---- evidence --------------------------------------------------------------------------------------
def test_evidence_is_verbatim():
    text = report("The heart is enlarged. Small left pleural effusion. No pneumothorax.",
                  "Cardiomegaly and a small left effusion.")
    answer = label_chest(text)
    assert answer.guideline == GUIDELINE == "CheXpert labeler rules (Irvin et al. 2019)"
    by_feature = {f.feature: f for f in answer.findings}
    assert set(by_feature) >= {"Cardiomegaly", "Pleural Effusion", "Pneumothorax", "No Finding"}
    for f in answer.findings:
        if f.evidence is not None:
            assert f.evidence in text
        assert f.value in ("positive", "negative", "uncertain")
    assert by_feature["Pneumothorax"].value == "negative"
    assert by_feature["Pneumothorax"].evidence == "No pneumothorax."
    assert "negation" in by_feature["Pneumothorax"].rule
    assert not any(f.feature in ("Fracture", "Lung Lesion") for f in answer.findings)  # not mentioned: no finding row


def test_output_keys_are_the_task_keys():
    out = labels(report("Normal chest."))
    assert list(out) == list(CHEXPERT_LABELS.values())


def test_task_golden_report():
    from appliance.tasks.abnormality_detection import TASK
    out = labels(TASK.golden)
    assert out["support_devices"] == "positive"
    assert out["cardiomegaly"] == "positive"
    assert out["edema"] == "positive"        # "likely pulmonary edema": likely is affirmative
    assert out["pleural_effusion"] == "positive"
    assert out["lung_opacity"] == "positive"
    assert out["atelectasis"] == "uncertain" and out["pneumonia"] == "uncertain"
    assert out["pneumothorax"] == "negative"
    assert out["no_finding"] == "negative"


# ---- impression check -----------------------------------------------------------------------------
ABNORMAL = report("The heart is enlarged. Moderate bilateral pleural effusions. No pneumothorax.")


def test_normal_impression_for_abnormal_findings_is_flagged():
    assert impression_flags("No acute disease.", ABNORMAL) == [
        "impression contradicts findings: cardiomegaly, pleural effusion"]
    assert impression_flags("Normal chest x-ray.", ABNORMAL) == [
        "impression contradicts findings: cardiomegaly, pleural effusion"]
    assert impression_flags("No active disease.", ABNORMAL)
    assert impression_flags("Unremarkable study.", ABNORMAL)


def test_impression_that_names_the_findings_is_not_flagged():
    assert impression_flags("Cardiomegaly with bilateral pleural effusions.", ABNORMAL) == []
    assert impression_flags("No acute disease. Cardiomegaly and pleural effusions.", ABNORMAL) == []


def test_normal_impression_for_normal_findings_is_not_flagged():
    normal = report("Heart size normal. Lungs are clear. No pneumothorax or pleural effusion.")
    assert impression_flags("No acute cardiopulmonary abnormality.", normal) == []


def test_benign_and_chronic_findings_do_not_contradict_no_acute_disease():
    text = report("Calcified granuloma in the right upper lobe. Old healed left rib fractures. Stable mild cardiomegaly.")
    assert impression_flags("No acute cardiopulmonary disease.", text) == []


def test_impression_omitting_urgent_finding():
    text = report("Large right pneumothorax with mediastinal shift. The heart is enlarged.")
    assert impression_flags("Cardiomegaly.", text) == ["impression omits urgent finding: pneumothorax"]
    assert impression_flags("Cardiomegaly. Large right pneumothorax.", text) == []
    assert impression_flags("No pneumothorax. Cardiomegaly.", text) == [
        "impression contradicts findings: pneumothorax"]
    text = report("Right lower lobe consolidation consistent with pneumonia.")
    assert impression_flags("Right lower lobe airspace disease.", text) == []
    assert impression_flags("Stable chest.", text) == ["impression omits urgent finding: pneumonia"]
    text = report("Free air under the right hemidiaphragm. Lungs are clear.")
    assert impression_flags("Clear lungs.", text) == ["impression omits urgent finding: free air"]
    text = report("The mediastinum is widened. Lungs are clear.")
    assert impression_flags("Clear lungs.", text) == ["impression omits urgent finding: widened mediastinum"]


def test_sounds_normal():
    for said in ("No acute disease.", "Normal chest.", "No acute cardiopulmonary abnormality.",
                 "Negative chest x-ray.", "No active disease.", "Normal."):
        assert sounds_normal(said), said
    for said in ("Cardiomegaly.", "Right lower lobe pneumonia.", "Stable chest."):
        assert not sounds_normal(said), said
