"""Jobs have one owner: every status a job can have and every transition, each one transaction.

A job is one document's content (its sha256 is the idempotency key). Its life:

    received ──► processing ──► done | failed
        │              │
        └──────────────┴──────► quarantined ──(clinician: retry)──► received

Each function below writes the job row and its audit rows in one transaction, so
the log and the state never disagree. The drop-folder service moves files and calls
these; the TUI calls the review and quarantine services, which call these; nothing
else writes the jobs table or spells a status.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

import sqlite_utils

from ..clock import utc_now
from ..service_lock import JobClaimed
from . import audit
from .tx import transaction


class JobStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    QUARANTINED = "quarantined"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)
IN_PROGRESS = (JobStatus.RECEIVED, JobStatus.PROCESSING)


def job_for(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM jobs WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def is_finished(job: dict[str, Any] | None) -> bool:
    return job is not None and job["status"] in FINISHED


def is_quarantined(job: dict[str, Any] | None) -> bool:
    return job is not None and job["status"] == JobStatus.QUARANTINED


def start(db: sqlite_utils.Database, *, sha256: str, source: str, fields: dict[str, Any], plan_audit: dict[str, Any],
          red_flags: list[dict], token: str, claimed_elsewhere: Callable[[dict], str | None]) -> int:
    """received/processing: claim the job for this process and record its plan and red flags.

    `claimed_elsewhere(job)` returns why another process owns the job (then JobClaimed is
    raised inside the transaction: only one process can win, BEGIN IMMEDIATE).
    """
    with transaction(db):
        job = job_for(db, sha256)
        if job is not None and (why := claimed_elsewhere(job)):
            raise JobClaimed(why)
        fields = {**fields, "claimed_by": token, "status": JobStatus.PROCESSING.value, "started_at": utc_now(),
                  "finished_at": None, "error": None}
        if job is None:  # the name it first arrived under stays the job's source for good
            job_id = db["jobs"].insert({"sha256": sha256, "source": source, "received_at": utc_now(), "attempts": 1,
                                        **fields}).last_pk
            audit.append(db, "job_received", {"sha256": sha256, "source": source}, job_id=job_id)
        else:
            job_id = job["id"]
            db["jobs"].update(job_id, {**fields, "attempts": (job["attempts"] or 0) + 1})
        audit.append(db, "job_planned", plan_audit, job_id=job_id)
        for hit in red_flags:
            audit.append(db, "red_flag", hit, job_id=job_id)
    return job_id


def finish(db: sqlite_utils.Database, job_id: int, *, sha256: str, results: list[dict[str, Any]],
           result_audits: list[tuple[str, dict]], checks: dict, fields: dict[str, Any], urgent: bool,
           total_s: float) -> JobStatus:
    """done/failed: the results, the job row and their audit rows in one transaction."""
    status = JobStatus.FAILED if results and all(r["status"] == "error" for r in results) else JobStatus.DONE
    with transaction(db):
        for row, (event, detail) in zip(results, result_audits):
            db["results"].insert({**row, "job_id": job_id, "created_at": utc_now()})
            audit.append(db, event, detail, job_id=job_id)
        audit.append(db, "checks", checks, job_id=job_id)
        db["jobs"].update(job_id, {**fields, "status": status.value, "finished_at": utc_now()})
        audit.append(db, f"job_{status.value}", {"sha256": sha256, "flags": json.loads(fields["flags"]),
                                                 "urgent": urgent, "total_s": round(total_s, 3)}, job_id=job_id)
    return status


def quarantine(db: sqlite_utils.Database, source: str, sha256: str, reason: str) -> int:
    """quarantined: job row and audit row, committed before the file is moved."""
    with transaction(db):
        job = job_for(db, sha256)
        fields = {"status": JobStatus.QUARANTINED.value, "error": reason, "finished_at": utc_now(),
                  "archived_at": None, "claimed_by": None}
        if job is None:  # an existing job keeps the name its content first arrived under
            job_id = db["jobs"].insert({"sha256": sha256, "source": source, "received_at": utc_now(),
                                        **fields}).last_pk
        else:
            job_id = job["id"]
            db["jobs"].update(job_id, fields)
        audit.append(db, "quarantined", {"source": source, "sha256": sha256, "reason": reason}, job_id=job_id)
    return job_id


def retry(db: sqlite_utils.Database, job_id: int, detail: dict, actor: str) -> None:
    """quarantined → received: a clinician sends the file back to the inbox."""
    with transaction(db):
        db["jobs"].update(job_id, {"status": JobStatus.RECEIVED.value, "attempts": 0, "archived_at": None})
        audit.append(db, "quarantine_retry", detail, actor=actor, job_id=job_id)


def discarded(db: sqlite_utils.Database, job_id: int, reason: str, detail: dict, actor: str) -> None:
    """A quarantined file deleted for good: the job stays, marked discarded with the reason."""
    with transaction(db):
        job = db["jobs"].get(job_id)
        db["jobs"].update(job_id, {"error": f"{job['error'] or ''} (discarded: {reason})"})
        audit.append(db, "quarantine_discarded", {**detail, "reason": reason}, actor=actor, job_id=job_id)


def archived(db: sqlite_utils.Database, job_id: int, where: Path, event: str) -> None:
    """The original has left the inbox (archive or quarantine folder)."""
    with transaction(db):
        db["jobs"].update(job_id, {"archived_at": utc_now(), "archive_path": str(where), "claimed_by": None})
        audit.append(db, event, {"path": where.name}, job_id=job_id)


def rejected(db: sqlite_utils.Database, source: str, sha256: str | None, reason: str,
             event: str = "input_rejected") -> None:
    """A file that makes no job (a duplicate, a refused input): an audit row only."""
    with transaction(db):
        audit.append(db, event, {"source": source, "sha256": sha256, "reason": reason})


def interrupted_sources(db: sqlite_utils.Database) -> set[str]:
    """Names of documents whose processing was interrupted (they go to the back of the queue)."""
    return {row["source"] for row in db.query(
        "SELECT source FROM jobs WHERE status IN (?, ?) AND attempts > 0", list(IN_PROGRESS))}


def waiting_sources(db: sqlite_utils.Database) -> set[str]:
    """Names of documents a job has taken but not yet finished or moved (not 'waiting in the inbox')."""
    return {row["source"] for row in db.query(
        "SELECT source FROM jobs WHERE status IN (?, ?) AND archived_at IS NULL", list(IN_PROGRESS))}
