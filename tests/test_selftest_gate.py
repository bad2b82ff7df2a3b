"""Selftest's tiny evaluation (issue 19): the gate's evidence still holds on this build.

No model is loaded: where no task's model answers pass the gate none is asked, and the
served case uses tests/fake_engine.py in place of the model.
"""

from __future__ import annotations

import time

import pytest

from appliance import selftest
from appliance.selftest import CASES as TOOL_CASES, gate_recheck, run_tool_checks
from appliance.selftest_cases import CASES
from appliance.tasks import TASKS
from appliance.tasks.parts import missing_parts

from .fake_engine import FakeEngine, open_gate, use_fake_engine


def nli_reply(right: bool):
    def reply(prompt: str):
        hypothesis = prompt.rsplit("HYPOTHESIS:", 1)[1]
        label = ("neutral" if "smokes" in hypothesis else "entailment" if "There is a pleural" in hypothesis
                 else "contradiction")
        if not right:
            label = "neutral" if label != "neutral" else "entailment"
        return {"label": label, "evidence": "The"}, 0.9
    return reply


def test_every_task_ships_a_handful_of_labelled_cases_in_the_package():
    assert set(CASES) == set(TASKS)
    for task, cases in CASES.items():
        assert 3 <= len(cases) <= 5, task
        for text, expected in cases:
            assert not missing_parts(task, text), (task, text[:40])
            fields = set(TASKS[task].output.model_fields)
            assert fields == {"root"} or set(expected) - {"disposition"} <= fields, task   # RADS: a model per system
    assert selftest.__file__.endswith("selftest.py")  # Python data: in every installed wheel, no package-data


def test_with_no_task_served_by_the_model_nothing_loads_and_the_tools_are_rechecked(app):
    engine = use_fake_engine(app, FakeEngine(lambda prompt: ({}, 1.0)))
    started = time.perf_counter()
    detail = gate_recheck(app)
    assert time.perf_counter() - started < 2.0
    assert detail == "no model answers are served as results; nothing to re-check"
    assert engine.calls == 0


def test_a_wrong_deterministic_answer_fails_in_words():
    task, text, key, _, source = TOOL_CASES[1]
    with pytest.raises(RuntimeError, match="RADS category TR3 computed by the rules: got TR5 computed"):
        run_tool_checks([(task, text, key, "TR3", source)])
    task, text, key, want, _ = TOOL_CASES[0]   # the right value from the wrong source fails too
    with pytest.raises(RuntimeError, match="RADS category 1 computed by the rules: got 1 stated in the report"):
        run_tool_checks([(task, text, key, want, "computed")])


def test_a_served_task_is_rechecked_on_its_cases_against_the_stored_baseline(app):
    open_gate(app, "radiology_nli")                     # stored baseline 0.5
    engine = use_fake_engine(app, FakeEngine(nli_reply(right=True)))
    detail = gate_recheck(app)
    assert engine.calls == len(CASES["radiology_nli"])
    assert detail.startswith(TASKS["radiology_nli"].title)
    assert "1.00 on 3 labelled cases, stored baseline 0.50" in detail
    assert "radiology_nli" not in detail                 # the clinician's words, not the internal name


def test_a_served_task_that_no_longer_beats_its_baseline_fails_the_selftest(app):
    open_gate(app, "radiology_nli")
    use_fake_engine(app, FakeEngine(nli_reply(right=False)))
    with pytest.raises(RuntimeError, match="no longer holds.*0.00 on 3 labelled cases"):
        gate_recheck(app)


def test_with_the_gate_switched_off_the_check_says_so(app):
    app.settings.gate_model_answers = False
    with pytest.raises(RuntimeError, match="switched off"):
        gate_recheck(app)
