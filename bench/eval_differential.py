"""Measure the catalogue differential and the red-flag rules on labelled notes (pure Python, no model).

    python bench/eval_differential.py [--show-misses]

Differential sets: the Avey dev vignettes (../shared/data/dev/avey_dx_dev.jsonl, evaluation and
tuning only), our own labelled vignettes (tests/data/labelled/differential_vignettes.jsonl) and the
trainer corpus (trainer/corpus/differential.jsonl, gold = its most likely diagnosis).
Matcher: `same_diagnosis` (synonym table: one preferred name per diagnosis, British/US spelling and
punctuation folded); a second, looser figure uses key-word overlap (any shared word of 5+ letters
that is not a generic word) and is reported beside it, never instead of it.
Red-flag set: tests/data/labelled/red_flag_presentations.jsonl: urgent recall and routine notes escalated.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.differential import differential, same_diagnosis  # noqa: E402
from appliance.differential.rank import presentations  # noqa: E402
from appliance.safety.red_flags import red_flags  # noqa: E402
from appliance.tasks.differential_diagnosis import DifferentialDiagnosis  # noqa: E402

_GENERIC = {"acute", "chronic", "disease", "syndrome", "primary", "secondary", "infection", "disorder", "with", "from",
            "typical", "simple", "severe", "viral", "bacterial"}


def keyword_match(a: str, b: str) -> bool:
    wa = {w for w in re.findall(r"[a-z]{5,}", a.lower()) if w not in _GENERIC}
    wb = {w for w in re.findall(r"[a-z]{5,}", b.lower()) if w not in _GENERIC}
    return bool(wa & wb)


def load(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if "input" in d:
            rows.append((d["id"], d["input"], d["output"]["most_likely"]["diagnosis"]))
        else:
            rows.append((d["id"], d["text"], d["label"]["diagnosis"]))
    return rows


def eval_differential(name: str, rows, show: bool) -> None:
    n = len(rows)
    in4 = first = in4_kw = repeats = none = serious_ok = serious_due = invalid = 0
    for rid, text, gold in rows:
        hits = red_flags(text)
        ans = differential(text, hits)
        if ans is None or ans.output is None:
            none += 1
            if show:
                print(f"  NONE {rid}: gold={gold}")
            continue
        out = ans.output
        try:
            DifferentialDiagnosis.model_validate(out)
        except Exception:
            invalid += 1
        tiers = [out["most_likely"]["diagnosis"], *(p["diagnosis"] for p in out["possible"]), out["unlikely_but_serious"]["diagnosis"]]
        if len({t.lower() for t in tiers}) < 4:
            repeats += 1
        # A presentation with must-not-miss diagnoses: the tier must hold one of them (or a rule's addition).
        must = {name for fp in presentations(text) for name in fp.presentation.serious}
        if must:
            serious_due += 1
            ubs = out["unlikely_but_serious"]
            if ubs["diagnosis"] in must or ubs["reasoning"].startswith("Added by safety rule"):
                serious_ok += 1
            elif show:
                print(f"  NO MUST-NOT-MISS {rid}: {ubs['diagnosis']}")
        hit = any(same_diagnosis(gold, t) for t in tiers)
        in4 += hit
        first += same_diagnosis(gold, tiers[0])
        in4_kw += hit or any(keyword_match(gold, t) for t in tiers)
        if show and not hit:
            print(f"  MISS {rid}: gold={gold} | got {tiers}")
    pct = lambda k: f"{k}/{n} = {100 * k / max(n, 1):.0f} %"
    print(f"\n== {name} (n={n}) ==")
    print(f"gold in four tiers (synonym matcher):      {pct(in4)}")
    print(f"gold as most likely (synonym matcher):     {pct(first)}")
    print(f"gold in four tiers (synonym or key word):  {pct(in4_kw)}")
    print(f"differentials with a repeated diagnosis:   {repeats}")
    print(f"must-not-miss in unlikely-but-serious tier: {serious_ok}/{serious_due} (presentations that have one)")
    print(f"schema-invalid outputs:                    {invalid}")
    print(f"no presentation found (no differential):   {none}")


def eval_red_flags(path: Path, show: bool) -> None:
    if not path.exists():
        print(f"\n(no red-flag set at {path})")
        return
    rows = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
    urgent = [r for r in rows if r["label"]["urgent"]]
    routine = [r for r in rows if not r["label"]["urgent"]]
    caught = escalated = 0
    for r in urgent:
        hits = red_flags(r["text"])
        caught += bool(hits)
        if show and not hits:
            print(f"  MISSED URGENT {r['id']}: {r['text'][:100]}")
    for r in routine:
        hits = red_flags(r["text"])
        escalated += bool(hits)
        if show and hits:
            print(f"  ESCALATED ROUTINE {r['id']}: {[h.rule.id for h in hits]} {r['text'][:100]}")
    print(f"\n== red-flag presentations (n={len(rows)}: {len(urgent)} urgent, {len(routine)} routine) ==")
    print(f"urgent recall:             {caught}/{len(urgent)} = {100 * caught / max(len(urgent), 1):.0f} %")
    print(f"routine notes escalated:   {escalated}/{len(routine)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    sets = [
        ("Avey dev vignettes (../shared/data/dev/avey_dx_dev.jsonl)", ROOT.parent / "shared/data/dev/avey_dx_dev.jsonl"),
        ("own labelled vignettes (tests/data/labelled/differential_vignettes.jsonl)", ROOT / "tests/data/labelled/differential_vignettes.jsonl"),
        ("trainer corpus (trainer/corpus/differential.jsonl, gold = most likely)", ROOT / "trainer/corpus/differential.jsonl"),
    ]
    for name, path in sets:
        if not path.exists() and "shared" in str(path):
            path = Path("/work/shared/data/dev/avey_dx_dev.jsonl")
        rows = load(path)
        if rows:
            eval_differential(name, rows, args.show_misses)
    eval_red_flags(ROOT / "tests/data/labelled/red_flag_presentations.jsonl", args.show_misses)


if __name__ == "__main__":
    main()
