"""Explicit transactions (the connection runs in autocommit mode, so BEGIN is ours)."""

from __future__ import annotations

import contextlib
from typing import Iterator

import sqlite_utils


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: a crash or exception inside leaves the database as before."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
