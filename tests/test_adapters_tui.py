"""The adapters screen: installed versions, bundles found on removable media, and an import
that runs only after the person confirms, showing the result in words."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Static

from tui.app import ClinicApp
from tui.screens.adapters import AdaptersScreen
from tui.screens.confirm import ConfirmScreen

from .adapter_bundles import active, installed, installed_template, make_bundle, signed  # noqa: F401 (fixtures)
from .test_tui_homes import drive, sign_in, wait_for


def rows(screen, table_id: str) -> list[tuple[str, ...]]:
    table = screen.query_one(table_id, DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def result_text(screen) -> str:
    return str(screen.query_one("#import-result", Static).render())


@pytest.fixture
def usb(installed, signed, tmp_path):
    """A mounted stick: clinic-lora 1.1.0 (genuine) and 1.2.0 signed by a stranger's key."""
    root = tmp_path / "media"
    stick = root / "clinic" / "ADAPTERS"
    stick.mkdir(parents=True)
    make_bundle(signed, stick / "clinic-lora-1.1.0.tar", version="1.1.0", tar=True)
    make_bundle(signed, stick / "clinic-lora-1.2.0", version="1.2.0", key_dir=signed.other_keys)
    installed.settings.usb_root = root
    installed.settings.usb_scan_seconds = 3600
    return root


async def open_adapters(pilot) -> AdaptersScreen:
    await sign_in(pilot)
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AdaptersScreen)
    await wait_for(pilot, lambda: screen.query_one("#usb", DataTable).row_count == 2)
    return screen


def test_found_bundles_are_announced_listed_and_refused_only_after_confirmation(installed, usb):
    tui = ClinicApp(installed, run_service=False, watch_usb=True)

    async def test(pilot):
        screen = await open_adapters(pilot)
        assert rows(screen, "#installed") == [("clinic-lora", "1.0.0", "ACTIVE", "M stage, N stage",
                                               "smollm2-135m-instruct-q4_1")]
        assert rows(screen, "#usb") == [
            ("clinic/ADAPTERS/clinic-lora-1.1.0.tar", "clinic-lora@1.1.0", "newer than installed 1.0.0"),
            ("clinic/ADAPTERS/clinic-lora-1.2.0", "clinic-lora@1.2.0", "newer than installed 1.0.0")]
        screen.query_one("#usb", DataTable).move_cursor(row=1)
        await pilot.press("i")                       # asks first; escape (or Enter on Cancel) does nothing
        await pilot.pause()
        assert isinstance(tui.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert tui.screen is screen and result_text(screen) == ""
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("y")                       # confirmed: imported in a worker, refused in words
        await wait_for(pilot, lambda: result_text(screen).startswith("Refused:"))
        assert "which this appliance does not trust" in result_text(screen)
        assert rows(screen, "#installed")[0][2] == "ACTIVE"

    drive(tui, test)
    assert active(installed) == ["clinic-lora@1.0.0"]
    found = [json.loads(r["details"]) for r in installed.db.query("SELECT * FROM audit WHERE event = 'adapter_found'")]
    assert [f.get("via") for f in found[-3:]] == ["usb_watch", "usb_watch", None]  # announced twice, one import
    [refused] = list(installed.db.query("SELECT * FROM audit WHERE event = 'adapter_refused'"))
    assert refused["actor"] == "clinician:Dr Ada Mensah"


@pytest.mark.slow
def test_confirmed_import_of_a_genuine_bundle_becomes_active(installed, usb):
    tui = ClinicApp(installed, run_service=False, watch_usb=False)

    async def test(pilot):
        screen = await open_adapters(pilot)
        screen.query_one("#usb", DataTable).move_cursor(row=0)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: result_text(screen).startswith(("Installed", "Refused")), seconds=300)
        assert result_text(screen).startswith("Installed and active: clinic-lora@1.1.0"), result_text(screen)
        assert [r[:3] for r in rows(screen, "#installed")] == [("clinic-lora", "1.0.0", "—"),
                                                               ("clinic-lora", "1.1.0", "ACTIVE")]
        await wait_for(pilot, lambda: "not newer than installed 1.1.0" in rows(screen, "#usb")[0][2])

    drive(tui, test)
    assert active(installed) == ["clinic-lora@1.1.0"]
