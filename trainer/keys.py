"""`trainer keys generate`: the ed25519 key pair that signs adapter bundles.

The private key stays on the workstation (a 0600 file); the `.pub` file goes to each
appliance once (`appliance adapters trust signing.pub`), with its key id read out over
another channel (phone, paper) so the clinic can check it is the builder's.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from appliance.adapters.bundle import generate_private_key, key_id, private_pem, public_pem

PRIVATE_NAME = "signing.key"
PUBLIC_NAME = "signing.pub"


def generate(out: Path) -> tuple[Path, Path, str]:
    """Write out/signing.key (private, 0600) and out/signing.pub; never overwrites a key."""
    out.mkdir(parents=True, exist_ok=True)
    private, public = out / PRIVATE_NAME, out / PUBLIC_NAME
    for path in (private, public):
        if path.exists():
            raise click.ClickException(f"{path} already exists; keys are never overwritten. Use another --out folder.")
    key = generate_private_key()
    fd = os.open(private, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private_pem(key))
        f.flush()
        os.fsync(f.fileno())
    public.write_bytes(public_pem(key.public_key()))
    return private, public, key_id(key.public_key())


def private_key_path(key: Path) -> Path:
    """--key is the folder from `keys generate` or the private key file itself."""
    return key / PRIVATE_NAME if key.is_dir() else key


@click.group("keys")
def keys() -> None:
    """Signing keys for adapter bundles."""


@keys.command("generate")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for signing.key (private: never copy it off this workstation) and signing.pub.")
def keys_generate(out: Path) -> None:
    """Make a new ed25519 signing key pair."""
    private, public, kid = generate(out)
    click.echo(f"private key: {private} (keep it on this workstation; back it up offline)")
    click.echo(f"public key:  {public} (give it to each appliance: appliance adapters trust {public.name})")
    click.echo(f"key id:      {kid}")
