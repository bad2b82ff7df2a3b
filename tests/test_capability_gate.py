"""The capability gate: a model answer without measured evidence is withheld, never dressed up as a result."""

from __future__ import annotations

import json

import pytest

from appliance import capability
from appliance.pipeline.reader import read_document
from appliance.store.tx import transaction

pytestmark = pytest.mark.slow

QA = ("QUESTION:\nHow large is the liver lesion?\nREPORT:\nEXAM: MRI abdomen.\nFINDINGS: A 2.3 cm arterially "
      "enhancing lesion in hepatic segment 7. The spleen is normal.\n")


def _process(app, tmp_path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text)
    return app.process(read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes))


def _evidence(app, task: str, value: float, ci_low: float, baseline: float) -> None:
    entry = app.model_entry(task)
    with transaction(app.db):
        capability.record(app.db, {"task": task, "model_sha256": entry.sha256, "adapter_sha256": "",
                                   "metric": "accuracy", "value": value, "ci_low": ci_low, "ci_high": value + 0.05,
                                   "baseline": baseline, "baseline_name": "constant answer", "n": 40,
                                   "dataset": "clinic.jsonl", "dataset_sha256": "0" * 64})


def test_model_answer_without_evidence_is_withheld_with_its_raw_answer_kept(app, tmp_path):
    record = _process(app, tmp_path, "qa.txt", QA)
    assert "radiology_qa" not in record["results"]
    assert record["withheld"]["radiology_qa"].startswith(capability.WITHHELD_WORDS)
    assert "no measured evidence" in record["withheld"]["radiology_qa"]
    raw = record["unverified"]["radiology_qa"]
    assert set(raw) == {"answer", "evidence"}  # the model's answer is kept, marked unverified
    row = next(app.db.query("SELECT status, withheld, output FROM results"))
    assert row["status"] == "withheld" and json.loads(row["output"]) == raw


def test_evidence_that_beats_the_baseline_opens_the_gate_and_evidence_that_does_not_keeps_it_shut(app, tmp_path):
    _evidence(app, "radiology_qa", value=0.62, ci_low=0.55, baseline=0.65)
    record = _process(app, tmp_path, "qa1.txt", QA)
    reason = record["withheld"]["radiology_qa"]
    assert "accuracy 0.62" in reason and "constant answer 0.65" in reason and "40 items of clinic.jsonl" in reason

    _evidence(app, "radiology_qa", value=0.9, ci_low=0.8, baseline=0.65)
    record = _process(app, tmp_path, "qa2.txt", QA + "\nAddendum: no change.\n")
    assert "radiology_qa" in record["results"] and record["provenance"]["radiology_qa"] == "model"
    assert record["withheld"] == {}


def test_tools_are_not_gated(app, tmp_path):
    record = _process(app, tmp_path, "stated.txt",
                      "EXAM: Mammogram.\nFINDINGS: Spiculated mass.\nIMPRESSION: BI-RADS 5.\n")
    assert record["results"]["rads_assignment"]["category"] == "5"
    assert record["provenance"]["rads_assignment"] == "stated_in_document"
    assert record["withheld"] == {}
