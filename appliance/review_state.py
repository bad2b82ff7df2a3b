"""Where the clinician's review of one document stands, and the values that are current now.

A document is "reviewed" only when every result and every red flag has a review.
Red flags are acknowledged explicitly (a review whose subject is the flag), and a
document with neither results nor flags is acknowledged as a whole, so every
document can be closed. The latest review of a subject is the one that counts:
a correction makes the corrected value current everywhere, a later accept
restores the model's value, a rejection withdraws it; nothing is deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .tasks import TASKS
from .tasks.rads_systems import RADS_MANAGEMENT

FLAG_PREFIX = "red_flag:"       # the reviews.task of a red-flag acknowledgement
DOCUMENT = "document"           # the reviews.task of a document with nothing else to review

# The clinician's words for a document's review state (worklist, document title).
NOT_REVIEWED = "ready for review"
PARTLY = "partly reviewed"
REVIEWED = "reviewed"


def flag_subject(rule_id: str) -> str:
    return FLAG_PREFIX + rule_id


def next_step(task: str, value: dict[str, Any] | None) -> str | None:
    """What to do next for this value (the RADS system's management for its category)."""
    if task != "rads_assignment" or not value:
        return None
    return RADS_MANAGEMENT.get(value.get("system", ""), {}).get(value.get("category", ""))


def subject_title(subject: str, flags: dict[str, dict] | None = None) -> str:
    """A review's subject in a clinician's words: the task's title, 'Safety rule: …', 'Document'."""
    if subject.startswith(FLAG_PREFIX):
        rule = subject.removeprefix(FLAG_PREFIX)
        label = (flags or {}).get(rule, {}).get("label")
        if label is None:
            from .safety.red_flags import RULES

            label = next((r.label for r in RULES if r.id == rule), rule.replace("_", " "))
        return f"Safety rule: {label}"
    if subject == DOCUMENT:
        return "Document"
    return TASKS[subject].title if subject in TASKS else subject.replace("_", " ")


@dataclass
class ReviewState:
    job_id: int
    subjects: list[str]                              # what needs a review: tasks, then flags (or 'document')
    latest: dict[str, dict[str, Any]]                # subject → its latest review row
    model: dict[str, dict[str, Any]]                 # task → the pipeline's output (never changed)
    reviews: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pending(self) -> list[str]:
        return [s for s in self.subjects if s not in self.latest]

    @property
    def state(self) -> str:
        if not self.latest or not any(s in self.latest for s in self.subjects):
            return NOT_REVIEWED
        return PARTLY if self.pending else REVIEWED

    @property
    def final(self) -> dict[str, dict[str, Any]]:
        """Each task's current value: the correction where the latest review corrected it,
        else the model's; a rejected result has none."""
        out = {}
        for task, value in self.model.items():
            review = self.latest.get(task)
            if review is None or review["action"] == "accept":
                out[task] = value
            elif review["action"] == "correct":
                out[task] = json.loads(review["corrected_output"])
        return out

    @property
    def rejected(self) -> list[str]:
        return [t for t in self.model if (self.latest.get(t) or {}).get("action") == "reject"]

    def final_management(self) -> dict[str, str]:
        return {t: step for t, v in self.final.items() if (step := next_step(t, v))}

    def headline(self) -> str:
        """The result at a glance, current values: 'BI-RADS 4B; ESI 2, emergency'."""
        parts = []
        final = self.final
        for task in self.model:
            if task in final and task in TASKS:
                head = TASKS[task].headline(final[task])
                parts.append(head + (" (corrected)" if self.latest.get(task, {}).get("action") == "correct" else ""))
            elif task in TASKS:
                parts.append(f"{TASKS[task].title}: rejected")
        return "; ".join(parts)


def _model_results(db: sqlite_utils.Database, job: dict) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict] = {}
    for row in db.query("SELECT task, status, output FROM results WHERE job_id = ? ORDER BY id", [job["id"]]):
        latest[row["task"]] = row
    plan = json.loads(job.get("plan") or "{}")
    order = [t for t in plan.get("tasks", []) if t in latest]  # the outbox's results, in its order
    return {t: json.loads(latest[t]["output"]) for t in order if latest[t]["status"] == "ok"}


def review_state(db: sqlite_utils.Database, job_id: int, job: dict | None = None) -> ReviewState:
    job = job or db["jobs"].get(job_id)
    model = _model_results(db, job)
    flags = [flag_subject(r["rule"]) for r in json.loads(job.get("urgent_reasons") or "[]")]
    subjects = [*model, *flags] or [DOCUMENT]
    reviews = list(db.query("SELECT * FROM reviews WHERE job_id = ? ORDER BY id", [job_id]))
    latest = {r["task"]: r for r in reviews}
    return ReviewState(job_id, subjects, latest, model, reviews)


__all__ = ["DOCUMENT", "FLAG_PREFIX", "NOT_REVIEWED", "PARTLY", "REVIEWED", "ReviewState", "flag_subject",
           "next_step", "review_state", "subject_title"]
