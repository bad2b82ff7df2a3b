"""Durable file operations: writes and moves that a crash cannot leave half done, and file hashes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import ApplianceError


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: Path, binary: bool = False) -> Iterator[IO]:
    """The one way a file is written: old content or new, never half.

    A private (0600) temporary file beside the target, fsync, rename over the target,
    fsync the folder; on any error the temporary file is removed and the target untouched.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_write(path) as f:
        f.write(text)


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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """As write_text_atomic, for bytes (a copy of exactly what was read)."""
    with atomic_write(path, binary=True) as f:
        f.write(data)


# -- the disk itself failing: full, over quota, or an I/O error ------------------------

# Exit status of a command stopped by a full disk or an I/O error (sysexits' EX_IOERR).
# The service unit restarts the service after a pause; nothing was lost.
EXIT_DISK = 74

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_IO_ERRNOS = {errno.EIO, errno.EROFS}


class DiskError(ApplianceError):
    """The disk under the home is full or failing; the operator must act, nothing was lost."""

    exit_code = EXIT_DISK

    def __init__(self, kind: str, where: Path):
        self.kind, self.where = kind, where
        if kind == "full":
            message = (f"the appliance's disk is full: free space in {where}; nothing was lost, "
                       "the file stays in the inbox and is processed once there is room.")
        elif kind == "read-only":
            message = (f"the appliance's disk is read-only at {where} (remounted after errors?): check the "
                       "disk and its kernel log; nothing was lost, the file stays in the inbox.")
        else:
            message = (f"the appliance's disk reported an I/O error at {where}: check the disk and its "
                       "kernel log; nothing was lost, the file stays in the inbox.")
        super().__init__(message)


def disk_error(exc: BaseException, where: Path) -> DiskError | None:
    """The DiskError that `exc` stands for (full disk, quota, I/O error), else None."""
    if isinstance(exc, DiskError):
        return exc
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS | _IO_ERRNOS:
        folder = Path(exc.filename).parent if isinstance(exc.filename, str) and exc.filename else where
        kind = "full" if exc.errno in _FULL_ERRNOS else "read-only" if exc.errno == errno.EROFS else "io"
        return DiskError(kind, folder)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc).lower()
        if name == "SQLITE_FULL" or "database or disk is full" in text:
            return DiskError("full", where)
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            # SQLite says "I/O error" for a full disk too (a failed write of the WAL);
            # ask the filesystem which it is.
            return DiskError("full" if _nearly_full(where) else "io", where)
        if name == "SQLITE_READONLY" or "readonly database" in text:
            return DiskError("read-only", where)
    return None


def _nearly_full(where: Path) -> bool:
    try:
        st = os.statvfs(where)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024
