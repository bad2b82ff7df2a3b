"""`appliance eval` scores RADS feature reading (rads_features) and stores the capability gate's evidence.

A RADS calculator that cannot read a feature asks the model that one feature
(processor.ask_features); the category it gives is withheld unless the gate has passing
evidence for "rads_features" on this model and adapter. `appliance eval --tasks
rads_features` is where that evidence comes from: the model's answer to the labelled
feature's question on the deployed path, beside the most common gold value per feature.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlite_utils

from appliance import capability
from appliance.evaluation import (NOT_ASKED, Answer, baseline_of, evaluate, expected_by_task, feature_answer,
                                  read_labelled, report, scored_task, table)
from appliance.evaluation_store import store_reports
from appliance.pipeline.processor import TaskRun
from appliance.tasks import get_task
from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME

from .conftest import DATA, run_cli

HYPO = {"system": "TI-RADS", "feature": "echogenicity", "value": "hypoechoic"}
VERY_HYPO = {"system": "TI-RADS", "feature": "echogenicity", "value": "very hypoechoic"}
CYSTIC = {"system": "TI-RADS", "feature": "composition", "value": "cystic or almost completely cystic"}


def _run(*features: dict, error: str | None = None) -> TaskRun:
    """A deployed rads_assignment run whose calculator asked these features (as ask_features records them)."""
    read = [{"lesion": None, "evidence": "darker than the gland", "confidence": 0.7, **f} for f in features]
    return TaskRun("rads_assignment", None, error, working={"model_features": read} if read else None)


# -- scoring (no model) ----------------------------------------------------------------------------

def test_a_feature_label_adds_rads_features_beside_the_category():
    label = {"system": "TI-RADS", "category": "TR5", "feature": "shape", "value": "taller-than-wide",
             "lesion": "nodule 2"}
    assert expected_by_task(label) == {
        "rads_assignment": {"system": "TI-RADS", "category": "TR5"},
        TASK_NAME: {"system": "TI-RADS", "feature": "shape", "value": "taller-than-wide", "lesion": "nodule 2"}}
    assert expected_by_task({TASK_NAME: HYPO}) == {TASK_NAME: HYPO}
    assert scored_task(TASK_NAME).title == "RADS feature reading"


def test_the_models_answer_to_the_labelled_features_question_is_scored():
    right = feature_answer("a", HYPO, _run({"feature": "echogenicity", "value": "hypoechoic"},
                                           {"feature": "shape", "value": "wider-than-tall"}))
    assert right.source == "model" and right.confidence == 0.7
    assert right.predicted == {"feature": "echogenicity", "lesion": None, "value": "hypoechoic",
                               "evidence": "darker than the gland"}
    wrong = feature_answer("b", HYPO, _run({"feature": "echogenicity", "value": "isoechoic"}))
    unsaid = feature_answer("c", HYPO, _run({"feature": "echogenicity", "value": NOT_DESCRIBED}))
    r = report(TASK_NAME, [right, wrong, unsaid])
    assert r.value == pytest.approx(1 / 3) and r.sources == {"model": 3}
    assert r.metric_name == "feature value accuracy" and r.calibration.n == 3


def test_a_report_where_the_calculator_did_not_ask_the_gold_feature_counts_as_not_answered():
    others = feature_answer("a", HYPO, _run({"feature": "shape", "value": "wider-than-tall"}))
    computed = feature_answer("b", HYPO, _run())                       # the calculator read everything itself
    not_planned = feature_answer("c", HYPO, None)
    failed = feature_answer("d", HYPO, _run({"feature": "echogenicity", "value": None, "error": "too long"}))
    crashed = feature_answer("e", HYPO, _run(error="needs two parts"))
    assert [a.source for a in (others, computed, not_planned, failed, crashed)] == [
        NOT_ASKED, NOT_ASKED, "not planned", "error", "error"]
    r = report(TASK_NAME, [others, computed, not_planned, failed, crashed])
    assert r.value == 0.0 and r.calibration is None                   # no model answer to calibrate on
    assert "not asked: 2 of 5 reports" in table([r])


def test_the_labelled_lesion_must_be_the_one_asked_about():
    label = {**HYPO, "lesion": "nodule 2"}
    other = feature_answer("a", label, _run({"feature": "echogenicity", "value": "hypoechoic", "lesion": "nodule 1"}))
    same = feature_answer("b", label, _run({"feature": "echogenicity", "value": "isoechoic", "lesion": "nodule 1"},
                                           {"feature": "echogenicity", "value": "hypoechoic", "lesion": "nodule 2"}))
    assert other.source == NOT_ASKED and same.predicted["value"] == "hypoechoic"


def test_the_baseline_is_the_most_common_gold_value_per_feature():
    expected = [HYPO, HYPO, VERY_HYPO, CYSTIC]
    value, name = baseline_of(TASK_NAME, expected)
    assert value == pytest.approx(3 / 4) and "per feature (2 features)" in name
    answers = [Answer(str(i), e, {**e, "lesion": None, "evidence": "x"}, "model") for i, e in enumerate(expected)]
    assert report(TASK_NAME, answers).value == 1.0


def test_the_evidence_is_stored_without_model_only_and_the_gate_decides_by_the_usual_rule(app, tmp_path):
    labelled = tmp_path / "features.jsonl"
    labelled.write_text("{}\n")
    entry = app.model_entry(TASK_NAME)
    labels = [HYPO, VERY_HYPO, CYSTIC] * 10
    good = [Answer(str(i), e, {**e, "lesion": None, "evidence": "x"}, "model", {**e, "lesion": None, "evidence": "x"},
                   0.9) for i, e in enumerate(labels)]
    store_reports(app, labelled, {TASK_NAME: good}, model_only=False)
    found = capability.evidence(app.db, TASK_NAME, entry.sha256, None)
    assert found.n == 30 and found.value == 1.0 and found.baseline == pytest.approx(20 / 30)
    assert capability.withheld_reason(app.db, TASK_NAME, entry.sha256, None) is None
    assert app.db["calibration"].count == 1                            # 30 model answers: a map is kept
    guessing = [Answer(a.id, a.expected, {**HYPO, "lesion": None, "evidence": "x"}, "model") for a in good]
    store_reports(app, labelled, {TASK_NAME: guessing}, model_only=False)
    assert "measured: feature value accuracy" in capability.withheld_reason(app.db, TASK_NAME, entry.sha256, None)


def test_an_unknown_task_name_is_refused_naming_the_known_ones(home_dir, tmp_path):
    labelled = tmp_path / "features.jsonl"
    labelled.write_text(json.dumps({"id": "x", "text": "x", "label": HYPO}) + "\n")
    result = run_cli("eval", str(labelled), "--tasks", "rads_feature", home=home_dir)
    assert result.returncode == 2 and "rads_features" in result.stderr


# Features labelled only among the first 28 reports of rads_features.jsonl (one or two reports each).
# Every other labelled feature has at least 8 reports, its values spread, so that the most common gold
# value per feature (the baseline) is a bar a model must clear by reading the prose.
ORIGINAL_ONLY_FEATURES = {
    ("LI-RADS", "enhancing capsule"), ("LI-RADS", "treatment response"),
    ("PI-RADS", "contrast enhancement (DCE)"), ("PI-RADS", "zone"),
    ("O-RADS", "number of papillary projections"), ("O-RADS", "time-intensity curve of the solid tissue"),
    ("O-RADS", "cyst fluid content"), ("GB-RADS", "interface with the liver"),
}


def test_every_free_prose_feature_report_is_asked_its_labelled_feature():
    """No model: in every labelled report the calculator leaves the category open and asks the labelled
    feature (of the labelled lesion, where the label names one), offers the gold value, and the gold value
    resolves to the labelled category; a report it reads whole would only ever score "not asked"."""
    task = get_task("rads_assignment")
    rows = [json.loads(line) for line in (DATA / "labelled/rads_features.jsonl").read_text().splitlines()
            if line.strip()]
    wrong = []
    for row in rows:
        label = row["label"]
        answer = task.run_tools(row["text"])
        if answer is None or answer.output is not None or answer.system != label["system"]:
            wrong.append(f"{row['id']}: not left open under {label['system']}")
            continue
        asked = [q for q in answer.questions if q.feature == label["feature"]
                 and (label.get("lesion") is None or q.lesion in (None, label["lesion"]))]
        if not asked:
            wrong.append(f"{row['id']}: {label['feature']!r} not asked; asked {[q.as_dict() for q in answer.questions]}")
        elif label["value"] not in asked[0].values:
            wrong.append(f"{row['id']}: {label['value']!r} is not one of {asked[0].values}")
        elif label["category"] not in (got := answer.resolve({asked[0]: label["value"]})):
            wrong.append(f"{row['id']}: {label['value']!r} resolves to {sorted(got)}, not {label['category']}")
    assert not wrong, "\n".join(wrong)
    per_feature = Counter((row["label"]["system"], row["label"]["feature"]) for row in rows)
    thin = {feature: n for feature, n in per_feature.items() if n < 8 and feature not in ORIGINAL_ONLY_FEATURES}
    assert not thin, f"features with fewer than 8 reports: {thin}"


# -- the real embedded model on a few reports -------------------------------------------------------

# A report the TI-RADS calculator reads whole: the echogenicity is never asked of the model.
COMPUTED = {"id": "computed", "text": "US THYROID\nRight lobe: 1.5 cm solid hypoechoic nodule, wider than tall, "
                                      "smooth margins, no echogenic foci.\nIMPRESSION: Right thyroid nodule.",
            "label": {"system": "TI-RADS", "category": "TR4", "feature": "echogenicity", "value": "hypoechoic"}}


@pytest.mark.slow
def test_eval_stores_rads_features_evidence_and_the_embedded_model_does_not_pass_the_gate(home_dir, tmp_path):
    rows = {json.loads(line)["id"]: line for line in (DATA / "labelled/rads_features.jsonl").read_text().splitlines()}
    labelled = tmp_path / "features.jsonl"
    labelled.write_text("".join(rows[i] + "\n" for i in ("tif-01", "tif-06", "vif-02")) + json.dumps(COMPUTED) + "\n")
    out = tmp_path / "report"
    result = run_cli("eval", str(labelled), "--tasks", TASK_NAME, "--out", str(out), home=home_dir, check=True)
    assert "rads_features" in result.stdout and "not asked: 1 of 4 reports" in result.stdout

    saved = json.loads((out / "report.json").read_text())
    [features] = saved["reports"]
    assert features["task"] == TASK_NAME and features["n"] == 4
    assert features["sources"].get(NOT_ASKED) == 1 and features["sources"].get("model", 0) + \
        features["sources"].get("error", 0) == 3
    assert features["baseline"] == pytest.approx(3 / 4)               # echogenicity 2 of 3, muscularis 1 of 1
    for answer in saved["answers"][TASK_NAME]:
        if answer["source"] == "model":
            assert answer["predicted"]["feature"] == answer["expected"]["feature"]

    db = sqlite_utils.Database(home_dir / "appliance.db")
    [row] = list(db.query("SELECT * FROM capability WHERE task = ?", [TASK_NAME]))
    assert row["n"] == 4 and row["baseline"] == pytest.approx(3 / 4) and row["adapter_sha256"] == ""
    assert row["value"] == pytest.approx(features["value"]) and row["metric"] == "feature value accuracy"
    assert list(db.query("SELECT model_only FROM evaluations WHERE task = ?", [TASK_NAME])) == [{"model_only": 1}]
    # At most 3 of 4 right (one report is never asked): the interval cannot clear the 0.75 baseline.
    reason = capability.withheld_reason(db, TASK_NAME, row["model_sha256"], None)
    assert reason is not None and "feature value accuracy" in reason


def test_evaluate_reads_the_feature_from_the_same_run_as_the_category(app, tmp_path):
    """No model: a report the calculator reads whole gives its category once and no feature question."""
    path = tmp_path / "computed.jsonl"
    path.write_text(json.dumps(COMPUTED) + "\n")
    answers = evaluate(app, read_labelled(path))
    assert answers["rads_assignment"][0].source == "computed"
    assert answers[TASK_NAME][0].source == NOT_ASKED and answers[TASK_NAME][0].predicted is None
