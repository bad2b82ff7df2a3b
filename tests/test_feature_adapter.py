"""An adapter may be trained for, and serve, feature reading (rads_features): bundles say so, and
its golden case asks the question the RADS calculator asks. No model is loaded here."""

from __future__ import annotations

import pytest

from appliance.adapters.golden import _feature_question
from appliance.errors import InputError
from appliance.tasks import FEATURE_TASK, SERVABLE, TASKS, title
from appliance.tasks.feature_question import GOLDEN, TASK_NAME


def test_feature_reading_is_servable_and_has_plain_words():
    assert TASK_NAME == FEATURE_TASK and FEATURE_TASK in SERVABLE and FEATURE_TASK not in TASKS
    assert title(FEATURE_TASK) == "RADS feature reading"
    assert title("n_staging") == TASKS["n_staging"].title


def test_manifest_accepts_feature_reading_and_still_refuses_unknown_tasks():
    from appliance.adapters.bundle import Manifest

    assert Manifest._known_tasks([FEATURE_TASK, "triage"]) == [FEATURE_TASK, "triage"]
    with pytest.raises(ValueError, match="unknown task"):
        Manifest._known_tasks(["rads_featurez"])


def test_golden_case_asks_the_calculators_question():
    task = _feature_question(GOLDEN)
    assert task.name == FEATURE_TASK and "echogenicity" in task.instruction and "left lobe" in task.instruction
    with pytest.raises(InputError, match="asks none"):
        _feature_question("CT head: no acute intracranial abnormality.")


def test_trainer_bundle_defaults_to_the_feature_golden_report():
    from trainer.bundle import read_golden_inputs

    assert read_golden_inputs(None, [FEATURE_TASK]) == [(FEATURE_TASK, GOLDEN)]
