"""The trainer formats examples with the appliance's own prompt builder and schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from appliance.engine.templates import TEMPLATES
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt

EXAMPLE = {
    "task": "n_staging",
    "input": "CT: enlarged ipsilateral hilar lymph node.",
    "output": {"n_stage": "N1", "evidence": "enlarged ipsilateral hilar lymph node"},
}


def _trainer(*args):
    return subprocess.run([str(Path(sys.executable).with_name("trainer")), *args], capture_output=True, text=True)


def test_format_uses_the_served_prompt(tmp_path):
    src, out = tmp_path / "ex.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(EXAMPLE) + "\n")
    result = _trainer("data", "format", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    row = json.loads(out.read_text())
    assert row["prompt"] == build_prompt(TEMPLATES["chatml"], EXAMPLE["input"], TASKS["n_staging"]).text
    assert json.loads(row["completion"]) == EXAMPLE["output"]
    # The layout the serving grammar emits, byte for byte.
    assert row["completion"] == json.dumps(EXAMPLE["output"])


def test_an_output_outside_the_schema_names_the_line_and_writes_nothing(tmp_path):
    src, out = tmp_path / "ex.jsonl", tmp_path / "out.jsonl"
    bad = {**EXAMPLE, "output": {"n_stage": "N7", "evidence": "x"}}
    src.write_text(json.dumps(EXAMPLE) + "\n" + json.dumps(bad) + "\n")
    result = _trainer("data", "format", str(src), "--out", str(out))
    assert result.returncode == 1 and "ex.jsonl:2" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))
