"""Training examples for the RADS feature questions (trainer/builders/features.py).

The appliance asks the model one categorical feature a calculator could not read
(appliance/tasks/feature_question.py). These tests check that the examples are what the
appliance would ask and accept: schema-valid answers with verbatim evidence, the very
prompt the appliance builds at run time (its own code builds the comparison), the
calculators really leave the paraphrased / unstated feature open, values balanced, and
the same reports for the same seed. No model is loaded.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from appliance.engine.templates import TEMPLATES
from appliance.rads import gb_rads, li_rads, lung_rads, o_rads, pi_rads, ti_rads, vi_rads
from appliance.tasks import get_task
from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME, answer_model, question_task
from appliance.tasks.prompt import build_prompt
from appliance.tools.answer import FeatureQuestion
from appliance.tools.stated import stated_rads
from trainer.balance import strata
from trainer.builders import features
from trainer.data import format_example, format_file
from trainer.dataset import build_dataset, dedup, validate

N = 6


@pytest.fixture(scope="module")
def built() -> list[dict]:
    return list(features.build(N, seed=0))


def _question(example: dict) -> FeatureQuestion:
    q = example["question"]
    return FeatureQuestion(q["feature"], tuple(q["values"]), q["lesion"])


def test_every_calculator_question_has_examples():
    asked = {("TI-RADS", f) for f in ti_rads.ASKED} | {("LI-RADS", f) for f in li_rads.ASKED}
    asked |= {("Lung-RADS", "nodule type")} | {("PI-RADS", f) for f, _ in pi_rads.ASKED.values()}
    asked |= {("VI-RADS", f) for f in vi_rads.ASKED} | {("GB-RADS", f) for f in gb_rads.ASKED}
    asked |= {("O-RADS", f) for f in (*o_rads.ASKED_US, *o_rads.ASKED_MRI)}
    assert {(system, feature) for system, feature, *_ in features.SPECS} == asked
    assert dict(zip(lung_rads.NODULE_TYPES, lung_rads.NODULE_TYPES)) == {
        v: v for v in next(s[2] for s in features.SPECS if s[0] == "Lung-RADS")}


def test_examples_fit_the_schema_and_quote_verbatim(built):
    for example in built:
        q = example["question"]
        value = answer_model(tuple(q["values"])).model_validate(example["output"])
        assert value.evidence in example["input"]
        assert example["task"] == TASK_NAME
        validate(example, example["group"])  # the dataset's own check: schema and verbatim quote
        # Reports state features only: no system name or category for the stated-category tool.
        assert stated_rads(example["input"]) is None, example["input"]


def test_values_are_balanced_per_feature(built):
    by_feature: dict[tuple[str, str], Counter] = {}
    for example in built:
        key = (example["question"]["system"], example["question"]["feature"])
        by_feature.setdefault(key, Counter())[example["output"]["value"]] += 1
    for (system, feature, values, *_) in features.SPECS:
        assert by_feature[(system, feature)] == Counter({v: N for v in (*values, NOT_DESCRIBED)})
    styles = Counter(e["style"] for e in built)
    assert styles["plain"] > styles["lexicon"] > 0  # most described values are paraphrases


def test_the_same_seed_gives_the_same_reports():
    again = list(features.build(3, seed=4))
    assert again == list(features.build(3, seed=4))
    assert [e["input"] for e in again] != [e["input"] for e in features.build(3, seed=5)]


def test_us_and_uk_spelling_both_occur(built):
    text = " ".join(e["input"] for e in built)
    assert "colour" in text and "color" in text and "tumour" in text and "tumor" in text


def test_paraphrased_or_unstated_features_are_asked_exactly_as_built(built):
    """The appliance's own path (rads_assignment tools -> calculator) leaves the feature open and
    asks this very question; the trained prompt is the prompt the appliance then builds."""
    task = get_task("rads_assignment")
    sample = [e for e in built if e["style"] != "lexicon"]
    sample = random.Random(0).sample(sample, 150) + [e for e in built if e["style"] == "not described"][:: N]
    for example in sample:
        answer = task.run_tools(example["input"])
        assert answer is not None and answer.output is None, (example["group"], example["input"])
        assert answer.system == example["question"]["system"]
        assert _question(example) in answer.questions, (example["group"], [q.as_dict() for q in answer.questions])
        assert answer.resolve({_question(example): example["output"]["value"]})  # the resolver takes the gold value
        for template in ("chatml", "gemma"):
            served = build_prompt(TEMPLATES[template], example["input"], question_task(_question(example), answer.system))
            trained = format_example(example, template)
            assert trained["prompt"] == served.text
            assert json.loads(trained["completion"]) == example["output"]


def test_lexicon_words_are_read_by_the_calculator_as_the_gold_value(built):
    """Where the calculator reads the lexicon word itself, the category equals the one it gives
    when told the gold value: the gold labels agree with the appliance's own lexicon."""
    task = get_task("rads_assignment")
    checked = 0
    for example in built:
        if example["style"] != "lexicon":
            continue
        decided = task.run_tools(example["input"])
        if decided is None or decided.output is None:
            continue
        # the same report with the phrase removed: the calculator asks, and the gold answer resolves it
        stripped = example["input"].replace(", " + example["output"]["evidence"], "").replace(" " + example["output"]["evidence"] + ".", ".")
        open_ = task.run_tools(stripped)
        if open_ is None or open_.output is not None or _question(example) not in open_.questions:
            continue
        assert open_.resolve({_question(example): example["output"]["value"]}) == {decided.output["category"]}, example["group"]
        checked += 1
    assert checked > 40


def test_the_dataset_carries_feature_questions_through_split_balance_and_format(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    summary = build_dataset(tmp_path / "data", seed=0, limit=4, corpus_dir=corpus)
    assert summary["counts"]["train_natural"][TASK_NAME] > 0
    rows = [json.loads(line) for line in (tmp_path / "data" / "train.jsonl").read_text().splitlines()]
    feature_rows = [r for r in rows if r["task"] == TASK_NAME]
    assert feature_rows and all("question" in r for r in feature_rows)
    assert all("question" not in r for r in rows if r["task"] != TASK_NAME)
    formatted = list(format_file(tmp_path / "data" / "train.jsonl", "chatml"))
    assert any(f"[TASK: {TASK_NAME}]" in f["prompt"] for f in formatted)
    # groups never straddle splits
    groups = {s: {json.loads(line)["group"] for line in (tmp_path / "data" / f"{s}.jsonl").read_text().splitlines()}
              for s in ("train", "val", "test")}
    assert not (groups["train"] & groups["val"]) and not (groups["train"] & groups["test"])
    # the data card counts each feature's values
    card = json.loads((tmp_path / "data" / "data_card.json").read_text())
    classes = card["tasks"][TASK_NAME]["classes"]
    assert "TI-RADS echogenicity: hypoechoic" in classes and "PI-RADS zone: not described" in classes


def test_balance_equalises_values_and_dedup_keeps_each_question():
    examples = list(features.build(4, seed=0))
    names = strata(TASK_NAME, examples)
    assert len(set(names)) == sum(len(s[2]) + 1 for s in features.SPECS)
    # two questions on one report are two examples
    twin = {**examples[0], "question": {**examples[0]["question"], "feature": "other"}}
    assert len(dedup([examples[0], twin, examples[0]])) == 2


def test_a_feature_example_without_its_question_is_refused():
    from trainer.data import DataError

    example = next(features.build(1, seed=0))
    with pytest.raises(DataError):
        validate({k: v for k, v in example.items() if k != "question"}, "x")
    with pytest.raises(DataError):
        validate({**example, "output": {"value": "not a value", "evidence": example["output"]["evidence"]}}, "x")
    with pytest.raises(DataError):
        validate({**example, "output": {**example["output"], "evidence": "words not in the report"}}, "x")


def test_trainer_eval_scores_feature_answers_per_feature():
    """`trainer eval` scores a feature answer by its value, against the most common value per feature."""
    from trainer.evaluate import task_metrics

    def row(feature, gold, said):
        label = {"system": "TI-RADS", "feature": feature}
        return {"task": "rads_features", "expected": {"value": gold, "evidence": "x", **label},
                "predicted": None if said is None else {"value": said, "evidence": "x", **label}}

    rows = [row("echogenicity", "hypoechoic", "hypoechoic"), row("echogenicity", "hypoechoic", "isoechoic"),
            row("echogenicity", "isoechoic", "isoechoic"), row("shape", "taller-than-wide", None)]
    scored = task_metrics("rads_features", rows)
    assert scored["metric"] == 0.5                  # 2 of 4 right; no answer is wrong
    assert scored["baseline"] == 0.75               # "hypoechoic" for echogenicity (2 of 3), the shape's one value
    assert scored["schema_valid"] == 0.75
