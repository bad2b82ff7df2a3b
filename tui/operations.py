"""What the clinician's actions do to the appliance's state: sign-in, and reading a source back.
(Quarantine retry and discard live in appliance.pipeline.quarantine.)

Each change and its audit row are committed in one transaction before any file
moves, so a crash leaves the database describing the truth or one step behind it
(the retry can simply be done again).
"""

from __future__ import annotations

from pathlib import Path

from appliance.errors import InputError
from appliance.app import Appliance
from appliance.pipeline.quarantine import ActionError, clean_name
from appliance.pipeline.reader import read_document
from appliance.store import audit
from appliance.store.tx import transaction


def sign_in(appliance: Appliance, name: str) -> str:
    """Simple local sign-in (no password): the name goes on every review and an audit row."""
    name = clean_name(name)
    if not name:
        raise ActionError("Type your name to sign in.")
    with transaction(appliance.db):
        audit.append(appliance.db, "sign_in", {"reviewer": name}, actor=f"clinician:{name}")
    return name


def sign_out(appliance: Appliance, name: str) -> None:
    with transaction(appliance.db):
        audit.append(appliance.db, "sign_out", {"reviewer": name}, actor=f"clinician:{name}")


def bundles_announced(appliance: Appliance, paths: list[Path]) -> None:
    """Adapter bundles seen on removable media: audited as found (never installed unasked)."""
    with transaction(appliance.db):
        for path in paths:
            audit.append(appliance.db, "adapter_found", {"bundle": str(path), "via": "usb_watch"})


# -- source text --------------------------------------------------------------

def source_text(appliance: Appliance, job: dict) -> tuple[str | None, str]:
    """(the document's text, '') or (None, why it cannot be shown)."""
    where = job.get("archive_path")
    if not where:
        return None, "The original file is not available (it was not kept in archive/), so its text cannot be shown."
    path = Path(where)
    if not path.is_file():
        return None, f"The original file {path.name} is no longer in {path.parent.name}/, so its text cannot be shown."
    try:
        document = read_document(path, appliance.settings.max_text_bytes, appliance.settings.max_file_bytes)
    except InputError as exc:
        return None, f"The original file cannot be read back: {exc}"
    except OSError as exc:
        return None, f"The original file {path.name} cannot be opened ({exc.strerror})."
    return document.text, ""
