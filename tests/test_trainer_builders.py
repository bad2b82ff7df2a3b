"""Training-data builders and the dataset step: rules on hand-checked cases, servable
examples, no stated categories, a leak-free deterministic split, weights, the CLI. No model."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from appliance.tasks import get_task
from appliance.tasks.rads_systems import RADS_CATEGORIES
from appliance.tools.stated import TOOLS
from trainer.builders import openi, rads, staging
from trainer.data import DataError
from trainer.dataset import PRESET_WEIGHTS, build_dataset, dedup, split, validate, weighted_mix

OPENI = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "openi" / "indiana_reports.csv"

# Invented rows in the Open-i layout (no real report text in the tests).
ROWS = [
    {"uid": "1", "MeSH": "normal", "Problems": "normal", "image": "Xray Chest PA and Lateral", "indication": "Cough.",
     "comparison": "None.", "findings": "The heart size is normal. The lungs are clear. No pneumothorax or pleural effusion.",
     "impression": "No acute cardiopulmonary disease."},
    {"uid": "2", "MeSH": "Cardiomegaly/mild;Pleural Effusion/left/small;Catheters, Indwelling/right",
     "Problems": "Cardiomegaly;Pleural Effusion;Catheters, Indwelling", "image": "Chest PA and lateral",
     "indication": "Dyspnea.", "comparison": "", "findings": "Mild cardiomegaly. Small left pleural effusion. "
     "Right-sided central venous catheter tip in the SVC. No pneumothorax. No focal consolidation.",
     "impression": "Cardiomegaly with small left effusion."},
    {"uid": "3", "MeSH": "Aorta/tortuous;Opacity/lung/base/left", "Problems": "Aorta;Opacity", "image": "Chest 2 views",
     "indication": "", "comparison": "", "findings": "Tortuous aorta. Left basilar opacity. Heart size normal.",
     "impression": ""},
    {"uid": "4", "MeSH": "normal", "Problems": "normal", "image": "Chest", "indication": "", "comparison": "",
     "findings": "", "impression": "Normal chest."},
    {"uid": "5", "MeSH": "No Indexing", "Problems": "No Indexing", "image": "Chest", "indication": "", "comparison": "",
     "findings": "Stable appearance.", "impression": "Stable."},
    {"uid": "6", "MeSH": "normal", "Problems": "normal", "image": "Chest", "indication": "", "comparison": "",
     "findings": "Right basilar opacity may represent pneumonia.", "impression": "Possible pneumonia."},
]


@pytest.fixture
def small_csv(tmp_path) -> Path:
    path = tmp_path / "reports.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def _servable(example: dict) -> None:
    """Valid for its task, quotes verbatim, and no stated category the tools would answer with."""
    validate(example, example["group"])
    task = get_task(example["task"])
    for key in task.quote_keys:
        assert example["output"][key] in example["input"]
    if example["task"] in TOOLS:
        assert TOOLS[example["task"]](example["input"]) is None, example["group"]


# ---------------------------------------------------------------- scoring rules

@pytest.mark.parametrize("features, points, category", [
    (("cystic", "anechoic", "wider-than-tall", "smooth", ("none",)), 0, "TR1"),
    (("spongiform", "isoechoic", "wider-than-tall", "smooth", ("none",)), 0, "TR1"),  # spongiform: no further points
    (("mixed", "isoechoic", "wider-than-tall", "smooth", ("none",)), 2, "TR2"),
    (("solid", "isoechoic", "wider-than-tall", "smooth", ("comet-tail",)), 3, "TR3"),
    (("mixed", "hypoechoic", "wider-than-tall", "ill-defined", ("none",)), 3, "TR3"),
    (("solid", "hypoechoic", "wider-than-tall", "smooth", ("none",)), 4, "TR4"),
    (("solid", "hypoechoic", "wider-than-tall", "lobulated", ("none",)), 6, "TR4"),
    (("solid", "hypoechoic", "wider-than-tall", "smooth", ("punctate",)), 7, "TR5"),
    (("solid", "very hypoechoic", "taller-than-wide", "extrathyroidal extension", ("macrocalcifications", "punctate")), 15, "TR5"),
])
def test_tirads_points_and_levels(features, points, category):
    assert rads.tirads_points(*features) == points
    assert rads.tirads_category(points) == category


def test_tirads_has_no_level_for_one_point():
    with pytest.raises(ValueError):
        rads.tirads_category(1)


@pytest.mark.parametrize("args, category", [
    (("none",), "1"), (("benign", 9.0), "1"),
    (("solid", 5.9), "2"), (("solid", 6.0), "3"), (("solid", 7.9), "3"), (("solid", 8.0), "4A"),
    (("solid", 14.9), "4A"), (("solid", 15.0), "4B"),
    (("part-solid", 5.9, 3.0), "2"), (("part-solid", 10.0, 5.9), "3"), (("part-solid", 10.0, 6.0), "4A"),
    (("part-solid", 12.0, 8.0), "4B"),
    (("ground-glass", 29.9), "2"), (("ground-glass", 30.0), "3"),
])
def test_lungrads_baseline(args, category):
    assert rads.lungrads_baseline(*args) == category


@pytest.mark.parametrize("size, aphe, washout, capsule, growth, category", [
    (15, False, False, False, False, "LR-3"), (15, False, True, False, False, "LR-3"),
    (15, False, True, True, False, "LR-4"), (25, False, False, False, False, "LR-3"),
    (25, False, False, True, False, "LR-4"),
    (8, True, False, False, False, "LR-3"), (8, True, True, False, False, "LR-4"), (8, True, True, True, True, "LR-4"),
    (15, True, False, False, False, "LR-3"), (15, True, False, True, False, "LR-4"),
    (15, True, True, False, False, "LR-5"), (15, True, False, False, True, "LR-5"), (15, True, True, True, False, "LR-5"),
    (25, True, False, False, False, "LR-4"), (25, True, False, True, False, "LR-5"),
])
def test_lirads_diagnostic_table(size, aphe, washout, capsule, growth, category):
    assert rads.lirads_category(size, aphe, washout, capsule, growth) == category


def test_lirads_threshold_growth():
    assert rads.threshold_growth(15, 10, 6) and not rads.threshold_growth(15, 10, 7)
    assert not rads.threshold_growth(14, 10, 3)


@pytest.mark.parametrize("kwargs, category", [
    ({"lesion": "simple cyst", "size_cm": 2.5}, "1"), ({"lesion": "simple cyst", "size_cm": 5.0}, "2"),
    ({"lesion": "simple cyst", "size_cm": 5.0, "premenopausal": False}, "2"), ({"lesion": "simple cyst", "size_cm": 11}, "3"),
    ({"lesion": "dermoid", "size_cm": 6}, "2"), ({"lesion": "endometrioma", "size_cm": 10}, "3"),
    ({"lesion": "multilocular", "size_cm": 6, "colour_score": 2}, "3"), ({"lesion": "multilocular", "size_cm": 12}, "4"),
    ({"lesion": "multilocular", "size_cm": 6, "colour_score": 4}, "4"),
    ({"lesion": "unilocular papillary", "papillary": 3}, "4"), ({"lesion": "unilocular papillary", "papillary": 4}, "5"),
    ({"lesion": "multilocular solid", "colour_score": 2}, "4"), ({"lesion": "multilocular solid", "colour_score": 3}, "5"),
    ({"lesion": "solid", "colour_score": 1}, "3"), ({"lesion": "solid", "colour_score": 3}, "4"),
    ({"lesion": "solid", "colour_score": 4}, "5"), ({"lesion": "solid", "colour_score": 1, "irregular": True}, "5"),
    ({"lesion": "ascites nodules"}, "5"),
])
def test_orads_us(kwargs, category):
    assert rads.orads_us(**kwargs) == category


@pytest.mark.parametrize("nodes, expected", [(0, "N0"), (1, "N1a"), (3, "N1b"), (4, "N2a"), (6, "N2a"), (7, "N2b")])
def test_colon_n_by_node_count(nodes, expected):
    assert staging.colon_n(nodes) == expected


def test_staging_rules():
    assert staging.colon_n(0, tumour_deposits=True) == "N1c"
    assert [staging.colon_m(0), staging.colon_m(1), staging.colon_m(2), staging.colon_m(1, peritoneal=True)] == \
        ["M0", "M1a", "M1b", "M1c"]
    assert [staging.breast_n(0), staging.breast_n(0, True), staging.breast_n(3), staging.breast_n(4),
            staging.breast_n(9), staging.breast_n(10)] == ["N0", "N1mi", "N1a", "N2a", "N2a", "N3a"]
    assert staging.lung_n([]) == "N0" and staging.lung_n(["N1", "N3", "N2"]) == "N3"


# ---------------------------------------------------------------- built examples

def test_synthetic_reports_are_servable_and_state_no_category():
    built = list(rads.build(40, seed=3)) + list(staging.build(40, seed=3))
    for example in built:
        _servable(example)
    categories = Counter((e["output"]["system"], e["output"]["category"]) for e in built if e["task"] == "rads_assignment")
    for system in ("TI-RADS", "Lung-RADS", "LI-RADS", "O-RADS"):
        reached = {c for s, c in categories if s == system}
        assert reached <= set(RADS_CATEGORIES[system]) and len(reached) >= 3, system
    staged = {e["output"].get("n_stage") or e["output"].get("m_stage") for e in built if e["task"] != "rads_assignment"}
    assert {"N0", "N1", "N2", "N3", "N1a", "N2b", "N1mi", "M0", "M1a", "M1b", "M1c"} <= staged


def test_synthetic_builders_are_deterministic_per_seed():
    assert list(rads.build(10, seed=1)) == list(rads.build(10, seed=1)) != list(rads.build(10, seed=2))
    assert list(staging.build(10, seed=1)) == list(staging.build(10, seed=1))


def test_mesh_mapping():
    assert openi.mesh_positives("Cardiomegaly/borderline;Opacity/lung/base/left;Density/ribs/left") == \
        {"cardiomegaly", "lung_opacity"}
    assert openi.mesh_positives("Aorta/tortuous;Calcified Granuloma/lung/upper lobe/right") == {"lung_lesion"}
    assert openi.mesh_positives("Hydropneumothorax/right") == {"pneumothorax", "pleural_effusion"}
    assert openi.mesh_positives("Surgical Instruments/mediastinum;Tube, Inserted/trachea") == {"support_devices"}
    assert openi.mesh_positives("Thickening/pleura/apex/left;Thickening/bronchovascular") == {"pleural_other"}


def test_openi_examples(small_csv):
    built = list(openi.build(small_csv))
    for example in built:
        _servable(example)
    by = {(e["task"], e["group"]): e for e in built}
    # Impression: the report without its impression, skipping rows with no findings or no impression.
    imp = by[("impression_generation", "openi:1")]
    assert imp["output"] == {"impression": "No acute cardiopulmonary disease."}
    assert "FINDINGS: The heart size is normal." in imp["input"] and "IMPRESSION" not in imp["input"]
    assert ("impression_generation", "openi:3") not in by and ("impression_generation", "openi:4") not in by
    normal = by[("abnormality_detection", "openi:1")]["output"]
    assert normal["no_finding"] == "positive" and normal["cardiomegaly"] == "negative"
    assert normal["pneumothorax"] == normal["pleural_effusion"] == "negative"
    assert normal["lung_lesion"] == "not_mentioned"
    sick = by[("abnormality_detection", "openi:2")]["output"]
    assert sick["no_finding"] == "negative"
    assert sick["cardiomegaly"] == sick["pleural_effusion"] == sick["support_devices"] == "positive"
    assert sick["pneumothorax"] == sick["consolidation"] == "negative" and sick["edema"] == "not_mentioned"
    tortuous = by[("abnormality_detection", "openi:3")]["output"]
    assert tortuous["enlarged_cardiomediastinum"] == "not_mentioned" and tortuous["lung_opacity"] == "positive"
    assert tortuous["cardiomegaly"] == "negative"
    # No Indexing, and a hedged mention MeSH does not carry, are left out.
    assert ("abnormality_detection", "openi:5") not in by and ("abnormality_detection", "openi:6") not in by


# ---------------------------------------------------------------- dataset

def _ex(task, text, group, output=None):
    output = output or {"impression": "Normal."}
    return {"task": task, "input": text, "output": output, "group": group, "source": "test"}


def test_dedup_keeps_the_first_per_task_and_normalised_input():
    a = _ex("impression_generation", "FINDINGS: Clear  lungs.", "g1")
    b = _ex("impression_generation", "findings: clear lungs.\n", "g2")
    c = _ex("n_staging", "FINDINGS: Clear lungs.", "g3", {"n_stage": "N0", "evidence": "Clear lungs"})
    assert dedup([a, b, c]) == [a, c]


def test_split_is_leak_free_and_deterministic():
    examples = [_ex("impression_generation", f"FINDINGS: case {i} part {j}.", f"group-{i}") for i in range(400) for j in range(3)]
    first, again = split(examples), split(examples)
    assert first == again
    where: dict[str, set[str]] = {}
    for name, items in first.items():
        for e in items:
            where.setdefault(e["group"], set()).add(name)
    assert all(len(names) == 1 for names in where.values())
    share = {name: len(items) / len(examples) for name, items in first.items()}
    assert 0.72 < share["train"] < 0.88 and 0.05 < share["val"] < 0.15 and 0.05 < share["test"] < 0.15


def test_weights_change_task_proportions():
    examples = [_ex("rads_assignment", f"r{i}", f"r{i}") for i in range(100)]
    examples += [_ex("radiology_qa", f"q{i}", f"q{i}") for i in range(100)]
    examples += [_ex("impression_generation", f"i{i}", f"i{i}") for i in range(100)]
    examples += [_ex("n_staging", f"n{i}", f"n{i}") for i in range(100)]
    mix = weighted_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)
    counts = Counter(e["task"] for e in mix)
    assert counts == {"rads_assignment": 300, "radiology_qa": 50, "impression_generation": 150, "n_staging": 100}
    assert mix == weighted_mix(examples, PRESET_WEIGHTS["radlite"], seed=0)
    assert len({e["input"] for e in mix if e["task"] == "radiology_qa"}) == 50  # a subsample, not repeats
    assert Counter(e["task"] for e in weighted_mix(examples, PRESET_WEIGHTS["natural"])) == Counter(e["task"] for e in examples)


def test_validate_rejects_a_quote_not_in_the_input():
    bad = _ex("n_staging", "CT chest: no nodes.", "g", {"n_stage": "N0", "evidence": "not there"})
    with pytest.raises(DataError, match="verbatim"):
        validate(bad, "here")


def test_build_dataset_with_a_corpus(tmp_path, small_csv):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    line = {"id": "v1", "task": "triage", "input": "x", "output": {}}
    (corpus / "triage.jsonl").write_text(json.dumps(line) + "\n")
    with pytest.raises(DataError, match="triage.jsonl:1"):
        build_dataset(tmp_path / "out", openi_csv=small_csv, limit=5, corpus_dir=corpus)
    assert not (tmp_path / "out" / "train.jsonl").exists()
    (corpus / "triage.jsonl").unlink()
    summary = build_dataset(tmp_path / "out", openi_csv=small_csv, limit=5, corpus_dir=corpus)
    rows = {name: [json.loads(l) for l in (tmp_path / "out" / f"{name}.jsonl").read_text().splitlines()]
            for name in ("train", "val", "test")}
    groups = [{r["group"] for r in rows[name]} for name in rows]
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    assert summary["counts"]["test"] == dict(sorted(Counter(r["task"] for r in rows["test"]).items()))
    train_rads = summary["counts"]["train_natural"].get("rads_assignment", 0)
    assert summary["counts"]["train"].get("rads_assignment", 0) == 3 * train_rads


def _trainer(*args):
    return subprocess.run([str(Path(sys.executable).with_name("trainer")), *args], capture_output=True, text=True)


def test_cli_build_writes_the_splits_and_a_summary(tmp_path, small_csv):
    out = tmp_path / "ds"
    result = _trainer("data", "build", "--out", str(out), "--openi", str(small_csv), "--limit", "6", "--seed", "2",
                      "--corpus", str(tmp_path / "no-corpus"))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["files"]) == {"train.jsonl", "val.jsonl", "test.jsonl"}
    assert summary["weights"]["rads_assignment"] == 3.0 and summary["seed"] == 2
    assert str(small_csv) in summary["sources"]
    for name in ("train", "val", "test"):
        for line in (out / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            # A feature question also carries the question its prompt is built from.
            extra = {"question"} if row["task"] == "rads_features" else set()
            assert set(row) == {"task", "input", "output", "group", "source"} | extra
    assert "Cough" not in result.stdout and "cardiomegaly" not in result.stdout.lower()  # no report text on stdout


def test_cli_missing_csv_is_a_clear_error(tmp_path):
    missing = tmp_path / "nowhere.csv"
    result = _trainer("data", "build", "--out", str(tmp_path / "ds"), "--openi", str(missing))
    assert result.returncode != 0
    assert str(missing) in result.stderr and "--openi" in result.stderr
    assert not (tmp_path / "ds").exists()


@pytest.mark.skipif(not OPENI.is_file(), reason="the Open-i reports are not beside this checkout")
def test_real_openi_rows_all_validate():
    built = list(openi.build(OPENI, limit=300))
    assert {e["task"] for e in built} == {"impression_generation", "abnormality_detection"}
    for example in built:
        validate(example, example["group"])
