"""Scores shared by several tasks' metrics (each task names its own metric in its file)."""

from __future__ import annotations

import re


def _tokens(text: str) -> list[str]:
    # rouge-score's default tokenizer: lower case, runs of letters and digits.
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def rouge_l(reference: str, prediction: str) -> float:
    """ROUGE-L F1 (longest common subsequence of tokens; no stemming)."""
    ref, pred = _tokens(reference), _tokens(prediction)
    if not ref or not pred:
        return 0.0
    previous = [0] * (len(pred) + 1)
    for r in ref:
        current = [0]
        for j, p in enumerate(pred):
            current.append(previous[j] + 1 if r == p else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)
