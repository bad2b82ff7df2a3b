"""The drop-folder service: take each settled file, process it once, archive or quarantine it.

watchdog events wake the loop early; a full rescan at start and every
`rescan_seconds` catches anything the events missed. A file is taken only when
its size and modification time have not changed for `settle_seconds`, so a copy
still in progress is never read half-written.
"""

from __future__ import annotations

import datetime
import threading
import time
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..durable import file_sha256, move_durably, unique_path, write_json_atomic, write_text_atomic
from ..tasks import get_task
from .processor import Appliance, outbox_record
from .reader import read_document

Reporter = Callable[[str], None]


def _candidates(inbox: Path) -> list[Path]:
    # Hidden and temporary names are copies in progress (rsync, scp, editors).
    return sorted(
        p for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith((".tmp", ".part", ".partial", "~"))
    )


class Settler:
    """Remembers each file's (size, mtime) and says when it has stopped changing."""

    def __init__(self, settle_seconds: float):
        self.settle_seconds = settle_seconds
        self.seen: dict[Path, tuple[tuple[int, int], float]] = {}

    def settled(self, path: Path) -> bool:
        try:
            st = path.stat()
        except FileNotFoundError:
            self.seen.pop(path, None)
            return False
        sig = (st.st_size, st.st_mtime_ns)
        now = time.monotonic()
        previous = self.seen.get(path)
        if previous is None or previous[0] != sig:
            self.seen[path] = (sig, now)
            return self.settle_seconds == 0
        return now - previous[1] >= self.settle_seconds


# Processing starts before a document that keeps dying with the service is set aside.
# Interrupted documents also go to the back of the queue, so one that crashes the
# service cannot hold up the others while it uses up its attempts.
MAX_ATTEMPTS = 5


def handle_file(app: Appliance, path: Path, report: Reporter) -> str:
    """Process one settled inbox file exactly once; returns what happened to it.

    Every branch is safe to repeat after a crash: the database says how far the
    file got, and only the steps still missing are done.
    """
    try:
        sha = file_sha256(path)
    except FileNotFoundError:
        return "gone"
    except OSError as exc:
        report(f"cannot read {path.name} ({exc.strerror}); left in the inbox, fix its permissions")
        return "unreadable"
    job = app.job_for(sha)
    if job is not None and job["status"] == "quarantined":
        if job["archived_at"] is None:  # crashed while quarantining: finish that
            return _quarantine_file(app, path, job["id"], job["error"], report)
        reason = f"same content as {job['source']}, quarantined before: {job['error']}"
        return quarantine(app, path, sha, reason, report)
    if job is not None and job["status"] in ("done", "failed"):
        if job["archived_at"] is None:  # crashed after committing results: only move it on
            _finish(app, path, job, "job_archived")
            report(f"{job['status']} {path.name}: finished before a restart; archived")
            return "resumed"
        app.record_rejection(path.name, sha, f"same content as job {job['id']} ({job['source']})", event="duplicate")
        move_durably(path, app.home.archive, f"{sha[:12]}-duplicate-{path.name}")
        report(f"duplicate {path.name}: same content as {job['source']}; archived, not reprocessed")
        return "duplicate"
    if job is not None and (job["attempts"] or 0) >= MAX_ATTEMPTS:
        reason = f"processing was interrupted {job['attempts']} times (the service crashed or was stopped)"
        return quarantine(app, path, sha, reason + "; check the file and the service log, then retry", report)
    try:
        doc = read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes)
    except InputError as exc:
        return quarantine(app, path, sha, str(exc), report)
    if doc.sha256 != sha:
        report(f"{path.name} changed while being read; it will be taken when it has settled")
        return "changed"
    record = app.process(doc)
    _finish(app, path, app.job_for(sha), "job_archived")
    shown = ", ".join(f"{get_task(task).title}: {get_task(task).headline(value)}"
                      for task, value in record["results"].items()) or "no results"
    errors = f"; {len(record['errors'])} task error(s)" if record["errors"] else ""
    report(f"{record['status']} {path.name}: {shown}{errors}")
    return record["status"]


def _finish(app: Appliance, path: Path, job: dict, event: str) -> None:
    """Outbox JSON (rebuilt from the database if missing), then the original to archive/."""
    outbox = Path(job["outbox_path"]) if job["outbox_path"] else None
    if outbox is not None and not outbox.exists():
        write_json_atomic(outbox, outbox_record(app.db, job["id"]))
    dest = move_durably(path, app.home.archive, f"{job['sha256'][:12]}-{path.name}")
    app.mark_archived(job["id"], dest, event)


def quarantine(app: Appliance, path: Path, sha: str, reason: str, report: Reporter) -> str:
    """Set a file aside: job row and audit first, then the reason file, then the file itself."""
    job_id = app.mark_quarantined(path.name, sha, reason)
    return _quarantine_file(app, path, job_id, reason, report)


def _quarantine_file(app: Appliance, path: Path, job_id: int, reason: str, report: Reporter) -> str:
    dest = unique_path(app.home.quarantine, path.name)
    write_text_atomic(dest.with_name(dest.name + ".reason.txt"), reason_text(path.name, reason))
    dest = move_durably(path, app.home.quarantine, dest.name)
    app.mark_archived(job_id, dest, "quarantine_moved")
    report(f"quarantined {path.name}: {reason}")
    return "quarantined"


def reason_text(name: str, reason: str) -> str:
    return (
        f"File: {name}\n"
        f"Quarantined: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}\n"
        f"Reason: {reason}\n"
        "What to do: fix or re-export the file and drop it into the inbox again, or discard it.\n"
    )


def drain(app: Appliance, report: Reporter, settler: Settler | None = None) -> int:
    """Handle every settled file in the inbox; returns how many were handled."""
    inbox = app.settings.inbox_path(app.home)
    settler = settler or Settler(0)
    handled = 0
    interrupted = {row["source"] for row in app.db.query(
        "SELECT source FROM jobs WHERE status IN ('received', 'processing') AND attempts > 0")}
    for path in sorted(_candidates(inbox), key=lambda p: p.name in interrupted):
        if settler.settled(path):
            handle_file(app, path, report)
            handled += 1
    return handled


def run_once(app: Appliance, report: Reporter) -> int:
    """`watch --once`: wait for files to settle, process all, exit."""
    app.recover()
    settler = Settler(app.settings.settle_seconds)
    inbox = app.settings.inbox_path(app.home)
    total = 0
    while True:
        total += drain(app, report, settler)
        pending = _candidates(inbox)
        if not pending:
            return total
        time.sleep(min(0.5, max(app.settings.settle_seconds, 0.05)))


def watch_forever(app: Appliance, report: Reporter, stop: threading.Event | None = None) -> None:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    wake = threading.Event()
    inbox = app.settings.inbox_path(app.home)
    inbox.mkdir(parents=True, exist_ok=True)

    class Wake(FileSystemEventHandler):
        def on_any_event(self, event):
            wake.set()

    app.recover()
    observer = Observer()
    observer.schedule(Wake(), str(inbox), recursive=False)
    observer.start()
    settler = Settler(app.settings.settle_seconds)
    report(f"watching {inbox} (model {app.model_entry().name}); Ctrl-C to stop")
    try:
        while not stop.is_set():
            drain(app, report, settler)
            waiting = bool(settler.seen) and any(p.exists() for p in settler.seen)
            deadline = time.monotonic() + (0.5 if waiting else app.settings.rescan_seconds)
            # Short waits, so a stop request (the TUI quitting) is seen within a second.
            while not stop.is_set() and not wake.wait(min(1.0, max(deadline - time.monotonic(), 0.0))):
                if time.monotonic() >= deadline:
                    break
            wake.clear()
            settler.seen = {p: v for p, v in settler.seen.items() if p.exists()}
    finally:
        observer.stop()
        observer.join(timeout=5)
