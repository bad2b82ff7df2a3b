"""Fixtures: a fresh appliance home per test, real files, real SQLite, the real embedded model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def home_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("APPLIANCE_HOME", str(root))
    monkeypatch.setenv("APPLIANCE_SETTLE_SECONDS", "0")
    return root


@pytest.fixture
def app(home_dir):
    from appliance.app import Appliance

    return Appliance()


def run_cli(*args: str, home: Path, check: bool = False, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the installed `appliance` command as an operator would."""
    env = {**os.environ, "APPLIANCE_HOME": str(home), "APPLIANCE_SETTLE_SECONDS": "0"}
    exe = Path(sys.executable).with_name("appliance")
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"appliance {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result
