"""The operator's command group with `tui` added: the TUI sits above the appliance core,
so the command that opens it is added here, where importing `tui` creates no package
cycle (`lint-imports` checks that `appliance` never imports `tui`)."""

from __future__ import annotations

from appliance.cli.main import _app, cli


@cli.command("tui")
def tui_command() -> None:
    """Open the clinician TUI (worklist of processed documents)."""
    from .app import run_tui

    run_tui(_app())
