"""Class balance of the training mix and the data card (trainer/balance.py). No model."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from trainer.balance import allocate, balanced_mix, impression_class, strata
from trainer.dataset import PRESET_WEIGHTS, build_dataset, weighted_mix

from .test_trainer_builders import small_csv  # noqa: F401 (fixture)

NORMAL = ["No acute cardiopulmonary disease.", "No active disease.", "Negative for acute abnormality.",
          "1. No acute radiographic cardiopulmonary process.", "Clear lungs. No acute cardiopulmonary abnormality."]
FINDING = ["Cardiomegaly with small left effusion.", "Right lower lobe pneumonia.",
           "1. No acute pulmonary abnormality. 2. Mild cardiomegaly without pulmonary edema.",
           "Minimal atelectasis left base, no acute abnormality.", "Hyperexpanded lungs, suggestive of emphysema."]


def _impressions(normal: int, finding: int) -> list[dict]:
    rows = [("n", NORMAL[i % len(NORMAL)], i) for i in range(normal)]
    rows += [("f", FINDING[i % len(FINDING)], i) for i in range(finding)]
    return [{"task": "impression_generation", "input": f"FINDINGS: report {kind}{i}.", "output": {"impression": text},
             "group": f"{kind}{i}", "source": "test"} for kind, text, i in rows]


def _labels(positives: list[str], normal: bool = False) -> dict:
    from appliance.tasks.abnormality_detection import CHEXPERT_LABELS

    out = {key: "not_mentioned" for key in CHEXPERT_LABELS.values()}
    out.update({key: "positive" for key in positives})
    out["no_finding"] = "positive" if normal else "negative"
    return {"task": "abnormality_detection", "input": "x", "output": out, "group": "g", "source": "test"}


@pytest.mark.parametrize("text", NORMAL)
def test_a_normal_statement_is_normal(text):
    assert impression_class(text) == "normal"


@pytest.mark.parametrize("text", FINDING)
def test_an_impression_naming_a_finding_is_a_finding(text):
    assert impression_class(text) == "finding"


def test_allocation_is_equal_at_power_zero_and_respects_the_repeat_cap():
    assert allocate({"normal": 80, "finding": 20}, 100, power=0, max_repeat=4) == {"normal": 50, "finding": 50}
    # The finding stratum can give at most 4 x 10 = 40; the rest goes to normal.
    assert allocate({"normal": 90, "finding": 10}, 100, power=0, max_repeat=4) == {"normal": 60, "finding": 40}
    # Power 0.5: 100 : 25 is 10 : 5.
    assert allocate({"a": 100, "b": 25}, 150, power=0.5, max_repeat=4) == {"a": 100, "b": 50}
    got = allocate({"a": 7, "b": 3, "c": 1}, 22, power=0, max_repeat=4)
    assert sum(got.values()) == 22 and got["c"] == 4


def test_impressions_are_balanced_and_the_task_keeps_its_weighted_share():
    examples = _impressions(80, 20)
    mix = balanced_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)
    classes = Counter(impression_class(e["output"]["impression"]) for e in mix)
    assert len(mix) == 150  # impression weight 1.5, as without balance
    assert classes == {"normal": 75, "finding": 75}
    assert max(Counter(e["group"] for e in mix).values()) <= 4
    assert mix == balanced_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)  # seeded


def test_without_balance_the_mix_is_the_plain_task_weighted_one():
    examples = _impressions(80, 20)
    mix = weighted_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)
    classes = Counter(impression_class(e["output"]["impression"]) for e in mix)
    # Every example once, and a random half of them once more: the natural 4 : 1, give or take the draw.
    assert len(mix) == 150 and sorted(Counter(e["group"] for e in mix).values()) == [1] * 50 + [2] * 50
    assert 20 <= classes["finding"] <= 40


def test_positive_labels_are_not_drowned_by_normal_studies():
    examples = [_labels([], normal=True) for _ in range(200)] + [_labels(["cardiomegaly"]) for _ in range(40)]
    examples += [_labels(["cardiomegaly", "pneumothorax"]) for _ in range(5)]
    assert Counter(strata("abnormality_detection", examples)) == {"no_finding": 200, "cardiomegaly": 40,
                                                                 "pneumothorax": 5}  # the rarest positive
    mix = balanced_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)
    positive = Counter(k for e in mix for k, v in e["output"].items() if v == "positive")
    assert len(mix) == len(examples)
    assert positive["no_finding"] < 200 * 0.8              # normal studies subsampled
    assert positive["pneumothorax"] == 20                  # 5 cases, the most repeats allowed (4x)
    assert positive["cardiomegaly"] > 45 * 1.3


def test_a_task_with_one_class_is_untouched():
    examples = [{**_labels([]), "task": "differential_diagnosis", "output": {"x": i}} for i in range(10)]
    assert strata("differential_diagnosis", examples) == ["all"] * 10
    assert len(balanced_mix(examples, PRESET_WEIGHTS["radlite"])) == 10


def test_build_writes_a_data_card_that_counts_every_split(tmp_path, small_csv):  # noqa: F811
    out = tmp_path / "ds"
    summary = build_dataset(out, openi_csv=small_csv, limit=40, corpus_dir=tmp_path / "no-corpus")
    card = json.loads((out / "data_card.json").read_text())
    assert card["parts"] == ["train_natural", "train", "val", "test"]
    assert summary["balanced"] is True
    for task, entry in card["tasks"].items():
        for part in ("train", "val", "test"):
            assert entry["examples"][part] == summary["counts"][part].get(task, 0), (task, part)
            assert sum(c[part] for c in entry["classes"].values()) == entry["examples"][part]
    assert set(card["tasks"]["n_staging"]["classes"]) <= {"N0", "N1", "N1a", "N1b", "N1c", "N1mi", "N2", "N2a",
                                                          "N2b", "N2c", "N3", "N3a", "N3b", "N3c", "NX"}
    labels = card["tasks"]["abnormality_detection"]["labels"]
    assert labels["cardiomegaly"]["positive"]["train_natural"] >= 0
    text = (out / "data_card.md").read_text()
    assert "| task | class | train_natural | train | val | test |" in text
    assert "| **rads_assignment** | all |" in text and "abnormality_detection: label values" in text
    assert not list(out.glob(".*tmp"))


def test_the_test_split_is_also_written_in_appliance_eval_format(tmp_path, small_csv):  # noqa: F811
    from trainer.dataset import heldout_sets

    test = [
        {**_labels(["cardiomegaly"]), "input": "FINDINGS: big heart.", "group": "openi:1"},
        {**_impressions(0, 1)[0], "group": "openi:2"},
        {"task": "triage", "input": "CC: cough.", "group": "corpus:triage:t1", "source": "corpus",
         "output": {"esi_level": 4, "reason": "r", "initial_management": ["x"], "evidence": "cough"}},
        {"task": "differential_diagnosis", "input": "Fever.", "group": "corpus:differential:d1", "source": "corpus",
         "output": {"most_likely": {"diagnosis": "Influenza"}}},
        {"task": "n_staging", "input": "x", "group": "staging:1", "source": "s", "output": {"n_stage": "N0"}},
    ]
    sets = heldout_sets(test)
    assert sets["openi_chexpert_test.jsonl"][0]["label"] == {"abnormality_detection": test[0]["output"]}
    assert sets["openi_impression_test.jsonl"][0]["label"] == {"impression_generation": test[1]["output"]}
    assert sets["trainer_triage_test.jsonl"][0] == {"id": "corpus:triage:t1#2", "text": "CC: cough.",
                                                    "label": {"triage": {"esi_level": 4}}}
    assert sets["trainer_differential_test.jsonl"][0]["label"] == {"diagnosis": "Influenza"}
    assert len(sets) == 4  # staging has its own dev sets (TCGA), not written here

    out = tmp_path / "ds"
    build_dataset(out, openi_csv=small_csv, limit=60, corpus_dir=tmp_path / "no-corpus")
    heldout = out / "heldout"
    assert heldout.is_dir() and heldout.stat().st_mode & 0o077 == 0   # report text: owner only
