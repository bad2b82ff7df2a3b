"""ESI v4 triage by the handbook's decision points, with evidence quoted from the note (pure python)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.tasks.triage import Triage
from appliance.tools.esi import GUIDELINE, disposition, esi, read_age, read_vitals

DATA = Path(__file__).parent / "data" / "labelled" / "triage_vignettes.jsonl"


def level(text: str) -> int:
    answer = esi(text)
    assert answer is not None and answer.output is not None
    Triage.model_validate(answer.output)
    assert answer.output["evidence"] in text
    return answer.output["esi_level"]


def decision(text: str, point: str):
    answer = esi(text)
    return next(f for f in answer.findings if f.feature.startswith(f"Decision {point}"))


# --- Decision A: immediate life-saving intervention -> ESI 1 --------------------------------------

@pytest.mark.parametrize("text", [
    "68-year-old woman, breathless, speaking in short phrases. RR 32, SpO2 86% on room air, HR 118, BP 98/60.",
    "58-year-old man collapsed; unresponsive, not breathing normally, no palpable carotid pulse.",
    "2-year-old girl still seizing on arrival after 10 minutes of fitting.",
    "24F stung on the neck; lips and tongue swollen, audible stridor, hives. HR 132, BP 78/40.",
    "29-year-old man found after injecting, pinpoint pupils. HR 58, BP 100/60, RR 6, SpO2 94%.",
    "45-year-old diabetic found sweaty, confused and hard to rouse. Capillary glucose 1.6 mmol/L.",
    "71F found on the floor, GCS 7. HR 48, BP 82/50.",
    "30M, bleeding heavily from a thigh wound, pale and clammy. HR 142, BP 70/40.",
])
def test_decision_a_life_saving_intervention(text):
    assert level(text) == 1
    a = decision(text, "A")
    assert a.value.startswith("yes") and a.evidence and a.evidence in text


def test_decision_a_cites_the_spo2():
    text = "Triage: 66M with COPD. RR 30, SpO2 84% on RA, HR 110."
    a = decision(text, "A")
    assert "SpO2 84" in a.value and "SpO2 84%" in a.evidence


# --- Decision B: high risk, new confusion/lethargy, severe pain/distress -> ESI 2 -----------------

@pytest.mark.parametrize("text", [
    "61-year-old man with central crushing chest pain for 40 minutes spreading to the left arm, sweaty.",
    "74F unable to lift her right arm, speech slurred, last seen well 1 hour ago.",
    "34-year-old man says he plans to kill himself tonight.",
    "15-year-old boy, sudden severe pain in the left testicle since 2 hours, vomited.",
    "47-year-old woman, sudden explosive headache, reached maximum in seconds.",
    "52F on chemotherapy, fever and shivers since noon. T 38.7.",
    "83-year-old man, family say he has been muddled and sleepy since yesterday.",
    "38-year-old man with left loin pain. Pain 9/10. HR 98, BP 150/92.",
    "3-week-old baby, hot to touch and feeding less. T 38.3 C.",
    "A 19-year-old has fever, a stiff neck and purple spots on her legs that do not fade when pressed.",
])
def test_decision_b_high_risk(text):
    assert level(text) == 2
    b = decision(text, "B")
    assert b.value.startswith("yes") and b.evidence in text


def test_red_flag_rules_are_reused_in_b():
    text = "50-year-old man with melaena since yesterday. HR 90, BP 130/80."
    assert level(text) == 2


# --- Decision C: resources ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("26-year-old woman with runny nose, sneezing and a scratchy throat for 3 days. No fever.", 5),
    ("CHIEF COMPLAINT: Medication refill. 60-year-old man ran out of amlodipine. No symptoms.", 5),
    ("35-year-old man bitten by a mosquito yesterday, itchy red bump. Breathing normal.", 5),
    ("28-year-old with heartburn after large meals. No weight loss, no trouble swallowing.", 5),
    ("34-year-old man with a 3 cm clean cut above the left eyebrow, bleeding stopped.", 4),
    ("22-year-old woman rolled her right ankle; tender over the lateral malleolus, can only take 2 steps.", 4),
    ("25-year-old woman with burning on passing urine and going often. No fever, no back pain.", 4),
    ("35-year-old woman with lower abdominal pain for 3 days. Pain 5/10. HR 94, RR 18, SpO2 99%.", 3),
])
def test_decision_c_resources(text, expected):
    assert level(text) == expected
    c = decision(text, "C")
    assert c.value.split(":")[0] in {5: ("none",), 4: ("one",), 3: ("many",)}[expected]


def test_unknown_complaint_is_not_self_care():
    answer = esi("40-year-old man attends with a problem. HR 80, BP 120/80.")
    assert answer.output["esi_level"] == 3 and answer.missing


# --- Decision D: danger-zone vital signs by age ---------------------------------------------------

def test_danger_zone_adult_up_triages_to_2():
    text = "57-year-old man with a painful red swollen leg, spreading redness despite antibiotics. HR 124, RR 26, SpO2 95%, T 39.4."
    assert level(text) == 2
    assert decision(text, "D").value.startswith("yes")


def test_danger_zone_depends_on_age():
    # HR 124 and RR 26 are in the danger zone for an adult, not for a 4-year-old (Fig 6-1: 3-8 y: HR > 140, RR > 30).
    child = "4-year-old girl with vomiting and diarrhoea for 2 days, drinking little, dry mouth. HR 124, RR 26, SpO2 98%."
    adult = "40-year-old woman with vomiting and diarrhoea for 2 days, drinking little, dry mouth. HR 124, RR 26, SpO2 98%."
    assert level(child) == 3 and decision(child, "D").value == "no"
    assert level(adult) == 2


def test_infant_danger_zone_limits():
    text = "2-month-old with vomiting and diarrhoea, few wet nappies. HR 170, RR 45, SpO2 97%."
    assert level(text) == 3  # < 3 months: HR > 180, RR > 50
    assert level(text.replace("HR 170", "HR 186")) == 2


# --- vitals and age parsing -----------------------------------------------------------------------

def test_vital_sign_forms():
    v = read_vitals("pulse 120 bpm, resp rate 28, sats 91%, BP 98/60, temp 101.2 F, GCS 13, pain 8/10")
    assert (v.hr.value, v.rr.value, v.spo2.value, v.sbp.value, v.gcs.value, v.pain.value) == (120, 28, 91, 98, 13, 8)
    assert v.temp_c.value == pytest.approx(38.4, abs=0.1)
    v = read_vitals("heart rate of 110, RR 32, SpO2 86% on RA, T 38.9, glucose 1.6 mmol/L")
    assert (v.hr.value, v.rr.value, v.spo2.value, v.temp_c.value, v.glucose_mmol.value) == (110, 32, 86, 38.9, 1.6)
    v = read_vitals("Peak flow 45% of predicted. Seen on 3/10/2024.")
    assert v.spo2 is None and v.pain is None


@pytest.mark.parametrize("text, years", [
    ("68-year-old woman", 68), ("68 yo M", 68), ("68M with chest pain", 68), ("24F stung", 24),
    ("3-month-old boy", 0.25), ("3 wk old infant", 3 / 52), ("a toddler", 2), ("Mr B, 74, known heart failure", 74),
])
def test_age_forms(text, years):
    assert read_age(text).years == pytest.approx(years, abs=0.01)


# --- negation -------------------------------------------------------------------------------------

def test_negated_chest_pain_and_fever_do_not_escalate():
    text = "55-year-old woman for a repeat BP check. Denies chest pain. No fever, no headache. HR 70, BP 144/90."
    assert level(text) == 5


def test_not_reaches_only_to_the_comma():
    text = "6-month-old girl, fever for 1 day, not feeding, very sleepy and hard to wake."
    assert level(text) == 2


# --- output, disposition, non-presentations -------------------------------------------------------

def test_output_schema_guideline_and_evidence():
    text = "CHIEF COMPLAINT: Chest pain.\n61-year-old man with central crushing chest pain, sweaty. HR 92, BP 148/90."
    answer = esi(text)
    out = Triage.model_validate(answer.output)
    assert answer.guideline == GUIDELINE and answer.source == "computed"
    assert len(out.reason) <= 120 and 1 <= len(out.initial_management) <= 5
    assert "ECG within 10 minutes" in out.initial_management
    assert out.evidence in text
    features = [f.feature for f in answer.findings]
    assert any(f.startswith("Decision A") for f in features) and any(f.startswith("Decision B") for f in features)
    assert next(f for f in answer.findings if f.feature.startswith("Decision A")).evidence is None


def test_disposition_map():
    assert [disposition(n) for n in (1, 2, 3, 4, 5)] == ["emergency", "emergency", "urgent visit", "urgent visit", "self-care"]


def test_not_a_presentation():
    assert esi("") is None
    assert esi("FINDINGS: The lungs are clear. IMPRESSION: No acute disease.") is None


def test_labelled_vignettes_are_well_formed_and_balanced():
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 45 and len({r["id"] for r in rows}) == len(rows)
    counts = {d: sum(r["label"]["disposition"] == d for r in rows) for d in ("emergency", "urgent visit", "self-care")}
    assert all(c >= len(rows) // 4 for c in counts.values()), counts
    for r in rows:
        assert r["label"]["esi"] in (None, 1, 2, 3, 4, 5) and r["style"] in ("lay", "nurse", "gp")
        if r["label"]["esi"] is not None:
            assert disposition(r["label"]["esi"]) == r["label"]["disposition"]


def test_no_emergency_vignette_is_under_triaged():
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = [r["id"] for r in rows if r["label"]["disposition"] == "emergency" and level(r["text"]) > 2]
    assert missed == []
