"""Events from the appliance's services that screens act on, as Textual Messages (handled with @on).

The app posts each one to the screen in front; a screen that comes back to the front
reads its state again (on_screen_resume), so nothing scans the screen stack.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message


class ServiceEvent(Message):
    """The drop-folder service did something (a file processed, quarantined, a retry taken): `line` says what."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class BundlesFound(Message):
    """New adapter bundles appeared on removable media (announced, never installed unasked)."""

    def __init__(self, bundles: list[Path]) -> None:
        super().__init__()
        self.bundles = bundles


class ModelsLoaded(Message):
    """The splash finished loading (and sha256-checking) the models; `error` when one could not load."""

    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error
