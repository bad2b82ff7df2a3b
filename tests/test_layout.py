"""Dependency direction: the appliance never imports torch, transformers or the trainer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

FORBIDDEN = {"torch", "transformers", "peft", "bitsandbytes", "accelerate", "trainer"}


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
                 "pyproject.toml", "Makefile", "README.md", ".ci/run"):
        assert (REPO / name).exists(), name
