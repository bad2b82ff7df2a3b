"""The training dataset: builders + corpus → validated, deduplicated, leak-free, task-weighted splits.

Steps, top to bottom:
1. load: the Open-i builder, the synthetic RADS, staging and RADS-feature builders, and
   the hand-written corpus (trainer/corpus/*.jsonl, {id, task, input, output, ...}). A
   feature-question example ("rads_features") also carries its `question` (system,
   feature, values, lesion): its schema and prompt are built from it (trainer/data.py).
2. validate: every output fits its task's pydantic schema, every quote is verbatim in
   the input, two-part tasks have their parts — exactly what the appliance serves.
3. dedup by (task, normalised input), keeping the first.
4. split by a stable hash of the example's group (one Open-i report, one vignette,
   one synthetic report), so no source document lands in two splits. The hash does not
   depend on the seed: the Open-i test reports stay the same from run to run.
5. weight the training split per task (RadLite's preset by default) and, within each
   task, balance the answer classes (trainer/balance.py: abnormal impressions and positive
   labels are not drowned by "normal"); validation and test keep natural counts so their
   scores mean the same thing whatever the weights.
6. write a data card (data_card.json, data_card.md): counts per task, per answer class
   and per CheXpert label value, for every split.
7. write the test split again in `appliance eval`'s format (heldout/*.jsonl), for the
   tasks whose label layout that command reads as bench/dev_sets.py writes it, so an
   adapter is evaluated through the deployed path on documents it never trained on
   (bench/dev_sets.py's Open-i and corpus sets overlap the training split).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from pydantic import ValidationError

from appliance.durable import file_sha256
from appliance.pipeline.checks import unverified_quotes
from appliance.tasks import TASKS
from appliance.tasks.feature_question import TASK_NAME as FEATURE_TASK
from appliance.tasks.parts import missing_parts

from .balance import balanced_mix, card, card_json, card_markdown
from .builders import features, openi, rads, staging
from .data import DataError, task_of

CORPUS_DIR = Path(__file__).parent / "corpus"
SPLITS = ("train", "val", "test")
FRACTIONS = (0.8, 0.1, 0.1)

# RadLite (Gupta & Bose): 3x RADS and NLI, 1.5x impression and temporal comparison,
# 0.5x QA, 1x the rest. "natural" keeps each task's own count. The feature questions
# (not a served task but the calculators' questions to the model) count once.
PRESET_WEIGHTS: dict[str, dict[str, float]] = {
    "radlite": {**{task: 1.0 for task in TASKS}, "rads_assignment": 3.0, "radiology_nli": 3.0,
                "impression_generation": 1.5, "temporal_comparison": 1.5, "radiology_qa": 0.5, FEATURE_TASK: 1.0},
    "natural": {**{task: 1.0 for task in TASKS}, FEATURE_TASK: 1.0},
}
# Keys written to the split files; `question` only for feature questions (it rebuilds their prompt).
KEYS = ("task", "input", "output", "group", "source", "question")


def validate(example: dict, where: str) -> dict:
    """The example with its output in canonical form; DataError naming `where` if it is not servable."""
    try:
        task = task_of(example)
        text = example["input"]
        value = task.output.model_validate(example["output"])
    except KeyError as exc:
        raise DataError(f"{where}: {exc.args[0]}") from None
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None
    except ValidationError as exc:
        raise DataError(f"{where}: output does not fit the {example['task']} schema: {exc.errors()[0]['msg']}") from None
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{where}: empty input")
    if missing := missing_parts(task.name, text):
        raise DataError(f"{where}: {task.name} input lacks its {', '.join(missing)} part(s)")
    if bad := unverified_quotes(task, value, text):
        raise DataError(f"{where}: evidence not verbatim in the input ({', '.join(bad)})")
    return {**example, "output": value.model_dump(mode="json")}


def load_corpus(directory: Path, limit: int | None = None) -> Iterator[dict]:
    """Hand-written examples; each line's id is its group (one vignette, one split)."""
    for path in sorted(Path(directory).glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            taken = 0
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                if limit is not None and taken >= limit:
                    break
                try:
                    row = json.loads(line)
                    example = {"task": row["task"], "input": row["input"], "output": row["output"],
                               "group": f"corpus:{path.stem}:{row.get('id', lineno)}", "source": f"corpus/{path.name}"}
                    if "question" in row:
                        example["question"] = row["question"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise DataError(f"{path}:{lineno}: not a {{task, input, output}} line ({exc}); fix or remove it.") from None
                taken += 1
                yield validate(example, f"{path}:{lineno}")


def dedup(examples: Iterable[dict]) -> list[dict]:
    """The first example of each (task, input with case and whitespace normalised, and for a
    feature question the feature and lesion asked: one report may carry several questions)."""
    seen, kept = set(), []
    for example in examples:
        q = example.get("question") or {}
        key = (example["task"], " ".join(example["input"].lower().split()), q.get("feature"), q.get("lesion"))
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept


def split_of(group: str, fractions: tuple[float, float, float] = FRACTIONS) -> str:
    """train/val/test from a stable hash of the group key (the same on every machine and run)."""
    point = int.from_bytes(hashlib.sha256(group.encode("utf-8")).digest()[:8], "big") / 2**64
    return "train" if point < fractions[0] else "val" if point < fractions[0] + fractions[1] else "test"


def split(examples: Iterable[dict], fractions: tuple[float, float, float] = FRACTIONS) -> dict[str, list[dict]]:
    parts: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for example in examples:
        parts[split_of(example["group"], fractions)].append(example)
    return parts


def weighted_mix(examples: list[dict], weights: dict[str, float], seed: int = 0, balance: bool = False) -> list[dict]:
    """Each task's examples repeated `weight` times: whole copies for the integer part, a
    random subset (without replacement) for the fraction; then shuffled. Seeded. With
    balance=True the task's share is divided between its answer classes (trainer/balance.py)."""
    return balanced_mix(examples, weights, seed, balance=balance)


def _counts(examples: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(e["task"] for e in examples).items()))


def collect(openi_csv: Path | None, seed: int = 0, limit: int | None = None,
            corpus_dir: Path = CORPUS_DIR) -> list[dict]:
    """All validated examples from every builder, in a fixed order (corpus first: hand-written wins a tie)."""
    cap = (lambda n: n if limit is None else min(n, limit))
    examples = list(load_corpus(corpus_dir, limit))
    builders = [("synthetic RADS", rads.build(cap(300), seed)), ("synthetic staging", staging.build(cap(150), seed)),
                ("synthetic RADS features", features.build(cap(30), seed))]
    if openi_csv is not None:
        builders.insert(0, ("Open-i", openi.build(openi_csv, limit)))
    for name, built in builders:
        for n, example in enumerate(built):
            examples.append(validate(example, f"{name} example {n} ({example['group']})"))
    return examples


# test-split task → (file under heldout/, the label `appliance eval` reads for it)
HELDOUT = {
    "abnormality_detection": ("openi_chexpert_test.jsonl", lambda o: {"abnormality_detection": o}),
    "impression_generation": ("openi_impression_test.jsonl", lambda o: {"impression_generation": o}),
    "triage": ("trainer_triage_test.jsonl", lambda o: {"triage": {"esi_level": o["esi_level"]}}),
    "differential_diagnosis": ("trainer_differential_test.jsonl", lambda o: {"diagnosis": o["most_likely"]["diagnosis"]}),
}


def heldout_sets(test: list[dict]) -> dict[str, list[dict]]:
    """The test split as `appliance eval` documents ({id, text, label}), one file per task."""
    sets: dict[str, list[dict]] = {}
    for n, example in enumerate(test):
        if example["task"] in HELDOUT:
            name, label = HELDOUT[example["task"]]
            sets.setdefault(name, []).append({"id": f"{example['group']}#{n}", "text": example["input"],
                                              "label": label(example["output"])})
    return sets


def _write_private(path: Path, rows: list[dict]) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    # Real report text: readable by the owner only, like the appliance's own patient files.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({k: row[k] for k in KEYS if k in row}, ensure_ascii=False) + "\n")


def build_dataset(out_dir: Path, seed: int = 0, openi_csv: Path | None = None, limit: int | None = None,
                  preset: str = "radlite", corpus_dir: Path = CORPUS_DIR, balance: bool = True) -> dict:
    """Write train/val/test JSONL, summary.json and the data card into `out_dir`; return the summary.

    Every file is written under a temporary name first and renamed only when all are
    complete, so a failure leaves the previous dataset (or nothing) in place.
    """
    weights = PRESET_WEIGHTS[preset]
    examples = collect(openi_csv, seed, limit, corpus_dir)
    total = len(examples)
    examples = dedup(examples)
    parts = split(examples)
    natural_train = parts["train"]
    parts["train"] = weighted_mix(natural_train, weights, seed, balance=balance)
    data_card = card({"train_natural": natural_train, **parts})

    out_dir = Path(out_dir)
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = {name: out_dir / f".{name}.jsonl.tmp" for name in SPLITS}
    card_files = {"data_card.json": card_json(data_card), "data_card.md": card_markdown(data_card)}
    card_tmp = {name: out_dir / f".{name}.tmp" for name in card_files}
    try:
        for name in SPLITS:
            _write_jsonl(tmp[name], parts[name])
        sources = [Path(openi_csv)] if openi_csv is not None else []
        sources += sorted(Path(corpus_dir).glob("*.jsonl"))
        summary = {
            "seed": seed, "limit": limit, "preset": preset, "weights": weights, "balanced": balance,
            "fractions": dict(zip(SPLITS, FRACTIONS)),
            "examples_built": total, "duplicates_dropped": total - len(examples),
            "counts": {"train_natural": _counts(natural_train), **{name: _counts(parts[name]) for name in SPLITS}},
            "groups": {name: len({e["group"] for e in parts[name]}) for name in SPLITS},
            "files": {f"{name}.jsonl": file_sha256(tmp[name]) for name in SPLITS},
            "sources": {str(p): file_sha256(p) for p in sources},
        }
        summary_tmp = out_dir / ".summary.json.tmp"
        summary_tmp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        for name, text in card_files.items():
            card_tmp[name].write_text(text, encoding="utf-8")
        for name in SPLITS:
            os.replace(tmp[name], out_dir / f"{name}.jsonl")
        for name in card_files:
            os.replace(card_tmp[name], out_dir / name)
        heldout = out_dir / "heldout"
        heldout.mkdir(mode=0o700, exist_ok=True)
        for name, rows in heldout_sets(parts["test"]).items():
            _write_private(heldout / f".{name}.tmp", rows)
            os.replace(heldout / f".{name}.tmp", heldout / name)
        os.replace(summary_tmp, out_dir / "summary.json")
    finally:
        for path in [*tmp.values(), *card_tmp.values(), out_dir / ".summary.json.tmp"]:
            path.unlink(missing_ok=True)
    return summary
