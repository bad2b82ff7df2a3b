"""Which answer tokens decide a feature question, so training can weigh them more.

A RADS feature answer is `{"evidence": "<quote>", "value": "<one of the values>"}`. At
serving time the grammar forces the keys and punctuation, and once the value's first
token or two tell it apart from the other candidates the rest of it is forced too. The
choice itself is a token or two out of 14-31 answer tokens (a sample of session-7 examples,
SmolLM2's vocabulary), so under a plain mean loss it carries 3-7 % of the gradient; the
session-7 adapter picked the wrong value even for a near-copy of a training phrase
(free-prose tif-51). `decision_weight` (a preset field) multiplies the loss of exactly
those tokens.
"""

from __future__ import annotations

import json

from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME


def decisive_span(example: dict, completion: str) -> tuple[int, int] | None:
    """Byte range of `completion` that picks the value among the question's candidates (None: not a feature question)."""
    question = example.get("question") or {}
    if example.get("task") != TASK_NAME or not question.get("values"):
        return None
    value = example["output"]["value"]
    others = [c + '"' for c in (*question["values"], NOT_DESCRIBED) if c != value]
    closed = value + '"'  # a value that is a prefix of another is told apart by its closing quote
    length = next((k for k in range(1, len(closed) + 1) if not any(o.startswith(closed[:k]) for o in others)),
                  len(closed))
    key = '"value": ' + json.dumps(value, ensure_ascii=False)[:-1]  # the value's opening, as serialised
    at = completion.rfind(key)
    if at < 0:
        return None
    start = len(completion[:at + len('"value": "')].encode("utf-8"))
    return start, start + len(closed[:length].encode("utf-8"))


def answer_weights(vocab, answer_ids: list[int], span: tuple[int, int] | None, weight: float) -> list[float]:
    """1.0 per answer token, `weight` for each token whose bytes overlap `span`."""
    weights = [1.0] * len(answer_ids)
    if span is None or weight == 1.0:
        return weights
    ends = [len(vocab.detokenize(answer_ids[:i + 1])) for i in range(len(answer_ids))]
    for i, end in enumerate(ends):
        begin = ends[i - 1] if i else 0
        if begin < span[1] and end > span[0]:
            weights[i] = weight
    return weights
