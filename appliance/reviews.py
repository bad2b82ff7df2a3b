"""A clinician's review of a result: stored beside the model's output, never over it, and audited."""

from __future__ import annotations

import json
from typing import Any, Literal

from .engine.llm import validate_output
from .errors import ApplianceError, OutputError
from .pipeline.processor import Appliance, now
from .store import audit
from .store.tx import transaction
from .tasks import get_task

Action = Literal["accept", "correct", "reject"]


class ReviewError(ApplianceError):
    pass


def latest_output(app: Appliance, job_id: int, task: str) -> dict[str, Any] | None:
    rows = list(app.db.query(
        "SELECT output FROM results WHERE job_id = ? AND task = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
        [job_id, task]))
    return json.loads(rows[0]["output"]) if rows else None


def record_review(app: Appliance, job_id: int, task: str, action: Action, reviewer: str,
                  reason: str | None = None, corrected: dict[str, Any] | None = None) -> int:
    """Store one review; a correction must satisfy the task's schema, a rejection needs a reason."""
    if not reviewer.strip():
        raise ReviewError("a review needs the reviewer's name: sign in first.")
    if action not in ("accept", "correct", "reject"):
        raise ReviewError(f"unknown review action {action!r}")
    original = latest_output(app, job_id, task)
    if action == "reject" and not (reason or "").strip():
        raise ReviewError("a rejection needs a reason.")
    if action == "accept" and original is None:
        raise ReviewError(f"job {job_id} has no {task} result to accept.")
    if action == "correct":
        if corrected is None:
            raise ReviewError("a correction needs the corrected result.")
        spec = get_task(task)
        try:
            corrected = validate_output(json.dumps(corrected), spec.output, spec.schema()).model_dump(mode="json")
        except OutputError as exc:
            raise ReviewError(f"the correction is not valid for {task}: {exc}") from None
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
    return review_id


def reviews_for(app: Appliance, job_id: int) -> list[dict[str, Any]]:
    return list(app.db.query("SELECT * FROM reviews WHERE job_id = ? ORDER BY id", [job_id]))
