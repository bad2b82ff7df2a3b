"""The drop folder survives its real-world faults (issue 18): two services on one home, a
poison file, a stalled copy, links/pipes/folders/unreadable files, odd names and a full disk."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import appliance.pipeline.watch as watch
from appliance.durable import DiskError
from appliance.app import Appliance

from .conftest import run_cli

EXE = str(Path(sys.executable).with_name("appliance"))
STATED = ("EXAM: Diagnostic mammogram, case {i}.\nFINDINGS: Irregular mass in the left breast, {i} mm.\n"
          "IMPRESSION: BI-RADS 4B. Biopsy recommended.\n")


def _env(home: Path, settle: float = 0) -> dict:
    return {**os.environ, "APPLIANCE_HOME": str(home), "APPLIANCE_SETTLE_SECONDS": str(settle)}


def _rows(home: Path, sql: str, args=()) -> list[dict]:
    with sqlite3.connect(home / "appliance.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _deep_fhir(levels: int) -> str:
    ext = {"url": "http://example.org/e", "valueString": "v"}
    for _ in range(levels):
        ext = {"url": "http://example.org/e", "extension": [ext]}
    return json.dumps({"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "MG"},
                       "conclusion": "IMPRESSION: BI-RADS 2. Benign.", "extension": [ext]})


# -- one service per home, and one result set per document even without the lock --------

def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_two_watchers_one_home_one_result_set_each(home_dir):
    inbox = home_dir / "inbox"
    first = subprocess.Popen([EXE, "watch"], env=_env(home_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    procs = [first]
    try:
        _wait_for(lambda: (home_dir / "service.lock").exists() and
                  (home_dir / "service.lock").read_text().strip() == str(first.pid), 120, "the first service")
        # A second service on the same home is refused, naming the holder.
        second = subprocess.run([EXE, "watch", "--once"], env=_env(home_dir), capture_output=True, text=True,
                                timeout=120)
        assert second.returncode == 3, second.stderr
        assert f"a service is already running (PID {first.pid})" in second.stderr
        # Bypass the lock (its file deleted under the first service): the job claims still hold.
        (home_dir / "service.lock").unlink()
        rogue = subprocess.Popen([EXE, "watch"], env=_env(home_dir), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        procs.append(rogue)
        time.sleep(3)
        good = {}
        for i in range(8):
            text = STATED.format(i=i)
            tmp = inbox / f".doc{i}.txt"
            tmp.write_text(text)
            tmp.rename(inbox / f"doc{i}.txt")  # the drop protocol
            good[f"doc{i}.txt"] = _sha(text)
        _wait_for(lambda: not list(inbox.iterdir()) and len(_rows(
            home_dir, "SELECT id FROM jobs WHERE status = 'done' AND archived_at IS NOT NULL")) == 8,
            300, "both services to drain the inbox")
        time.sleep(2)
        assert first.poll() is None and rogue.poll() is None, "neither service may die"
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    for name, sha in good.items():
        jobs = _rows(home_dir, "SELECT * FROM jobs WHERE sha256 = ?", [sha])
        assert len(jobs) == 1 and jobs[0]["source"] == name, jobs
        job = jobs[0]
        tasks = json.loads(job["plan"])["tasks"]
        results = _rows(home_dir, "SELECT task FROM results WHERE job_id = ?", [job["id"]])
        assert sorted(r["task"] for r in results) == sorted(tasks), (name, "one result set")
        assert len(_rows(home_dir, "SELECT id FROM audit WHERE job_id = ? AND event = 'job_done'", [job["id"]])) == 1
        assert len([p for p in (home_dir / "archive").iterdir() if p.name.startswith(sha[:12])]) == 1
    assert run_cli("audit", "verify", home=home_dir).returncode == 0


# -- a poison file is quarantined with a true reason, and the next file is processed -----

def test_poison_files_are_quarantined_and_the_next_is_processed(home_dir):
    inbox = home_dir / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "a_deep_extensions.json").write_text(_deep_fhir(300))
    (inbox / "b_deep_json.json").write_text("[" * 10_000 + "]" * 10_000)
    (inbox / "c_empty.txt").write_text("")
    (inbox / "d_empty.pdf").write_bytes(b"")
    (inbox / "e_report.txt").write_text(STATED.format(i=1))
    result = run_cli("watch", "--once", home=home_dir)
    assert result.returncode == 0, result.stderr
    quarantine = home_dir / "quarantine"
    for name in ("a_deep_extensions.json", "b_deep_json.json"):
        reason = (quarantine / f"{name}.reason.txt").read_text()
        assert "nested too deeply" in reason and "UTF-8" not in reason, reason
    # Each empty file is told it is empty, never "same content as" the other.
    for name in ("c_empty.txt", "d_empty.pdf"):
        reason = (quarantine / f"{name}.reason.txt").read_text()
        assert "empty" in reason and "same content" not in reason, reason
    done = _rows(home_dir, "SELECT * FROM jobs WHERE status = 'done'")
    assert [j["source"] for j in done] == ["e_report.txt"]
    assert not list(inbox.iterdir())


def test_an_exception_the_readers_do_not_expect_quarantines_the_file_not_the_service(app, monkeypatch):
    inbox = app.home.inbox
    (inbox / "a.txt").write_text(STATED.format(i=1))
    (inbox / "b.txt").write_text(STATED.format(i=2))
    real = watch.read_document

    def explode(path, *args, **kwargs):
        if path.name == "a.txt":
            raise ZeroDivisionError("a bug tickled by this file")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(watch, "read_document", explode)
    lines: list[str] = []
    watch.run_once(app, lines.append)
    reason = (app.home.quarantine / "a.txt.reason.txt").read_text()
    assert "internal error (ZeroDivisionError" in reason and "a bug tickled" not in reason
    assert [j["source"] for j in app.db.query("SELECT source FROM jobs WHERE status = 'done'")] == ["b.txt"]


def test_a_file_that_kills_the_service_while_read_is_set_aside_after_its_attempts(app):
    # A reader crash the guard cannot see (the process dies): no job row exists yet,
    # so the count is kept by content hash.
    text = STATED.format(i=3)
    (app.home.inbox / "killer.txt").write_text(text)
    with app.db.conn:
        app.db["read_attempts"].insert({"sha256": _sha(text), "source": "killer.txt",
                                        "attempts": watch.MAX_ATTEMPTS, "last_at": "then"})
    watch.run_once(app, lambda line: None)
    reason = (app.home.quarantine / "killer.txt.reason.txt").read_text()
    assert f"stopped the service {watch.MAX_ATTEMPTS} times" in reason


# -- a stalled copy is never taken half-written -------------------------------------------

BIRADS5 = ("EXAM: Diagnostic mammogram, left breast.\n"
           "HISTORY: Palpable lump in the left breast, first noticed four weeks ago; family history.\n"
           "FINDINGS: There is an irregular spiculated mass in the upper outer quadrant of the left breast "
           "measuring 24 mm, with associated fine pleomorphic calcifications and skin retraction.\n"
           "IMPRESSION: BI-RADS 5. Highly suggestive of malignancy. Tissue diagnosis recommended.\n")


def test_a_stalled_writer_is_waited_for_and_the_job_holds_the_full_content(home_dir):
    inbox = home_dir / "inbox"
    inbox.mkdir(parents=True)
    data = BIRADS5.encode()
    assert b"BI-RADS" not in data[:250]

    def writer():
        with open(inbox / "stalled.txt", "wb") as f:  # a USB or SMB copy that stalls
            f.write(data[:250])
            f.flush()
            time.sleep(4)
            f.write(data[250:])

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    result = subprocess.run([EXE, "watch", "--once"], env=_env(home_dir, settle=2), capture_output=True,
                            text=True, timeout=300)
    thread.join()
    assert result.returncode == 0, result.stderr
    jobs = _rows(home_dir, "SELECT * FROM jobs")
    assert len(jobs) == 1 and jobs[0]["sha256"] == hashlib.sha256(data).hexdigest(), jobs
    archived = list((home_dir / "archive").iterdir())
    assert len(archived) == 1 and archived[0].read_bytes() == data
    outbox = json.loads(next((home_dir / "outbox").glob("*.json")).read_text())
    assert outbox["results"]["rads_assignment"]["category"] == "5"


def test_a_file_changed_during_processing_keeps_what_was_read_and_comes_back(app, monkeypatch):
    path = app.home.inbox / "grows.txt"
    original = STATED.format(i=4)
    path.write_text(original)
    real = Appliance.process

    def process_then_append(self, doc, *args, **kwargs):
        record = real(self, doc, *args, **kwargs)
        if doc.source == "grows.txt" and not path.read_text().endswith("ADDENDUM\n"):
            with open(path, "a") as f:
                f.write("ADDENDUM\n")
        return record

    monkeypatch.setattr(Appliance, "process", process_then_append)
    lines: list[str] = []
    watch.drain(app, lines.append)
    archived = list(app.home.archive.iterdir())
    assert len(archived) == 1 and archived[0].read_text() == original
    assert path.exists(), "the new content stays in the inbox"
    assert any("changed while being processed" in line for line in lines)
    watch.drain(app, lines.append)
    jobs = list(app.db.query("SELECT sha256, status FROM jobs ORDER BY id"))
    assert [j["sha256"] for j in jobs] == [_sha(original), _sha(original + "ADDENDUM\n")]
    assert all(j["status"] == "done" for j in jobs) and not path.exists()


# -- inbox hygiene --------------------------------------------------------------------

def test_links_pipes_folders_and_unreadable_files_are_dealt_with_and_once_returns(app, monkeypatch):
    inbox = app.home.inbox
    (inbox / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "inner.txt").write_text(STATED.format(i=5))
    locked = inbox / "locked.txt"
    locked.write_text(STATED.format(i=6))
    if os.geteuid() == 0:  # root reads anything: stand in for a file the service user may not read
        real_open = os.open

        def deny(path, flags, *args, **kwargs):
            if Path(path).name == "locked.txt" and Path(path).parent == inbox:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", deny)
    else:
        locked.chmod(0)
    forged = "evil\nquarantined report.txt: forged.txt"
    (inbox / forged).write_text(STATED.format(i=7))
    (inbox / "fine.txt").write_text(STATED.format(i=8))

    lines: list[str] = []
    started = time.monotonic()
    watch.run_once(app, lines.append)
    assert time.monotonic() - started < 60, "--once must return"
    settler, again = watch.Settler(0), []
    for _ in range(3):  # the service's passes: the folder is reported once, not every pass
        watch.drain(app, again.append, settler)
    assert sum("folder" in line for line in again) == 1
    quarantine = app.home.quarantine
    assert (quarantine / "passwd.txt").is_symlink(), "the link itself is set aside, never followed"
    assert "symbolic link" in (quarantine / "passwd.txt.reason.txt").read_text()
    assert (quarantine / "pipe.txt").exists() and "named pipe" in (quarantine / "pipe.txt.reason.txt").read_text()
    assert "cannot be read (Permission denied)" in (quarantine / "locked.txt.reason.txt").read_text()
    assert sum("folder 'sub'" in line or "folder sub" in line for line in lines) == 1, "reported once"
    assert (inbox / "sub" / "inner.txt").exists()
    passwd_sha = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    assert not list(app.db.query("SELECT id FROM jobs WHERE sha256 = ?", [passwd_sha]))
    # Names are escaped in every line: a newline in a name cannot forge a log line.
    assert all("\n" not in line for line in lines)
    assert any(repr(forged) in line for line in lines)
    assert {j["source"] for j in app.db.query("SELECT source FROM jobs WHERE status = 'done'")} == {forged, "fine.txt"}


def test_a_file_held_open_for_writing_does_not_hang_watch_once(app, monkeypatch):
    app.settings.settle_seconds = 0.1
    monkeypatch.setattr(watch, "ONCE_PATIENCE_SECONDS", 1.0)
    path = app.home.inbox / "held.txt"
    lines: list[str] = []
    with open(path, "w") as f:
        f.write(STATED.format(i=9))
        f.flush()
        started = time.monotonic()
        watch.run_once(app, lines.append)
        assert time.monotonic() - started < 30
    assert path.exists() and any(f"still being written (open for writing by PID {os.getpid()})" in line
                                 for line in lines)
    assert not list(app.db.query("SELECT id FROM jobs"))


# -- a full disk: a plain message, a distinct exit code, nothing lost ---------------------

def test_disk_full_stops_with_a_plain_message_and_loses_nothing(app, monkeypatch):
    path = app.home.inbox / "report.txt"
    path.write_text(STATED.format(i=10))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(app.home.archive / "x"))

    real_move = watch.move_durably
    monkeypatch.setattr(watch, "move_durably", full)
    with pytest.raises(DiskError) as caught:
        watch.drain(app, lambda line: None)
    assert "the appliance's disk is full: free space in" in str(caught.value)
    assert "nothing was lost, the file stays in the inbox" in str(caught.value)
    assert path.exists() and not list(app.home.quarantine.iterdir())
    monkeypatch.setattr(watch, "move_durably", real_move)
    watch.drain(Appliance(), lambda line: None)  # room again: finished once
    assert not path.exists()
    assert [j["status"] for j in app.db.query("SELECT status FROM jobs")] == ["done"]


def _can_mount_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir(parents=True, exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
                        capture_output=True).returncode == 0
    return ok


def test_a_full_small_filesystem_gives_exit_74_and_a_plain_message(tmp_path):
    mount = tmp_path / "small"
    if not _can_mount_tmpfs(mount):
        pytest.skip("cannot mount a tmpfs here (needs root); the simulated ENOSPC test covers the path")
    try:
        home = mount / "home"
        assert run_cli("watch", "--once", home=home).returncode == 0  # creates the home
        (home / "inbox" / "report.txt").write_text(STATED.format(i=11))
        filler = mount / "filler"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        result = run_cli("watch", "--once", home=home)
        assert result.returncode == 74, (result.returncode, result.stdout, result.stderr)
        assert "the appliance's disk is full: free space in" in result.stderr
        assert "Traceback" not in result.stderr
        assert (home / "inbox" / "report.txt").exists()
        filler.unlink()
        assert run_cli("watch", "--once", home=home).returncode == 0
        assert not (home / "inbox" / "report.txt").exists()
        assert run_cli("audit", "verify", home=home).returncode == 0
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_the_clinician_app_is_a_viewer_when_a_service_holds_the_home(app):
    import asyncio

    from appliance.service_lock import ServiceLock
    from tui.app import ClinicApp

    held = ServiceLock(app.home).acquire()
    try:
        tui = ClinicApp(app, run_service=True, watch_usb=False)

        async def look():
            async with tui.run_test():
                assert f"already running (PID {os.getpid()})" in tui.service_line
                assert not [w for w in tui.workers if w.name == "drop-folder"]

        asyncio.run(look())
    finally:
        held.release()


def test_an_urgent_report_dropped_mid_batch_is_processed_next(app):
    """The queue is reordered after every file: an urgent drop does not wait for the rest of the batch."""
    inbox = app.home.inbox
    for i in range(3):
        (inbox / f"routine_{i}.txt").write_text(STATED.format(i=i))
    urgent = ("EXAM: Chest radiograph.\nFINDINGS: Large left tension pneumothorax with mediastinal shift.\n"
              "IMPRESSION: Tension pneumothorax.\n")
    dropped = []

    def report(line: str) -> None:
        if not dropped and "routine_" in line:  # the first routine file has been handled: drop the urgent one
            (inbox / "zz_urgent.txt").write_text(urgent)
            dropped.append(line)

    watch.drain(app, report)
    order = [row["source"] for row in app.db.query("SELECT source FROM jobs ORDER BY id")]
    assert len(order) == 4 and order[1] == "zz_urgent.txt", order
