"""Explicit transactions (the connection runs in autocommit mode, so BEGIN is ours)."""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

import sqlite_utils

# Work to do once the current transaction has committed (the audit anchor file), per
# connection and by name, so ten audit rows in one transaction write the anchor once.
_after_commit: dict[int, dict[str, Callable[[], None]]] = {}


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: a crash or exception inside leaves the database as before."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        _after_commit.pop(id(db.conn), None)
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    for fn in _after_commit.pop(id(db.conn), {}).values():
        fn()


def after_commit(db: sqlite_utils.Database, name: str, fn: Callable[[], None]) -> None:
    """Run fn after the transaction in progress commits (at once when none is)."""
    if db.conn.in_transaction:
        _after_commit.setdefault(id(db.conn), {})[name] = fn
    else:
        fn()
