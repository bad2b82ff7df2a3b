"""`trainer sign BUNDLE --key DIR`: sign (or countersign) an existing bundle folder.

`trainer bundle` builds and signs in one go; this signs a bundle folder that already
holds a valid manifest.json and the adapter.gguf it names, for example a second signer
for `adapter_signature_threshold` 2, or a bundle whose key has been replaced. It
refuses to sign a manifest that does not describe the adapter beside it: a signature
vouches for every byte of the bundle. The signature file is replaced atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from appliance.adapters.bundle import (ADAPTER, MANIFEST, SIGNATURES, BundleError, key_id, load_private_key,
                                       parse_manifest, sign, signatures_bytes)
from appliance.durable import file_sha256

from .keys import private_key_path


def sign_bundle(bundle: Path, key: Path, add: bool = False) -> tuple[str, int]:
    """Write BUNDLE/signatures.json signed by `key`; (key id, number of signatures now)."""
    if not bundle.is_dir():
        raise BundleError(f"{bundle}: not a bundle folder (a .tar bundle is signed when `trainer bundle` makes it).")
    try:
        manifest_data = (bundle / MANIFEST).read_bytes()
    except OSError as exc:
        raise BundleError(f"{bundle}: no readable {MANIFEST} ({exc.strerror}).") from exc
    manifest = parse_manifest(manifest_data, str(bundle))
    adapter = bundle / ADAPTER
    if not adapter.is_file():
        raise BundleError(f"{bundle}: no {ADAPTER} beside the manifest.")
    size, digest = adapter.stat().st_size, file_sha256(adapter)
    if (size, digest) != (manifest.adapter.size, manifest.adapter.sha256):
        raise BundleError(f"{bundle}: {ADAPTER} (sha256 {digest[:12]}…, {size:,} bytes) is not the adapter the manifest "
                          f"names (sha256 {manifest.adapter.sha256[:12]}…, {manifest.adapter.size:,} bytes); not signed.")
    private = load_private_key(private_key_path(key))
    kid = key_id(private.public_key())
    signatures = []
    if add and (bundle / SIGNATURES).exists():
        try:
            signatures = [s for s in json.loads((bundle / SIGNATURES).read_bytes())["signatures"] if s["keyid"] != kid]
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(f"{bundle}: {SIGNATURES} is damaged ({exc}); sign without --add to replace it.") from exc
    signatures.append(sign(private, manifest_data))
    tmp = bundle / f".{SIGNATURES}.tmp"
    with open(tmp, "wb") as f:
        f.write(signatures_bytes(signatures))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, bundle / SIGNATURES)
    return kid, len(signatures)


@click.command("sign")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--key", required=True, type=click.Path(exists=True, path_type=Path),
              help="Folder from `trainer keys generate` (or its signing.key).")
@click.option("--add", is_flag=True, help="Keep the bundle's other signatures (countersign) instead of replacing them.")
def sign_command(bundle: Path, key: Path, add: bool) -> None:
    """Sign BUNDLE (a folder with manifest.json and adapter.gguf) with the private key in KEY."""
    try:
        kid, count = sign_bundle(bundle, key, add)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"signed {bundle} with key {kid} ({count} signature(s) in {SIGNATURES})")
