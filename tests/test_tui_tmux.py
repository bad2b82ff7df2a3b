"""The real `appliance` command in a real terminal (tmux, 80×24): sign in, open, accept."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appliance import DECISION_SUPPORT_NOTICE

from .test_tui_homes import DATA, READER, build_home

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None,
                       reason="tmux is not installed (apt-get install -y tmux) so the real-terminal test cannot run"),
]


class Tmux:
    """One detached session on a private tmux server (its own socket), torn down afterwards."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.session = "clinic"

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], check=True, capture_output=True, text=True, timeout=30).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on screen after {seconds} s; the screen shows:\n{shown}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=30)


def test_real_terminal_sign_in_open_and_accept(home_dir, tmp_path):
    appliance = build_home(home_dir, {"mammogram_unseen.txt": (DATA / "mammogram_unseen.txt").read_text()})
    appliance.db.conn.close()
    exe = Path(sys.executable).with_name("appliance")
    assert exe.exists(), f"{exe}: the appliance command is not installed next to {sys.executable}"
    # Textual draws on the terminal (stderr included), so nothing is redirected; the shell
    # stays after the app ends, so its exit can be seen on the pane.
    command = (f"env APPLIANCE_HOME={shlex.quote(str(home_dir))} APPLIANCE_SETTLE_SECONDS=0 "
               f"{shlex.quote(str(exe))}; echo APP-EXITED-$?; sleep 30")
    tmux = Tmux(f"clinic-test-{os.getpid()}")
    try:
        tmux.start(command)
        tmux.wait_for("Type your name")
        tmux.keys(READER, literal=True)
        tmux.keys("Enter")
        tmux.wait_for("mammogram_unseen.txt")                 # the worklist
        tmux.wait_for("BI-RADS 4C")
        tmux.keys("Enter")                                     # open the document
        tmux.wait_for("RADS category · rads_assignment")
        tmux.keys("a")                                         # accept the focused result
        shown = tmux.wait_for(f"accepted by {READER}")
        flat = " ".join(shown.split())
        assert DECISION_SUPPORT_NOTICE in flat                 # wrapped over two lines at 80 columns
        assert "mammogram_unseen.txt" in shown and "BI-RADS 4C" in shown
        assert all(len(line) <= 80 for line in shown.splitlines())
        tmux.keys("C-q")
        tmux.wait_for("APP-EXITED-0", seconds=30)
    finally:
        tmux.close()

    import sqlite3

    db = sqlite3.connect(home_dir / "appliance.db")
    db.row_factory = sqlite3.Row
    [review] = db.execute("SELECT * FROM reviews").fetchall()
    assert (review["task"], review["action"], review["reviewer"]) == ("rads_assignment", "accept", READER)
    events = [(row["event"], row["actor"]) for row in db.execute("SELECT * FROM audit ORDER BY id")]
    assert ("sign_in", f"clinician:{READER}") in events
    assert ("review_accept", f"clinician:{READER}") in events
    accept = db.execute("SELECT details FROM audit WHERE event = 'review_accept'").fetchone()
    assert json.loads(accept["details"])["task"] == "rads_assignment"
