"""The rule-based CheXpert labeler (appliance.tools.chexpert) against Open-i MeSH-derived labels.

Gold labels are built exactly as the trainer builds them (`trainer.builders.openi.chexpert_labels`:
MeSH positives, explicit text negations, the rest not mentioned; rows whose text names an
observation MeSH does not carry are left out, as the builder leaves them out). Every row
with MeSH indexing other than "No Indexing" and with findings or an impression is used.

Halves: even-numbered uid = tuning half, odd-numbered uid = held-out half (never looked at
while writing the rules). Printed per half: n reports, per-label accuracy (macro over the 14
labels) beside the all-"not_mentioned" baseline and the best constant per label,
positive-finding recall (strict: labeler positive; lenient: positive or uncertain), a
per-label recall/precision table, and the impression check on the radiologists' own
impressions.

    python bench/eval_chexpert.py [--csv PATH] [--half even|odd|both] [--errors LABEL]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.safety.impression import impression_flags, sounds_normal  # noqa: E402
from appliance.tasks.abnormality_detection import CHEXPERT_LABELS  # noqa: E402
from appliance.tools.chexpert import label_chest  # noqa: E402
from trainer.builders.openi import _clean, chexpert_labels, read_rows, report_text  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "openi" / "indiana_reports.csv"
KEYS = list(CHEXPERT_LABELS.values())
FINDING_KEYS = [k for k in KEYS if k != "no_finding"]


def examples(path: Path):
    for row in read_rows(path):
        mesh = row.get("MeSH", "").strip()
        findings, impression = _clean(row.get("findings", "")), _clean(row.get("impression", ""))
        if not (findings or impression) or not mesh or "No Indexing" in mesh:
            continue
        gold = chexpert_labels(mesh, f"{findings}\n{impression}")
        if gold is None:
            continue
        yield int(row["uid"]), row, gold, report_text(row, with_impression=True)


def evaluate(rows, show_errors: str | None = None) -> None:
    n = len(rows)
    preds = []
    for uid, row, gold, text in rows:
        answer = label_chest(text)
        preds.append(answer.output if answer else {k: "not_mentioned" for k in KEYS})
    acc = {k: sum(p[k] == g[k] for p, (_, _, g, _) in zip(preds, rows)) / n for k in KEYS}
    base = {k: sum(g[k] == "not_mentioned" for _, _, g, _ in rows) / n for k in KEYS}
    best_const = {k: max(Counter(g[k] for _, _, g, _ in rows).values()) / n for k in KEYS}
    mean = lambda d: sum(d.values()) / len(d)  # noqa: E731
    print(f"n reports: {n}")
    print(f"per-label accuracy (macro, 14 labels): labeler {mean(acc):.3f} | all not_mentioned {mean(base):.3f} | "
          f"best constant per label {mean(best_const):.3f}")
    pos = [(p[k], k) for p, (_, _, g, _) in zip(preds, rows) for k in FINDING_KEYS if g[k] == "positive"]
    strict = sum(v == "positive" for v, _ in pos)
    lenient = sum(v in ("positive", "uncertain") for v, _ in pos)
    print(f"positive-finding recall (13 observations, {len(pos)} positive labels): strict {strict / len(pos):.3f} "
          f"({strict}/{len(pos)}) | lenient (positive or uncertain) {lenient / len(pos):.3f} ({lenient}/{len(pos)})")
    nf = [(p["no_finding"], g["no_finding"]) for p, (_, _, g, _) in zip(preds, rows)]
    print(f"no_finding: gold positive {sum(g == 'positive' for _, g in nf)}, labeler positive "
          f"{sum(p == 'positive' for p, _ in nf)}, agree {sum(p == g for p, g in nf)}/{n}")
    print(f"{'label':28} {'acc':>6} {'base':>6} {'const':>6} {'gold+':>6} {'rec':>6} {'rec~':>6} {'prec':>6} {'neg acc':>8}")
    for k in KEYS:
        gp = [p[k] for p, (_, _, g, _) in zip(preds, rows) if g[k] == "positive"]
        pp = [g[k] for p, (_, _, g, _) in zip(preds, rows) if p[k] == "positive"]
        gn = [p[k] for p, (_, _, g, _) in zip(preds, rows) if g[k] == "negative"]
        rec = sum(v == "positive" for v in gp) / len(gp) if gp else float("nan")
        rec_l = sum(v in ("positive", "uncertain") for v in gp) / len(gp) if gp else float("nan")
        prec = sum(v == "positive" for v in pp) / len(pp) if pp else float("nan")
        neg = sum(v == "negative" for v in gn) / len(gn) if gn else float("nan")
        print(f"{k:28} {acc[k]:6.3f} {base[k]:6.3f} {best_const[k]:6.3f} {len(gp):6d} {rec:6.3f} {rec_l:6.3f} {prec:6.3f} {neg:8.3f}")
    if show_errors:
        confusion = defaultdict(list)
        for p, (uid, row, g, text) in zip(preds, rows):
            if p[show_errors] != g[show_errors]:
                confusion[(g[show_errors], p[show_errors])].append((uid, row["MeSH"], text))
        for (g, p), items in sorted(confusion.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## gold {g} -> labeler {p}: {len(items)}")
            for uid, mesh, text in items[:8]:
                body = text.split("FINDINGS:", 1)[-1] if "FINDINGS:" in text else text
                print(f"  uid {uid} [{mesh}] {body[:400]!r}")
    impression_check(rows)


def impression_check(rows) -> None:
    """The impression check on the radiologists' own impressions (each checked against its findings)."""
    normal = flagged = normal_with_pos = normal_contra = urgent = total = 0
    urgent_by = Counter()
    contra_by = Counter()
    normal_gold = flagged_on_normal_gold = 0
    for uid, row, gold, _ in rows:
        impression, findings = _clean(row.get("impression", "")), _clean(row.get("findings", ""))
        if not impression or not findings:
            continue
        total += 1
        text = f"FINDINGS: {findings}\nIMPRESSION: {impression}"
        flags = impression_flags(impression, text)
        is_normal = sounds_normal(impression)
        normal += is_normal
        positives = [k for k in FINDING_KEYS if gold[k] == "positive"]
        if is_normal and positives:
            normal_with_pos += 1
        if flags:
            flagged += 1
        for f in flags:
            kind, _, names = f.partition(": ")
            for name in names.split(", "):
                (contra_by if kind.startswith("impression contradicts") else urgent_by)[name] += 1
        normal_contra += any(f.startswith("impression contradicts") for f in flags)
        urgent += any(f.startswith("impression omits") for f in flags)
        if gold["no_finding"] == "positive":
            normal_gold += 1
            flagged_on_normal_gold += bool(flags)
    print(f"\nimpression check on real radiologist impressions ({total} reports with findings and impression):")
    print(f"  normal-sounding impressions: {normal}; of these with a positive MeSH label (any of 13): {normal_with_pos}")
    print(f"  flagged 'contradicts findings': {normal_contra} ({normal_contra / total:.3f} of all; "
          f"{normal_contra / max(normal, 1):.3f} of normal-sounding) {dict(contra_by)}")
    print(f"  flagged 'omits urgent finding': {urgent} ({urgent / total:.3f}) {dict(urgent_by)}")
    print(f"  any flag on a MeSH-normal report (false alarms): {flagged_on_normal_gold}/{normal_gold}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--half", choices=("even", "odd", "both"), default="both")
    ap.add_argument("--errors", help="print mislabelled reports for this label key")
    args = ap.parse_args()
    rows = list(examples(args.csv))
    halves = {"even": [r for r in rows if r[0] % 2 == 0], "odd": [r for r in rows if r[0] % 2 == 1]}
    for name in (("even", "odd") if args.half == "both" else (args.half,)):
        label = "tuning half (even uid)" if name == "even" else "held-out half (odd uid)"
        print(f"\n=== Open-i, {label} ===")
        evaluate(halves[name], args.errors)


if __name__ == "__main__":
    main()
