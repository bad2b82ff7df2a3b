"""Open-i chest radiograph reports (shared/data/openi) as report texts for soak and throughput runs."""

from __future__ import annotations

import csv
import os
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "openi" / "indiana_reports.csv"


def openi_reports(limit: int | None = None, csv_path: Path | None = None) -> list[tuple[str, str]]:
    """(file name, report text) pairs, in file order; XXXX is the collection's de-identification mark."""
    path = Path(os.environ.get("OPENI_CSV", csv_path or DEFAULT_CSV))
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    reports = []
    for row in rows[:limit]:
        text = (
            f"EXAM: {row['image']}\nINDICATION: {row['indication']}\nCOMPARISON: {row['comparison']}\n"
            f"FINDINGS: {row['findings']}\nIMPRESSION: {row['impression']}\n"
        )
        reports.append((f"openi-{int(row['uid']):05d}.txt", text))
    return reports
