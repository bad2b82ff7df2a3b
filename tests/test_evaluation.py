"""`appliance eval`: the deployed path, each metric beside the strongest constant baseline."""

from __future__ import annotations

import json

import pytest

from appliance.evaluation import best_constant, bootstrap, evaluate, expected_by_task, read_labelled, report
from appliance.errors import InputError
from appliance.pipeline.reader import read_document
from appliance.tasks import TASKS

from .conftest import run_cli

DOCS = [
    {"id": "stated-birads", "text": "EXAM: Screening mammogram.\nFINDINGS: Scattered fibroglandular density. "
                                    "No suspicious mass.\nIMPRESSION: Negative. BI-RADS 1.",
     "label": {"system": "BI-RADS", "category": "1"}},
    {"id": "stated-tnm", "text": "EXAM: CT chest, abdomen and pelvis, staging.\nFINDINGS: 3 cm right upper lobe "
                                 "mass.\nIMPRESSION: Lung carcinoma, T2 N2 M0.",
     "label": {"N": "N2", "M": "M0"}},
    {"id": "chest-note", "text": "58-year-old man with crushing central chest pain for 40 minutes, sweating and "
                                 "nausea. HR 110, BP 150/95, SpO2 96%.",
     "label": {"disposition": "emergency"}},
    {"id": "cold", "text": "23-year-old woman with a runny nose, mild sore throat and sneezing for two days. "
                           "Eating and drinking normally. No fever.",
     "label": {"disposition": "self-care"}},
]


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS))
    return path


def test_short_label_forms_expand_to_tasks():
    assert expected_by_task({"N": "N1", "M": None}) == {"n_staging": {"n_stage": "N1"}}
    assert expected_by_task({"system": "TI-RADS", "category": "TR4"}) == {
        "rads_assignment": {"system": "TI-RADS", "category": "TR4"}}
    assert expected_by_task({"m_staging": {"m_stage": "M1"}}) == {"m_staging": {"m_stage": "M1"}}
    assert "differential_diagnosis" in expected_by_task({"diagnosis": "appendicitis"})


def test_the_baseline_is_the_strongest_constant_on_the_same_items():
    metric = TASKS["m_staging"].metric
    labels = [{"m_stage": "M0"}] * 25 + [{"m_stage": "M1"}]
    value, name = best_constant(metric, labels)
    assert value == pytest.approx(25 / 26) and "M0" in name


def test_bootstrap_interval_brackets_the_mean():
    low, high = bootstrap([1.0] * 30 + [0.0] * 10)
    assert low < 0.75 < high and 0.5 < low and high <= 1.0


def test_a_bad_labelled_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "x", "label": {}}\nnot json\n')
    with pytest.raises(InputError, match=r"bad\.jsonl, line 2"):
        read_labelled(path)


def test_eval_gives_the_same_answers_as_process(app, labelled, tmp_path):
    """One code path: what eval scores is exactly what `process` presents for the same document."""
    items = read_labelled(labelled)
    answers = evaluate(app, items)
    for doc in DOCS:
        path = tmp_path / f"{doc['id']}.txt"
        path.write_text(doc["text"])
        record = app.process(read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes))
        for task, rows in answers.items():
            for row in rows:
                if row.id == doc["id"]:
                    assert row.predicted == record["results"].get(task), (doc["id"], task)
    rads = report("rads_assignment", answers["rads_assignment"])
    assert rads.value == 1.0 and rads.sources == {"stated_in_document": 1}
    triage = report("triage", answers["triage"])
    assert triage.n == 2 and triage.sources == {"computed": 2}


def test_eval_command_prints_metric_beside_baseline_and_stores_the_run(home_dir, labelled, tmp_path):
    out = tmp_path / "report"
    result = run_cli("eval", str(labelled), "--out", str(out), home=home_dir, check=True)
    assert "baseline" in result.stdout and "n_staging" in result.stdout and "triage" in result.stdout
    saved = json.loads((out / "report.json").read_text())
    assert {r["task"] for r in saved["reports"]} == {"rads_assignment", "n_staging", "m_staging", "triage"}
    import sqlite_utils

    db = sqlite_utils.Database(home_dir / "appliance.db")
    rows = list(db.query("SELECT task, dataset, dataset_sha256, model_sha256 FROM evaluations"))
    assert len(rows) == 4 and all(len(r["dataset_sha256"]) == 64 for r in rows)
