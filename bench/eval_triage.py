"""Triage by the ESI v4 rules (appliance.tools.esi), measured beside the trivial baselines.

Two data sets, both pure text, no model:

- tests/data/labelled/triage_vignettes.jsonl: hand-labelled vignettes (lay, nurse triage and GP
  styles) with a three-level disposition; disposition accuracy, the confusion table,
  emergencies under-triaged, and the majority-class baseline;
- trainer/corpus/triage.jsonl: ESI-labelled triage notes; exact ESI accuracy, within one
  level, under-triage (a level higher in number than the label), and the majority baseline.

    python bench/eval_triage.py [--vignettes PATH] [--corpus PATH] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.tasks.triage import Triage  # noqa: E402
from appliance.tools.esi import disposition, esi  # noqa: E402

LEVELS = ("emergency", "urgent visit", "self-care")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _predict(text: str) -> int | None:
    answer = esi(text)
    if answer is None or answer.output is None:
        return None
    Triage.model_validate(answer.output)  # every answer must be a valid triage output
    assert answer.output["evidence"] in text, "evidence is not verbatim"
    return answer.output["esi_level"]


def vignettes(path: Path, show_errors: bool) -> None:
    rows = _rows(path)
    confusion: Counter = Counter()
    right = under_emergency = 0
    errors = []
    for row in rows:
        gold = row["label"]["disposition"]
        level = _predict(row["text"])
        pred = disposition(level) if level is not None else "none"
        confusion[(gold, pred)] += 1
        right += pred == gold
        if gold == "emergency" and pred != "emergency":
            under_emergency += 1
        if pred != gold:
            errors.append((row["id"], gold, pred, level, row["text"]))
    majority, majority_n = Counter(r["label"]["disposition"] for r in rows).most_common(1)[0]
    n = len(rows)
    print(f"== {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {n} vignettes "
          f"({', '.join(f'{k} {v}' for k, v in Counter(r['label']['disposition'] for r in rows).items())})")
    print(f"disposition accuracy   {right}/{n} = {right / n:.3f}")
    print(f"majority baseline      {majority_n}/{n} = {majority_n / n:.3f}  (always '{majority}')")
    print(f"emergencies under-triaged  {under_emergency}")
    print("confusion (rows gold, columns predicted):")
    cols = LEVELS + (("none",) if any(p == "none" for _, p in confusion) else ())
    print(f"  {'':14}" + "".join(f"{c:>14}" for c in cols))
    for g in LEVELS:
        print(f"  {g:14}" + "".join(f"{confusion[(g, c)]:>14}" for c in cols))
    if show_errors:
        for e in errors:
            print("  MISS", e[0], f"gold={e[1]} pred={e[2]} (ESI {e[3]}):", e[4][:150])


def corpus(path: Path, show_errors: bool) -> None:
    rows = _rows(path)
    exact = within = under = over = 0
    under_to_non_emergency = 0
    disp_right = 0
    errors = []
    for row in rows:
        gold = row["output"]["esi_level"]
        level = _predict(row["input"])
        if level is None:
            level = 6
        exact += level == gold
        within += abs(level - gold) <= 1
        under += level > gold
        over += level < gold
        disp_right += disposition(min(level, 5)) == disposition(gold)
        if gold <= 2 and level > 2:
            under_to_non_emergency += 1
        if level != gold:
            errors.append((row["id"], gold, level, row["input"]))
    majority, majority_n = Counter(r["output"]["esi_level"] for r in rows).most_common(1)[0]
    majority_within = sum(abs(r["output"]["esi_level"] - majority) <= 1 for r in rows)
    n = len(rows)
    print(f"== {path.relative_to(ROOT)}: {n} ESI-labelled triage notes")
    print(f"ESI exact accuracy     {exact}/{n} = {exact / n:.3f}   (majority baseline ESI {majority}: {majority_n}/{n} = {majority_n / n:.3f})")
    print(f"ESI within one level   {within}/{n} = {within / n:.3f}   (majority baseline: {majority_within}/{n} = {majority_within / n:.3f})")
    print(f"under-triaged          {under}  (of which ESI 1-2 called 3-5: {under_to_non_emergency});  over-triaged {over}")
    print(f"disposition accuracy   {disp_right}/{n} = {disp_right / n:.3f}")
    if show_errors:
        for e in errors:
            print("  MISS", e[0], f"gold={e[1]} pred={e[2]}:", e[3].replace("\n", " / ")[:170])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vignettes", type=Path, default=ROOT / "tests/data/labelled/triage_vignettes.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "trainer/corpus/triage.jsonl")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    vignettes(args.vignettes, args.show_errors)
    print()
    corpus(args.corpus, args.show_errors)


if __name__ == "__main__":
    main()
