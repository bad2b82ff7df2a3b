"""Category accuracy of the RADS path without a model: stated category first, else the calculator.

For every tests/data/labelled/rads_*.jsonl except the rads_features*.jsonl sets (written so that the
lexicon cannot settle a feature, or with the feature unstated; bench/eval_feature_questions.py measures them): per system (the label's), n, category accuracy,
undercalls (gold more severe than the answer), overcalls, withheld (no category given), and
the majority-category baseline on the same items, side by side.

    python3 bench/eval_rads_calculators.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.tasks.rads_systems import calculator_for, system  # noqa: E402
from appliance.tools.stated import stated_rads  # noqa: E402


def answer(text: str, name: str) -> tuple[str | None, str]:
    """(category or None, how): the stated category if the report gives one, else the calculator's."""
    stated = stated_rads(text)
    if stated and stated.output["system"] == name:
        return stated.output["category"], "stated"
    calculate = calculator_for(name)
    if calculate is None:
        return None, "no calculator"
    result = calculate(text)
    if result is None:
        return None, "no lesion found"
    if result.output is None:
        return None, f"withheld (missing: {', '.join(result.missing)}; allowed {result.allowed})"
    return result.output["category"], "computed"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    items = []
    for path in sorted((ROOT / "tests/data/labelled").glob("rads_*.jsonl")):
        if path.name.startswith("rads_features"):
            continue
        items += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    by_system: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_system[item["label"]["system"]].append(item)

    print(f"{'system':<10} {'n':>3} {'accuracy':>8} {'under':>5} {'over':>5} {'withheld':>8} {'stated':>6} {'majority':>8}")
    total = Counter()
    for name in sorted(by_system):
        row = system(name)
        gold = [i["label"]["category"] for i in by_system[name]]
        majority = Counter(gold).most_common(1)[0][1] / len(gold)
        c = Counter()
        for item in by_system[name]:
            expected = item["label"]["category"]
            got, how = answer(item["text"], name)
            c["n"] += 1
            c["stated"] += how == "stated"
            if got is None:
                c["withheld"] += 1
            elif got == expected:
                c["right"] += 1
            elif row.rank(expected) > row.rank(got):
                c["under"] += 1
            else:
                c["over"] += 1
            if args.show_errors and got != expected:
                print(f"  {item['id']}: gold {expected}, got {got} ({how})")
        total.update(c)
        total["majority"] += majority * c["n"]
        print(f"{name:<10} {c['n']:>3} {c['right'] / c['n']:>8.2f} {c['under']:>5} {c['over']:>5} {c['withheld']:>8} {c['stated']:>6} {majority:>8.2f}")
    if total["n"]:
        print(f"{'all':<10} {total['n']:>3} {total['right'] / total['n']:>8.2f} {total['under']:>5} {total['over']:>5} "
              f"{total['withheld']:>8} {total['stated']:>6} {total['majority'] / total['n']:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
