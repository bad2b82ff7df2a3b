"""`appliance tasks list | schema NAME` and usage errors."""

from __future__ import annotations

import json

from .conftest import run_cli


def test_tasks_list_names_the_starting_tasks(home_dir):
    out = run_cli("tasks", "list", home=home_dir, check=True).stdout
    for name in ("rads_assignment", "n_staging", "m_staging", "differential_diagnosis"):
        assert name in out


def test_tasks_schema_prints_json_schema_with_exactly_two_possible(home_dir):
    schema = json.loads(run_cli("tasks", "schema", "differential_diagnosis", home=home_dir, check=True).stdout)
    possible = schema["properties"]["possible"]
    assert possible["minItems"] == possible["maxItems"] == 2
    assert {"symptoms", "most_likely", "possible", "unlikely_but_serious", "recommended_workup"} == set(
        schema["required"])


def test_unknown_task_is_a_usage_error(home_dir):
    result = run_cli("tasks", "schema", "bogus", home=home_dir)
    assert result.returncode == 2 and "unknown task 'bogus'" in result.stderr


def test_process_refuses_unknown_task_before_writing_anything(home_dir, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("EXAM: CT head. FINDINGS: normal.")
    result = run_cli("process", str(report), "--tasks", "rads_assignment,nope", home=home_dir)
    assert result.returncode == 2 and "unknown task 'nope'" in result.stderr
    assert not (home_dir / "outbox").exists() or not list((home_dir / "outbox").iterdir())
