"""Clinician actions on quarantined files: send one back to the inbox, or discard it with a reason.

Each change and its audit row are committed in one transaction before any file
moves, so a crash leaves the database describing the truth or one step behind it
(the retry can simply be done again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass
from pathlib import Path

from ..durable import move_durably
from ..errors import ApplianceError
from ..store import jobs

if TYPE_CHECKING:  # the composition root passes itself in
    from ..app import Appliance



class ActionError(ApplianceError):
    """An action the clinician asked for cannot be done; the message says why and what to do."""


def clean_name(name: str) -> str:
    return " ".join(name.split())


@dataclass(frozen=True)
class QuarantinedFile:
    job_id: int
    source: str
    reason: str
    when: str          # ISO time it was quarantined
    path: Path         # the file in quarantine/

    @property
    def reason_file(self) -> Path:
        return self.path.with_name(self.path.name + ".reason.txt")


def quarantined_files(appliance: Appliance) -> list[QuarantinedFile]:
    """Files sitting in quarantine/, newest first, with the reason each was set aside."""
    folder = appliance.home.quarantine.resolve()
    found = []
    # Received again with the file still in quarantine/: a retry that stopped before the
    # move; it is listed so the retry can be finished.
    for job in appliance.db.query(
            "SELECT * FROM jobs WHERE status IN (?, ?) AND archive_path IS NOT NULL "
            "ORDER BY finished_at DESC, id DESC", [jobs.JobStatus.QUARANTINED, jobs.JobStatus.RECEIVED]):
        path = Path(job["archive_path"])
        if path.parent.resolve() == folder and path.is_file():
            found.append(QuarantinedFile(job["id"], job["source"], job["error"] or "", job["finished_at"] or "", path))
    return found


def retry_quarantined(appliance: Appliance, item: QuarantinedFile, reviewer: str) -> Path:
    """Send a quarantined file back to the inbox; the service takes it again."""
    reviewer = clean_name(reviewer)
    if not reviewer:
        raise ActionError("Sign in first: a retry is recorded with your name.")
    if not item.path.is_file():
        raise ActionError(f"{item.path.name} is no longer in quarantine; nothing to retry.")
    jobs.retry(appliance.db, item.job_id, {"source": item.source, "file": item.path.name},
               actor=f"clinician:{reviewer}")
    inbox = appliance.settings.inbox_path(appliance.home)
    dest = move_durably(item.path, inbox, item.source)
    item.reason_file.unlink(missing_ok=True)
    return dest


def discard_quarantined(appliance: Appliance, item: QuarantinedFile, reviewer: str, reason: str) -> None:
    """Delete a quarantined file for good; the job row stays, marked discarded with the reason."""
    reviewer, reason = clean_name(reviewer), " ".join(reason.split())
    if not reviewer:
        raise ActionError("Sign in first: a discard is recorded with your name.")
    if not reason:
        raise ActionError("Discarding needs a reason: say why the file is not needed.")
    jobs.discarded(appliance.db, item.job_id, reason, {"source": item.source, "file": item.path.name},
                   actor=f"clinician:{reviewer}")
    item.path.unlink(missing_ok=True)
    item.reason_file.unlink(missing_ok=True)
