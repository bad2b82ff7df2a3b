"""The one clock: timestamps in the database, the audit log and the outbox are UTC ISO-8601."""

from __future__ import annotations

import datetime


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()
