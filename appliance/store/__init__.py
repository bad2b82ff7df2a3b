"""SQLite state: jobs, results, audit, through sqlite-utils with ordered migrations."""

from .db import open_db

__all__ = ["open_db"]
