"""The clinician TUI over a home with processed documents (Textual pilot)."""

from __future__ import annotations

import asyncio

import pytest

from appliance import DECISION_SUPPORT_NOTICE
from appliance.pipeline.reader import read_document
from tui.app import ClinicApp
from tui.screens.document import DocumentScreen
from tui.screens.worklist import WorklistScreen

from .conftest import DATA

pytestmark = pytest.mark.slow


def test_worklist_lists_documents_and_enter_opens_one(app):
    app.process(read_document(DATA / "mammogram_unseen.txt", 10**6), ["rads_assignment"])

    async def drive():
        tui = ClinicApp(app, run_service=False)
        async with tui.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = tui.screen
            assert isinstance(screen, WorklistScreen)
            table = screen.query_one("DataTable")
            assert table.row_count == 1
            row = table.get_row_at(0)
            assert row[1] == "mammogram_unseen.txt" and row[2] == "ready for review"
            assert DECISION_SUPPORT_NOTICE in str(screen.query_one("#notice").render())
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(tui.screen, DocumentScreen)
            text = " ".join(str(w.render()) for w in tui.screen.query("Static"))
            assert "rads_assignment" in text and "System:" in text and DECISION_SUPPORT_NOTICE in text
            await pilot.press("escape")
            assert isinstance(tui.screen, WorklistScreen)

    asyncio.run(drive())
