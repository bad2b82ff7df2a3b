"""Red-flag rules fire on positive findings only; negations and near-misses do not escalate."""

from __future__ import annotations

import pytest

from appliance.safety.negation import is_negated
from appliance.safety.red_flags import red_flags
from appliance.safety.review import review


def ids(text: str) -> list[str]:
    return [h.rule.id for h in red_flags(text)]


@pytest.mark.parametrize("text, rule", [
    ("Small right apical pneumothorax.", "pneumothorax"),
    ("No pleural effusion but a large left pneumothorax with mediastinal shift.", "tension_pneumothorax"),
    ("Free air under the right hemidiaphragm.", "free_air"),
    ("Intimal flap extending from the aortic root: type A aortic dissection.", "aortic_dissection"),
    ("Occlusion of the left M1 segment. Large vessel occlusion.", "large_vessel_occlusion"),
    ("Acute subdural haematoma with 7 mm midline shift.", "intracranial_haemorrhage"),
    ("Filling defects within the right lower lobe pulmonary arteries: pulmonary embolism.", "pulmonary_embolism_imaging"),
    ("Worst headache of her life, sudden onset while lifting.", "thunderclap_headache"),
    ("Central chest pain for 1 hour, clammy and sweating.", "chest_pain_diaphoresis"),
    ("Fever, neck stiffness and a non-blanching rash on the legs.", "meningism_purpura"),
    ("8 weeks pregnant with left iliac fossa pain and vaginal bleeding.", "pregnancy_pain_bleeding"),
    ("Breathless since a 12-hour flight; swollen left calf.", "pe_signs"),
    ("Left facial droop and slurred speech since 09:10.", "stroke_signs"),
])
def test_positive_findings_fire(text, rule):
    assert rule in ids(text)


@pytest.mark.parametrize("text", [
    "There is no evidence of pneumothorax.",
    "No pneumothorax or pleural effusion.",
    "The previously seen pneumothorax has resolved.",
    "No free air.",
    "Negative for intracranial haemorrhage.",
    "No evidence of pulmonary embolism.",
    "Patient denies chest pain or sweating.",
    "No neck stiffness, no rash, no photophobia.",
    "Gradual headache over three days, like her usual migraines.",
    "Repeat prescription of the combined oral contraceptive pill. No breathlessness.",
    "Heart size normal. Lungs clear. No acute cardiopulmonary process.",
])
def test_negated_and_routine_text_does_not_escalate(text):
    assert ids(text) == []


def test_pseudo_negation_still_reports_the_finding():
    text = "No change in the large right pneumothorax."
    start = text.index("pneumothorax")
    assert not is_negated(text, start, start + len("pneumothorax"))


def test_a_missed_cant_miss_diagnosis_is_added_and_marked_as_from_the_rules():
    text = "47F sudden shortness of breath after a 14-hour flight, swollen right calf, HR 118."
    differential = {
        "symptoms": ["shortness of breath"],
        "most_likely": {"diagnosis": "Anxiety", "reasoning": "x"},
        "possible": [{"diagnosis": "Asthma", "reasoning": "x"}, {"diagnosis": "Pneumonia", "reasoning": "x"}],
        "unlikely_but_serious": {"diagnosis": "Pneumothorax", "reasoning": "x"},
        "recommended_workup": ["chest x-ray"],
    }
    result = review(text, {"differential_diagnosis": differential})
    assert result.urgent
    added = result.additions["differential_diagnosis.unlikely_but_serious"]
    assert added[0]["diagnosis"] == "Pulmonary embolism" and added[0]["source"] == "rule:pe_signs"
    differential["unlikely_but_serious"]["diagnosis"] = "Pulmonary embolism"
    assert review(text, {"differential_diagnosis": differential}).additions == {}
