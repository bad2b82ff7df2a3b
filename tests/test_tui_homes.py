"""Appliance homes for the TUI tests, built by the real drop-folder pipeline (no tests here).

Documents are dropped into a real inbox and taken by `watch.drain`, so each is
processed, archived (its source text can be shown) or quarantined exactly as the
service does it. The fast home needs no model: its answers are stated in the
documents (BI-RADS 4C, T2 N2 M0) or it has no task (an urgent CT head); the
model home runs one clinical note through the differential.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Awaitable, Callable

import pytest

from appliance.home import Home
from appliance.app import Appliance
from appliance.pipeline.watch import drain

DATA = Path(__file__).parent / "data"
READER = "Dr Ada Mensah"

CT_STAGING = (
    "EXAM: CT chest, abdomen and pelvis with contrast, staging.\n\n"
    "HISTORY: Known adenocarcinoma of the right lung.\n\n"
    "FINDINGS: 3.1 cm mass in the right upper lobe. Enlarged ipsilateral mediastinal and subcarinal "
    "lymph nodes. No distant metastasis.\n\n"
    "IMPRESSION: Right upper lobe carcinoma, T2 N2 M0.\n"
)
CT_HEAD = (
    "EXAM: CT head without contrast.\n\n"
    "FINDINGS: Acute right subdural haematoma measuring 12 mm with 6 mm midline shift.\n\n"
    "IMPRESSION: Acute right subdural haematoma with midline shift.\n"
)

# Dropped in this order (drain takes names in order), so "newest first" is fixed:
# mammogram (newest), empty scan (quarantined), CT staging; the CT head is urgent.
FAST_DOCUMENTS = {
    "ct_head_subdural.txt": CT_HEAD,
    "ct_staging_stated.txt": CT_STAGING,
    "empty_scan.txt": "",
    "mammogram_unseen.txt": (DATA / "mammogram_unseen.txt").read_text(),
}


def build_home(root: Path, documents: dict[str, str]) -> Appliance:
    """A home whose documents went through the drop folder; returns its Appliance."""
    appliance = Appliance(Home.locate(root))
    inbox = appliance.settings.inbox_path(appliance.home)
    for name, text in documents.items():
        (inbox / name).write_text(text, encoding="utf-8")
    drain(appliance, lambda line: None)
    return appliance


def job_id(appliance: Appliance, source: str) -> int:
    return next(appliance.db.query("SELECT id FROM jobs WHERE source = ?", [source]))["id"]


def audit_rows(appliance: Appliance, event: str) -> list[dict]:
    return list(appliance.db.query("SELECT * FROM audit WHERE event = ? ORDER BY id", [event]))


@pytest.fixture
def clinic(home_dir) -> Appliance:
    """The fast home (no model), at APPLIANCE_HOME."""
    return build_home(home_dir, FAST_DOCUMENTS)


@pytest.fixture(scope="session")
def model_home_template(tmp_path_factory) -> Path:
    """A home holding chest_pain_note.txt processed by the real model (differential), built once."""
    root = tmp_path_factory.mktemp("model-home") / "home"
    appliance = build_home(root, {"chest_pain_note.txt": (DATA / "chest_pain_note.txt").read_text()})
    appliance.db.conn.close()
    return root


@pytest.fixture
def model_clinic(model_home_template, home_dir) -> Appliance:
    """A copy of the model home for one test (reviews written here stay here)."""
    shutil.copytree(model_home_template, home_dir)
    return Appliance(Home.locate(home_dir))


def drive(app, test: Callable[..., Awaitable[None]], size: tuple[int, int] = (80, 24)) -> None:
    """Run the Textual app headless at `size` and hand its pilot to `test`."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await test(pilot)

    asyncio.run(main())


async def sign_in(pilot, name: str = READER) -> None:
    await pilot.press(*name)
    await pilot.press("enter")
    await pilot.pause()


async def wait_for(pilot, condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Let the app run until `condition()` holds (workers, timers), or fail after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        await pilot.pause(0.05)


def screen_text(screen) -> str:
    """Everything the screen's static text widgets show (what a clinician reads)."""
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in screen.query(Static))
