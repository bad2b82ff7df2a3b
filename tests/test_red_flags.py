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


@pytest.mark.parametrize("text, rule", [
    ("26F, 7 weeks since last menstrual period, left-sided pelvic pain since yesterday.", "early_pregnancy_pain"),
    ("My period is two weeks late and I have a sharp pain low down on the right of my tummy.", "early_pregnancy_pain"),
    ("Febrile child, very sleepy, purple spots on the legs that don't fade with a glass.", "meningism_purpura"),
    ("Low back pain for a week, now numbness around the back passage and cannot pass urine.", "cauda_equina_signs"),
    ("Bilateral sciatica with back pain and new urinary incontinence.", "cauda_equina_signs"),
    ("14M woke at 4am with severe pain in his left testicle and vomited.", "testicular_pain"),
    ("Type 1 diabetic, vomiting since last night, ketones 5.1.", "dka_signs"),
    ("Pneumonia on antibiotics. RR 26, BP 94/60, new confusion.", "sepsis_qsofa"),
    ("Right arm weakness and slurred speech, started 40 minutes ago.", "stroke_window"),
    ("Ate prawns 10 minutes ago; lips swollen, hives, wheezing.", "anaphylaxis"),
    ("Vomited blood this morning, pulse 122, BP 84/50.", "gi_bleed_shock"),
    ("Sudden pain in the left leg 2 hours ago, foot cold and white, no pulses palpable.", "limb_ischaemia"),
    ("Drooling, muffled voice and fever; sitting forward to breathe.", "epiglottitis"),
    ("Cellulitis of the thigh with pain out of proportion and dusky skin.", "necrotising_fasciitis"),
    ("Painful red eye with haloes round lights and vomiting.", "angle_closure"),
    ("Fitting for more than 5 minutes and not stopping.", "status_epilepticus"),
    ("Asthmatic, cannot complete sentences, sats 90%.", "severe_asthma"),
])
def test_time_critical_presentations_fire(text, rule):
    assert rule in ids(text)


@pytest.mark.parametrize("text", [
    "Triage: 6yo fever 38.2 and earache. Neck stiffness: none. Rash: nil.",
    "LMP 3 weeks ago, regular cycles, breast lump noticed 2 days ago.",
    "Type 2 diabetes review; mild epigastric pain after meals, no vomiting.",
    "Stable angina: chest tightness on hills radiating to the left arm, relieved by GTN in 2 minutes.",
    "Cough and night sweats for 6 weeks; chest pain on coughing.",
    "No known allergies. Breathless on exertion for 3 months.",
    "Chronic back pain, bladder and bowel normal, no saddle numbness.",
    "Denies vaginal bleeding or pelvic pain; pregnancy test negative.",
])
def test_routine_notes_with_near_miss_words_do_not_escalate(text):
    assert ids(text) == []


def test_qsofa_needs_two_of_three():
    assert "sepsis_qsofa" not in ids("Pneumonia, RR 24, BP 130/80, alert and orientated.")
    assert "sepsis_qsofa" in ids("Pneumonia, RR 24, BP 96/60.")


def test_every_rule_has_plain_words_and_a_cant_miss_diagnosis():
    from appliance.safety.red_flags import RULES
    assert len({r.id for r in RULES}) == len(RULES)
    for r in RULES:
        assert r.label and r.cant_miss and r.action and r.label.isascii()


def test_labelled_red_flag_set_recall_and_no_routine_escalated():
    import json
    from pathlib import Path
    rows = [json.loads(line) for line in (Path(__file__).parent / "data/labelled/red_flag_presentations.jsonl").read_text().splitlines() if line.strip()]
    urgent = [r for r in rows if r["label"]["urgent"]]
    routine = [r for r in rows if not r["label"]["urgent"]]
    assert len(urgent) >= 60 and len(routine) >= 30
    assert [r["id"] for r in urgent if not red_flags(r["text"])] == []
    assert [r["id"] for r in routine if red_flags(r["text"])] == []
