"""The real embedded model is asked the calculator's open features, never the category.

A report whose deciding feature is said in words the lexicon does not read ("darker than
the surrounding thyroid tissue") leaves the TI-RADS calculator with a range. The pipeline
asks the model that one feature (enum of the chart's values or "not described", with a
verbatim quote) and applies the chart to the answer. Without measured evidence that the
model reads features well ("rads_features" in the capability gate) the category stays
withheld, kept as unverified; with passing evidence it is presented, its provenance saying
the features were read by the model.
"""

from __future__ import annotations

import pytest

from appliance import capability
from appliance.engine.llm import Engine
from appliance.pipeline.processor import MODEL_FEATURES
from appliance.pipeline.reader import read_document
from appliance.rads import ti_rads
from appliance.store.tx import transaction
from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME

pytestmark = pytest.mark.slow

THYROID = ("US THYROID\nRt lobe 4.6 x 1.5 x 1.4 cm. Lt lobe 4.4 x 1.3 x 1.2 cm.\nRt mid pole: 1.6 cm solid nodule, "
           "darker than the surrounding thyroid tissue, wider than tall, smooth margins, no echogenic foci.\n"
           "IMP: Rt thyroid nodule.")
ECHOGENICITY = {name for name, _, _ in ti_rads.ECHOGENICITY}


@pytest.fixture
def asked(monkeypatch):
    """Every schema the model is asked to fill, recorded (the call still goes to the real engine)."""
    schemas: list[dict] = []
    real = Engine.generate

    def generate(self, prompt, model_cls, max_tokens, quote_keys=()):
        schemas.append(model_cls.model_json_schema())
        return real(self, prompt, model_cls, max_tokens, quote_keys)

    monkeypatch.setattr(Engine, "generate", generate)
    return schemas


def _evidence(app, value: float, ci_low: float, baseline: float) -> None:
    entry = app.model_entry(TASK_NAME)
    with transaction(app.db):
        capability.record(app.db, {"task": TASK_NAME, "model_sha256": entry.sha256, "adapter_sha256": "",
                                   "metric": "feature accuracy", "value": value, "ci_low": ci_low,
                                   "ci_high": value + 0.05, "baseline": baseline,
                                   "baseline_name": "majority value", "n": 60, "dataset": "features.jsonl",
                                   "dataset_sha256": "0" * 64})


def _check_features(run_working: dict, text: str) -> list[dict]:
    read = run_working["model_features"]
    assert [f["feature"] for f in read] == ["echogenicity"]
    for f in read:
        assert f["value"] in ECHOGENICITY | {NOT_DESCRIBED}
        assert f["evidence"] and f["evidence"] in text  # verbatim, by the engine's quote constraint
    return read


def test_without_evidence_the_model_read_category_stays_withheld_and_unverified(app, tmp_path, asked):
    path = tmp_path / "thyroid.txt"
    path.write_text(THYROID)
    record = app.process(read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes))
    assert "rads_assignment" not in record["results"]
    reason = record["withheld"]["rads_assignment"]
    assert reason.startswith("not enough in the report to decide: missing echogenicity")
    # the model filled one small enum question per open feature, never a category
    assert asked and all("category" not in s["properties"] for s in asked)
    assert asked[0]["properties"]["value"]["enum"] == [name for name, _ in ti_rads.ASKED["echogenicity"]] + [NOT_DESCRIBED]
    working = record["working"]["rads_assignment"]
    read = _check_features(working, THYROID)
    assert record["provenance"] == {}  # nothing presented
    if read[0]["value"] != NOT_DESCRIBED:
        assert f"the model read the echogenicity as '{read[0]['value']}' from \"{read[0]['evidence']}\"" in reason
        assert "(unverified)" in reason and capability.WITHHELD_WORDS in reason
        raw = record["unverified"]["rads_assignment"]
        assert raw["system"] == "TI-RADS" and raw["category"] in ("TR2", "TR3", "TR4")
        assert raw["evidence"] == read[0]["evidence"]
    else:
        assert "the model found none of these described: echogenicity" in reason
        assert "rads_assignment" not in record["unverified"]


# PI-RADS v2.1: a PZ lesion with mild restriction is DWI 3; positive DCE upgrades it to 4, negative leaves 3.
PROSTATE = ("Prostate MRI.\nRight peripheral zone apex: 8 mm focal area with mild restricted diffusion (ADC 1050). "
            "On the contrast series this area lights up early and focally, before the rest of the gland.\n"
            "No extraprostatic extension.")


def _dce(run) -> dict:
    read = run.working["model_features"]
    assert [f["feature"] for f in read] == ["contrast enhancement (DCE)"]
    assert read[0]["evidence"] in PROSTATE
    # Greedy decoding of the embedded model is deterministic: it reads DCE here (not "not described").
    assert read[0]["value"] in ("positive", "negative")
    return read[0]


def test_only_passing_evidence_presents_the_category_as_computed_from_model_read_features(app, asked):
    run = app.run_task(PROSTATE, "rads_assignment")             # no evidence at all
    dce = _dce(run)
    expected = {"positive": "4", "negative": "3"}[dce["value"]]
    assert run.output == {"system": "PI-RADS", "category": expected, "evidence": dce["evidence"]}
    assert run.withheld and "(unverified), which would give PI-RADS " + expected in run.withheld
    assert "no measured evidence" in run.withheld and run.source == "computed"
    assert all("category" not in s["properties"] for s in asked)

    _evidence(app, value=0.6, ci_low=0.4, baseline=0.5)           # measured, does not beat the baseline
    shut = app.run_task(PROSTATE, "rads_assignment")
    assert shut.withheld and "measured: feature accuracy 0.60" in shut.withheld and shut.source == "computed"

    _evidence(app, value=0.9, ci_low=0.8, baseline=0.5)           # beats it
    run = app.run_task(PROSTATE, "rads_assignment")
    dce = _dce(run)
    assert run.withheld is None and run.source == MODEL_FEATURES
    assert run.output == {"system": "PI-RADS", "category": expected, "evidence": dce["evidence"]}
    assert run.model is not None and run.completion_tokens > 0
    assert run.working["guideline"] == "PI-RADS v2.1 (2019)" and run.working["findings"]


def test_with_the_gate_off_the_model_read_category_is_presented(app):
    app.settings.gate_model_answers = False
    run = app.run_task(PROSTATE, "rads_assignment")
    _dce(run)
    assert run.withheld is None and run.source == MODEL_FEATURES and run.output["category"] in ("3", "4")
