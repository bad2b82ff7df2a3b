"""A clinician's review of a result or a red flag: stored beside the model's output, never over it, and audited.

After each review the outbox gets a new version of the document's record (the
original file is never overwritten): the model's output as it was, every review,
and the values current now (`final`), so a correction reaches whoever reads the
outbox too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from .durable import write_json_atomic
from .engine.llm import validate_output
from .errors import ApplianceError, OutputError
from .clock import utc_now as now
from .app import Appliance
from .pipeline.processor import outbox_record
from .review_state import DOCUMENT, FLAG_PREFIX, ReviewState, review_state, subject_title
from .store import audit
from .store.tx import transaction
from .tasks import get_task

Action = Literal["accept", "correct", "reject", "acknowledge"]
ACTION_WORDS = {"accept": "accepted", "correct": "corrected", "reject": "rejected", "acknowledge": "acknowledged"}


class ReviewError(ApplianceError):
    pass


def latest_output(app: Appliance, job_id: int, task: str) -> dict[str, Any] | None:
    rows = list(app.db.query(
        "SELECT output FROM results WHERE job_id = ? AND task = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
        [job_id, task]))
    return json.loads(rows[0]["output"]) if rows else None


def _when(review: dict) -> str:
    return (review["created_at"] or "")[:16].replace("T", " ") + " UTC"


def _same_as_latest(latest: dict | None, action: str, reason: str | None, corrected: dict | None) -> bool:
    if latest is None or latest["action"] != action:
        return False
    if action == "correct":
        return json.loads(latest["corrected_output"] or "null") == corrected
    if action == "reject":
        return (latest["reason"] or "") == (reason or "")
    return True


def record_review(app: Appliance, job_id: int, task: str, action: Action, reviewer: str,
                  reason: str | None = None, corrected: dict[str, Any] | None = None) -> int:
    """Store one review of a result (accept / correct / reject) or of a red flag or a document
    with nothing else to review (acknowledge). A correction must satisfy the task's schema, a
    rejection needs a reason, and a review identical to the latest one is refused."""
    if not reviewer.strip():
        raise ReviewError("a review needs the reviewer's name: sign in first.")
    if action not in ACTION_WORDS:
        raise ReviewError(f"unknown review action {action!r}")
    state = review_state(app.db, job_id)
    title = subject_title(task)
    if action == "acknowledge":
        if task not in state.subjects or task in state.model:
            raise ReviewError(f"{title} is not a red flag of this document: accept, correct or reject a result.")
        original = None
        job = app.db["jobs"].get(job_id)
        if task.startswith(FLAG_PREFIX):
            original = next((r for r in json.loads(job["urgent_reasons"] or "[]")
                             if FLAG_PREFIX + r["rule"] == task), None)
    else:
        if task.startswith(FLAG_PREFIX) or task == DOCUMENT:
            raise ReviewError(f"{title}: a red flag is acknowledged, not {ACTION_WORDS[action]}.")
        original = latest_output(app, job_id, task)
    if action == "reject" and not (reason or "").strip():
        raise ReviewError("a rejection needs a reason.")
    if action == "accept" and original is None:
        raise ReviewError(f"this document has no {title} result to accept.")
    if action == "correct":
        if corrected is None:
            raise ReviewError("a correction needs the corrected result.")
        spec = get_task(task)
        try:
            corrected = validate_output(json.dumps(corrected), spec.output, spec.schema()).model_dump(mode="json")
        except OutputError as exc:
            raise ReviewError(f"the correction is not valid for {title}: {exc}") from None
    latest = state.latest.get(task)
    if _same_as_latest(latest, action, (reason or "").strip(), corrected):
        what = "corrected to this" if action == "correct" else ACTION_WORDS[action]
        raise ReviewError(f"{title} was already {what} by {latest['reviewer']} at {_when(latest)}; "
                          "nothing new to record.")
    with transaction(app.db):
        review_id = app.db["reviews"].insert({
            "job_id": job_id, "task": task, "action": action, "reviewer": reviewer.strip(),
            "reason": (reason or "").strip() or None,
            "original_output": json.dumps(original) if original is not None else None,
            "corrected_output": json.dumps(corrected) if corrected is not None else None,
            "created_at": now(),
        }).last_pk
        app.db["jobs"].update(job_id, {"reviewed_at": now()})
        audit.append(app.db, f"review_{action}", {
            "task": task, "reason": (reason or "").strip() or None,
            "original_sha256": audit.sha256_text(json.dumps(original)) if original is not None else None,
            "corrected": corrected,
        }, actor=f"clinician:{reviewer.strip()}", job_id=job_id)
    write_reviewed_outbox(app, job_id)
    return review_id


def reviewed_record(app: Appliance, job_id: int, state: ReviewState | None = None) -> dict[str, Any]:
    """The outbox record with the reviews so far and the values current now (`final`)."""
    state = state or review_state(app.db, job_id)
    record = outbox_record(app.db, job_id)
    record["review_state"] = state.state
    record["reviews"] = [{
        "subject": r["task"], "action": r["action"], "reviewer": r["reviewer"], "at": r["created_at"],
        "reason": r["reason"],
        "corrected": json.loads(r["corrected_output"]) if r["corrected_output"] else None,
    } for r in state.reviews]
    record["final"] = state.final
    record["final_management"] = state.final_management()
    record["rejected"] = state.rejected
    record["not_reviewed"] = state.pending
    return record


def outbox_versions(app: Appliance, job_id: int) -> list[Path]:
    """The document's outbox files, oldest first: the original, then one per review (…v2.json, …v3.json)."""
    job = app.db["jobs"].get(job_id)
    if not job["outbox_path"]:
        return []
    first = Path(job["outbox_path"])
    later = sorted(first.parent.glob(first.stem + ".v*.json"),
                   key=lambda p: int(p.stem.rsplit(".v", 1)[1]) if p.stem.rsplit(".v", 1)[1].isdigit() else 0)
    return [p for p in [first, *later] if p.exists()]


def write_reviewed_outbox(app: Appliance, job_id: int) -> Path | None:
    """A new version of the outbox record beside the original (written atomically; nothing overwritten)."""
    job = app.db["jobs"].get(job_id)
    if not job["outbox_path"]:
        return None
    first = Path(job["outbox_path"])
    versions = outbox_versions(app, job_id)
    number = len(versions) + 1 if versions else 2
    record = reviewed_record(app, job_id)
    record["version"] = number
    record["previous_version"] = versions[-1].name if versions else first.name
    path = first.with_name(f"{first.stem}.v{number}.json")
    write_json_atomic(path, record)
    return path


def reviews_for(app: Appliance, job_id: int) -> list[dict[str, Any]]:
    return list(app.db.query("SELECT * FROM reviews WHERE job_id = ? ORDER BY id", [job_id]))
