"""Calibrated confidence (issue 19): isotonic maps fitted by `appliance eval`, used at run time.

No model is loaded here: the engine is replaced by tests/fake_engine.py, and everything
around the answer (gate, calibration lookup, results, outbox, evaluation) is the real code.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from appliance.calibration import (LOW_CONFIDENCE, MIN_ANSWERS, IsotonicMap, calibrate, confidence_fields,
                                   cross_fitted, expected_calibration_error, fit_isotonic, in_words, is_low, lookup,
                                   most_confident_half_accuracy)
from appliance.evaluation import Answer, answer_right, evaluate, report, table
from appliance.evaluation_store import store_reports
from appliance.pipeline.reader import read_document
from appliance.tasks.abnormality_detection import CHEXPERT_LABELS

from .fake_engine import QA, QA_ANSWER, FakeEngine, open_gate, qa_by_confidence, store_map, use_fake_engine


# -- the numbers ------------------------------------------------------------------------------

def test_pool_adjacent_violators_gives_the_known_step_function():
    fitted = fit_isotonic([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 1, 0, 1, 1, 1])
    assert fitted([0.1, 0.2, 0.3, 0.45, 0.6]) == pytest.approx([0.0, 0.5, 0.5, 1.0, 1.0])
    assert fitted(0.0) == 0.0 and fitted(1.0) == 1.0          # flat beyond the fitted points


def test_isotonic_fit_is_monotone_keeps_the_mean_and_beats_any_constant():
    rng = np.random.default_rng(3)
    raw = rng.choice(np.linspace(0.3, 1.0, 15), size=300)      # many ties, as a decoder gives
    right = rng.uniform(size=300) < raw ** 3
    fitted = fit_isotonic(raw, right)
    values = fitted(np.sort(raw))
    assert np.all(np.diff(values) >= -1e-12)
    assert values.mean() == pytest.approx(right.mean())        # PAV keeps the overall share right
    assert np.sum((fitted(raw) - right) ** 2) <= np.sum((right.mean() - right) ** 2)
    assert IsotonicMap.from_json(fitted.as_json())(0.77) == pytest.approx(fitted(0.77), abs=1e-5)


def test_expected_calibration_error_over_ten_equal_bins():
    assert expected_calibration_error([0.9] * 10, [1] * 9 + [0]) == pytest.approx(0.0)
    # bin 0.2: 0 of 2 right (|0 - 0.2|); bin 0.8: 2 of 2 right (|1 - 0.8|) → 0.2
    assert expected_calibration_error([0.2, 0.2, 0.8, 0.8], [0, 0, 1, 1]) == pytest.approx(0.2)
    assert expected_calibration_error([1.0, 1.0], [0, 0]) == pytest.approx(1.0)   # 1.0 falls in the last bin


def test_most_confident_half_counts_ties_at_the_boundary_as_a_random_draw():
    assert most_confident_half_accuracy([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]) == 1.0
    # top 2 of 4 all tied at 1.0 with half of them right: expected 0.5 whatever the order
    assert most_confident_half_accuracy([1, 1, 1, 1], [1, 0, 1, 0]) == pytest.approx(0.5)
    assert most_confident_half_accuracy([1, 0.5, 0.5, 0.1], [1, 1, 0, 0]) == pytest.approx(0.75)


def test_cross_fitting_never_uses_an_answer_to_calibrate_itself():
    rng = np.random.default_rng(5)
    raw = rng.uniform(size=40)
    right = (rng.uniform(size=40) < raw).astype(float)
    before = cross_fitted(raw, right)
    for i in range(40):
        flipped = right.copy()
        flipped[i] = 1 - flipped[i]
        assert cross_fitted(raw, flipped)[i] == pytest.approx(before[i])


def test_calibration_fixes_an_overconfident_model_and_stores_a_map_only_with_enough_answers():
    rng = np.random.default_rng(11)
    raw = rng.uniform(0.5, 1.0, size=400)
    right = list(rng.uniform(size=400) < (raw - 0.5) * 1.6)     # says 0.5-1.0, is right 0-80 %
    figures = calibrate(list(raw), right)
    assert figures.ece_raw > 0.2 and figures.ece_calibrated < 0.08
    assert figures.top_half_accuracy > figures.accuracy + 0.1
    assert figures.mapping is not None and "cross-fitted" in figures.in_words()
    few = calibrate(list(raw[: MIN_ANSWERS - 1]), right[: MIN_ANSWERS - 1])
    assert few.mapping is None and "no map stored" in few.in_words()
    assert calibrate([], []) is None


def test_confidence_in_words():
    assert in_words(None, None) is None
    assert in_words(0.93, None).startswith("Confidence not calibrated")
    assert in_words(0.82, 120) == "Confidence 0.82 (calibrated on 120 labelled answers)"
    assert in_words(0.31, 120).startswith("Low confidence: 0.31")
    assert is_low(LOW_CONFIDENCE - 0.01, 50) and not is_low(LOW_CONFIDENCE, 50)
    assert not is_low(0.01, None)   # a raw number is not a probability: never called low


# -- what counts as right ------------------------------------------------------------------------

def test_a_chest_xray_answer_is_right_only_with_every_label_right():
    labels = {key: "not mentioned" for key in CHEXPERT_LABELS.values()}
    one_wrong = {**labels, "cardiomegaly": "positive"}
    assert answer_right("abnormality_detection", labels, labels)
    assert not answer_right("abnormality_detection", labels, one_wrong)
    assert answer_right("n_staging", {"n_stage": "N1"}, {"n_stage": "N1a"})   # the task's own metric: N groups


def test_report_calibrates_on_model_answers_only_scored_on_the_raw_answer():
    right, wrong = {"m_stage": "M0"}, {"m_stage": "M1"}
    answers = ([Answer(f"s{i}", right, right, "stated_in_document") for i in range(5)]              # tools: not counted
               + [Answer(f"m{i}", right, right, "model", right, 0.9) for i in range(12)]
               + [Answer(f"w{i}", right, None, "withheld", wrong, 0.6) for i in range(12)])       # withheld: counted
    r = report("m_staging", answers)
    assert r.calibration.n == 24 and r.calibration.accuracy == pytest.approx(0.5)
    assert r.calibration.top_half_accuracy == pytest.approx(1.0)
    assert r.calibration.mapping(0.9) == pytest.approx(1.0) and r.calibration.mapping(0.6) == pytest.approx(0.0)
    assert r.as_dict()["calibration"]["n"] == 24
    assert "confidence: 24 model answers; ECE raw" in table([r])
    only_tools = report("m_staging", answers[:5])
    assert only_tools.calibration is None and "confidence:" not in table([only_tools])


# -- stored, and used at run time ------------------------------------------------------------------

def test_migration_adds_the_calibration_table_and_result_columns(app):
    assert "calibration" in app.db.table_names()
    assert {"confidence_raw", "confidence_kind", "calibrated_on"} <= set(app.db["results"].columns_dict)


def test_store_reports_keeps_the_map_and_the_newest_serves(app, tmp_path):
    labelled = tmp_path / "dev.jsonl"
    labelled.write_text("{}\n")
    right, wrong = {"m_stage": "M0"}, {"m_stage": "M1"}
    answers = {"m_staging": [Answer(f"a{i}", right, right if i % 2 else wrong, "model", right if i % 2 else wrong,
                                    0.9 if i % 2 else 0.4) for i in range(30)]}
    reports = store_reports(app, labelled, answers, model_only=True)
    assert reports[0].calibration.n == 30
    entry = app.model_entry("m_staging")
    found = lookup(app.db, "m_staging", entry.sha256, None)
    assert found.n == 30 and found.dataset == "dev.jsonl"
    assert confidence_fields(app.db, "m_staging", entry.sha256, None, 0.9) == {
        "confidence": 1.0, "confidence_raw": 0.9, "calibrated_on": 30}
    assert confidence_fields(app.db, "m_staging", entry.sha256, {"sha256": "f" * 64}, 0.9)["calibrated_on"] is None
    assert confidence_fields(app.db, "n_staging", entry.sha256, None, 0.9) == {
        "confidence": 0.9, "confidence_raw": 0.9, "calibrated_on": None}
    answers["m_staging"] = answers["m_staging"][:25]
    store_reports(app, labelled, answers, model_only=True)
    assert lookup(app.db, "m_staging", entry.sha256, None).n == 25


def _process(app, tmp_path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text)
    return app.process(read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes))


def test_a_model_answer_carries_the_calibrated_confidence_and_the_raw_one_in_results_and_outbox(app, tmp_path):
    use_fake_engine(app, FakeEngine(qa_by_confidence))
    open_gate(app, "radiology_qa")
    before = _process(app, tmp_path, "raw.txt", QA.format(question="How large is the lesion?"))
    assert before["results"]["radiology_qa"] == QA_ANSWER
    assert before["confidence"]["radiology_qa"] == 0.95
    assert before["confidence_detail"]["radiology_qa"] == {"kind": "raw", "raw": 0.95, "calibrated_on": None,
                                                           "low": False}
    store_map(app, "radiology_qa")
    low = _process(app, tmp_path, "low.txt", QA.format(question="unsure: how large is the lesion?"))
    assert low["confidence"]["radiology_qa"] == pytest.approx(0.18)
    assert low["confidence_detail"]["radiology_qa"] == {"kind": "calibrated", "raw": 0.2, "calibrated_on": 40,
                                                        "low": True}
    row = next(app.db.query("SELECT * FROM results WHERE confidence_kind = 'calibrated'"))
    assert row["confidence_raw"] == 0.2 and row["calibrated_on"] == 40
    assert json.loads((app.home.outbox / next(p.name for p in app.home.outbox.iterdir()
                                              if p.name.startswith("low."))).read_text())["confidence_detail"]


def test_tool_answers_carry_no_confidence(app, tmp_path):
    record = _process(app, tmp_path, "stated.txt", "EXAM: Mammogram.\nFINDINGS: Spiculated mass.\nIMPRESSION: BI-RADS 5.\n")
    assert record["results"]["rads_assignment"]["category"] == "5"
    assert record["confidence"] == {} and record["confidence_detail"] == {}


def test_eval_calibrates_on_the_raw_confidence_even_once_a_map_serves(app):
    use_fake_engine(app, FakeEngine(qa_by_confidence))
    store_map(app, "radiology_qa")
    items = [{"id": "1", "text": QA.format(question="unsure: size?"), "expected": {"radiology_qa": {"answer": "2.3 cm"}}},
             {"id": "2", "text": QA.format(question="size?"), "expected": {"radiology_qa": {"answer": "4 cm"}}}]
    answers = evaluate(app, items, model_only=True)["radiology_qa"]
    assert [a.confidence for a in answers] == [0.2, 0.95]
    assert [answer_right("radiology_qa", a.expected, a.raw) for a in answers] == [True, False]
