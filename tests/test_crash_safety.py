"""A crash anywhere leaves each document either not started or finished once.

Two kinds of test: a crash injected deterministically between every pair of durable
steps (in-process, then a fresh service drains), and real SIGKILLs of a running
`appliance watch` at random moments over many rounds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import appliance.pipeline.processor as processor
import appliance.store.jobs as jobs
import appliance.pipeline.watch as watch
from appliance.app import Appliance

from .conftest import run_cli

STATED = ("EXAM: Diagnostic mammogram, case {i}.\nFINDINGS: Irregular mass in the left breast, {i} mm.\n"
          "IMPRESSION: BI-RADS 4B. Biopsy recommended.\n")
NOTE = ("Clinic note {i}. {age}-year-old with fever, productive cough and right-sided pleuritic chest pain "
        "for {i} days. RR 26, SpO2 92%.\n")


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the service catches it."""


def _invariants(home: Path, good: dict[str, str]) -> None:
    """Every good document: one job done, one result per planned task, one outbox file, archived once."""
    conn = sqlite3.connect(home / "appliance.db")
    conn.row_factory = sqlite3.Row
    assert not [p.name for p in (home / "inbox").iterdir()], "inbox must be drained"
    for name, sha in good.items():
        jobs = conn.execute("SELECT * FROM jobs WHERE sha256 = ?", [sha]).fetchall()
        assert len(jobs) == 1 and jobs[0]["status"] == "done", (name, [dict(j) for j in jobs])
        job = jobs[0]
        tasks = json.loads(job["plan"])["tasks"]
        rows = conn.execute("SELECT task FROM results WHERE job_id = ?", [job["id"]]).fetchall()
        assert sorted(r["task"] for r in rows) == sorted(tasks), (name, "results duplicated or missing")
        done = conn.execute("SELECT count(*) FROM audit WHERE job_id = ? AND event = 'job_done'", [job["id"]])
        assert done.fetchone()[0] == 1, name
        assert len(list((home / "outbox").glob(f"*.{sha[:12]}.json"))) == 1, name
        archived = [p for p in (home / "archive").iterdir() if p.name.startswith(sha[:12])]
        assert len(archived) == 1, (name, archived)
    assert not list((home / "outbox").glob(".*.tmp"))
    assert run_cli("audit", "verify", home=home).returncode == 0


STEPS = [
    ("after the job is marked processing", processor, "run_task"),
    ("after results are committed", processor, "write_json_atomic"),
    ("after the outbox is written", watch, "move_durably"),
    ("after the original is archived", jobs, "archived"),
]


@pytest.mark.parametrize("label, owner, attr", STEPS, ids=[s[0] for s in STEPS])
def test_crash_between_steps_then_restart(home_dir, monkeypatch, label, owner, attr):
    app = Appliance()
    inbox = app.home.inbox
    (inbox / "report.txt").write_text(STATED.format(i=1))
    sha = __import__("hashlib").sha256((inbox / "report.txt").read_bytes()).hexdigest()

    def crash(*args, **kwargs):
        raise Crash(label)

    with monkeypatch.context() as patch:
        patch.setattr(owner, attr, crash)
        with pytest.raises(Crash):
            watch.drain(app, lambda line: None)
    # A fresh service (new connection, nothing in memory) picks up where the crash left off.
    restarted = Appliance()
    watch.drain(restarted, lambda line: None)
    watch.drain(restarted, lambda line: None)  # and a second pass changes nothing
    _invariants(app.home.root, {"report.txt": sha})


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(home_dir, tmp_path):
    inbox = home_dir / "inbox"
    inbox.mkdir(parents=True)
    rng = random.Random(20261121)
    good = {}
    for i in range(14):
        name = f"doc{i:02d}.txt"
        text = NOTE.format(i=i, age=30 + i) if i % 3 == 0 else STATED.format(i=i)
        (inbox / name).write_text(text)
        good[name] = __import__("hashlib").sha256(text.encode()).hexdigest()
    (inbox / "empty.txt").write_text("")
    (inbox / "binary.txt").write_bytes(os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00\x00")
    (inbox / "huge.txt").write_text("x" * 2_100_000)
    (inbox / "letter.docx").write_bytes(b"PK\x03\x04 not a report")

    exe = str(Path(sys.executable).with_name("appliance"))
    env = {**os.environ, "APPLIANCE_HOME": str(home_dir), "APPLIANCE_SETTLE_SECONDS": "0"}
    kills = 0
    for _ in range(10):
        proc = subprocess.Popen([exe, "watch"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 8
    run_cli("watch", "--once", home=home_dir, check=True)

    _invariants(home_dir, good)
    quarantine = home_dir / "quarantine"
    for name in ("empty.txt", "binary.txt", "huge.txt", "letter.docx"):
        assert (quarantine / name).exists(), name
        assert (quarantine / f"{name}.reason.txt").exists(), name
