"""Rows of the worklist: jobs from the database and files still waiting in the inbox.

Urgent first, then documents with a low-confidence answer still to review (a calibrated
confidence under calibration.LOW_CONFIDENCE: the ones most likely wrong), then newest.
Status words are the clinician's, not the database's:
a finished job is "ready for review" until someone reviews something, "partly reviewed"
until every result and every red flag has a review, then "reviewed". A file still
waiting in the inbox is already urgent when its red-flag rules fire (no model needed).
"""

from __future__ import annotations

import datetime
import json
import stat
from dataclasses import dataclass

from appliance.app import Appliance
from appliance.calibration import is_low
from appliance.store import jobs
from appliance.store.jobs import JobStatus
from appliance.pipeline.watch import Entry, inbox_urgency
from appliance.review_state import NOT_REVIEWED, PARTLY, ReviewState, review_state
from appliance.tasks import TASKS

STATUS_LABELS = {
    JobStatus.RECEIVED: "waiting",
    JobStatus.PROCESSING: "processing",
    JobStatus.DONE: NOT_REVIEWED,
    JobStatus.FAILED: "failed",
    JobStatus.QUARANTINED: "quarantined",
}

# What the status filter cycles through, in order: (name shown, test on an item).
FILTERS: tuple[str, ...] = ("all", "to review", "urgent", "failed", "quarantined")

URGENT_MARK = "‼ URGENT"
LOW_CONFIDENCE_MARK = "low conf"  # fits the urgency column; the row's detail line says it in full


@dataclass(frozen=True)
class WorkItem:
    key: str              # "job:<id>" or "inbox:<file name>"
    job_id: int | None    # None for a file still waiting in the inbox
    source: str
    status: str           # the clinician's word (see STATUS_LABELS, plus "reviewed")
    document_type: str
    key_result: str
    urgent: bool
    urgent_reason: str    # the red-flag labels, e.g. "Tension pneumothorax"
    received_at: str
    low_confidence: str = ""  # the results still to review whose confidence is low, in words ("RADS category")

    @property
    def short_type(self) -> str:
        """'radiology', 'clinical', 'triage': fits a narrow column."""
        return self.document_type.replace(" report", "").replace(" note", "")

    def matches(self, query: str) -> bool:
        """Search: source, document type, key result and reason, ignoring case."""
        words = query.lower().split()
        haystack = " ".join((self.source, self.document_type, self.key_result, self.urgent_reason)).lower()
        return all(word in haystack for word in words)

    def passes(self, status_filter: str) -> bool:
        if status_filter == "to review":
            return self.status in (NOT_REVIEWED, PARTLY)
        if status_filter == "urgent":
            return self.urgent
        if status_filter in ("failed", "quarantined"):
            return self.status == status_filter
        return True


def key_result(results: dict[str, dict]) -> str:
    """The result at a glance: each task's own headline, e.g. 'BI-RADS 5; N2; M0; ESI 2, emergency'."""
    return "; ".join(TASKS[task].headline(value) for task, value in results.items() if task in TASKS)


def _status(job: dict, state: ReviewState) -> str:
    if job["status"] == JobStatus.DONE or (job["status"] == JobStatus.FAILED and state.latest):
        return state.state
    if jobs.is_quarantined(job) and "(discarded: " in (job["error"] or ""):
        return "discarded"
    return STATUS_LABELS.get(job["status"], job["status"])


def _low_confidence(state: ReviewState, latest: dict[str, dict]) -> str:
    """The results shown and not yet reviewed whose calibrated confidence is low, by title."""
    return ", ".join(TASKS[task].title if task in TASKS else task for task, row in latest.items()
                     if task in state.model and task not in state.latest
                     and is_low(row["confidence"], row["calibrated_on"]))


def _job_items(appliance: Appliance) -> list[WorkItem]:
    db = appliance.db
    confidences: dict[int, dict[str, dict]] = {}
    for row in db.query("SELECT job_id, task, confidence, calibrated_on FROM results ORDER BY id"):
        confidences.setdefault(row["job_id"], {})[row["task"]] = row  # a task's latest row counts
    items = []
    for job in db.query("SELECT * FROM jobs"):
        state = review_state(db, job["id"], job)
        items.append(WorkItem(
            key=f"job:{job['id']}", job_id=job["id"], source=job["source"], status=_status(job, state),
            document_type=(job["document_type"] or "").replace("_", " "), key_result=state.headline(),
            urgent=bool(job["urgent"]), received_at=job["received_at"],
            urgent_reason="; ".join(r["label"] for r in json.loads(job["urgent_reasons"] or "[]")),
            low_confidence=_low_confidence(state, confidences.get(job["id"], {})),
        ))
    return items


def _inbox_items(appliance: Appliance) -> list[WorkItem]:
    """Files in the drop folder that no job has taken yet: shown as 'waiting'."""
    inbox = appliance.settings.inbox_path(appliance.home)
    # A job whose file has not moved on yet (taken, or finished a moment before its move to archive/).
    taken = {row["source"] for row in appliance.db.query("SELECT source FROM jobs WHERE archived_at IS NULL")}
    poison = {row["source"] for row in appliance.db.query("SELECT source FROM read_attempts")}
    items = []
    try:
        paths = sorted(inbox.iterdir())
    except FileNotFoundError:
        return []
    for path in paths:
        # Hidden and temporary names are copies in progress; the service ignores them too.
        if path.name.startswith(".") or path.name.endswith((".tmp", ".part", ".partial", "~")):
            continue
        if path.name in taken:
            continue
        try:
            st = path.lstat()
        except FileNotFoundError:  # taken by the service while we looked
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        # The red-flag rules run on a waiting file too (cheap, no model): urgent from the start.
        # A file whose reading stopped the service before is not read here.
        fired = () if path.name in poison else inbox_urgency(appliance, Entry(path, "file", st), count_reads=False)
        items.append(WorkItem(
            key=f"inbox:{path.name}", job_id=None, source=path.name,
            status="waiting", document_type="",
            key_result="", urgent=bool(fired), urgent_reason="; ".join(fired),
            received_at=datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).isoformat(),
        ))
    return items


def load_worklist(appliance: Appliance) -> list[WorkItem]:
    """Every job and every waiting inbox file: urgent first, then low confidence still to review, then newest."""
    items = _job_items(appliance) + _inbox_items(appliance)
    # Newest first within each group; the job id breaks ties (later jobs are newer).
    items.sort(key=lambda i: (i.received_at, i.job_id or 0), reverse=True)
    items.sort(key=lambda i: 0 if i.urgent else 1 if i.low_confidence else 2)
    return items


def visible(items: list[WorkItem], query: str, status_filter: str) -> list[WorkItem]:
    return [i for i in items if i.passes(status_filter) and i.matches(query)]


__all__ = ["FILTERS", "LOW_CONFIDENCE_MARK", "URGENT_MARK", "WorkItem", "key_result", "load_worklist", "visible"]
