"""Dependency direction: the appliance never imports torch, transformers, the trainer or the TUI.

The full set of contracts is in pyproject.toml ([tool.importlinter]); tests/test_boundaries.py
runs `lint-imports` and checks what each distribution ships.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

FORBIDDEN = {"torch", "transformers", "peft", "bitsandbytes", "accelerate", "trainer", "tui"}


def test_no_forbidden_import_in_appliance_source():
    offenders = []
    for path in (REPO / "appliance").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_every_appliance_module_loads_no_torch():
    code = (
        "import pkgutil, sys, appliance\n"
        "for m in pkgutil.walk_packages(appliance.__path__, 'appliance.'):\n"
        "    __import__(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in %r)\n"
        "assert not bad, bad\n" % sorted(FORBIDDEN)
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_top_level_layout():
    for name in ("appliance", "tui", "trainer", "packaging", "models", "tests", "bench",
                 "pyproject.toml", "Makefile", "README.md", ".ci/run",
                 "trainer/pyproject.toml", "trainer/constraints.txt", "tui/cli.py"):
        assert (REPO / name).exists(), name


def test_engine_does_not_import_the_task_layer():
    # Tasks build prompts with the engine's templates; the engine only runs them.
    offenders = []
    for path in (REPO / "appliance" / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.level == 0:  # appliance.tasks.prompt -> tasks
                parts = node.module.split(".")
                sibling = parts[1] if parts[0] == "appliance" and len(parts) > 1 else None
            else:  # ..tasks.prompt (level 2) -> tasks; .templates (level 1) stays in the engine
                sibling = node.module.split(".")[0] if node.level == 2 else None
            if sibling in ("tasks", "tools", "pipeline", "safety"):
                offenders.append(f"{path.relative_to(REPO)}: {'.' * node.level}{node.module}")
    assert offenders == []


def test_prompt_is_still_importable_from_the_task_layer():
    from appliance.engine.templates import Prompt as EnginePrompt
    from appliance.tasks.prompt import Prompt, build_prompt  # noqa: F401  (trainer and tests use these names)

    assert Prompt is EnginePrompt
