"""Write the development sets in `appliance eval`'s format, so every figure comes from the deployed path.

    python bench/dev_sets.py --out /tmp/devsets
    appliance eval /tmp/devsets/openi_chexpert_odd.jsonl       # etc.

Sets written (each line `{"id", "text", "label"}`):
- openi_chexpert_odd.jsonl / _even.jsonl: Open-i chest radiograph reports with the 14 CheXpert
  labels the trainer's builder derives from MeSH (odd uid = held out from the labeler's tuning);
- openi_impression_odd.jsonl: Open-i findings without their impression → the radiologist's impression;
- trainer_triage.jsonl: the project's 102 ESI-labelled triage notes (trainer/corpus);
- trainer_differential.jsonl: the project's 164 vignettes, gold = their most likely diagnosis;
- the shared dev sets (TCGA N/M, Avey vignettes) and tests/data/labelled/*.jsonl are already in this
  format and are read as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trainer.builders.openi import _clean, chexpert_labels, read_rows, report_text  # noqa: E402


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{path}: {len(rows)} documents")


def openi(csv: Path, out: Path) -> None:
    halves = {"odd": [], "even": []}
    impressions = []
    for row in read_rows(csv):
        uid = int(row["uid"])
        half = "odd" if uid % 2 else "even"
        findings, impression = _clean(row.get("findings", "")), _clean(row.get("impression", ""))
        mesh = row.get("MeSH", "").strip()
        if (findings or impression) and mesh and "No Indexing" not in mesh:
            labels = chexpert_labels(mesh, f"{findings}\n{impression}")
            if labels is not None:
                halves[half].append({"id": f"openi-{uid}", "text": report_text(row, with_impression=True),
                                     "label": {"abnormality_detection": labels}})
        if half == "odd" and findings and impression and "XXXX" not in impression and len(impression) <= 300:
            impressions.append({"id": f"openi-{uid}", "text": report_text(row, with_impression=False),
                                "label": {"impression_generation": {"impression": impression}}})
    for half, rows in halves.items():
        _write(out / f"openi_chexpert_{half}.jsonl", rows)
    _write(out / "openi_impression_odd.jsonl", impressions)


def corpus(out: Path) -> None:
    base = REPO / "trainer" / "corpus"
    triage = [json.loads(line) for line in (base / "triage.jsonl").read_text().splitlines() if line.strip()]
    _write(out / "trainer_triage.jsonl", [
        {"id": r["id"], "text": r["input"], "label": {"triage": {"esi_level": r["output"]["esi_level"]}}}
        for r in triage])
    dx = [json.loads(line) for line in (base / "differential.jsonl").read_text().splitlines() if line.strip()]
    _write(out / "trainer_differential.jsonl", [
        {"id": r["id"], "text": r["input"], "label": {"diagnosis": r["output"]["most_likely"]["diagnosis"]}}
        for r in dx])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--openi", type=Path, default=REPO.parent / "shared" / "data" / "openi" / "indiana_reports.csv")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    openi(args.openi, args.out)
    corpus(args.out)


if __name__ == "__main__":
    main()
