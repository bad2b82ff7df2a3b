"""Issue 17: the worklist tells the truth — review state, corrections everywhere, urgent first,
actions on what is highlighted, live screens, words for clinicians, layout and the app's frame.

Pilot tests over the fast home (no model: the documents state their answers or need no task).
"""

from __future__ import annotations

import json
import os
import re
import time

from textual.widgets import DataTable, Select

from appliance.pipeline.watch import drain
from appliance.safety.red_flags import RULES
from appliance.tasks import TASKS
from tui.app import ClinicApp
from tui.messages import ServiceEvent
from tui.screens.correct import CorrectionScreen
from tui.screens.document import DocumentScreen
from tui.screens.quarantine import QuarantineScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.worklist import WorklistScreen
from tui.widgets.result_card import FlagCard, ResultCard
from tui.widgets.worklist_table import WorklistTable

from .test_tui import open_document, reviews, rows
from .test_tui_homes import (CT_HEAD, READER, audit_rows, clinic, drive, job_id, screen_text,  # noqa: F401
                             sign_in, wait_for)


def row_of(screen, source: str) -> tuple[str, ...]:
    return next(r for r in rows(screen) if r[1].startswith(source[:15]))


async def back(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()


def card(screen, task: str) -> ResultCard:
    return next(c for c in screen.query(ResultCard) if c.task_name == task)


# -- 1. partial review stays in "to review" ---------------------------------------------

def test_partly_reviewed_document_stays_to_review_until_every_result_is_reviewed(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "ct_staging_stated.txt")
        await pilot.press("c")                                  # N stage NX? no: stated N2 → N3
        await pilot.pause()
        tui.screen.query_one("#f-n_stage", Select).value = "N3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: "partly reviewed" in screen_text(tui.screen))
        assert "1 of 2 still to review" in screen_text(tui.screen)
        await back(pilot)
        worklist = tui.screen
        assert row_of(worklist, "ct_staging_stated.txt")[2] == "partly reviewed"
        await pilot.press("f")                                   # to review
        await pilot.pause()
        assert any(r[1].startswith("ct_staging") for r in rows(worklist))
        await pilot.press("f", "f", "f", "f")                     # back to all
        await pilot.pause()
        screen = await open_document(pilot, "ct_staging_stated.txt")
        card(screen, "m_staging").focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: "accepted by" in str(card(tui.screen, "m_staging").render()))
        await back(pilot)
        assert row_of(tui.screen, "ct_staging_stated.txt")[2] == "reviewed"

    drive(tui, test)


# -- 2. a correction is the current value everywhere ---------------------------------------

def test_a_correction_changes_worklist_card_next_step_form_and_a_new_outbox_version(clinic):
    job = clinic.db["jobs"].get(job_id(clinic, "mammogram_unseen.txt"))
    original_outbox = open(job["outbox_path"]).read()
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await open_document(pilot, "mammogram_unseen.txt")
        await pilot.press("c")
        await pilot.pause()
        tui.screen.query_one("#category", Select).value = "4B"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: "BI-RADS 4B — corrected" in str(tui.screen.query_one(ResultCard).render()))
        text = str(tui.screen.query_one(ResultCard).render())
        assert "Next step: Moderate suspicion" in text and "High suspicion" not in text   # 4B's advice, not 4C's
        assert "Pipeline's answer (kept): BI-RADS 4C" in text
        await pilot.press("c")                                     # the form says what is current now
        await pilot.pause()
        assert isinstance(tui.screen, CorrectionScreen)
        assert "Now: BI-RADS 4B" in screen_text(tui.screen)
        await back(pilot)
        await back(pilot)
        assert row_of(tui.screen, "mammogram_unseen.txt")[4].startswith("BI-RADS 4B")
        assert "BI-RADS 4B (corrected)" in screen_text(tui.screen)   # the row detail beneath the table

    drive(tui, test)
    assert open(job["outbox_path"]).read() == original_outbox       # the original record is never overwritten
    version = job["outbox_path"].removesuffix(".json") + ".v2.json"
    record = json.load(open(version))
    assert record["results"]["rads_assignment"]["category"] == "4C"        # the pipeline's output, kept
    assert record["final"]["rads_assignment"]["category"] == "4B"
    assert record["final_management"]["rads_assignment"].startswith("Moderate suspicion")
    assert [(r["subject"], r["action"], r["reviewer"]) for r in record["reviews"]] == \
        [("rads_assignment", "correct", READER)]
    assert record["review_state"] == "reviewed" and record["version"] == 2
    assert json.loads(audit_rows(clinic, "review_correct")[0]["details"])["corrected"]["category"] == "4B"


# -- 3. an urgent document with no tasks can be closed ----------------------------------------

def test_a_red_flag_is_acknowledged_explicitly_and_closes_an_urgent_document_without_tasks(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        assert row_of(tui.screen, "ct_head_subdural.txt")[2] == "ready for review"
        screen = await open_document(pilot, "ct_head_subdural.txt")
        flags = list(screen.query(FlagCard))
        assert len(flags) == 2 and flags[0].has_focus and "a acknowledge" in flags[0].border_subtitle
        await pilot.press("x")                                     # not for a flag: refused, nothing stored
        await pilot.pause()
        assert reviews(clinic) == []
        await pilot.press("a")
        await wait_for(pilot, lambda: "acknowledged by" in str(tui.screen.query(FlagCard).first().render()))
        assert f"{READER} acknowledged Safety rule: Intracranial haemorrhage" in screen_text(tui.screen)
        await back(pilot)
        assert row_of(tui.screen, "ct_head_subdural.txt")[2] == "partly reviewed"   # one flag still open
        screen = await open_document(pilot, "ct_head_subdural.txt")
        screen.query(FlagCard)[1].focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: "reviewed" in screen_text(tui.screen) and "still to review"
                       not in screen_text(tui.screen))
        await back(pilot)
        assert row_of(tui.screen, "ct_head_subdural.txt")[2] == "reviewed"

    drive(tui, test)
    assert [(r["task"], r["action"]) for r in reviews(clinic)] == [
        ("red_flag:intracranial_haemorrhage", "acknowledge"), ("red_flag:brain_herniation", "acknowledge")]
    assert [r["actor"] for r in audit_rows(clinic, "review_acknowledge")] == [f"clinician:{READER}"] * 2


# -- 5. actions act on what is highlighted --------------------------------------------------

def test_no_silent_default_target_and_a_second_identical_accept_is_refused(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "mammogram_unseen.txt")
        screen.query_one("#document").focus()                     # nothing highlighted
        await pilot.press("a")
        await pilot.pause()
        assert reviews(clinic) == []
        screen.query_one(ResultCard).focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: "accepted by" in str(tui.screen.query_one(ResultCard).render()))
        await pilot.press("a")
        await pilot.pause()
        notes = [n.message for n in tui._notifications]
        assert any(re.search(r"already accepted by Dr Ada Mensah at \d{4}-\d\d-\d\d \d\d:\d\d UTC", m) for m in notes)

    drive(tui, test)
    assert len(reviews(clinic)) == 1
    assert len(audit_rows(clinic, "review_accept")) == 1


# -- 4. urgent first ----------------------------------------------------------------------

ROUTINE = "EXAM: Chest radiograph.\n\nFINDINGS: Clear lungs. Normal heart size.\n\nIMPRESSION: Normal chest.\n"
TENSION = ("EXAM: Chest radiograph.\n\nFINDINGS: Large right tension pneumothorax with mediastinal shift to the "
           "left.\n\nIMPRESSION: Tension pneumothorax.\n")


def test_an_urgent_file_is_urgent_while_waiting_and_is_processed_before_older_routine_files(clinic):
    inbox = clinic.settings.inbox_path(clinic.home)
    for i in range(5):
        path = inbox / f"a_routine_{i}.txt"
        path.write_text(ROUTINE.replace("Normal chest", f"Normal chest {i}"))
        os.utime(path, (time.time() - 100 + i, time.time() - 100 + i))
    (inbox / "z_tension.txt").write_text(TENSION)                  # newest, last by name
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        first = rows(tui.screen)[0]
        assert first[0] == "‼ URGENT" and first[1] == "z_tension.txt" and first[2] == "waiting"
        assert "Tension pneumothorax" in screen_text(tui.screen)

    drive(tui, test)
    drain(clinic, lambda line: None)
    order = [r["source"] for r in clinic.db.query("SELECT source FROM jobs WHERE source LIKE '%.txt' "
                                                  "AND (source LIKE 'a_routine%' OR source = 'z_tension.txt') "
                                                  "ORDER BY id")]
    assert order[0] == "z_tension.txt" and order[1:] == [f"a_routine_{i}.txt" for i in range(5)]


# -- 6. quarantine and worklist refresh on service events ----------------------------------------

def test_quarantine_screen_refreshes_when_the_service_quarantines_a_retried_file_again(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("Q")
        await pilot.pause()
        screen = tui.screen
        assert isinstance(screen, QuarantineScreen)
        await pilot.press("r")                                     # back to the inbox
        await pilot.pause()
        assert "No quarantined files." in screen_text(screen)
        drain(clinic, lambda line: None)                           # the service takes it: empty again
        screen.post_message(ServiceEvent("quarantined empty_scan.txt"))
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 1
        assert "the file is empty" in screen_text(screen)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"blank export", "enter")
        await pilot.pause()
        await back(pilot)
        assert row_of(tui.screen, "empty_scan.txt")[2] == "discarded"

    drive(tui, test)


def test_worklist_reloads_on_a_service_event_message(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        worklist = tui.screen
        worklist.timer.pause()                                     # only the message may refresh it
        (clinic.settings.inbox_path(clinic.home) / "later.txt").write_text(ROUTINE)
        worklist.post_message(ServiceEvent("later.txt arrived"))
        await pilot.pause()
        assert any(r[1] == "later.txt" for r in rows(worklist))

    drive(tui, test)


# -- 8. words for clinicians ----------------------------------------------------------------------

INTERNAL = re.compile("|".join([*(re.escape(t) for t in TASKS), *(rf"\b{re.escape(r.id)}\b" for r in RULES
                                                                  if "_" in r.id), r"red_flag:"]))


def test_no_internal_task_or_rule_names_on_any_screen(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        shown = [screen_text(tui.screen)]
        for source in ("ct_head_subdural.txt", "ct_staging_stated.txt", "mammogram_unseen.txt"):
            screen = await open_document(pilot, source)
            shown.append(screen_text(screen))
            await pilot.press("c" if screen.query(ResultCard) else "a")
            await pilot.pause()
            shown.append(screen_text(tui.screen))
            if isinstance(tui.screen, CorrectionScreen):
                await back(pilot)
            await back(pilot)
        for text in shown:
            assert not INTERNAL.search(text), INTERNAL.search(text)

    drive(tui, test)


# -- 7. layout ------------------------------------------------------------------------------------

def test_at_120_columns_document_is_side_by_side_and_the_worklist_uses_the_width(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        table = tui.screen.query_one(WorklistTable)
        used = sum(c.get_render_width(table) for c in table.columns.values())
        assert used >= 110 and "Why urgent" in [str(c.label) for c in table.columns.values()]
        screen = await open_document(pilot, "mammogram_unseen.txt")
        pane = screen.query_one("#source-pane")
        results = screen.query_one("#document")
        assert pane.region.x > results.region.x and pane.region.y == results.region.y

    drive(tui, test, size=(120, 40))


def test_at_80_columns_nothing_runs_past_the_screen(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        table = tui.screen.query_one(WorklistTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 78
        await open_document(pilot, "mammogram_unseen.txt")
        assert not tui.screen.query("#source-pane")               # one column
        await pilot.press("c")
        await pilot.pause()
        dialog = tui.screen.query_one("#dialog")
        assert dialog.region.right <= 80 and dialog.region.bottom <= 23

    drive(tui, test)


# -- 11. keys and the frame -----------------------------------------------------------------------

def test_q_quits_home_end_move_and_sign_out_returns_to_sign_in(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        table = tui.screen.query_one(WorklistTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(tui.screen, SignInScreen) and tui.reviewer is None
        await sign_in(pilot, "Nurse B. Owusu")
        assert isinstance(tui.screen, WorklistScreen) and tui.reviewer == "Nurse B. Owusu"
        await pilot.press("q")
        await pilot.pause()

    drive(tui, test)
    assert tui.return_code == 0 and not tui.is_running
    assert [json.loads(r["details"])["reviewer"] for r in audit_rows(clinic, "sign_out")] == [READER]


def test_command_palette_lists_the_screens_actions(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        titles = [c.title for c in tui.get_system_commands(tui.screen)]
        for wanted in ("Quarantine", "Models", "Selftest", "Find", "Filter", "Sign out", "Help", "Quit"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(tui.screen).__name__ == "CommandPalette"

    drive(tui, test)


def test_the_splash_paints_first_and_sign_in_follows(clinic):
    tui = ClinicApp(clinic, run_service=False, preload=[])

    async def test(pilot):
        await wait_for(pilot, lambda: isinstance(tui.screen, SignInScreen), seconds=10)

    started = time.monotonic()
    seen = []

    async def first(pilot):
        seen.append((type(tui.screen).__name__, time.monotonic() - started))
        await test(pilot)

    drive(tui, first)
    assert seen[0][0] in ("SplashScreen", "SignInScreen") and seen[0][1] < 1.0


def test_selftest_rows_appear_one_by_one(clinic):
    from tui.screens.selftest import CheckFinished, SelftestScreen

    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = SelftestScreen()
        screen.action_run = lambda: None                       # no model here: the rows are fed by hand
        await tui.push_screen(screen)
        await pilot.pause()
        table = screen.query_one(DataTable)
        for n, name in enumerate(("home_writable", "golden:rads_assignment"), start=1):
            screen.post_message(CheckFinished({"name": name, "ok": True, "detail": "fine", "duration_s": 0.1}))
            await pilot.pause()
            assert table.row_count == n
        assert str(table.get_row_at(1)[1]) == "Model answers: RADS category"

    drive(tui, test)


def test_appliance_version():
    from click.testing import CliRunner

    from tui.commands import cli

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("appliance 0.")
