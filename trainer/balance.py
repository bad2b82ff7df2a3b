"""Per-task class balance of the training mix, and the data card that counts it.

Why: a small model trained on the natural mix learns the majority answer. Four of five
Open-i impressions say only that nothing is acute, and the smoke adapter wrote "No acute
disease." for 8 of 9 abnormal reports. So, within each task, examples are grouped by
the class of their answer (its *stratum*) and the task's share of the mix (its natural
count × its task weight, unchanged) is divided between the strata:

    share of stratum s  ∝  n_s ** power        (power 0: equal; 1: natural)

with no example repeated more than `max_repeat` times (what a stratum cannot fill
goes to the others). A stratum larger than its share is subsampled without replacement.
Impressions are split equally between "normal" and "finding" (power 0): that is the
failure to fix. Elsewhere power 0.5 lifts rare classes (a rare CheXpert label, an
uncommon stage) without throwing away most of the common one, so the model still
sees the clinic's usual case often.

Strata, by task (what a constant answer would win on):
- impression_generation: "normal" when the impression only says nothing is wrong
  ("No acute cardiopulmonary disease.") and names no finding, else "finding";
- abnormality_detection: the example's rarest positive CheXpert label, "no_finding"
  for a normal study, "none_positive" otherwise;
- rads_features: system, feature and the value read (or "not described"), shared equally
  (power 0): a model that answers "not described" to everything, or always the commonest
  value, is the failure to avoid;
- rads_assignment: system and category; n_staging / m_staging: the stage; triage: the
  ESI level; radiology_nli: the label; temporal_comparison: the first change; radiology_qa:
  yes / no / open answer; the rest (differential, NER): one stratum.

Validation and test splits keep their natural counts (they measure the clinic's mix).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter, defaultdict
from typing import Callable

# Impression-level normal statements; an impression that also names a finding is a "finding".
_NORMAL_IMPRESSION = re.compile(
    r"\b(no acute|no active|negative (for|chest|study|exam)|no evidence of (acute|active)|unremarkable|"
    r"no radiographic evidence|clear lungs|lungs are clear|no (significant|focal|cardiopulmonary)|"
    r"within normal limits|stable chest|normal (chest|exam|study|radiograph|film)|no (findings|abnormalit))",
    re.IGNORECASE)

DEFAULT_POWER = 0.5
TASK_POWER = {"impression_generation": 0.0, "rads_features": 0.0}
DEFAULT_MAX_REPEAT = 4


def impression_class(impression: str) -> str:
    from .builders.openi import text_mentions

    if _NORMAL_IMPRESSION.search(impression) and not text_mentions(impression)[1]:
        return "normal"
    return "finding"


def _positives(output: dict) -> list[str]:
    return [k for k, v in output.items() if v == "positive" and k != "no_finding"]


def _field(name: str, fmt: str = "{}") -> Callable[[dict], str]:
    return lambda output: fmt.format(output.get(name, "?"))


def _qa(output: dict) -> str:
    answer = str(output.get("answer", "")).strip().lower().rstrip(".")
    return answer if answer in ("yes", "no") else "open"


_SIMPLE: dict[str, Callable[[dict], str]] = {
    "impression_generation": lambda o: impression_class(str(o.get("impression", ""))),
    "rads_assignment": lambda o: f"{o.get('system', '?')} {o.get('category', '?')}",
    "n_staging": _field("n_stage"),
    "m_staging": _field("m_stage"),
    "triage": _field("esi_level", "ESI {}"),
    "radiology_nli": _field("label"),
    "temporal_comparison": lambda o: (o.get("changes") or [{}])[0].get("change", "?"),
    "radiology_qa": _qa,
}


def strata(task: str, examples: list[dict]) -> list[str]:
    """The stratum of each example of one task (see the module's docstring)."""
    if task == "abnormality_detection":
        frequency = Counter(label for e in examples for label in _positives(e["output"]))
        out = []
        for e in examples:
            positives = _positives(e["output"])
            if positives:
                out.append(min(positives, key=lambda label: (frequency[label], label)))
            else:
                out.append("no_finding" if e["output"].get("no_finding") == "positive" else "none_positive")
        return out
    if task == "rads_features":  # the feature lives in the question, not the output
        return [f"{e.get('question', {}).get('system', '?')} {e.get('question', {}).get('feature', '?')}: "
                f"{e['output'].get('value', '?')}" for e in examples]
    classify = _SIMPLE.get(task)
    return [classify(e["output"]) if classify else "all" for e in examples]


def allocate(sizes: dict[str, int], budget: int, power: float, max_repeat: float) -> dict[str, int]:
    """Integer counts per stratum summing to `budget` (or to every stratum's cap, if less).

    Targets ∝ size**power; a stratum's count never exceeds size × max_repeat; what a
    capped stratum cannot take is shared among the others (water filling).
    """
    caps = {s: math.ceil(n * max_repeat) for s, n in sizes.items()}
    weight = {s: float(n) ** power for s, n in sizes.items() if n > 0}
    alloc: dict[str, float] = {s: 0 for s in sizes}
    open_, left = set(weight), float(min(budget, sum(caps.values())))
    while open_:
        total = sum(weight[s] for s in open_)
        full = {s for s in open_ if caps[s] <= left * weight[s] / total}
        if not full:
            for s in open_:
                alloc[s] = left * weight[s] / total
            break
        for s in full:
            alloc[s] = caps[s]
            left -= caps[s]
        open_ -= full
    # Largest remainder, ties by name, so the counts are integers and sum exactly.
    counts = {s: math.floor(a) for s, a in alloc.items()}
    short = round(sum(alloc.values())) - sum(counts.values())
    for s in sorted(alloc, key=lambda s: (-(alloc[s] - counts[s]), s))[:short]:
        counts[s] += 1
    return counts


def balanced_mix(examples: list[dict], weights: dict[str, float], seed: int = 0, balance: bool = True,
                 power: float | None = None, max_repeat: float = DEFAULT_MAX_REPEAT) -> list[dict]:
    """Each task's examples repeated or subsampled to weight × its count, shared between its
    strata (balance=True) or as one stratum (balance=False: the plain task-weighted mix).
    Whole copies of a stratum for the integer part of its ratio, a random subset without
    replacement for the rest; then shuffled. Seeded."""
    rng = random.Random(seed)
    by_task: dict[str, list[dict]] = defaultdict(list)
    for example in examples:
        by_task[example["task"]].append(example)
    mix: list[dict] = []
    for task in sorted(by_task):
        items, weight = by_task[task], weights.get(task, 1.0)
        if weight < 0:
            raise ValueError(f"negative weight for {task}")
        budget = math.floor(weight) * len(items) + round((weight - math.floor(weight)) * len(items))
        groups: dict[str, list[dict]] = defaultdict(list)
        for example, stratum in zip(items, strata(task, items) if balance else ["all"] * len(items)):
            groups[stratum].append(example)
        task_power = power if power is not None else TASK_POWER.get(task, DEFAULT_POWER)
        counts = allocate({s: len(g) for s, g in groups.items()}, budget, task_power, max(max_repeat, weight))
        for stratum in sorted(groups):
            group, count = groups[stratum], counts[stratum]
            mix += group * (count // len(group))
            mix += rng.sample(group, count % len(group))
    rng.shuffle(mix)
    return mix


# -- the data card ---------------------------------------------------------------------

def card(parts: dict[str, list[dict]]) -> dict:
    """Counts per task, per stratum and (abnormality detection) per label value, for each part."""
    tasks = sorted({e["task"] for rows in parts.values() for e in rows})
    out: dict = {"parts": list(parts), "tasks": {}}
    for task in tasks:
        entry: dict = {"examples": {}, "classes": {}}
        for name, rows in parts.items():
            items = [e for e in rows if e["task"] == task]
            entry["examples"][name] = len(items)
            for stratum, n in Counter(strata(task, items)).items():
                entry["classes"].setdefault(stratum, {p: 0 for p in parts})[name] = n
        entry["classes"] = dict(sorted(entry["classes"].items()))
        if task == "abnormality_detection":
            labels: dict = {}
            for name, rows in parts.items():
                for e in rows:
                    if e["task"] != task:
                        continue
                    for label, value in e["output"].items():
                        labels.setdefault(label, {}).setdefault(value, {p: 0 for p in parts})[name] += 1
            entry["labels"] = labels
        out["tasks"][task] = entry
    return out


def card_markdown(data_card: dict, title: str = "Training data card") -> str:
    parts = data_card["parts"]
    lines = [f"# {title}", "",
             "Counts of examples per task and per answer class (trainer/balance.py says how a class is "
             "decided). `train` is the balanced, task-weighted mix the adapter trains on; "
             "`train_natural` is the same split before weighting; val and test keep natural counts.", ""]
    head = "| task | class | " + " | ".join(parts) + " |"
    rule = "|---|---|" + "---:|" * len(parts)
    lines += [head, rule]
    for task, entry in data_card["tasks"].items():
        lines.append(f"| **{task}** | all | " + " | ".join(str(entry["examples"][p]) for p in parts) + " |")
        for stratum, counts in entry["classes"].items():
            if list(entry["classes"]) == ["all"]:
                break  # one class: the task's row says it all
            lines.append(f"| | {stratum} | " + " | ".join(str(counts[p]) for p in parts) + " |")
    labels = data_card["tasks"].get("abnormality_detection", {}).get("labels")
    if labels:
        values = ["positive", "negative", "uncertain", "not_mentioned"]
        lines += ["", "## abnormality_detection: label values", "",
                  "Each cell: " + " / ".join(values) + ".", "",
                  "| label | " + " | ".join(parts) + " |", "|---|" + "---:|" * len(parts)]
        for label, by_value in labels.items():
            cells = [" / ".join(str(by_value.get(v, {}).get(p, 0)) for v in values) for p in parts]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def card_json(data_card: dict) -> str:
    return json.dumps(data_card, indent=2, ensure_ascii=False) + "\n"
