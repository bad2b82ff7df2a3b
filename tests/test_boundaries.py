"""Package boundaries a tool checks: what each distribution ships, declares and may import.

The clinic's wheel (`clinic-appliance`: `appliance` + `tui`) carries no trainer code; the
trainer is its own distribution (`trainer/pyproject.toml`, `clinic-trainer`); every
third-party package a distribution imports is declared by it; the import-linter
contracts in pyproject.toml hold.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

from .conftest import REPO

ROOT_PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
TRAINER_PYPROJECT = tomllib.loads((REPO / "trainer" / "pyproject.toml").read_text())
BIN = Path(sys.executable).parent


def _name(requirement: str) -> str:
    """`fhir.resources>=8` -> `fhir-resources` (PEP 503 normalised distribution name)."""
    bare = re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0)
    return re.sub(r"[-_.]+", "-", bare).lower()


def _third_party_imports(*folders: Path) -> dict[str, list[str]]:
    """Top-level module -> files importing it, for every absolute import outside the stdlib."""
    own = {"appliance", "tui", "trainer"}
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if {"build", "__pycache__"} & set(path.relative_to(REPO).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for top in {n.split(".")[0] for n in names} - own - set(sys.stdlib_module_names):
                    found.setdefault(top, []).append(str(path.relative_to(REPO)))
    return found


def _undeclared(imports: dict[str, list[str]], declared: set[str]) -> list[str]:
    providers = packages_distributions()
    missing = []
    for module, files in sorted(imports.items()):
        dists = {_name(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing.append(f"{module} (from {sorted(dists)}) imported by {files[0]} and {len(files) - 1} more")
    return missing


def _copy_source(dest: Path, *names: str) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def _build_wheel(source: Path, out: Path) -> zipfile.ZipFile:
    # No build isolation and no index: the appliance is built offline with the setuptools
    # and wheel that the dev extra installs.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--disable-pip-version-check", "-q", str(source), "-w", str(out)],
                   check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = out.glob("*.whl")
    return zipfile.ZipFile(wheel)


def test_appliance_wheel_holds_no_trainer_file(tmp_path):
    # A copy of the tree, trainer/ included, so the build's scratch folders stay out of the repo.
    source = _copy_source(tmp_path / "src", "pyproject.toml", "README.md", "appliance", "tui", "trainer")
    with _build_wheel(source, tmp_path / "wheel") as wheel:
        names = wheel.namelist()
        entry_points = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
        metadata = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    assert [n for n in names if n.startswith("trainer/") or "/trainer/" in n] == []
    assert "appliance/cli/main.py" in names and "tui/cli.py" in names
    assert "appliance/catalogue.toml" in names and "tui/app.tcss" in names
    assert re.search(r"^appliance\s*=\s*tui\.cli:main$", entry_points, re.M)
    assert "trainer" not in entry_points
    for library in ("torch", "transformers", "peft", "bitsandbytes", "accelerate"):
        assert not re.search(rf"^Requires-Dist: {library}\b", metadata, re.M | re.I), library


def test_trainer_wheel_holds_the_trainer_and_its_corpus_only(tmp_path):
    source = _copy_source(tmp_path / "src", "trainer")
    with _build_wheel(source / "trainer", tmp_path / "wheel") as wheel:
        names = wheel.namelist()
        entry_points = next(wheel.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    packaged = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert packaged == {"trainer"}
    assert {"trainer/cli.py", "trainer/builders/openi.py", "trainer/corpus/triage.jsonl"} <= set(names)
    assert re.search(r"^trainer\s*=\s*trainer\.cli:main$", entry_points, re.M)


def test_root_distribution_no_longer_packages_the_trainer():
    project = ROOT_PYPROJECT["project"]
    assert "trainer" not in project["scripts"]
    assert "trainer" not in project.get("optional-dependencies", {})
    assert all(not p.startswith("trainer") for p in ROOT_PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"])


def test_trainer_depends_on_this_very_appliance_version():
    # The trainer formats data with the appliance's prompt builder: the two move in lockstep.
    version = ROOT_PYPROJECT["project"]["version"]
    assert f"clinic-appliance=={version}" in TRAINER_PYPROJECT["project"]["dependencies"]


def test_appliance_and_tui_declare_every_package_they_import():
    declared = {_name(r) for r in ROOT_PYPROJECT["project"]["dependencies"]}
    assert _undeclared(_third_party_imports(REPO / "appliance", REPO / "tui"), declared) == []


def test_trainer_declares_every_package_it_imports():
    declared = {_name(r) for r in TRAINER_PYPROJECT["project"]["dependencies"]}
    assert _undeclared(_third_party_imports(REPO / "trainer"), declared) == []


def test_import_contracts_hold():
    """The same check `make test` runs first: the contracts in pyproject.toml [tool.importlinter]."""
    lint_imports = BIN / "lint-imports"
    assert lint_imports.exists(), "lint-imports is missing: install the dev extra (make install-dev)"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_importing_the_cli_group_loads_no_tui():
    code = ("import sys, appliance.cli.main\n"
            "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('tui', 'trainer', 'textual'))\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)


def test_console_scripts_answer_help():
    appliance = subprocess.run([str(BIN / "appliance"), "--help"], capture_output=True, text=True, timeout=120)
    assert appliance.returncode == 0, appliance.stderr
    assert re.search(r"^\s+tui\s", appliance.stdout, re.M) and re.search(r"^\s+watch\s", appliance.stdout, re.M)
    trainer = subprocess.run([str(BIN / "trainer"), "--help"], capture_output=True, text=True, timeout=300)
    assert trainer.returncode == 0, trainer.stderr
    assert "Usage: trainer" in trainer.stdout
