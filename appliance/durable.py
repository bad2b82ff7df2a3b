"""Durable file operations: writes and moves that a crash cannot leave half done, and file hashes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Old content or new, never half: a private tmp file, fsync, rename, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def write_json_atomic(path: Path, obj: Any) -> None:
    write_text_atomic(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unique_path(folder: Path, name: str) -> Path:
    """`name` in folder, or name.1, name.2 … if taken: nothing already there is overwritten."""
    dest, n = folder / name, 1
    while dest.exists():
        dest = folder / f"{Path(name).stem}.{n}{Path(name).suffix}"
        n += 1
    return dest


def move_durably(src: Path, dest_dir: Path, name: str) -> Path:
    """Move into dest_dir under `name`, never overwriting an earlier file of that name."""
    dest = unique_path(dest_dir, name)
    os.replace(src, dest)
    _fsync_dir(dest_dir)
    _fsync_dir(src.parent)
    return dest
