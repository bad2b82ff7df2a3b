"""The audit log: append-only rows in a hash chain, keyed, with its head anchored outside the database.

Three layers, each catching what the one before cannot:

1. The chain: hash = sha256(prev_hash + canonical JSON of the row's other fields), so
   editing, deleting or inserting a row breaks the chain from that row on.
2. The key: each row also carries mac = HMAC-SHA256(key, hash), with a 32-byte key kept
   in HOME/keys/audit.key (0600, outside the database, created with the database). Anyone
   can recompute sha256; without the key nobody can recompute a MAC, so a row edited
   and the chain rebuilt after it is named.
3. The anchor: after every commit that adds rows, the head (last row id = row count,
   its hash, and a MAC over both) is written atomically to HOME/audit-head.json.
   Deleting the last rows, or all of them, leaves a log shorter than its anchor.
   `appliance audit anchor` prints the head for the operator to write down or copy to
   USB; `audit verify --anchor FILE` proves the log still holds that head, which also
   catches an anchor file put back from an older copy.

What it does not protect against: someone with root (or the service user) who has the
key can rewrite rows, MACs and the anchor file consistently; only a head written down
or exported beforehand (`--anchor`) shows that. Deleting the whole home (database, key
and anchor) leaves a fresh home, which only an exported anchor exposes too.

Details never hold report text, only identifiers, hashes and decisions.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from .tx import after_commit

GENESIS = "0" * 64
KEY_NAME = "audit.key"          # in HOME/keys/
HEAD_NAME = "audit-head.json"   # in HOME/
_keys: dict[str, bytes] = {}    # key file path -> key, read once per process


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _row_hash(row: dict[str, Any]) -> str:
    body = {k: row[k] for k in ("id", "ts", "actor", "event", "job_id", "details", "prev_hash")}
    return hashlib.sha256((row["prev_hash"] + canonical(body)).encode("utf-8")).hexdigest()


# -- where the key and the anchor live: beside the database file -----------------------

def home_of(db: sqlite_utils.Database) -> Path | None:
    """The folder holding the database file (the appliance home); None for an in-memory database."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file).parent if file else None
    return None


def key_path(home: Path) -> Path:
    return home / "keys" / KEY_NAME


def head_path(home: Path) -> Path:
    return home / HEAD_NAME


def load_key(home: Path | None, create: bool = False) -> bytes | None:
    """The home's audit key; created (32 random bytes, 0600) only when `create` and missing."""
    if home is None:
        return None
    path = key_path(home)
    cached = _keys.get(str(path))
    if cached is not None and path.exists():
        return cached
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        except FileExistsError:  # another process made it first
            return load_key(home)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        key = path.read_bytes()
    _keys[str(path)] = key
    return key


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


# -- writing -----------------------------------------------------------------------

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
    home = home_of(db)
    # A missing key is never re-created here once the log has rows: verify must see it gone.
    key = load_key(home, create=last is None)
    row["mac"] = _mac(key, row["hash"]) if key else None
    db["audit"].insert(row)
    if home is not None:
        after_commit(db, "audit-head", lambda: write_head(db))
    return row


def seal_existing(db: sqlite_utils.Database) -> int:
    """Give every row without a MAC one (the upgrade to the keyed log); returns how many.

    Rows written before the upgrade are covered from the upgrade on: a change to them
    after it is detected, a change made before it only by the plain chain.
    """
    home = home_of(db)
    key = load_key(home, create=True)
    if key is None:
        return 0
    unsealed = db.execute("SELECT id, hash FROM audit WHERE mac IS NULL ORDER BY id").fetchall()
    for row_id, row_hash in unsealed:
        db.execute("UPDATE audit SET mac = ? WHERE id = ?", [_mac(key, row_hash), row_id])
    after_commit(db, "audit-head", lambda: write_head(db))
    return len(unsealed)


def head(db: sqlite_utils.Database) -> dict[str, Any]:
    """The log's current head: rows (= id of the last row), its hash, and a MAC over both."""
    last = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    rows_, row_hash = (last[0], last[1]) if last else (0, GENESIS)
    found: dict[str, Any] = {"rows": rows_, "hash": row_hash}
    key = load_key(home_of(db))
    if key is not None:
        found["mac"] = _mac(key, f"{rows_}:{row_hash}")
    return found


def write_head(db: sqlite_utils.Database) -> None:
    """After a commit: the anchor file says the newest committed head; never moves backwards.

    A lock file serialises writers (the service and a clinician's TUI commit at once);
    an anchor ahead of the log is left as it is, because that is the evidence of a
    truncation. A crash between the commit and this write leaves the anchor one
    transaction behind, which verify accepts (the log holds the anchored row).
    """
    home = home_of(db)
    if home is None:
        return
    path = head_path(home)
    lock_fd = os.open(home / ".audit-head.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        now = head(db)
        before = read_anchor(path)
        if before is not None and before.get("rows", 0) >= now["rows"]:
            return
        now["written_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        from ..durable import write_json_atomic  # here: durable imports nothing from the store

        write_json_atomic(path, now)
    finally:
        os.close(lock_fd)


# -- reading and checking ------------------------------------------------------------

def rows(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    yield from db.query("SELECT * FROM audit ORDER BY id")


def read_anchor(path: Path) -> dict[str, Any] | None:
    """An anchor: the JSON of audit-head.json / `audit anchor --out`, or the printed line
    `audit head: row N hash H`. None when the file does not exist; ValueError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        found = json.loads(text)
        if isinstance(found, dict) and isinstance(found.get("rows"), int) and isinstance(found.get("hash"), str):
            return found
    except json.JSONDecodeError:
        pass
    match = re.search(r"row\s+(\d+)\D+?([0-9a-f]{64})", text)
    if match:
        return {"rows": int(match.group(1)), "hash": match.group(2)}
    raise ValueError(f"{path} is not an audit anchor (expected the output of `appliance audit anchor`)")


def verify(db: sqlite_utils.Database, anchor: dict[str, Any] | None = None) -> list[str]:
    """Problems found, one line each naming the row; empty when the log is intact.

    Checks the chain, every row's MAC, the anchor file beside the database and, when
    given, an anchor the operator kept (`anchor`).
    """
    problems: list[str] = []
    home = home_of(db)
    key = load_key(home)
    all_rows = list(rows(db))
    if home is not None and key is None and all_rows:
        problems.append(f"the audit key {key_path(home)} is missing (deleted?): the rows' MACs cannot be "
                        "checked, so a rewritten chain would pass; restore the key from backup")
    prev_hash, expected_id = GENESIS, 1
    bad_mac: list[int] = []
    no_mac: list[int] = []
    for row in all_rows:
        if row["id"] != expected_id:
            problems.append(f"row {row['id']}: expected row {expected_id} here (rows deleted or inserted)")
        if row["prev_hash"] != prev_hash:
            problems.append(f"row {row['id']}: prev_hash does not match the row before (row deleted, inserted or edited)")
        if _row_hash(row) != row["hash"]:
            problems.append(f"row {row['id']}: contents do not match its hash (row edited)")
        if key is not None:
            if row.get("mac") is None:
                no_mac.append(row["id"])
            elif not hmac.compare_digest(row["mac"], _mac(key, row["hash"])):
                bad_mac.append(row["id"])
        prev_hash, expected_id = row["hash"], row["id"] + 1
    for first, last in _ranges(bad_mac):
        problems.append(f"{_rows_label(first, last)}: MAC does not match the audit key (rows changed and "
                        "the chain recomputed, or the key replaced)")
    for first, last in _ranges(no_mac):
        problems.append(f"{_rows_label(first, last)}: no MAC (written without the audit key, or the MAC removed)")
    if home is not None:
        path = head_path(home)
        try:
            stored = read_anchor(path)
        except ValueError:
            stored, problems = None, problems + [f"the anchor file {path} is damaged (not an audit head)"]
        else:
            if stored is None:
                problems.append(f"the anchor file {path} is missing (deleted?): a truncated log cannot be told "
                                "from a whole one; compare with a head kept by `appliance audit anchor`")
        if stored is not None:
            if key is not None and not hmac.compare_digest(
                    str(stored.get("mac", "")), _mac(key, f"{stored['rows']}:{stored['hash']}")):
                problems.append(f"the anchor file {path} was altered (its MAC does not match the audit key)")
            problems += _against_anchor(all_rows, stored, f"the anchor file {path.name}")
    if anchor is not None:
        problems += _against_anchor(all_rows, anchor, "the anchor you gave")
    return problems


def _against_anchor(all_rows: list[dict[str, Any]], anchor: dict[str, Any], what: str) -> list[str]:
    """The log must still hold the anchored row with the anchored hash (rows after it are fine)."""
    n, expected = anchor["rows"], anchor["hash"]
    if n == 0:
        return []
    by_id = {row["id"]: row for row in all_rows}
    last = all_rows[-1]["id"] if all_rows else 0
    if not all_rows:
        return [f"the log is empty but {what} says it held {n} rows: every row was deleted"]
    if last < n:
        return [f"the log ends at row {last} but {what} says it reached row {n}: "
                f"{_rows_label(last + 1, n)} deleted (the log was truncated)"]
    row = by_id.get(n)
    if row is None:
        return [f"row {n}, the head in {what}, is missing (rows deleted)"]
    if row["hash"] != expected:
        return [f"row {n}: its hash differs from {what} ({expected[:16]}…): the log up to there was rewritten"]
    return []


def _ranges(ids: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i in ids:
        if spans and spans[-1][1] == i - 1:
            spans[-1] = (spans[-1][0], i)
        else:
            spans.append((i, i))
    return spans


def _rows_label(first: int, last: int) -> str:
    return f"row {first}" if first == last else f"rows {first}–{last}"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
