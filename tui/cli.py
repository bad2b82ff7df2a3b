"""The `appliance` console script: the operator's commands plus `tui`, the default
(the command group is `tui.commands.cli`).

Opening the TUI costs seconds of imports (click, the appliance, Textual) and database
work before Textual can draw; `main` first writes a plain-terminal splash (standard
library only) so the clinician sees at once that the app is starting and what loads.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap


def _opens_tui(argv: list[str]) -> bool:
    return not argv or argv == ["tui"]


def early_splash(stream=None) -> bool:
    """Write the starting screen with plain ANSI before anything heavy is imported; False if not a terminal."""
    stream = stream or sys.stdout
    if not stream.isatty() or os.environ.get("TERM") == "dumb":
        return False
    from appliance import DECISION_SUPPORT_NOTICE  # the package's __init__ only: constants, no imports

    columns = max(shutil.get_terminal_size().columns, 40)  # a new pty reports 0 columns
    lines = ["Clinic appliance is starting", "", DECISION_SUPPORT_NOTICE, "",
             "• Loading the appliance and the screen library…",
             "• Then the models are checked (sha256) and loaded; sign-in opens when they are ready."]
    wrapped = [w for line in lines for w in textwrap.wrap(line, columns - 2, subsequent_indent="  ") or [""]]
    # Clear, home, then the lines; Textual's own splash replaces this when it starts.
    stream.write("\x1b[2J\x1b[H" + "\r\n".join(" " + w for w in wrapped) + "\r\n")
    stream.flush()
    return True


def main() -> None:
    if _opens_tui(sys.argv[1:]):
        early_splash()
    from .commands import cli

    cli()


if __name__ == "__main__":
    main()
