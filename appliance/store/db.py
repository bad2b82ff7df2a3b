"""Opening the database: WAL, foreign keys, private file, migrations applied."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from .migrations import migrate
from .tx import transaction

__all__ = ["integrity_ok", "open_db", "transaction"]



def open_db(path: Path) -> sqlite_utils.Database:
    if not path.exists():
        # Created private to the service user: it holds patient text.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


def integrity_ok(db: sqlite_utils.Database) -> tuple[bool, str]:
    rows = db.execute("PRAGMA integrity_check").fetchall()
    message = "; ".join(r[0] for r in rows)
    return message == "ok", message

