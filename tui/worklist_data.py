"""Rows of the worklist, read from the database: urgent first, then newest."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

STATUS_LABELS = {
    "received": "waiting",
    "processing": "processing",
    "done": "ready for review",
    "failed": "failed",
    "quarantined": "quarantined",
}


@dataclass(frozen=True)
class WorkItem:
    job_id: int
    source: str
    status: str
    document_type: str
    key_result: str
    urgent: bool
    urgent_reason: str   # the red-flag labels, e.g. "Tension pneumothorax"
    received_at: str


def key_result(results: dict[str, dict]) -> str:
    """The result at a glance, e.g. 'BI-RADS 5', 'N2 M0', 'Dx: ...'."""
    parts = []
    if rads := results.get("rads_assignment"):
        parts.append("no RADS" if rads["system"] == "none" else f"{rads['system']} {rads['category']}")
    stage = " ".join(results[t][k] for t, k in (("n_staging", "n_stage"), ("m_staging", "m_stage")) if t in results)
    if stage:
        parts.append(stage)
    if dx := results.get("differential_diagnosis"):
        parts.append(f"Dx: {dx['most_likely']['diagnosis']}")
    return "; ".join(parts)


def load_worklist(db: sqlite_utils.Database) -> list[WorkItem]:
    items = []
    for job in db.query("SELECT * FROM jobs ORDER BY urgent DESC, received_at DESC, id DESC"):
        results = {
            row["task"]: json.loads(row["output"])
            for row in db.query(
                "SELECT task, output FROM results WHERE job_id = ? AND status = 'ok' ORDER BY id", [job["id"]]
            )
        }
        items.append(WorkItem(
            job_id=job["id"], source=job["source"], status=STATUS_LABELS.get(job["status"], job["status"]),
            document_type=(job["document_type"] or "").replace("_", " "), key_result=key_result(results),
            urgent=bool(job["urgent"]), received_at=job["received_at"],
            urgent_reason="; ".join(r["label"] for r in json.loads(job["urgent_reasons"] or "[]")),
        ))
    return items
