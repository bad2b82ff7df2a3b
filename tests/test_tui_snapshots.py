"""Snapshots at 80×24 and 120×40 (pytest-textual-snapshot): worklist, a document with a
correction, the correction form and quarantine.

The data are fixed: the fast home's documents, dropped in a fixed order, and no
screen here shows a path; times are the review's own and are masked by correcting in
a fixed clock-free way (the card shows the reviewer's name and minute, so the
document snapshots correct nothing time-dependent: see `_correct`). Update the
baseline after an intended change with `pytest tests/test_tui_snapshots.py
--snapshot-update` and look at the report it writes before committing.
"""

from __future__ import annotations

import pytest

from appliance.reviews import record_review
from tui.app import ClinicApp
from tui.widgets.worklist_table import WorklistTable

from .test_tui_homes import READER, clinic, job_id, sign_in  # noqa: F401 (fixture)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _correct(appliance) -> None:
    """BI-RADS 4C corrected to 4B, with the review's time fixed so the snapshot is stable."""
    job = job_id(appliance, "mammogram_unseen.txt")
    record_review(appliance, job, "rads_assignment", "correct", READER,
                  corrected={"system": "BI-RADS", "category": "4B", "evidence": "BI-RADS 4C"})
    appliance.db.execute("UPDATE reviews SET created_at = '2026-01-05T09:30:00+00:00'")
    appliance.db.conn.commit()


async def _open(pilot, appliance, source: str) -> None:
    await sign_in(pilot)
    table = pilot.app.screen.query_one(WorklistTable)
    table.move_cursor(row=table.get_row_index(f"job:{job_id(appliance, source)}"))
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_worklist(clinic, snap_compare, size):
    _correct(clinic)

    async def signed_in(pilot):
        await sign_in(pilot)

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=size, run_before=signed_in)


@pytest.mark.parametrize("size", SIZES)
def test_document_with_a_correction(clinic, snap_compare, size):
    _correct(clinic)

    async def open_mammogram(pilot):
        await _open(pilot, clinic, "mammogram_unseen.txt")

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=size, run_before=open_mammogram)


@pytest.mark.parametrize("size", SIZES)
def test_correction_form(clinic, snap_compare, size):
    async def open_form(pilot):
        await _open(pilot, clinic, "mammogram_unseen.txt")
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=size, run_before=open_form)


@pytest.mark.parametrize("size", SIZES)
def test_quarantine(clinic, snap_compare, size):
    clinic.db.execute("UPDATE jobs SET finished_at = '2026-01-05T09:00:00+00:00' WHERE status = 'quarantined'")
    clinic.db.conn.commit()

    async def open_quarantine(pilot):
        await sign_in(pilot)
        await pilot.press("Q")
        await pilot.pause()

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=size, run_before=open_quarantine)
