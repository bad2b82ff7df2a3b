"""A truncated or invalid output is an error that is reported and recorded, never a result."""

from __future__ import annotations

import dataclasses
import json

import pytest

import appliance.engine.llm as llm
from appliance.engine.grammar import GrammarSpec
from appliance.errors import OutputError
from appliance.pipeline.reader import read_document
from appliance.engine.templates import TEMPLATES
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt
from appliance.tasks.differential_diagnosis import DifferentialDiagnosis

from .conftest import DATA

pytestmark = pytest.mark.slow


def test_real_model_cut_off_at_max_tokens_raises(app, monkeypatch):
    entry, engine = app.engine()
    real = llm.grammar_for(DifferentialDiagnosis)
    # Pretend the grammar is tiny so the budget check lets a too-small max_tokens through.
    monkeypatch.setattr(llm, "grammar_for", lambda cls: (GrammarSpec(real[0].gbnf, 1), real[1]))
    prompt = build_prompt(TEMPLATES[entry.chat_template], "Patient with fever and cough.",
                          TASKS["differential_diagnosis"])
    with pytest.raises(OutputError, match="truncated at 12 tokens"):
        engine.generate(prompt, DifferentialDiagnosis, max_tokens=12)


def test_budget_below_the_grammar_bound_is_refused_before_decoding(app):
    _, engine = app.engine()
    with pytest.raises(OutputError, match="below the grammar's longest output"):
        engine.generate(build_prompt(TEMPLATES["chatml"], "x", TASKS["differential_diagnosis"]),
                        DifferentialDiagnosis, max_tokens=50)


def test_failed_task_is_recorded_as_error_and_not_as_result(app, monkeypatch):
    # No tool, so the model is asked, with a budget too small for the grammar's longest answer.
    small = dataclasses.replace(TASKS["differential_diagnosis"], budget=50, tools=())
    monkeypatch.setitem(TASKS, "differential_diagnosis", small)
    doc = read_document(DATA / "chest_pain_note.txt", 10**6)
    record = app.process(doc, ["differential_diagnosis"])
    assert record["results"] == {}
    assert "below the grammar's longest output" in record["errors"]["differential_diagnosis"]
    assert record["status"] == "failed" and "task_failed:differential_diagnosis" in record["flags"]
    rows = list(app.db.query("SELECT status, output, error FROM results"))
    assert [(r["status"], r["output"]) for r in rows] == [("error", None)]
    events = [r["event"] for r in app.db.query("SELECT event FROM audit ORDER BY id")]
    assert "task_error" in events and "job_failed" in events
    outbox = json.loads(next((app.home.outbox).glob("*.json")).read_text())
    assert outbox["results"] == {} and "differential_diagnosis" in outbox["errors"]
