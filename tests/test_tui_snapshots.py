"""Snapshots of the worklist and the document screen at 80×24 (pytest-textual-snapshot).

The data are fixed: the fast home's documents, dropped in a fixed order, and no
screen here shows a timestamp or a path. Update the baseline after an intended
change with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at
the report it writes before committing.
"""

from __future__ import annotations

from tui.app import ClinicApp
from tui.widgets.worklist_table import WorklistTable

from .test_tui_homes import clinic, job_id, sign_in  # noqa: F401 (fixture)

SIZE = (80, 24)


def test_worklist_at_80x24(clinic, snap_compare):
    async def signed_in(pilot):
        await sign_in(pilot)

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=SIZE, run_before=signed_in)


def test_document_at_80x24(clinic, snap_compare):
    async def open_mammogram(pilot):
        await sign_in(pilot)
        table = pilot.app.screen.query_one(WorklistTable)
        table.move_cursor(row=table.get_row_index(f"job:{job_id(clinic, 'mammogram_unseen.txt')}"))
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(ClinicApp(clinic, run_service=False), terminal_size=SIZE, run_before=open_mammogram)
