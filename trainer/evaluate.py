"""Evaluate a base model, with or without an adapter, through the appliance's own engine.

Every prediction is the deployed path: the appliance's prompt builder, llama.cpp on the
GGUF, grammar-constrained greedy decoding, schema validation. Metrics follow the
sources: RadLite (RADS validity and accuracy, per-system accuracy, error direction,
ROUGE-L, set Jaccard, per-label accuracy, accuracy), HAI-DiffDx (schema adherence) and,
for the differential, can't-miss recall.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path

from appliance.engine import Engine
from appliance.engine.templates import TEMPLATES
from appliance.errors import ApplianceError
from appliance.tasks.prompt import build_prompt

from .data import task_of

CORPUS = Path(__file__).parent / "corpus"


# -- predictions ----------------------------------------------------------------------
def predict(base, examples: list[dict], adapter: Path | None = None, n_threads: int | None = None,
            n_ctx: int = 4096, progress: bool = True) -> list[dict]:
    """One row per example: expected, predicted (None when no valid output), error, seconds."""
    from tqdm.auto import tqdm

    engine = Engine(base.gguf, n_ctx=n_ctx, n_threads=n_threads, lora_path=adapter)
    rows = []
    try:
        for example in tqdm(examples, desc="eval " + ("adapter" if adapter else "zero-shot"), disable=not progress):
            task = task_of(example)  # a feature question's schema comes from its question
            prompt = build_prompt(TEMPLATES[base.chat_template], example["input"], task)
            started = time.monotonic()
            try:
                value = engine.generate(prompt, task.output, max_tokens=task.budget, quote_keys=task.quote_keys).value
                predicted, error = value.model_dump(mode="json"), None
            except ApplianceError as exc:
                predicted, error = None, str(exc)
            expected = example["output"]
            if "question" in example:  # scored per feature (appliance.evaluation's feature reading)
                feature = {"system": example["question"].get("system"), "feature": example["question"]["feature"]}
                expected = {**expected, **feature}
                predicted = {**predicted, **feature} if predicted is not None else None
            rows.append({"task": task.name, "group": example.get("group"), "expected": expected,
                         "predicted": predicted, "error": error, "seconds": round(time.monotonic() - started, 3)})
    finally:
        engine.llm.close()
    return rows


def sample_per_task(examples: list[dict], per_task: int | None) -> list[dict]:
    """The first `per_task` examples of each task, in file order (the test split is already shuffled by hash)."""
    if per_task is None:
        return examples
    taken: Counter = Counter()
    chosen = []
    for example in examples:
        if taken[example["task"]] < per_task:
            taken[example["task"]] += 1
            chosen.append(example)
    return chosen


# -- metrics ------------------------------------------------------------------------
def task_metrics(task: str, rows: list[dict]) -> dict:
    """The task's own metric (defined in its file in appliance/tasks) beside the strongest constant
    baseline on the same items, with error direction and rare-class recall: `appliance eval`'s scoring."""
    from appliance.evaluation import Answer, report

    n = len(rows)
    answers = [Answer(str(i), r["expected"], r["predicted"], "model") for i, r in enumerate(rows)]
    scored = report(task, answers)
    return {
        "n": n, "schema_valid": sum(r["predicted"] is not None for r in rows) / n if n else 0.0,
        "primary": "metric", "metric": scored.value, "metric_name": scored.metric_name,
        "ci95": [round(scored.ci[0], 4), round(scored.ci[1], 4)],
        "baseline": scored.baseline, "baseline_name": scored.baseline_name,
        "beats_baseline": scored.ci[0] > scored.baseline,
        "directions": scored.directions, "rare_class_recall": scored.recall,
    }


def all_metrics(rows: list[dict]) -> dict:
    by_task: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_task[r["task"]].append(r)
    return {task: task_metrics(task, task_rows) for task, task_rows in sorted(by_task.items())}


def confusion(rows: list[dict], task: str, key) -> Counter:
    """(expected, predicted) counts; predicted 'invalid' when there was no valid output."""
    return Counter((key(r["expected"]), key(r["predicted"]) if r["predicted"] else "invalid")
                   for r in rows if r["task"] == task)
