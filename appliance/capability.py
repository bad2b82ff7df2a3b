"""The capability gate: a model answer is a result only where the model has shown it beats the trivial baseline.

Evidence is a row of the `capability` table, written by `appliance eval` over a
labelled file (the clinic's own, or the one shipped with a model or adapter), for
this task, this base model (sha256) and this adapter (sha256, '' for none). It
passes when the lower end of the metric's 95 % bootstrap interval is above the
baseline's score on the same items (majority class, constant answer, or the
stated value, whichever is strongest). Deterministic tools (stated values,
guideline calculators, rule labelers) are not gated: their rules are tested.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import sqlite_utils

WITHHELD_WORDS = "no reliable automatic answer for this task with this model - read the report"


@dataclass(frozen=True)
class Evidence:
    task: str
    metric: str
    value: float
    ci_low: float
    ci_high: float
    baseline: float
    baseline_name: str
    n: int
    dataset: str

    @property
    def passes(self) -> bool:
        return self.ci_low > self.baseline

    def in_words(self) -> str:
        return (f"{self.metric} {self.value:.2f} (95 % CI {self.ci_low:.2f}-{self.ci_high:.2f}) vs "
                f"{self.baseline_name} {self.baseline:.2f} on {self.n} items of {self.dataset}")


def evidence(db: sqlite_utils.Database, task: str, model_sha256: str, adapter_sha256: str | None) -> Evidence | None:
    """The newest evaluation of this task × model × adapter, if any."""
    if "capability" not in db.table_names():
        return None
    rows = list(db.query(
        "SELECT * FROM capability WHERE task = ? AND model_sha256 = ? AND adapter_sha256 = ? ORDER BY id DESC LIMIT 1",
        [task, model_sha256, adapter_sha256 or ""]))
    if not rows:
        return None
    r = rows[0]
    return Evidence(r["task"], r["metric"], r["value"], r["ci_low"], r["ci_high"], r["baseline"],
                    r["baseline_name"] or "baseline", r["n"], r["dataset"] or "")


def withheld_reason(db: sqlite_utils.Database, task: str, model_sha256: str, adapter_sha256: str | None) -> str | None:
    """Why a model answer for this task is not presented as a result, or None when it may be."""
    found = evidence(db, task, model_sha256, adapter_sha256)
    if found is None:
        return f"{WITHHELD_WORDS} (no measured evidence that it beats the trivial baseline)"
    if not found.passes:
        return f"{WITHHELD_WORDS} (measured: {found.in_words()})"
    return None


def record(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Store one evaluation's evidence (called by `appliance eval` inside its transaction)."""
    db["capability"].insert({**row, "adapter_sha256": row.get("adapter_sha256") or "",
                             "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat()})


def gate_table(db: sqlite_utils.Database, model_sha256: str, adapter_sha256: str | None = None) -> dict[str, dict]:
    """Task → {open, evidence in words or None} for a model (+adapter): what `models list` and the TUI show."""
    from .tasks import TASKS

    table = {}
    for task in TASKS:
        found = evidence(db, task, model_sha256, adapter_sha256)
        table[task] = {"open": bool(found and found.passes), "evidence": found.in_words() if found else None}
    return table
