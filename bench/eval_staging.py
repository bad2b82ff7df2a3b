"""N and M staging by rules, measured beside the trivial baselines on the same items.

Runs the appliance's tool order for n_staging / m_staging: a stated TNM token first
(`appliance.tools.stated`), then the AJCC 8 rules (`appliance.tools.staging_rules`).
No model is loaded.

    python -m bench.eval_staging [--tcga PATH] [--radiology PATH] [--errors /tmp/staging_errors.txt]

Per data set it prints: n; N accuracy (gold and answer collapsed to N0-N3: N1mi/N1a/... -> N1)
over all items with an N label, counting a withheld answer as wrong, with its 95 % Wilson interval, beside the
majority-class baseline on the same items; how many answers carried verbatim evidence; how many were withheld;
for M: M1 recall where the label is M1, accuracy where the label is not null, the constant "M0"
baseline, and how often MX was answered.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.tools import staging_rules, stated  # noqa: E402

TCGA = Path("/work/shared/data/dev/tcga_path_nm_dev.jsonl")
RADIOLOGY = ROOT / "tests" / "data" / "labelled" / "staging_radiology.jsonl"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for k right out of n."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def collapse_n(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().upper().replace("MI", "")
    return value[:2] if value[:2] in ("N0", "N1", "N2", "N3", "NX") else None


def collapse_m(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().upper()[:2]


def answer(text: str, task: str) -> tuple[str | None, str | None, str]:
    """(category, evidence, source) the appliance's tools give: stated first, then the rules."""
    first = stated.stated_n(text) if task == "n" else stated.stated_m(text)
    key = "n_stage" if task == "n" else "m_stage"
    if first is not None:
        return first.output[key], first.output["evidence"], "stated"
    rule = staging_rules.n_stage(text) if task == "n" else staging_rules.m_stage(text)
    if rule is None or rule.output is None:
        return None, None, "withheld"
    return rule.output[key], rule.output["evidence"], "rules"


def evaluate(name: str, rows: list[dict], errors: list[str]) -> None:
    n_items = [r for r in rows if collapse_n(r["label"].get("N"))]
    gold_n = [collapse_n(r["label"]["N"]) for r in n_items]
    majority = collections.Counter(gold_n).most_common(1)[0] if gold_n else ("-", 0)
    right = evidence = withheld = 0
    sources = collections.Counter()
    disagreements = []
    for r, gold in zip(n_items, gold_n):
        stage, ev, source = answer(r["text"], "n")
        sources[source] += 1
        if stage is None:
            withheld += 1
        elif ev and ev in r["text"] and len(ev) <= 160:
            evidence += 1
        if collapse_n(stage) == gold:
            right += 1
        else:
            disagreements.append(f"{r['id']}\t{r['label'].get('project', r.get('style', ''))}\tgold {gold}\tours {stage}"
                                 f"\t[{source}]\t{(ev or '')[:160]}")
    answered = len(n_items) - withheld
    print(f"\n== {name}: N (n={len(n_items)})")
    lo, hi = wilson(right, len(n_items))
    print(f"  accuracy              {right}/{len(n_items)} = {right / max(1, len(n_items)):.3f}   (95 % Wilson CI {lo:.3f}-{hi:.3f})")
    print(f"  majority ({majority[0]}) baseline {majority[1]}/{len(n_items)} = {majority[1] / max(1, len(n_items)):.3f}")
    print(f"  answers with evidence {evidence}/{answered}   withheld/None {withheld}   by source {dict(sources)}")

    m_items = [r for r in rows if collapse_m(r["label"].get("M"))]
    m1 = m1_right = right_m = m0_const = mx = m_withheld = m_evidence = 0
    m_dis = []
    for r in m_items:
        gold = collapse_m(r["label"]["M"])
        stage, ev, source = answer(r["text"], "m")
        got = collapse_m(stage)
        m_evidence += bool(stage and ev and ev in r["text"] and len(ev) <= 160)
        mx += got == "MX"
        m_withheld += got is None
        right_m += got == gold
        m0_const += gold == "M0"
        if gold == "M1":
            m1 += 1
            m1_right += got == "M1"
        if got != gold and (gold == "M1" or got == "M1" or len(m_dis) < 10):
            m_dis.append(f"{r['id']}\tgold {gold}\tours {stage}\t[{source}]\t{(ev or '')[:160]}")
    print(f"== {name}: M (n={len(m_items)} with a label)")
    print(f"  M1 recall             {m1_right}/{m1}" + (f" = {m1_right / m1:.3f}" if m1 else ""))
    print(f"  accuracy              {right_m}/{len(m_items)} = {right_m / max(1, len(m_items)):.3f}")
    print(f"  constant M0 baseline  {m0_const}/{len(m_items)} = {m0_const / max(1, len(m_items)):.3f}")
    print(f"  answered MX           {mx}/{len(m_items)}   withheld/uncertain {m_withheld}   answers with evidence "
          f"{m_evidence}/{len(m_items) - m_withheld}")
    errors.append(f"### {name} N disagreements ({len(disagreements)})")
    errors.extend(disagreements)
    errors.append(f"### {name} M disagreements (M1 involved first)")
    errors.extend(sorted(m_dis, key=lambda s: "M1" not in s))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tcga", type=Path, default=TCGA)
    parser.add_argument("--radiology", type=Path, default=RADIOLOGY)
    parser.add_argument("--errors", type=Path, default=Path("/tmp/staging_errors.txt"))
    args = parser.parse_args()
    errors: list[str] = []
    for name, path in (("TCGA pathology dev", args.tcga), ("radiology staging (own set)", args.radiology)):
        if not path.exists():
            print(f"{name}: {path} not found; skipped", file=sys.stderr)
            continue
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        evaluate(name, rows, errors)
    args.errors.write_text("\n".join(errors) + "\n")
    print(f"\ndisagreements written to {args.errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
