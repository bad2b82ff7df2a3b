"""`appliance selftest --json`: healthy on a fresh home, within a minute, and honest when not."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import run_cli

pytestmark = pytest.mark.slow


def test_selftest_passes_on_a_fresh_home_under_60s(home_dir):
    started = time.perf_counter()
    result = run_cli("selftest", "--json", home=home_dir)
    elapsed = time.perf_counter() - started
    report = json.loads(result.stdout)
    assert result.returncode == 0, [c for c in report["checks"] if not c["ok"]]
    assert report["ok"] is True
    names = {c["name"] for c in report["checks"]}
    assert {"home_writable", "database_integrity", "audit_chain", "model_loads",
            "model_file:smollm2-135m-instruct-q4_1", "model_file:gemma-3-270m-q4_k_m",
            "golden:rads_assignment", "golden:n_staging", "golden:m_staging",
            "golden:differential_diagnosis"} <= names
    assert all("duration_s" in c for c in report["checks"])
    assert elapsed < 60, f"selftest took {elapsed:.1f}s"


def test_selftest_fails_when_a_model_file_is_damaged(home_dir):
    run_cli("models", "list", home=home_dir, check=True)
    gemma = home_dir / "models" / "gemma-3-270m-q4_k_m.gguf"
    gemma.write_bytes(b"GGUF damaged")
    result = run_cli("selftest", "--json", home=home_dir)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["ok"] is False
    bad = next(c for c in report["checks"] if c["name"] == "model_file:gemma-3-270m-q4_k_m")
    assert not bad["ok"] and "expected" in bad["detail"]


def test_selftest_prints_each_check_as_it_finishes(home_dir):
    # Read through a pipe (as a log would): the first line arrives seconds before the verdict,
    # while the model checks still run, not all at once at the end.
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "APPLIANCE_HOME": str(home_dir)}
    exe = Path(sys.executable).with_name("appliance")
    proc = subprocess.Popen([str(exe), "selftest"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = proc.stdout.readline()
        first_at = time.monotonic()
        lines = proc.stdout.read().strip().splitlines()
        last_at = time.monotonic()
    finally:
        proc.wait(timeout=300)
    assert first.startswith("ok   home_writable"), first
    assert lines[-1].startswith("healthy") and any("golden:rads_assignment" in line for line in lines)
    assert last_at - first_at > 1.0, "every line came at once, when all checks had finished"
