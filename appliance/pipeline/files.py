"""Durable file moves and writes: tmp + fsync + rename, so a crash leaves old or new, never half."""

from __future__ import annotations

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


def write_json_atomic(path: Path, obj: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def move_durably(src: Path, dest_dir: Path, name: str) -> Path:
    """Move into dest_dir under `name`, never overwriting an earlier file of that name."""
    dest = dest_dir / name
    n = 1
    while dest.exists():
        dest = dest_dir / f"{Path(name).stem}.{n}{Path(name).suffix}"
        n += 1
    os.replace(src, dest)
    _fsync_dir(dest_dir)
    _fsync_dir(src.parent)
    return dest
