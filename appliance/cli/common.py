"""Helpers every command group shares: the appliance of this home, a home that must exist, a clean failure."""

from __future__ import annotations

import os
import sys

import click


def app():
    from ..app import Appliance

    return Appliance()


def existing_app():
    """The Appliance of a home that already exists (see require_home)."""
    from ..app import Appliance

    return Appliance(require_home())


def require_home():
    """The home, which must exist already: commands that only read state never create one
    (a mistyped APPLIANCE_HOME would otherwise report on a new, empty home)."""
    from ..home import Home

    home = Home.locate()
    if not home.db_path.is_file():
        where = "APPLIANCE_HOME" if os.environ.get("APPLIANCE_HOME") else "the default location"
        fail(f"no appliance home at {home.root} (looked there from {where}: no {home.db_path.name}); "
             "check APPLIANCE_HOME. The service, `appliance selftest` and the clinician app create a home.", code=2)
    return home


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
