"""Model feature questions on reports whose deciding feature the lexicon cannot read.

tests/data/labelled/rads_features.jsonl: free-prose reports (TI-, LI-, PI-, O-, GB-, VI-,
Lung-RADS) where ONE category-deciding feature is said in words the calculators' lexicon
does not match ("darker than the surrounding gland"), labelled with the gold category and
the gold value of that feature. Each report goes through the deployed path: the agent's
plan, the tools (stated category, then the calculator), and, where the calculator leaves
features open, one enum question per feature to the model (pipeline/processor.py,
ask_features), with the calculator's rules applied to the answers. Nothing is written to
the clinic's home (a temporary one is used) and the capability gate is not consulted for
scoring: the would-be category (kept as unverified in the outbox) is what is scored.

Printed side by side:
- reports where the calculator left features open (and asked the model);
- per question (feature): model accuracy on the gold feature vs the majority-value
  baseline (the most common gold value of that feature in the file);
- category accuracy with model-read features vs the constant most-common-category
  baseline (per system), with undercalls (less severe than gold: the dangerous error),
  overcalls and reports left without one category;
- the share of evidence quotes that are verbatim document text.

    .venv/bin/python bench/eval_feature_questions.py [--show] [--file PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=ROOT / "tests/data/labelled/rads_features.jsonl")
    parser.add_argument("--show", action="store_true", help="one line per report (ids, answers, categories)")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]

    os.environ["APPLIANCE_HOME"] = tempfile.mkdtemp(prefix="feature-bench-")
    os.environ.setdefault("APPLIANCE_SETTLE_SECONDS", "0")
    from appliance.app import Appliance
    from appliance.pipeline.plan import plan_document
    from appliance.tasks.feature_question import NOT_DESCRIBED
    from appliance.tasks.rads_systems import system
    from appliance.tools.rads import rads_answer

    app = Appliance()
    entry = app.model_entry("rads_features")
    print(f"model: {entry.name} (sha256 {entry.sha256[:12]}), {len(items)} reports from {args.file.name}")

    by_feature: dict[str, list[tuple[str, str | None]]] = defaultdict(list)   # feature -> (gold, model)
    chance: dict[str, list[float]] = defaultdict(list)   # feature -> 1 / number of values offered
    gold_values: dict[str, Counter] = defaultdict(Counter)
    c = Counter()
    per_system: dict[str, Counter] = defaultdict(Counter)
    gold_by_system: dict[str, Counter] = defaultdict(Counter)
    quotes = Counter()
    started = time.perf_counter()
    for item in items:
        label, text = item["label"], item["text"]
        gold_values[label["feature"]][label["value"]] += 1
        partial = rads_answer(text)
        offered = [q for q in (partial.questions if partial else []) if q.feature == label["feature"]]
        chance[label["feature"]].append(1 / (len(offered[0].values) + 1) if offered else 0.0)  # + "not described"
        gold_by_system[label["system"]][label["category"]] += 1
        c["n"] += 1
        plan = plan_document(text, None)
        if "rads_assignment" not in plan.tasks:
            c["not planned"] += 1
            by_feature[label["feature"]].append((label["value"], None))
            per_system[label["system"]]["n"] += 1
            per_system[label["system"]]["unsettled"] += 1
            if args.show:
                print(f"  {item['id']}: not planned ({plan.tasks})")
            continue
        run = app.run_task(text, "rads_assignment")
        asked = (run.working or {}).get("model_features") or []
        if asked:
            c["open"] += 1
        model_value = None
        for f in asked:
            if f.get("evidence") is not None:
                quotes["n"] += 1
                quotes["verbatim"] += f["evidence"] in text
            if f["feature"] == label["feature"] and (label.get("lesion") is None or f.get("lesion") in (None, label["lesion"])):
                model_value = f["value"]
        by_feature[label["feature"]].append((label["value"], model_value))
        got = run.output["category"] if run.output and run.output.get("system") == label["system"] else None
        s = per_system[label["system"]]
        s["n"] += 1
        row = system(label["system"])
        if got is None:
            s["unsettled"] += 1
        elif got == label["category"]:
            s["right"] += 1
        elif row.rank(got) < row.rank(label["category"]):
            s["under"] += 1
        else:
            s["over"] += 1
        s["presented"] += run.withheld is None and run.output is not None
        if args.show:
            said = "; ".join(f"{f['feature']}={f['value']!r}" for f in asked) or "nothing asked"
            print(f"  {item['id']}: gold {label['category']} ({label['feature']}={label['value']!r}); "
                  f"model {said}; category {got} ({run.source})")
    elapsed = time.perf_counter() - started

    print(f"\nreports: {c['n']}; calculator left features open and the model was asked: {c['open']}; "
          f"not planned as RADS: {c['not planned']}; {elapsed:.1f} s")
    print(f"\n{'feature (question)':<42} {'n':>3} {'model':>6} {'majority':>8} {'chance':>6}  {'not described':>13}")
    all_right = all_base = all_n = all_chance = 0
    for feature in sorted(by_feature):
        pairs = by_feature[feature]
        n = len(pairs)
        right = sum(g == m for g, m in pairs)
        majority = gold_values[feature].most_common(1)[0][1]
        nd = sum(m == NOT_DESCRIBED for _, m in pairs)
        all_right, all_base, all_n = all_right + right, all_base + majority, all_n + n
        all_chance += sum(chance[feature])
        print(f"{feature[:42]:<42} {n:>3} {right / n:>6.2f} {majority / n:>8.2f} {sum(chance[feature]) / n:>6.2f}  {nd:>13}")
    print(f"{'all questions':<42} {all_n:>3} {all_right / all_n:>6.2f} {all_base / all_n:>8.2f} {all_chance / all_n:>6.2f}")
    print("  (majority: the feature's most common gold value in this file, in-sample, so 1.00 where n = 1; "
          "chance: one of the offered values or 'not described' at random)")

    print(f"\n{'system':<10} {'n':>3} {'category':>8} {'constant':>8} {'under':>5} {'over':>5} {'unsettled':>9}")
    total, base = Counter(), 0
    for name in sorted(per_system):
        s = per_system[name]
        constant = gold_by_system[name].most_common(1)[0][1]
        total.update(s)
        base += constant
        print(f"{name:<10} {s['n']:>3} {s['right'] / s['n']:>8.2f} {constant / s['n']:>8.2f} {s['under']:>5} "
              f"{s['over']:>5} {s['unsettled']:>9}")
    print(f"{'all':<10} {total['n']:>3} {total['right'] / total['n']:>8.2f} {base / total['n']:>8.2f} "
          f"{total['under']:>5} {total['over']:>5} {total['unsettled']:>9}")
    print("  (category: with the model-read features, the calculator's rules; constant: the system's most "
          "common gold category)")
    if total["presented"]:
        print(f"  presented as results (capability gate open): {total['presented']}")
    share = quotes["verbatim"] / quotes["n"] if quotes["n"] else 0.0
    print(f"\nevidence quotes verbatim: {quotes['verbatim']}/{quotes['n']} ({share:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
