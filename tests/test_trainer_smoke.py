"""The CPU smoke path end to end: build data → train a few steps → export → the appliance serves it.

The adapter goes through the commands a partner would run (`trainer data build`,
`trainer train --preset smoke`), then the appliance's own engine loads the GGUF LoRA
over the base and its answers change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("peft")

OPENI = Path(__file__).resolve().parents[2] / "shared" / "data" / "openi" / "indiana_reports.csv"


def _trainer(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).with_name("trainer"))
    result = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, f"trainer {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_smoke_preset_trains_exports_and_changes_what_the_appliance_answers(tmp_path):
    from appliance.engine import Engine
    from appliance.engine.templates import TEMPLATES
    from appliance.tasks import get_task
    from appliance.tasks.prompt import build_prompt
    from trainer.base import resolve_base

    data, run = tmp_path / "data", tmp_path / "run"
    openi = ["--openi", str(OPENI)] if OPENI.exists() else []
    _trainer("data", "build", "--out", str(data), "--limit", "30", *openi, cwd=tmp_path)
    summary = json.loads((data / "summary.json").read_text())
    assert summary["counts"]["train"], summary

    train = ("train", "--data", str(data), "--preset", "smoke", "--out", str(run), "--name", "smoke-lora")
    _trainer(*train, "--max-steps", "2", cwd=tmp_path)
    assert json.loads((run / "training.json").read_text())["steps"] == 2
    resumed = _trainer(*train, "--max-steps", "4", "--resume", cwd=tmp_path)  # from run/checkpoint.pt
    assert "resumed at step 2" in resumed.stdout + resumed.stderr
    manifest = json.loads((run / "adapter.json").read_text())
    base = resolve_base("smollm2-135m-instruct-q4_1")
    assert manifest["base"]["sha256"] == base.sha256
    assert manifest["training"]["steps"] == 4
    adapter = run / "adapter.gguf"
    assert adapter.stat().st_size > 100_000

    answers = {}
    for lora in (None, adapter):
        engine = Engine(base.gguf, n_ctx=4096, lora_path=lora)
        for name in ("n_staging", "m_staging", "triage"):
            task = get_task(name)
            prompt = build_prompt(TEMPLATES[base.chat_template], task.golden, task)
            answers.setdefault(name, []).append(
                engine.generate(prompt, task.output, task.budget, task.quote_keys).value.model_dump())
        engine.llm.close()
    print(json.dumps(answers, indent=1))
    changed = [name for name, (before, after) in answers.items() if before != after]
    assert changed, "the adapter loaded but changed no answer"
