"""Confidence in the clinician's words, and low-confidence results first in the worklist (issue 19).

No model is loaded: the home's question-about-the-report answers come from tests/fake_engine.py
through the real drop folder, gate, calibration lookup, results and outbox.
"""

from __future__ import annotations

import re

import pytest

from appliance.pipeline.watch import drain
from appliance.tasks import TASKS
from tui.app import ClinicApp
from tui.widgets.result_card import ResultCard

from .fake_engine import QA, FakeEngine, open_gate, qa_by_confidence, store_map, use_fake_engine
from .test_tui import open_document, rows
from .test_tui_homes import FAST_DOCUMENTS, build_home, drive, screen_text, sign_in, wait_for

INTERNAL = re.compile("|".join([*(re.escape(t) for t in TASKS), "calibrated_on", "confidence_raw", r"\braw\b"]))


@pytest.fixture
def confident_clinic(home_dir):
    """The fast home, then three answered questions: one before any calibration, one low, one high."""
    appliance = build_home(home_dir, FAST_DOCUMENTS)
    use_fake_engine(appliance, FakeEngine(qa_by_confidence))
    open_gate(appliance, "radiology_qa")
    inbox = appliance.settings.inbox_path(appliance.home)

    def drop(name: str, question: str) -> None:
        (inbox / name).write_text(QA.format(question=question), encoding="utf-8")
        drain(appliance, lambda line: None)

    drop("qa_0_first.txt", "How large is the lesion?")
    store_map(appliance, "radiology_qa")                       # raw 0.2 → 0.18, raw 0.95 → 0.84; 40 answers
    drop("qa_1_unsure.txt", "unsure: how large is the lesion?")
    drop("qa_2_sure.txt", "How large is the liver lesion?")
    return appliance


def card_text(screen) -> str:
    return str(screen.query_one(ResultCard).render())


def test_the_result_card_says_the_confidence_in_words(confident_clinic):
    tui = ClinicApp(confident_clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        said = {}
        for source in ("qa_0_first.txt", "qa_1_unsure.txt", "qa_2_sure.txt"):
            screen = await open_document(pilot, source)
            said[source] = card_text(screen)
            assert not INTERNAL.search(screen_text(screen)), INTERNAL.search(screen_text(screen))
            await pilot.press("escape")
            await pilot.pause()
        assert "Confidence not calibrated" in said["qa_0_first.txt"]
        assert "low confidence" not in said["qa_0_first.txt"].lower()
        unsure = said["qa_1_unsure.txt"]
        assert unsure.splitlines()[0].endswith("— low confidence")
        assert "Low confidence: 0.18 (calibrated on 40 labelled answers)" in unsure
        assert "Confidence 0.84 (calibrated on 40 labelled answers)" in said["qa_2_sure.txt"]
        assert "low confidence" not in said["qa_2_sure.txt"].lower()

    drive(tui, test)


def test_the_worklist_puts_low_confidence_after_urgent_and_before_newer_until_reviewed(confident_clinic):
    tui = ClinicApp(confident_clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        shown = rows(tui.screen)
        assert [r[1] for r in shown[:4]] == ["ct_head_subdural.txt", "qa_1_unsure.txt", "qa_2_sure.txt",
                                             "qa_0_first.txt"]
        assert shown[0][0] == "‼ URGENT" and shown[1][0] == "low conf" and shown[2][0] == ""
        await pilot.press("down")
        await pilot.pause()
        assert "low confidence: Question about the report" in screen_text(tui.screen)
        screen = await open_document(pilot, "qa_1_unsure.txt")
        await pilot.press("a")                                   # reviewed: no longer sorted first
        await wait_for(pilot, lambda: "accepted by" in card_text(screen))
        await pilot.press("escape")
        await pilot.pause()
        assert [r[1] for r in rows(tui.screen)[:3]] == ["ct_head_subdural.txt", "qa_2_sure.txt", "qa_1_unsure.txt"]

    drive(tui, test)
