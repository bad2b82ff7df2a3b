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

    def start(self, command: str, size: tuple[int, int] = (80, 24)) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]), command)

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


ROUTINE = "EXAM: Chest radiograph.\n\nFINDINGS: Clear lungs. Normal heart size. No effusion.\n\nIMPRESSION: Normal chest {n}.\n"
TENSION = ("EXAM: Chest radiograph.\n\nFINDINGS: Large right tension pneumothorax with mediastinal shift to the "
           "left.\n\nIMPRESSION: Tension pneumothorax.\n")
CAPTURES = os.environ.get("TUI_CAPTURES")   # a folder: the screens are also written there as text


def test_real_terminal_sign_in_urgent_first_open_and_accept(home_dir, tmp_path):
    appliance = build_home(home_dir, {"mammogram_unseen.txt": (DATA / "mammogram_unseen.txt").read_text()})
    inbox = appliance.settings.inbox_path(appliance.home)
    appliance.db.conn.close()
    # Five routine files, then an urgent one (newest, last by name): it must be taken first.
    now = time.time()
    for n in range(5):
        path = inbox / f"a_routine_{n}.txt"
        path.write_text(ROUTINE.format(n=n))
        os.utime(path, (now - 60 + n, now - 60 + n))
    (inbox / "z_tension_pneumothorax.txt").write_text(TENSION)
    exe = Path(sys.executable).with_name("appliance")
    assert exe.exists(), f"{exe}: the appliance command is not installed next to {sys.executable}"
    # Textual draws on the terminal (stderr included), so nothing is redirected; the shell
    # stays after the app ends, so its exit can be seen on the pane.
    command = (f"env -u COLUMNS -u LINES APPLIANCE_HOME={shlex.quote(str(home_dir))} APPLIANCE_SETTLE_SECONDS=0 "
               f"{shlex.quote(str(exe))}; echo APP-EXITED-$?; sleep 30")
    tmux = Tmux(f"clinic-test-{os.getpid()}")

    def capture(name: str) -> None:
        if CAPTURES:
            Path(CAPTURES).mkdir(parents=True, exist_ok=True)
            (Path(CAPTURES) / f"{name}.txt").write_text(tmux.screen())

    try:
        started = time.monotonic()
        tmux.start(command)
        tmux.wait_for("Decision support", seconds=30)     # the splash (or sign-in), whichever is first
        first_paint = time.monotonic() - started
        tmux.wait_for("Type your name", seconds=120)
        tmux.keys(READER, literal=True)
        tmux.keys("Enter")
        tmux.wait_for("mammogram_unseen.txt")                 # the worklist
        tmux.wait_for("BI-RADS 4C")
        tmux.wait_for("a_routine_4.txt", seconds=30)
        shown = tmux.wait_for("URGENT", seconds=120)                # once the tension file is read
        lines = shown.splitlines()
        top = lines[next(i for i, line in enumerate(lines) if "Urgency" in line) + 1]
        assert "z_tension_pneumo" in top and "URGENT" in top, shown     # urgent on top from the start
        deadline = time.monotonic() + 300
        while "waiting" in tmux.screen() and time.monotonic() < deadline:
            time.sleep(0.5)
        capture("worklist-80x24")
        tmux.keys("/")
        tmux.keys("mammogram", literal=True)
        tmux.keys("Enter")                                     # back to the list, keeping the search
        tmux.wait_for("mammogram_unseen.txt · ready for review")
        time.sleep(0.5)
        tmux.keys("Enter")                                     # open the document
        tmux.wait_for("RADS category")
        tmux.keys("a")                                         # accept the focused result
        shown = tmux.wait_for(f"accepted by {READER}")
        capture("document-80x24")
        flat = " ".join(shown.split())
        assert DECISION_SUPPORT_NOTICE in flat                 # wrapped over two lines at 80 columns
        assert "mammogram_unseen.txt" in shown and "BI-RADS 4C" in shown, shown
        assert all(len(line) <= 80 for line in shown.splitlines())
        assert "rads_assignment" not in shown
        tmux.keys("q")                                          # q quits
        tmux.wait_for("APP-EXITED-0", seconds=30)
    finally:
        tmux.close()
    # The console script writes its starting screen before the slow imports (tui/cli.py): well under 1 s
    # here; the bound leaves room for a loaded CI box and tmux's own start.
    assert first_paint < 3, f"first paint after {first_paint:.1f} s"

    # The same home at 120×40: the worklist uses the width, the document is side by side.
    wide = Tmux(f"clinic-wide-{os.getpid()}")
    try:
        wide.start(command, size=(120, 40))
        wide.wait_for("Type your name", seconds=120)
        wide.keys(READER, literal=True)
        wide.keys("Enter")
        shown = wide.wait_for("Why urgent")
        capture_to = CAPTURES and Path(CAPTURES)
        if capture_to:
            (capture_to / "worklist-120x40.txt").write_text(shown)
        wide.keys("/")
        wide.keys("mammogram", literal=True)
        wide.keys("Enter")
        wide.wait_for("mammogram_unseen.txt · reviewed")
        time.sleep(0.5)
        wide.keys("Enter")
        shown = wide.wait_for("Source text")
        # Side by side: a result card's border and the source column on one line wider than 80 (the card
        # is drawn double when focused, single when the focus is elsewhere).
        assert any(len(line.rstrip()) > 80 and ("║" in line or "│" in line) and "▏" in line
                   for line in shown.splitlines()), shown
        if capture_to:
            (capture_to / "document-120x40.txt").write_text(shown)
        wide.keys("q")
        wide.wait_for("APP-EXITED-0", seconds=30)
    finally:
        wide.close()

    import sqlite3

    db = sqlite3.connect(home_dir / "appliance.db")
    db.row_factory = sqlite3.Row
    order = [r["source"] for r in db.execute("SELECT source FROM jobs WHERE source != 'mammogram_unseen.txt' "
                                             "ORDER BY id")]
    assert order[0] == "z_tension_pneumothorax.txt", order
    [review] = db.execute("SELECT * FROM reviews").fetchall()
    assert (review["task"], review["action"], review["reviewer"]) == ("rads_assignment", "accept", READER)
    events = [(row["event"], row["actor"]) for row in db.execute("SELECT * FROM audit ORDER BY id")]
    assert ("sign_in", f"clinician:{READER}") in events
    assert ("review_accept", f"clinician:{READER}") in events
    accept = db.execute("SELECT details FROM audit WHERE event = 'review_accept'").fetchone()
    assert json.loads(accept["details"])["task"] == "rads_assignment"
