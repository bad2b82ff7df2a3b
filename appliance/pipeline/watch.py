"""The drop-folder service: take each settled file, process it once, archive or quarantine it.

watchdog events wake the loop early; a full rescan at start and every
`rescan_seconds` catches anything the events missed. A file is taken only when
its size and modification time have not changed for `settle_seconds`, so a copy
still in progress is never read half-written.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .files import move_durably, write_json_atomic
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


def handle_file(app: Appliance, path: Path, report: Reporter) -> str:
    """Process one settled inbox file; returns what happened to it."""
    try:
        doc = read_document(path, app.settings.max_text_bytes)
    except InputError as exc:
        quarantine(app, path, str(exc))
        report(f"quarantined {path.name}: {exc}")
        return "quarantined"
    job = app.job_for(doc.sha256)
    if job is not None and job["status"] in ("done", "failed"):
        # Finished before (a duplicate, or a crash before the archive move): never re-run.
        outbox = Path(job["outbox_path"]) if job["outbox_path"] else None
        if outbox is not None and not outbox.exists():
            write_json_atomic(outbox, outbox_record(app.db, job["id"]))
        app.record_rejection(doc.source, doc.sha256, f"same content as job {job['id']}", event="duplicate")
        move_durably(path, app.home.archive, f"{doc.sha256[:12]}-{doc.source}")
        report(f"duplicate {path.name}: same content as job {job['id']}; archived, not reprocessed")
        return "duplicate"
    record = app.process(doc)
    move_durably(path, app.home.archive, f"{doc.sha256[:12]}-{doc.source}")
    shown = ", ".join(f"{task}={_headline(value)}" for task, value in record["results"].items()) or "no results"
    errors = f"; {len(record['errors'])} task error(s)" if record["errors"] else ""
    report(f"{record['status']} {path.name}: {shown}{errors}")
    return record["status"]


def _headline(value: dict) -> str:
    if "system" in value:
        return f"{value['system']} {value['category']}"
    for key in ("n_stage", "m_stage"):
        if key in value:
            return value[key]
    if "most_likely" in value:
        return value["most_likely"]["diagnosis"]
    return "ok"


def quarantine(app: Appliance, path: Path, reason: str) -> None:
    """Move the file aside with a reason file beside it; the reason is written first."""
    dest = move_durably(path, app.home.quarantine, path.name)
    write_json_atomic(dest.with_name(dest.name + ".reason.json"), {"file": path.name, "reason": reason})
    app.record_rejection(path.name, None, reason)


def drain(app: Appliance, report: Reporter, settler: Settler | None = None) -> int:
    """Handle every settled file in the inbox; returns how many were handled."""
    inbox = app.settings.inbox_path(app.home)
    settler = settler or Settler(0)
    handled = 0
    for path in _candidates(inbox):
        if settler.settled(path):
            handle_file(app, path, report)
            handled += 1
    return handled


def run_once(app: Appliance, report: Reporter) -> int:
    """`watch --once`: wait for files to settle, process all, exit."""
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

    observer = Observer()
    observer.schedule(Wake(), str(inbox), recursive=False)
    observer.start()
    settler = Settler(app.settings.settle_seconds)
    report(f"watching {inbox} (model {app.model_entry().name}); Ctrl-C to stop")
    last_scan = 0.0
    try:
        while not stop.is_set():
            drain(app, report, settler)
            waiting = bool(settler.seen) and any(p.exists() for p in settler.seen)
            timeout = 0.5 if waiting else app.settings.rescan_seconds
            if wake.wait(timeout) or time.monotonic() - last_scan >= app.settings.rescan_seconds:
                last_scan = time.monotonic()
            wake.clear()
            settler.seen = {p: v for p, v in settler.seen.items() if p.exists()}
    finally:
        observer.stop()
        observer.join(timeout=5)
