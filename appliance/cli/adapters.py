"""`appliance adapters`: trust a builder's key, import signed bundles, list, activate, roll back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import ApplianceError


def _store():
    from ..adapters.store import AdapterStore
    from ..app import Appliance

    return AdapterStore.of(Appliance())


@click.group()
def adapters() -> None:
    """Signed LoRA adapter bundles (from a USB stick): trust, import, list, activate, rollback."""


@adapters.command("trust")
@click.argument("pubkey_file", type=click.Path(path_type=Path))
def adapters_trust(pubkey_file: Path) -> None:
    """Trust the builder's public key PUBKEY_FILE (.pub from `trainer keys generate`).

    Compare the key id printed here with the one the builder read out when the key was
    made: trusting a key lets anything it signs be installed.
    """
    kid, new = _store().trust(pubkey_file)
    click.echo(f"{'trusted' if new else 'already trusted'}: key {kid}")


@adapters.command("import")
@click.argument("path", type=click.Path(path_type=Path))
def adapters_import(path: Path) -> None:
    """Verify, install and activate the bundle at PATH (a bundle folder or .tar, or a USB mount holding bundles).

    Refused, with the reason, unless the signatures are by trusted keys, every file
    matches the signed manifest, the base model is this appliance's, the version is
    newer than the installed one and the adapter's golden cases give the same answers
    here. A refused bundle changes nothing; the previous adapter stays active.
    """
    from ..adapters.bundle import BundleError
    from ..adapters.source import looks_like_bundle
    from ..adapters.store import ident
    from ..adapters.usb import scan

    store = _store()
    if looks_like_bundle(path) or not path.is_dir():
        bundles = [path]
    else:
        bundles = [found.path for found in scan(path)]
        if not bundles:
            raise ApplianceError(f"{path}: no adapter bundles found (folders with manifest.json, or .tar files).")
    refused = 0
    for bundle in bundles:
        try:
            row = store.import_bundle(bundle)
        except BundleError as exc:
            refused += 1
            click.echo(f"refused: {exc}", err=True)
            continue
        click.echo(f"installed and active: {ident(row)} for {', '.join(json.loads(row['tasks']))} "
                   f"over {row['base_name']} (from {bundle})")
    if refused:
        sys.exit(1)


@adapters.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, name, version, active, ...}.")
def adapters_list(as_json: bool) -> None:
    """List installed adapter versions; * marks the active one for its base model."""
    from .common import require_home as _require_home  # a listing never creates a home (a mistyped APPLIANCE_HOME)

    _require_home()
    rows = _store().listing()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No adapters installed. Every task runs on its base model.")
    for r in rows:
        mark = "*" if r["active"] else " "
        click.echo(f"{mark} {r['id']:<32} {r['base']['name']:<28} {', '.join(r['tasks'])}")


@adapters.command("activate")
@click.argument("adapter_id")
def adapters_activate(adapter_id: str) -> None:
    """Make ADAPTER_ID (name@version, as `list` shows it) the active adapter for its base model."""
    from ..adapters.store import ident

    row, changed = _store().activate(adapter_id)
    click.echo(f"{'active' if changed else 'already active'}: {ident(row)} over {row['base_name']}")


@adapters.command("rollback")
@click.option("--model", help="Base model whose adapter to roll back (default: the most recent switch).")
def adapters_rollback(model: str | None) -> None:
    """Go back to the adapter that was active before the current one (or to the bare base model)."""
    from ..adapters.store import ident

    current, previous = _store().rollback(model)
    to = ident(previous) if previous else f"no adapter (base model {current['base_name']} alone)"
    click.echo(f"rolled back: {ident(current)} -> {to}")
