"""The audit log: append-only rows, each carrying the hash of the one before.

hash = sha256(prev_hash + canonical JSON of the row's other fields), so editing,
deleting or inserting any row breaks the chain from that row on. Details never
hold report text, only identifiers, hashes and decisions.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any, Iterator

import sqlite_utils

GENESIS = "0" * 64


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _row_hash(row: dict[str, Any]) -> str:
    body = {k: row[k] for k in ("id", "ts", "actor", "event", "job_id", "details", "prev_hash")}
    return hashlib.sha256((row["prev_hash"] + canonical(body)).encode("utf-8")).hexdigest()


def append(db: sqlite_utils.Database, event: str, details: dict[str, Any], *,
           actor: str = "appliance", job_id: int | None = None) -> dict[str, Any]:
    """Append one row. Call inside the transaction that makes the change it records."""
    last = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row = {
        "id": (last[0] + 1) if last else 1,
        "ts": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "actor": actor,
        "event": event,
        "job_id": job_id,
        "details": canonical(details),
        "prev_hash": last[1] if last else GENESIS,
    }
    row["hash"] = _row_hash(row)
    db["audit"].insert(row)
    return row


def rows(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    yield from db.query("SELECT * FROM audit ORDER BY id")


def verify(db: sqlite_utils.Database) -> list[str]:
    """Problems found, one line each naming the row; empty when the chain is intact."""
    problems = []
    prev_hash, expected_id = GENESIS, 1
    for row in rows(db):
        if row["id"] != expected_id:
            problems.append(f"row {row['id']}: expected row {expected_id} here (rows deleted or inserted)")
        if row["prev_hash"] != prev_hash:
            problems.append(f"row {row['id']}: prev_hash does not match the row before (row deleted, inserted or edited)")
        if _row_hash(row) != row["hash"]:
            problems.append(f"row {row['id']}: contents do not match its hash (row edited)")
        prev_hash, expected_id = row["hash"], row["id"] + 1
    return problems


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
