"""The drop-folder service: take each settled file, process it once, archive or quarantine it.

watchdog events wake the loop early; a full rescan at start and every
`rescan_seconds` catches anything the events missed.

A file is taken only when its size, modification time and inode have not changed for
`settle_seconds` and no process has it open for writing (found in /proc where the OS
shows it; elsewhere the settle time alone decides). It is read exactly once, through
a descriptor that never follows a link, and its content hash comes from those bytes.
If the file changed while it was read it goes back to the queue; if it changed while
it was being processed, the job keeps (and archives) the bytes it was made from and
the new content is taken as a new document. The drop protocol for integrations is
still the safe one: write `name.tmp` (or `.name`) and rename it when complete.

One guard surrounds the whole per-file step: anything a file makes go wrong ends with
that file in quarantine with a reason, never with the service stopping; only the
disk itself failing (full, I/O errors) stops it, with a plain message.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..durable import (DiskError, disk_error, move_durably, unique_path, write_bytes_atomic, write_json_atomic,
                       write_text_atomic)
from ..errors import ApplianceError, InputError, OutputError
from ..service_lock import JobClaimed, claim_alive, claim_token, working
from ..store.tx import transaction
from ..tasks import get_task
from ..clock import utc_now
from ..store import jobs
from .processor import outbox_record

if TYPE_CHECKING:  # the composition root passes itself in
    from ..app import Appliance
from .reader import read_document, shown

Reporter = Callable[[str], None]

# Hidden and temporary names are copies in progress (rsync, scp, editors, the drop protocol).
TEMP_SUFFIXES = (".tmp", ".part", ".partial", "~")

# Processing starts (or reads) before a document that keeps dying with the service is
# set aside. Interrupted documents also go to the back of the queue, so one that crashes
# the service cannot hold up the others while it uses up its attempts.
MAX_ATTEMPTS = 5
# `watch --once` leaves a file that is still being written (or held open) after this long
# without any change (or 10 settle times, if longer), so it always ends.
ONCE_PATIENCE_SECONDS = 60.0


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: str            # file | symlink | fifo | device | socket | folder | other
    st: os.stat_result   # lstat: a link is never followed

    @property
    def signature(self) -> tuple[int, int, int, int]:
        return (self.st.st_size, self.st.st_mtime_ns, self.st.st_ino, self.st.st_dev)


def _kind(st: os.stat_result) -> str:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


def _scan(inbox: Path) -> list[Entry]:
    found = []
    try:
        listing = list(os.scandir(inbox))
    except FileNotFoundError:
        return []
    for item in listing:
        if item.name.startswith(".") or item.name.endswith(TEMP_SUFFIXES):
            continue
        try:
            st = item.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        found.append(Entry(Path(item.path), _kind(st), st))
    return sorted(found, key=lambda e: e.path.name)


def _candidates(inbox: Path) -> list[Path]:
    """Everything in the inbox the service must deal with (folders excluded: reported, not taken)."""
    return [e.path for e in _scan(inbox) if e.kind != "folder"]


# -- settling ------------------------------------------------------------------------

def open_for_writing(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], int] | None:
    """Which of these (device, inode) files some process has open for writing, with its PID.

    Scans /proc/*/fd (Linux); None where the OS does not show it. Only processes this
    user may inspect are seen (under the service unit's ProtectProc=invisible, the
    service user's own); for the rest the settle time decides.
    """
    if not wanted or not os.path.isdir("/proc/self/fdinfo"):
        return None if wanted else {}
    found: dict[tuple[int, int], int] = {}
    for proc in os.scandir("/proc"):
        if not proc.name.isdigit():
            continue
        try:
            fds = list(os.scandir(f"/proc/{proc.name}/fd"))
        except OSError:
            continue
        for fd in fds:
            try:
                st = os.stat(fd.path)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key not in wanted:
                continue
            try:
                with open(f"/proc/{proc.name}/fdinfo/{fd.name}") as info:
                    flags = next((int(line.split()[1], 8) for line in info if line.startswith("flags:")), 0)
            except (OSError, ValueError):
                continue
            if flags & 0o3 in (os.O_WRONLY, os.O_RDWR):
                found[key] = int(proc.name)
    return found


class Settler:
    """Says when a file has stopped changing: same (size, mtime, inode) for settle_seconds
    and nobody has it open for writing."""

    def __init__(self, settle_seconds: float):
        self.settle_seconds = settle_seconds
        self.seen: dict[Path, tuple[tuple, float]] = {}
        self.writers: dict[Path, int] = {}       # file -> PID writing it, at the last look
        self.reported: set[tuple[str, Path]] = set()   # (what, path) said once already

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)

    def settled_entries(self, entries: list[Entry]) -> list[Entry]:
        now = time.monotonic()
        quiet = []
        for entry in entries:
            previous = self.seen.get(entry.path)
            if previous is None or previous[0] != entry.signature:
                self.seen[entry.path] = (entry.signature, now)
                if self.settle_seconds == 0:
                    quiet.append(entry)
            elif now - previous[1] >= self.settle_seconds:
                quiet.append(entry)
        files = {(e.st.st_dev, e.st.st_ino): e for e in quiet if e.kind == "file"}
        writing = open_for_writing(set(files)) or {}
        self.writers = {files[key].path: pid for key, pid in writing.items()}
        return [e for e in quiet if e.path not in self.writers]

    def settled(self, path: Path) -> bool:
        """One file (kept for callers that ask about a single path)."""
        try:
            st = path.lstat()
        except FileNotFoundError:
            self.seen.pop(path, None)
            return False
        return bool(self.settled_entries([Entry(path, _kind(st), st)]))

    def once(self, what: str, path: Path) -> bool:
        """True the first time (what, path) is asked: for things reported once, not every pass."""
        if (what, path) in self.reported:
            return False
        self.reported.add((what, path))
        return True


# -- one file ------------------------------------------------------------------------

class _Changed(Exception):
    """The file changed while it was being read."""


@dataclass
class _Read:
    raw: bytes | None          # None when over the size limit (only hashed)
    sha256: str
    size: int
    signature: tuple = field(default=())


def _read_once(path: Path, max_file_bytes: int) -> _Read:
    """Read the file through a descriptor that refuses links and never blocks (FIFOs)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise IsADirectoryError(0, "not a regular file", str(path))
        digest, chunks, size = hashlib.sha256(), [], 0
        while block := os.read(fd, 1 << 20):
            digest.update(block)
            size += len(block)
            if size <= max_file_bytes:
                chunks.append(block)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    signature = (after.st_size, after.st_mtime_ns, after.st_ino, after.st_dev)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or size != after.st_size:
        raise _Changed()
    return _Read(b"".join(chunks) if size <= max_file_bytes else None, digest.hexdigest(), size, signature)


def _unchanged(path: Path, read: _Read) -> bool:
    """The file at `path` is still exactly what was read: same inode, size, mtime and hash."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    if (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev) != read.signature:
        return False
    try:
        again = _read_once(path, -1)
    except (OSError, _Changed):
        return False
    return again.sha256 == read.sha256


def handle_file(app: Appliance, path: Path, report: Reporter, settler: Settler | None = None) -> str:
    """Process one settled inbox file exactly once; returns what happened to it.

    Every branch is safe to repeat after a crash: the database says how far the
    file got, and only the steps still missing are done. Nothing a file does makes
    this raise, except the disk failing (DiskError).
    """
    settler = settler or Settler(0)
    token = claim_token(app)
    working(token, True)
    try:
        return _handle(app, path, report, settler)
    except DiskError:
        raise
    except Exception as exc:  # the one guard: a file never stops the service
        if (found := disk_error(exc, app.home.root)) is not None:
            raise found from exc
        if isinstance(exc, ApplianceError) and not isinstance(exc, (InputError, OutputError)):
            raise  # the appliance itself (a model file, the settings): the operator must act
        return _guarded(app, path, exc, report)
    finally:
        working(token, False)


def _guarded(app: Appliance, path: Path, exc: Exception, report: Reporter) -> str:
    if not os.path.lexists(path):
        return "gone"
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    # The type and place only: an exception's message may quote the report's text.
    reason = (f"{shown(path.name)}: processing stopped with an internal error ({type(exc).__name__}{at}); "
              "the file was set aside so the others go on. Report it to the appliance's maintainer.")
    try:
        key = _read_once(path, -1).sha256
    except Exception:
        key = _special_key(path)
    return quarantine(app, path, key, reason, report)


def _handle(app: Appliance, path: Path, report: Reporter, settler: Settler) -> str:
    name = shown(path.name)
    try:
        read = _read_once(path, app.settings.max_file_bytes)
    except FileNotFoundError:
        return "gone"
    except _Changed:
        settler.forget(path)
        report(f"{name} changed while being read; back in the queue until it settles")
        return "changed"
    except OSError as exc:
        if disk_error(exc, app.home.root) is not None:
            raise
        try:
            st = path.lstat()
        except FileNotFoundError:
            return "gone"
        if not stat.S_ISREG(st.st_mode):  # swapped for a link or a pipe after the scan
            return quarantine_special(app, Entry(path, _kind(st), st), report)
        return quarantine(app, path, _special_key(path),
                          f"{name}: cannot be read ({exc.strerror or exc}); fix its permissions "
                          "(the service user must be able to read it) and drop it into the inbox again.", report)
    if read.raw is not None and not read.raw.strip():
        # Empty: say so, never "same content as" another empty file.
        try:
            read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes, raw=read.raw)
        except InputError as exc:
            return quarantine(app, path, read.sha256, str(exc), report, new_only=True)
    sha = read.sha256
    job = jobs.job_for(app.db, sha)
    if job is not None and job["claimed_by"] and job["claimed_by"] != claim_token(app) \
            and claim_alive(job["claimed_by"]):
        if settler.once("busy", path):
            report(f"{name}: another appliance process is working on this content (job {job['id']}); left for it")
        return "busy"
    if jobs.is_quarantined(job):
        if job["archived_at"] is None:  # crashed while quarantining: finish that
            return _quarantine_file(app, path, job["id"], job["error"], report)
        reason = f"{name}: same content as {shown(job['source'])}, quarantined before: {job['error']}"
        return quarantine(app, path, sha, reason, report, new_only=True)
    if jobs.is_finished(job):
        if job["archived_at"] is None:  # crashed after committing results: only move it on
            _finish(app, path, job, "job_archived", read)
            report(f"{job['status']} {name}: finished before a restart; archived")
            return "resumed"
        jobs.rejected(app.db, path.name, sha, f"same content as job {job['id']} ({job['source']})", event="duplicate")
        move_durably(path, app.home.archive, f"{sha[:12]}-duplicate-{path.name}")
        report(f"duplicate {name}: same content as {shown(job['source'])}; archived, not reprocessed")
        return "duplicate"
    if job is not None and (job["attempts"] or 0) >= MAX_ATTEMPTS:
        reason = f"{name}: processing was interrupted {job['attempts']} times (the service crashed or was stopped)"
        return quarantine(app, path, sha, reason + "; check the file and the service log, then retry", report)
    if read.raw is None:
        reason = (f"{name}: the file is {read.size:,} bytes, over the {app.settings.max_file_bytes:,}-byte limit; "
                  "split the document or send its text only.")
        return quarantine(app, path, sha, reason, report)
    tries = _count_read_attempt(app, sha, path.name)
    if tries > MAX_ATTEMPTS:
        reason = (f"{name}: reading it stopped the service {tries - 1} times; the file was set aside so the "
                  "others go on. Check the export, then retry.")
        return quarantine(app, path, sha, reason, report)
    try:
        doc = read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes, raw=read.raw, once=True)
    except InputError as exc:
        return quarantine(app, path, sha, str(exc), report)
    finally:
        _clear_read_attempts(app, sha)  # a clean outcome either way: no crash while reading
    if not _unchanged(path, read):
        settler.forget(path)
        report(f"{name} changed while being read; back in the queue until it settles")
        return "changed"
    try:
        record = app.process(doc)
    except JobClaimed as exc:
        if settler.once("busy", path):
            report(f"{exc}")
        return "busy"
    job = jobs.job_for(app.db, sha)
    changed = _finish(app, path, job, "job_archived", read)
    results = ", ".join(f"{get_task(task).title}: {get_task(task).headline(value)}"
                        for task, value in record["results"].items()) or "no results"
    errors = f"; {len(record['errors'])} task error(s)" if record["errors"] else ""
    report(f"{record['status']} {name}: {results}{errors}")
    if changed:
        settler.forget(path)
        report(f"{name} changed while being processed: the job keeps the content it read (archived); "
               "the new content stays in the inbox and is taken as a new document once it settles")
    return record["status"]


def _finish(app: Appliance, path: Path, job: dict, event: str, read: _Read | None = None) -> bool:
    """Outbox JSON (rebuilt from the database if missing), then the original to archive/.

    Returns True when the file had changed since it was read: then the bytes the job was
    made from are archived instead, and the file stays in the inbox as a new document.
    """
    outbox = Path(job["outbox_path"]) if job["outbox_path"] else None
    if outbox is not None and not outbox.exists():
        write_json_atomic(outbox, outbox_record(app.db, job["id"]))
    name = f"{job['sha256'][:12]}-{path.name}"
    if read is not None and read.raw is not None and not _unchanged(path, read):
        dest = unique_path(app.home.archive, name)
        write_bytes_atomic(dest, read.raw)
        jobs.archived(app.db, job["id"], dest, "job_archived_as_read")
        return True
    dest = move_durably(path, app.home.archive, name)
    jobs.archived(app.db, job["id"], dest, event)
    return False


# -- the poison-pill counter before any job row exists ----------------------------------

def _count_read_attempt(app: Appliance, sha: str, source: str) -> int:
    with transaction(app.db):
        row = app.db.execute("SELECT attempts FROM read_attempts WHERE sha256 = ?", [sha]).fetchone()
        tries = (row[0] if row else 0) + 1
        app.db["read_attempts"].upsert({"sha256": sha, "source": source, "attempts": tries, "last_at": utc_now()},
                                       pk="sha256")
    return tries


def _clear_read_attempts(app: Appliance, sha: str) -> None:
    with transaction(app.db):
        app.db.execute("DELETE FROM read_attempts WHERE sha256 = ?", [sha])


# -- quarantine ----------------------------------------------------------------------

def quarantine(app: Appliance, path: Path, sha: str, reason: str, report: Reporter, new_only: bool = False) -> str:
    """Set a file aside: job row and audit first, then the reason file, then the file itself.

    new_only: content quarantined before whose file is still in quarantine/ — this copy
    gets its own reason file and an audit row, and the job keeps pointing at the first.
    """
    job = jobs.job_for(app.db, sha) if new_only else None
    if jobs.is_quarantined(job) and job["archive_path"] \
            and os.path.lexists(job["archive_path"]):
        dest = unique_path(app.home.quarantine, path.name)
        jobs.rejected(app.db, path.name, sha, reason, event="quarantined_again")
        write_text_atomic(dest.with_name(dest.name + ".reason.txt"), reason_text(path.name, reason))
        move_durably(path, app.home.quarantine, dest.name)
        report(f"quarantined {shown(path.name)}: {reason}")
        return "quarantined"
    job_id = jobs.quarantine(app.db, path.name, sha, reason)
    return _quarantine_file(app, path, job_id, reason, report)


def _quarantine_file(app: Appliance, path: Path, job_id: int, reason: str, report: Reporter) -> str:
    dest = unique_path(app.home.quarantine, path.name)
    write_text_atomic(dest.with_name(dest.name + ".reason.txt"), reason_text(path.name, reason))
    dest = move_durably(path, app.home.quarantine, dest.name)
    jobs.archived(app.db, job_id, dest, "quarantine_moved")
    report(f"quarantined {shown(path.name)}: {reason}")
    return "quarantined"


def _special_key(path: Path) -> str:
    """A job key for something with no content to hash (a link, a pipe, an unreadable file)."""
    return "not-content:" + hashlib.sha256(f"{path.name}\0{time.time_ns()}\0{os.getpid()}".encode(
        "utf-8", "surrogateescape")).hexdigest()


SPECIAL_REASONS = {
    "symlink": "is a symbolic link (to {target}); links are never followed: copy the file itself into the inbox",
    "fifo": "is a named pipe (FIFO), not a file; write reports as regular files",
    "device": "is a device node, not a file; write reports as regular files",
    "socket": "is a socket, not a file; write reports as regular files",
    "other": "is not a regular file; write reports as regular files",
}


def quarantine_special(app: Appliance, entry: Entry, report: Reporter) -> str:
    """A link, pipe, device or socket in the inbox: moved (never opened) to quarantine with the reason."""
    target = ""
    if entry.kind == "symlink":
        try:
            target = repr(os.readlink(entry.path))
        except OSError:
            target = "an unreadable target"
    reason = f"{shown(entry.path.name)}: " + SPECIAL_REASONS.get(entry.kind, SPECIAL_REASONS["other"]).format(
        target=target) + "."
    return quarantine(app, entry.path, _special_key(entry.path), reason, report)


def reason_text(name: str, reason: str) -> str:
    return (
        f"File: {shown(name)}\n"
        f"Quarantined: {utc_now()[:19]}Z\n"
        f"Reason: {reason}\n"
        "What to do: fix or re-export the file and drop it into the inbox again, or discard it.\n"
    )


# -- the loops -------------------------------------------------------------------------

_URGENCY: dict[tuple, tuple[str, ...]] = {}   # (path, signature) → fired red-flag labels; cheap to keep


def inbox_urgency(app: Appliance, entry: Entry, count_reads: bool = True) -> tuple[str, ...]:
    """The red-flag labels a waiting inbox file fires (rules only, no model), () when none or unreadable.

    Read once per content signature; a file that is too big or cannot be read counts as routine
    here (the real read says why). count_reads: the read is counted like the real one, so a file
    whose reading kills the service goes to the back of the queue and is never pre-read again."""
    key = (str(entry.path), entry.signature)
    if key not in _URGENCY:
        from ..safety.red_flags import red_flags

        labels: tuple[str, ...] = ()
        if entry.kind == "file" and 0 < entry.st.st_size <= app.settings.max_file_bytes:
            try:
                read = _read_once(entry.path, app.settings.max_file_bytes)
                if count_reads:
                    _count_read_attempt(app, read.sha256, entry.path.name)
                try:
                    doc = read_document(entry.path, app.settings.max_text_bytes, app.settings.max_file_bytes,
                                        raw=read.raw)
                    labels = tuple(hit.rule.label for hit in red_flags(doc.text))
                finally:
                    if count_reads:
                        _clear_read_attempts(app, read.sha256)
            except DiskError:
                raise
            except Exception:  # noqa: BLE001 - any trouble is the real read's to report
                labels = ()
        if len(_URGENCY) > 4096:
            _URGENCY.clear()
        _URGENCY[key] = labels
    return _URGENCY[key]


def queue_order(app: Appliance, entries: list[Entry], interrupted: set[str]) -> list[Entry]:
    """Urgent first (red-flag rules on each file's text, before any model work), then oldest first;
    files that were interrupted before go to the back. Never reads a file that was interrupted."""
    def key(entry: Entry) -> tuple:
        late = entry.path.name in interrupted
        urgent = bool(inbox_urgency(app, entry)) if not late else False
        return (late, not urgent, entry.st.st_mtime_ns, entry.path.name)

    return sorted(entries, key=key)


def drain(app: Appliance, report: Reporter, settler: Settler | None = None) -> int:
    """Handle every settled file in the inbox; returns how many were handled."""
    inbox = app.settings.inbox_path(app.home)
    settler = settler or Settler(0)
    handled = 0
    tried: set[Path] = set()
    while True:
        # Rescanned after every file, so an urgent report dropped mid-batch goes next, not last
        # (the urgency of a file is read once per content signature, so a rescan is cheap).
        interrupted = jobs.interrupted_sources(app.db)
        interrupted |= {row["source"] for row in app.db.query("SELECT source FROM read_attempts")}
        entries = _scan(inbox)
        for entry in entries:
            if entry.kind == "folder" and settler.once("folder", entry.path):
                report(f"the inbox holds a folder {shown(entry.path.name)}: folders are not read; "
                       "put report files directly in the inbox")
        waiting = [e for e in settler.settled_entries([e for e in entries if e.kind != "folder"])
                   if e.path not in tried]
        if not waiting:
            return handled
        entry = queue_order(app, waiting, interrupted)[0]
        tried.add(entry.path)
        if entry.kind == "file":
            outcome = handle_file(app, entry.path, report, settler)
        else:
            outcome = _guard_special(app, entry, report)
        handled += outcome not in ("busy", "changed", "gone")


def _guard_special(app: Appliance, entry: Entry, report: Reporter) -> str:
    try:
        return quarantine_special(app, entry, report)
    except Exception as exc:
        if (found := disk_error(exc, app.home.root)) is not None:
            raise found from exc
        return "gone" if not os.path.lexists(entry.path) else "left"


def run_once(app: Appliance, report: Reporter) -> int:
    """`watch --once`: wait for files to settle, process all, exit.

    Always ends: a file another process is working on is left to it, and a file that is
    still being written (or held open) with no change for a while is left in the inbox
    with a line saying so.
    """
    app.recover()
    settler = Settler(app.settings.settle_seconds)
    inbox = app.settings.inbox_path(app.home)
    patience = max(ONCE_PATIENCE_SECONDS, 10 * app.settings.settle_seconds)
    total, last_progress, last_state = 0, time.monotonic(), None
    while True:
        handled = drain(app, report, settler)
        total += handled
        entries = [e for e in _scan(inbox) if e.kind != "folder"]
        busy = {path for (what, path) in settler.reported if what == "busy"}
        pending = [e for e in entries if e.path not in busy]
        if not pending:
            return total
        state = sorted((str(e.path), e.signature) for e in pending)
        if handled or state != last_state:
            last_progress, last_state = time.monotonic(), state
        elif time.monotonic() - last_progress > patience:
            for entry in pending:
                pid = settler.writers.get(entry.path)
                holder = f" (open for writing by PID {pid})" if pid else ""
                report(f"{shown(entry.path.name)}: still being written{holder}; left in the inbox for the service")
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
            waiting = any(os.path.lexists(p) for p in settler.seen)
            deadline = time.monotonic() + (0.5 if waiting else app.settings.rescan_seconds)
            # Short waits, so a stop request (the TUI quitting) is seen within a second.
            while not stop.is_set() and not wake.wait(min(1.0, max(deadline - time.monotonic(), 0.0))):
                if time.monotonic() >= deadline:
                    break
            wake.clear()
            settler.seen = {p: v for p, v in settler.seen.items() if os.path.lexists(p)}
            settler.reported = {(w, p) for (w, p) in settler.reported if os.path.lexists(p)}
    finally:
        observer.stop()
        observer.join(timeout=5)
