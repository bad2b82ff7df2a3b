"""Loss weights on the tokens that choose a feature question's value (trainer/decision.py)."""

from __future__ import annotations

import pytest

from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME
from trainer.builders import features
from trainer.data import prompt_and_completion
from trainer.decision import answer_weights, decisive_span


def _question(value: str, values: list[str]) -> tuple[dict, str]:
    example = {"task": TASK_NAME, "input": "x", "output": {"evidence": "x", "value": value},
               "question": {"system": "TI-RADS", "feature": "f", "values": values, "lesion": None}}
    return example, f'{{"evidence": "x", "value": "{value}"}}'


def _decisive(value: str, values: list[str]) -> str:
    example, completion = _question(value, values)
    start, end = decisive_span(example, completion)
    return completion.encode()[start:end].decode()


def test_the_span_is_the_shortest_prefix_no_other_candidate_shares():
    values = ["hypoechoic", "very hypoechoic", "hyperechoic", "isoechoic"]
    assert _decisive("hypoechoic", values) == "hypo"
    assert _decisive("very hypoechoic", values) == "v"
    assert _decisive("isoechoic", values) == "i"
    assert _decisive(NOT_DESCRIBED, values) == "n"
    assert _decisive("none", ["none", "punctate echogenic foci"]) == "non"  # "not described" shares "no"
    # A value that begins another is told apart only by its closing quote.
    assert _decisive("solid", ["solid", "solid or cystic"]) == 'solid"'


def test_other_tasks_and_old_examples_have_no_span():
    example, completion = _question("hypoechoic", ["hypoechoic", "isoechoic"])
    assert decisive_span({**example, "task": "rads_assignment"}, completion) is None
    assert decisive_span({**example, "question": None}, completion) is None


@pytest.fixture(scope="module")
def smollm2():
    from trainer.base import resolve_base

    base = resolve_base("smollm2-135m-instruct-q4_1")
    return base, base.vocabulary()


def test_weighted_tokens_cover_the_choice_on_the_served_tokens(smollm2):
    base, vocab = smollm2
    examples = list(features.build(1, seed=0))
    assert len(examples) > 50
    for example in examples:
        _, completion = prompt_and_completion(example, base.chat_template)
        ids = vocab.tokenize(completion.encode(), add_bos=False, special=False)
        span = decisive_span(example, completion)
        weights = answer_weights(vocab, ids, span, 7.0)
        assert answer_weights(vocab, ids, span, 1.0) == [1.0] * len(ids)
        heavy = [i for i, w in enumerate(weights) if w == 7.0]
        assert heavy and heavy == list(range(heavy[0], heavy[-1] + 1)), (completion, heavy)
        assert set(weights) <= {1.0, 7.0}
        # The weighted tokens are the value's opening: they begin where the value does and
        # reach at least as far as the bytes that tell it from the other candidates.
        before = len(vocab.detokenize(ids[:heavy[0]]))
        through = len(vocab.detokenize(ids[:heavy[-1] + 1]))
        assert before <= span[0] < through and through >= span[1], (completion, heavy)
        value = example["output"]["value"]
        assert vocab.detokenize(ids[heavy[0]:heavy[-1] + 1]).decode().strip('" ').startswith(value[:1])


def test_encode_gives_weights_only_when_asked(smollm2):
    from trainer.train import IGNORE, encode

    base, _ = smollm2
    example = next(iter(features.build(1, seed=0)))
    (plain,), _ = encode([example], base, seq_len=100_000)
    (weighted,), _ = encode([example], base, seq_len=100_000, decision_weight=4.0)
    assert "weights" not in plain
    assert weighted["input_ids"] == plain["input_ids"] and weighted["labels"] == plain["labels"]
    assert len(weighted["weights"]) == len(weighted["labels"])
    prompt = [i for i, t in enumerate(weighted["labels"]) if t == IGNORE]
    assert all(weighted["weights"][i] == 0.0 for i in prompt)
    assert weighted["weights"].count(4.0) >= 1
