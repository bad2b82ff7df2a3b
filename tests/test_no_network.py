"""The appliance opens no network socket at run time (only local socketpairs are allowed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import DATA

pytestmark = pytest.mark.slow

# Runs the real CLI in-process under an audit hook that kills it on any inet socket.
GUARD = r"""
import socket, sys
def guard(event, args):
    if event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
        sys.stderr.write("NETWORK SOCKET OPENED\n"); sys.stderr.flush(); import os; os._exit(99)
    if event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname"):
        sys.stderr.write(f"NETWORK CALL {event}\n"); sys.stderr.flush(); import os; os._exit(99)
sys.addaudithook(guard)
sys.argv = ["appliance"] + sys.argv[1:]
from appliance.cli.main import main
main()
"""


def _guarded(*args, home):
    env = {**os.environ, "APPLIANCE_HOME": str(home), "APPLIANCE_SETTLE_SECONDS": "0"}
    return subprocess.run([sys.executable, "-c", GUARD, *args], env=env, capture_output=True, text=True, timeout=600)


def test_guard_really_catches_a_socket(home_dir):
    probe = _guarded("--help", home=home_dir)  # sanity: the hook is live in that interpreter
    assert probe.returncode == 0
    caught = subprocess.run([sys.executable, "-c", GUARD.replace("from appliance.cli.main import main\nmain()",
                             "import socket; socket.socket(socket.AF_INET)")], capture_output=True, text=True)
    assert caught.returncode == 99 and "NETWORK SOCKET OPENED" in caught.stderr


def test_process_watch_and_selftest_open_no_network_socket(home_dir):
    result = _guarded("process", str(DATA / "ct_staging.txt"), "--json", home=home_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "done"
    inbox = home_dir / "inbox"
    (inbox / "note.txt").write_text((DATA / "chest_pain_note.txt").read_text())
    result = _guarded("watch", "--once", home=home_dir)
    assert result.returncode == 0, result.stderr
    result = _guarded("selftest", home=home_dir)
    assert result.returncode == 0, result.stderr
