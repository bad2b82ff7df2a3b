"""The clinician TUI, driven with Textual's pilot over homes built by the real pipeline.

No model runs here: the documents state their answers (BI-RADS 4C, T2 N2 M0) or
need no task (an urgent CT head); see test_tui_model.py for model-backed results.
"""

from __future__ import annotations

import json

from textual import events
from textual.widgets import DataTable, Input, Select

from appliance import DECISION_SUPPORT_NOTICE
from appliance.app import Appliance
from appliance.pipeline.reader import read_document
from appliance.tasks import TASKS
from appliance.tasks.rads_systems import RADS_CATEGORIES
from appliance.tasks.staging import N_STAGES
from tui.app import ClinicApp
from tui.screens.adapters import AdaptersScreen
from tui.screens.correct import CorrectionScreen
from tui.screens.document import DocumentScreen
from tui.screens.help import HelpScreen
from tui.screens.quarantine import QuarantineScreen
from tui.screens.reason import ReasonScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.worklist import WorklistScreen
from tui.widgets.result_card import ResultCard
from tui.widgets.worklist_table import WorklistTable

from .test_tui_homes import (READER, audit_rows, clinic, drive, job_id, screen_text,  # noqa: F401 (fixture)
                             sign_in, wait_for)


def rows(screen) -> list[tuple[str, ...]]:
    table = screen.query_one(WorklistTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def reviews(appliance: Appliance) -> list[dict]:
    return list(appliance.db.query("SELECT * FROM reviews ORDER BY id"))


async def open_document(pilot, source: str) -> DocumentScreen:
    screen = pilot.app.screen
    table = screen.query_one(WorklistTable)
    table.move_cursor(row=table.get_row_index(f"job:{job_id(pilot.app.appliance, source)}"))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DocumentScreen)
    return pilot.app.screen


# -- sign-in ------------------------------------------------------------------

def test_sign_in_is_required_named_and_audited(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        assert isinstance(tui.screen, SignInScreen) and tui.reviewer is None
        assert DECISION_SUPPORT_NOTICE in screen_text(tui.screen)
        await pilot.press("enter")                     # no name: refused
        await pilot.pause()
        assert isinstance(tui.screen, SignInScreen)
        assert "Type your name to sign in." in screen_text(tui.screen)
        await sign_in(pilot, "  Dr   Ada Mensah ")
        assert isinstance(tui.screen, WorklistScreen)
        assert tui.reviewer == READER
        assert READER in tui.sub_title

    drive(tui, test)
    [row] = audit_rows(clinic, "sign_in")
    assert row["actor"] == f"clinician:{READER}"
    assert json.loads(row["details"]) == {"reviewer": READER}


# -- worklist -------------------------------------------------------------------

def test_worklist_urgent_first_then_newest_with_status_type_key_result_and_reason(clinic):
    inbox = clinic.settings.inbox_path(clinic.home)
    (inbox / "just_dropped.txt").write_text("EXAM: Chest radiograph.\n")   # not taken yet: waiting
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        shown = rows(tui.screen)
        assert [r[1] for r in shown] == ["ct_head_subdural.txt", "just_dropped.txt", "mammogram_unseen.txt",
                                         "empty_scan.txt", "ct_staging_stated.t…"]
        urgent, waiting, mammogram, empty, staging = shown
        assert urgent[0] == "‼ URGENT" and urgent[2] == "ready for review" and urgent[3] == "radiology"
        assert len(urgent) == 5                       # at 80 columns the reason is spelled out beneath the table
        assert "Intracranial haemorrhage" in screen_text(tui.screen)
        assert waiting[2] == "waiting" and waiting[0] == ""
        assert mammogram[2] == "ready for review" and mammogram[4] == "BI-RADS 4C"
        assert empty[2] == "quarantined"
        assert staging[4].startswith("N stage: N2;")   # the whole key result is in the row detail
        # The highlighted row is described in full beneath the table (urgency in words).
        assert "‼ URGENT · ct_head_subdural.txt" in screen_text(tui.screen)
        await pilot.press("enter")                    # the urgent document opens
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)

    drive(tui, test)


def test_worklist_refreshes_live_and_keeps_the_cursor(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        table = tui.screen.query_one(WorklistTable)
        mammogram = f"job:{job_id(clinic, 'mammogram_unseen.txt')}"
        table.move_cursor(row=table.get_row_index(mammogram))
        # Another process (the service) takes a new urgent document meanwhile.
        other = Appliance(clinic.home)
        (other.home.inbox / "ct_abdomen_free_air.txt").write_text(
            "EXAM: CT abdomen and pelvis with contrast.\n\nFINDINGS: Free intraperitoneal air under the "
            "diaphragm.\n\nIMPRESSION: Pneumoperitoneum, suspect perforation.\n")
        from appliance.pipeline.watch import drain

        drain(other, lambda line: None)
        await wait_for(pilot, lambda: table.row_count == 5, seconds=10)   # the 2-second refresh
        assert table.current_key == mammogram
        assert rows(tui.screen)[0][1] == "ct_abdomen_free_air…"             # urgent and newest: on top

    drive(tui, test)


def test_the_service_thread_takes_a_dropped_file_and_the_worklist_shows_it(clinic):
    tui = ClinicApp(clinic, run_service=True)           # the drop-folder service runs in a worker thread

    async def test(pilot):
        await sign_in(pilot)
        table = tui.screen.query_one(WorklistTable)
        table.move_cursor(row=table.get_row_index(f"job:{job_id(clinic, 'ct_staging_stated.txt')}"))
        inbox = clinic.settings.inbox_path(clinic.home)
        # Dropped as a copier should (a hidden temporary name, then a rename): the test home
        # has settle_seconds = 0, so a file written in place could be taken half-written.
        partial = inbox / ".ct_abdomen_free_air.txt.tmp"
        partial.write_text("EXAM: CT abdomen and pelvis with contrast.\n\nFINDINGS: Free intraperitoneal air under "
                           "the diaphragm.\n\nIMPRESSION: Pneumoperitoneum, suspect perforation.\n")
        partial.rename(inbox / "ct_abdomen_free_air.txt")
        await wait_for(pilot, lambda: any(r[1] == "ct_abdomen_free_air…" and r[2] == "ready for review"
                                          for r in rows(tui.screen)), seconds=60)
        assert rows(tui.screen)[0][0] == "‼ URGENT"
        assert table.current_key == f"job:{job_id(clinic, 'ct_staging_stated.txt')}"   # cursor kept
        await wait_for(pilot, lambda: "ct_abdomen_free_air.txt" in tui.service_line, seconds=10)
        assert "ct_abdomen_free_air.txt" in str(tui.screen.query_one("#service-status").render())

    drive(tui, test)
    assert not (clinic.settings.inbox_path(clinic.home) / "ct_abdomen_free_air.txt").exists()   # archived


def test_filter_cycles_status_and_search_matches_source_type_result_reason(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = tui.screen

        async def press_and_names(*keys):
            await pilot.press(*keys)
            await pilot.pause()
            return [r[1] for r in rows(screen)]

        assert await press_and_names("f") == ["ct_head_subdural.txt", "mammogram_unseen.txt",
                                              "ct_staging_stated.t…"]          # to review
        assert "Show: to review" in screen_text(screen)
        assert await press_and_names("f") == ["ct_head_subdural.txt"]          # urgent
        assert await press_and_names("f") == []                                # failed
        assert "Nothing matches" in screen_text(screen)
        assert await press_and_names("f") == ["empty_scan.txt"]                # quarantined
        assert len(await press_and_names("f")) == 4                            # all

        await pilot.press("slash")
        assert screen.query_one("#search", Input).has_focus
        assert await press_and_names(*"bi-rads 4c") == ["mammogram_unseen.txt"]   # key result
        await pilot.press("enter")                                             # back to the list
        assert screen.query_one(WorklistTable).has_focus
        await pilot.press("escape")                                            # clears the search
        await pilot.pause()
        assert len(rows(screen)) == 4
        assert await press_and_names("slash", *"haemorrhage") == ["ct_head_subdural.txt"]  # reason
        await pilot.press("escape")
        screen.query_one("#search", Input).value = "staging_stated"            # source
        await pilot.pause()
        assert [r[1] for r in rows(screen)] == ["ct_staging_stated.t…"]
        screen.query_one("#search", Input).value = "radiology report"          # document type
        await pilot.pause()
        assert len(rows(screen)) == 3

    drive(tui, test)


def test_search_takes_keys_typed_straight_after_slash(clinic):
    """A fast typist (or a terminal delivering a burst): "/" then letters before the app has drawn.

    The letters must land in the search box; on the list "a" would open the Models screen.
    """
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = tui.screen
        for key, char in [("slash", "/"), *((c, c) for c in "mammo/"), ("enter", "\r")]:
            tui.post_message(events.Key(key, char))       # all queued before any is handled
        await pilot.pause()
        assert tui.screen is screen, type(tui.screen).__name__
        assert screen.query_one("#search", Input).value == "mammo/"
        assert screen.query_one(WorklistTable).has_focus     # Enter went back to the list at once
        assert [r[1] for r in rows(screen)] == []            # no file name contains "mammo/"

    drive(tui, test)


# -- document ------------------------------------------------------------------------

def test_document_links_evidence_in_the_text_to_the_result_fields(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "mammogram_unseen.txt")
        text = screen_text(screen)
        assert DECISION_SUPPORT_NOTICE in text
        [card] = screen.query(ResultCard)
        assert card.has_focus
        card_text = str(card.render())
        assert "BI-RADS 4C" in card_text
        assert 'Evidence [1]: "BI-RADS 4C"' in card_text      # in words: no internal field path (issue 17)
        assert "From: stated in the document (no model)" in card_text
        assert "Next step: High suspicion (>50-<95%): tissue diagnosis (biopsy)." in card_text
        assert "Review: not reviewed yet" in card_text
        source = str(screen.query_one("#source-text").render())
        assert "IMPRESSION: New suspicious left breast mass with calcifications. BI-RADS 4C[1]: high" in source
        # "benign-appearing" calcifications beside a suspicious mass are no contradiction: no false flag
        assert "Inconsistent with the report" not in text
        assert "Default model: smollm2-135m-instruct-q4_1" in text and "Adapter: none" in text
        assert "No reviews yet." in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(tui.screen, WorklistScreen)

        screen = await open_document(pilot, "ct_head_subdural.txt")          # urgent, no task
        text = screen_text(screen)
        assert '‼ URGENT — Intracranial haemorrhage: "subdural haematoma" [1]' in text
        assert "Do now: Emergency neurosurgical/stroke review now." in text
        assert "No results to review for this document." in text
        source = str(screen.query_one("#source-text").render())
        assert "Acute right subdural haematoma[1] measuring 12 mm with 6 mm midline shift[2]." in source

    drive(tui, test)


def test_document_says_when_the_source_file_is_not_available(home_dir):
    appliance = Appliance()
    from .conftest import DATA

    appliance.process(read_document(DATA / "mammogram_unseen.txt", 10**6))   # one-shot: nothing archived
    tui = ClinicApp(appliance, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(tui.screen)
        assert "The original file is not available" in text
        assert "BI-RADS 4C" in str(tui.screen.query_one(ResultCard).render())

    drive(tui, test)


# -- reviews ---------------------------------------------------------------------------

def test_accept_stores_a_review_with_the_signed_in_name(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "mammogram_unseen.txt")
        await pilot.press("a")
        await wait_for(pilot, lambda: "accepted by" in str(screen.query_one(ResultCard).render()))
        assert f"{READER} accepted RADS category" in screen_text(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert [r[2] for r in rows(tui.screen) if r[1] == "mammogram_unseen.txt"] == ["reviewed"]

    drive(tui, test)
    [review] = reviews(clinic)
    assert (review["task"], review["action"], review["reviewer"]) == ("rads_assignment", "accept", READER)
    assert json.loads(review["original_output"])["category"] == "4C"
    [row] = audit_rows(clinic, "review_accept")
    assert row["actor"] == f"clinician:{READER}" and row["job_id"] == review["job_id"]


def test_correct_rads_offers_only_valid_categories_and_saves_a_valid_correction(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await open_document(pilot, "mammogram_unseen.txt")
        await pilot.press("c")
        await pilot.pause()
        form = tui.screen
        assert isinstance(form, CorrectionScreen)
        assert DECISION_SUPPORT_NOTICE in screen_text(form)
        system, category = form.query_one("#system", Select), form.query_one("#category", Select)
        assert (system.value, category.value) == ("BI-RADS", "4C")
        system.value = "TI-RADS"
        await pilot.pause()
        assert [value for _, value in category._options if value is not Select.NULL] == \
            list(RADS_CATEGORIES["TI-RADS"])
        assert category.value is Select.NULL                     # 4C is not a TI-RADS category
        system.value = "BI-RADS"
        await pilot.pause()
        category.value = "5"
        evidence = form.query_one("#evidence", Input)
        assert evidence.max_length == 160
        evidence.value = "new 9 mm irregular mass"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)
        await wait_for(pilot, lambda: "BI-RADS 5 — corrected" in str(tui.screen.query_one(ResultCard).render()))

    drive(tui, test)
    [review] = reviews(clinic)
    assert review["action"] == "correct" and review["reviewer"] == READER
    assert json.loads(review["corrected_output"]) == {"system": "BI-RADS", "category": "5",
                                                      "evidence": "new 9 mm irregular mass"}
    assert json.loads(review["original_output"])["category"] == "4C"      # the model's output is kept
    assert audit_rows(clinic, "review_correct")[0]["actor"] == f"clinician:{READER}"


def test_correct_with_an_invalid_value_is_refused_and_nothing_is_saved(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await open_document(pilot, "mammogram_unseen.txt")
        await pilot.press("c")
        await pilot.pause()
        form = tui.screen
        form.query_one("#system", Select).value = "Lung-RADS"              # category not chosen yet
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(tui.screen, CorrectionScreen)
        assert "Not saved: Choose a Lung-RADS category." in screen_text(form)
        form.query_one("#category", Select).value = "4B"
        form.query_one("#evidence", Input).value = ""                      # the schema needs evidence
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(tui.screen, CorrectionScreen)
        error = str(form.query_one("#form-error").render())
        assert error.startswith("Not saved: the correction is not valid for RADS category")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)

    drive(tui, test)
    assert reviews(clinic) == []
    assert audit_rows(clinic, "review_correct") == []


def test_correct_a_stage_with_a_select_of_valid_stages(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "ct_staging_stated.txt")
        cards = list(screen.query(ResultCard))
        assert [c.task_name for c in cards] == ["n_staging", "m_staging"]
        assert "N stage: N2" in str(cards[0].render())
        await pilot.press("c")                                             # the focused (first) card
        await pilot.pause()
        form = tui.screen
        stage = form.query_one("#f-n_stage", Select)
        assert [value for _, value in stage._options if value is not Select.NULL] == list(N_STAGES)
        assert stage.value == "N2"
        stage.value = "N3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)

    drive(tui, test)
    [review] = reviews(clinic)
    assert review["task"] == "n_staging"
    assert json.loads(review["corrected_output"]) == {"n_stage": "N3", "evidence": "T2 N2 M0"}


def test_reject_needs_a_reason_and_stores_it(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        screen = await open_document(pilot, "ct_staging_stated.txt")
        await pilot.press("tab")                                           # the second result: M stage
        await pilot.pause()
        assert screen.focused.task_name == "m_staging"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(tui.screen, ReasonScreen)
        await pilot.press("enter")                                         # no reason: refused
        await pilot.pause()
        assert isinstance(tui.screen, ReasonScreen)
        assert "Not saved: a rejection needs a reason." in screen_text(tui.screen)
        assert reviews(pilot.app.appliance) == []
        await pilot.press(*"liver lesion on slice 40", "enter")
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)
        await wait_for(pilot, lambda: "rejected by" in str(
            [c for c in tui.screen.query(ResultCard) if c.task_name == "m_staging"][0].render()))

    drive(tui, test)
    [review] = reviews(clinic)
    assert (review["task"], review["action"], review["reason"]) == ("m_staging", "reject", "liver lesion on slice 40")
    [row] = audit_rows(clinic, "review_reject")
    assert row["actor"] == f"clinician:{READER}"
    assert json.loads(row["details"])["reason"] == "liver lesion on slice 40"


# -- quarantine -------------------------------------------------------------------------

def test_quarantine_retry_sends_the_file_back_to_the_inbox(clinic):
    quarantine = clinic.home.quarantine
    assert (quarantine / "empty_scan.txt").exists() and (quarantine / "empty_scan.txt.reason.txt").exists()
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("Q")                        # q quits (issue 17): Quarantine is shift+q
        await pilot.pause()
        screen = tui.screen
        assert isinstance(screen, QuarantineScreen)
        table = screen.query_one(DataTable)
        assert table.get_row_at(0)[0] == "empty_scan.txt"
        assert "Reason: empty_scan.txt: the file is empty; nothing to process." in screen_text(screen)
        await pilot.press("r")
        await pilot.pause()
        assert table.row_count == 0 and "No quarantined files." in screen_text(screen)
        await pilot.press("escape")
        await pilot.pause()
        waiting = [r for r in rows(tui.screen) if r[1] == "empty_scan.txt"]
        assert [r[2] for r in waiting] == ["waiting"]                        # once, not twice

    drive(tui, test)
    assert (clinic.settings.inbox_path(clinic.home) / "empty_scan.txt").exists()
    assert not (quarantine / "empty_scan.txt").exists()
    assert not (quarantine / "empty_scan.txt.reason.txt").exists()
    job = clinic.db["jobs"].get(job_id(clinic, "empty_scan.txt"))
    assert (job["status"], job["attempts"], job["archived_at"]) == ("received", 0, None)
    [row] = audit_rows(clinic, "quarantine_retry")
    assert row["actor"] == f"clinician:{READER}" and row["job_id"] == job["id"]


def test_quarantine_discard_needs_a_reason_deletes_the_file_and_keeps_the_job(clinic):
    quarantine = clinic.home.quarantine
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("Q")                        # q quits (issue 17): Quarantine is shift+q
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(tui.screen, ReasonScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Not saved: Discarding needs a reason" in screen_text(tui.screen)
        assert (quarantine / "empty_scan.txt").exists()
        await pilot.press(*"blank export, re-sent by the scanner", "enter")
        await pilot.pause()
        assert isinstance(tui.screen, QuarantineScreen)
        assert "No quarantined files." in screen_text(tui.screen)

    drive(tui, test)
    assert not (quarantine / "empty_scan.txt").exists()
    assert not (quarantine / "empty_scan.txt.reason.txt").exists()
    job = clinic.db["jobs"].get(job_id(clinic, "empty_scan.txt"))
    assert job["status"] == "quarantined"
    assert job["error"].endswith(" (discarded: blank export, re-sent by the scanner)")
    [row] = audit_rows(clinic, "quarantine_discarded")
    assert row["actor"] == f"clinician:{READER}"
    assert json.loads(row["details"])["reason"] == "blank export, re-sent by the scanner"


# -- adapters, help, theme, the notice ----------------------------------------------------

def test_adapters_screen_shows_base_models_and_routing_and_no_adapters(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen = tui.screen
        assert isinstance(screen, AdaptersScreen)
        assert "No adapters installed." in screen_text(screen)
        models = screen.query_one("#models", DataTable)
        by_name = {str(models.get_row_at(i)[0]): str(models.get_row_at(i)[1]) for i in range(models.row_count)}
        assert by_name["smollm2-135m-instruct-q4_1"] == "default"
        assert "gemma-3-270m-q4_k_m" in by_name
        routing = screen.query_one("#routing", DataTable)
        # Plain task titles, and the capability gate per task (no evaluation yet: model answers not shown).
        assert [str(routing.get_row_at(i)[0]) for i in range(routing.row_count)] == [
            *(t.title for t in TASKS.values()), "RADS feature reading"]
        assert all(str(routing.get_row_at(i)[3]).startswith("no: not evaluated") for i in range(routing.row_count))

    drive(tui, test)


def test_adapters_screen_shows_the_gate_and_its_evidence(clinic):
    from appliance import capability

    tui = ClinicApp(clinic, run_service=False)
    entry = clinic.model_entry("triage")
    capability.record(clinic.db, {"task": "triage", "model_sha256": entry.sha256, "adapter_sha256": None,
                                  "metric": "accuracy", "value": 0.9, "ci_low": 0.85, "ci_high": 0.95, "baseline": 0.4,
                                  "baseline_name": "constant answer", "n": 100, "dataset": "clinic labelled set",
                                  "dataset_sha256": "0" * 64})

    async def test(pilot):
        await sign_in(pilot)
        await pilot.press("a")
        await pilot.pause()
        routing = tui.screen.query_one("#routing", DataTable)
        rows = {str(routing.get_row_at(i)[0]): str(routing.get_row_at(i)[3]) for i in range(routing.row_count)}
        assert rows[TASKS["triage"].title].startswith("yes: accuracy 0.90")
        assert "clinic labelled set" in rows[TASKS["triage"].title]

    drive(tui, test)


def test_help_lists_every_binding_and_every_screen_shows_the_notice(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        seen = [type(tui.screen).__name__] if DECISION_SUPPORT_NOTICE in screen_text(tui.screen) else []
        await sign_in(pilot)
        for key in ("question_mark", "Q", "a"):                     # help, quarantine, adapters
            await pilot.press(key)
            await pilot.pause()
            assert DECISION_SUPPORT_NOTICE in screen_text(tui.screen), type(tui.screen).__name__
            seen.append(type(tui.screen).__name__)
            if isinstance(tui.screen, HelpScreen):
                help_text = str(tui.screen.query_one("#help-text").render())
                for owner in (WorklistScreen, DocumentScreen, CorrectionScreen, ReasonScreen, QuarantineScreen,
                              HelpScreen, type(tui)):
                    for binding in owner.__dict__["BINDINGS"]:
                        assert binding.description in help_text, binding
            await pilot.press("escape")
            await pilot.pause()
        await open_document(pilot, "mammogram_unseen.txt")
        seen.append("DocumentScreen")
        assert DECISION_SUPPORT_NOTICE in screen_text(tui.screen)
        for key in ("c", "x"):                                      # both dialogs
            await pilot.press(key)
            await pilot.pause()
            assert DECISION_SUPPORT_NOTICE in screen_text(tui.screen)
            seen.append(type(tui.screen).__name__)
            await pilot.press("escape")
            await pilot.pause()
        assert seen == ["SignInScreen", "HelpScreen", "QuarantineScreen", "AdaptersScreen", "DocumentScreen",
                        "CorrectionScreen", "ReasonScreen"]

    drive(tui, test)


def test_a_key_toggles_light_and_dark_theme(clinic):
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await sign_in(pilot)
        dark = tui.current_theme.dark
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert tui.current_theme.dark is not dark
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert tui.current_theme.dark is dark

    drive(tui, test)


def test_reviews_are_impossible_without_sign_in(clinic):
    """The document screen refuses a review when nobody is signed in (and stores nothing)."""
    tui = ClinicApp(clinic, run_service=False)

    async def test(pilot):
        await tui.push_screen(DocumentScreen(job_id(clinic, "mammogram_unseen.txt")))
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(tui.screen, DocumentScreen)

    drive(tui, test)
    assert reviews(clinic) == []
