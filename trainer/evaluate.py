"""Evaluate a base model, with or without an adapter, through the appliance's own engine.

Every prediction is the deployed path: the appliance's prompt builder, llama.cpp on the
GGUF, grammar-constrained greedy decoding, schema validation. Metrics follow the
sources: RadLite (RADS validity and accuracy, per-system accuracy, error direction,
ROUGE-L, set Jaccard, per-label accuracy, accuracy), HAI-DiffDx (schema adherence) and,
for the differential, can't-miss recall.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from statistics import mean

from appliance.engine import Engine
from appliance.engine.templates import TEMPLATES
from appliance.errors import ApplianceError
from appliance.tasks import get_task
from appliance.tasks.prompt import build_prompt

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
            task = get_task(example["task"])
            prompt = build_prompt(TEMPLATES[base.chat_template], example["input"], task)
            started = time.monotonic()
            try:
                value = engine.generate(prompt, task.output, max_tokens=task.budget, quote_keys=task.quote_keys).value
                predicted, error = value.model_dump(mode="json"), None
            except ApplianceError as exc:
                predicted, error = None, str(exc)
            rows.append({"task": task.name, "group": example.get("group"), "expected": example["output"],
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
def _level(category: str) -> int | None:
    digits = re.search(r"\d+", category)
    return int(digits.group()) if digits else None


def rads_direction(expected: dict, predicted: dict) -> str:
    """RadLite's error direction: undercall is the dangerous one."""
    if predicted["system"] != expected["system"]:
        return "wrong_system"
    if predicted["category"] == expected["category"]:
        return "correct"
    want, got = _level(expected["category"]), _level(predicted["category"])
    if want is None or got is None:
        return "other"
    return "same_level" if got == want else ("undercall" if got < want else "overcall")


@lru_cache(maxsize=1)
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


def _rouge_l(reference: str, prediction: str) -> float:
    return _rouge_scorer().score(reference, prediction)["rougeL"].fmeasure


def _cant_miss_terms() -> dict[str, list[str]]:
    terms = {}
    path = CORPUS / "differential.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                terms[f"corpus:differential:{row['id']}"] = [t.lower() for t in row.get("cant_miss", [])]
    return terms


def _named(diagnoses: list[str], terms: list[str]) -> bool:
    text = " | ".join(d.lower() for d in diagnoses)
    return any(term in text for term in terms)


def task_metrics(task: str, rows: list[dict]) -> dict:
    """The task's metrics over its rows; `primary` is the one plotted and tabled first."""
    n = len(rows)
    valid = [r for r in rows if r["predicted"] is not None]
    out: dict = {"n": n, "schema_valid": len(valid) / n if n else 0.0}
    if task == "rads_assignment":
        directions = Counter(rads_direction(r["expected"], r["predicted"]) for r in valid)
        per_system: dict[str, list[bool]] = defaultdict(list)
        for r in rows:
            per_system[r["expected"]["system"]].append(
                r["predicted"] is not None and rads_direction(r["expected"], r["predicted"]) == "correct")
        out.update(accuracy=directions["correct"] / n if n else 0.0,
                   directions={k: directions.get(k, 0) for k in
                               ("correct", "undercall", "overcall", "same_level", "wrong_system", "other")},
                   per_system={s: mean(v) for s, v in sorted(per_system.items())})
        out["primary"] = "accuracy"
    elif task == "impression_generation":
        scores = [_rouge_l(r["expected"]["impression"], r["predicted"]["impression"]) if r["predicted"] else 0.0
                  for r in rows]
        out.update(rouge_l=mean(scores) if scores else 0.0, primary="rouge_l")
    elif task == "radiology_ner":
        def ents(obj):
            return {(e["text"].lower(), e["label"]) for e in obj.get("entities", [])}
        scores = []
        for r in rows:
            want, got = ents(r["expected"]), ents(r["predicted"]) if r["predicted"] else set()
            scores.append(len(want & got) / len(want | got) if want | got else 1.0)
        out.update(jaccard=mean(scores) if scores else 0.0, primary="jaccard")
    elif task == "abnormality_detection":
        per_label: dict[str, list[bool]] = defaultdict(list)
        for r in rows:
            for label, want in r["expected"].items():
                per_label[label].append(bool(r["predicted"]) and r["predicted"][label] == want)
        out.update(per_label_accuracy=mean(mean(v) for v in per_label.values()) if per_label else 0.0,
                   per_label={k: mean(v) for k, v in per_label.items()}, primary="per_label_accuracy")
    elif task == "differential_diagnosis":
        terms = _cant_miss_terms()
        recall = []
        for r in rows:
            wanted = terms.get(r["group"] or "") or [r["expected"]["unlikely_but_serious"]["diagnosis"].lower()]
            p = r["predicted"]
            named = p is not None and _named([p["most_likely"]["diagnosis"], p["unlikely_but_serious"]["diagnosis"],
                                             *[d["diagnosis"] for d in p["possible"]]], wanted)
            recall.append(named)
        top = [bool(r["predicted"]) and _rouge_l(r["expected"]["most_likely"]["diagnosis"],
                                                  r["predicted"]["most_likely"]["diagnosis"]) >= 0.5 for r in rows]
        out.update(schema_adherence=out["schema_valid"], cant_miss_recall=mean(recall) if recall else 0.0,
                   most_likely_match=mean(top) if top else 0.0, primary="cant_miss_recall")
    elif task == "triage":
        exact = [bool(r["predicted"]) and r["predicted"]["esi_level"] == r["expected"]["esi_level"] for r in rows]
        under = [bool(r["predicted"]) and r["predicted"]["esi_level"] > r["expected"]["esi_level"] for r in rows]
        near = [bool(r["predicted"]) and abs(r["predicted"]["esi_level"] - r["expected"]["esi_level"]) <= 1
                for r in rows]
        out.update(accuracy=mean(exact) if exact else 0.0, within_one=mean(near) if near else 0.0,
                   undertriage=mean(under) if under else 0.0, primary="accuracy")
    else:  # staging, NLI, QA, temporal: one categorical field decides
        key = _label_key(task)
        hits = [bool(r["predicted"]) and r["predicted"][key] == r["expected"][key] for r in rows]
        out.update(accuracy=mean(hits) if hits else 0.0, primary="accuracy")
    return out


def _label_key(task: str) -> str:
    fields = list(get_task(task).output.model_fields)
    return fields[0]


def all_metrics(rows: list[dict]) -> dict:
    by_task: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_task[r["task"]].append(r)
    return {task: task_metrics(task, task_rows) for task, task_rows in sorted(by_task.items())}


def confusion(rows: list[dict], task: str, key) -> Counter:
    """(expected, predicted) counts; predicted 'invalid' when there was no valid output."""
    return Counter((key(r["expected"]), key(r["predicted"]) if r["predicted"] else "invalid")
                   for r in rows if r["task"] == task)
