"""The bundle format: a manifest, the GGUF LoRA adapter it names, and ed25519 signatures.

```
<bundle>/                 a folder, or the same three files in a .tar archive
  manifest.json           what the adapter is (Manifest below); these exact bytes are signed
  adapter.gguf            the LoRA adapter; its size and sha256 are in the manifest
  signatures.json         {"signatures": [{"keyid": <hex>, "sig": <base64>}]}
```

A signature covers SIGNING_CONTEXT + the manifest's bytes, and the manifest carries the
adapter's sha256 and size, so one check of the signatures vouches for every byte of the
bundle. A key id is the sha256 of the raw 32-byte ed25519 public key. Keys are PEM files
(SubjectPublicKeyInfo for the public key, PKCS#8 for the private one) read and checked by
the `cryptography` library; nothing here implements cryptography itself.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ApplianceError

MANIFEST = "manifest.json"
SIGNATURES = "signatures.json"
ADAPTER = "adapter.gguf"
BUNDLE_FILES = (MANIFEST, SIGNATURES, ADAPTER)
SIGNING_CONTEXT = b"clinic-appliance adapter bundle v1\x00"  # a signature means nothing outside bundles
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
VERSION_PATTERN = r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$"
MAX_SIGNATURES_BYTES = 64 * 1024
MAX_GOLDEN_CASES = 8


class BundleError(ApplianceError):
    """A bundle was refused; the message says what was wrong in plain words."""


class AdapterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: Literal["adapter.gguf"] = ADAPTER
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(gt=0)


class BaseRef(BaseModel):
    """The base model the adapter was trained on; it applies to that exact file only."""

    model_config = ConfigDict(extra="forbid")
    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    architecture: str


class LoraInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rank: int = Field(gt=0, le=1024)
    alpha: float = Field(gt=0)


class GoldenCase(BaseModel):
    """An input and the exact output the builder saw from the appliance's engine with this adapter."""

    model_config = ConfigDict(extra="forbid")
    task: str
    input: str = Field(min_length=1, max_length=20_000)
    output: dict[str, Any]


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal[1] = 1
    name: str = Field(pattern=NAME_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    tasks: list[str] = Field(min_length=1)
    base: BaseRef
    lora: LoraInfo
    adapter: AdapterFile
    training_data: dict[str, Any] = Field(default_factory=dict, description="Summary: counts, sources, hashes.")
    metrics: dict[str, Any] = Field(default_factory=dict, description="Evaluation figures from the trainer.")
    created: str
    golden: list[GoldenCase] = Field(min_length=1, max_length=MAX_GOLDEN_CASES)

    @field_validator("tasks")
    @classmethod
    def _known_tasks(cls, tasks: list[str]) -> list[str]:
        from ..tasks import SERVABLE

        unknown = [t for t in tasks if t not in SERVABLE]
        if unknown:
            raise ValueError(f"unknown task(s) {', '.join(unknown)}; this appliance knows {', '.join(SERVABLE)}")
        if len(set(tasks)) != len(tasks):
            raise ValueError("a task is listed twice")
        return tasks

    @property
    def ident(self) -> str:
        return f"{self.name}@{self.version}"


def version_key(version: str) -> tuple[int, ...]:
    """'1.2' < '1.10' < '2'; trailing zeros do not count ('1.0' == '1')."""
    if not re.match(VERSION_PATTERN, version):
        raise BundleError(f"version {version!r} is not dotted numbers such as 1.2.0")
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


# -- bytes that are signed ----------------------------------------------------------

def manifest_bytes(manifest: Manifest) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8) so the same manifest always signs the same."""
    return json.dumps(manifest.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def parse_manifest(data: bytes, where: str) -> Manifest:
    try:
        return Manifest.model_validate_json(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "the whole file"
        raise BundleError(f"{where}: {MANIFEST} is not a valid adapter manifest ({field}: {err['msg']}); "
                          "rebuild the bundle with `trainer bundle`.") from exc


# -- keys ----------------------------------------------------------------------------

def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read the key file ({exc.strerror}).") from exc
    if len(data) > 4096:
        raise BundleError(f"{path}: too large for a public key file; give the builder's .pub file.")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise BundleError(f"{path}: not a PEM public key; give the .pub file written by `trainer keys generate`.") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError(f"{path}: not an ed25519 public key; adapter bundles are signed with ed25519 keys only.")
    return key


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise BundleError(f"{path}: not a readable unencrypted PEM private key ({exc}).") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"{path}: not an ed25519 private key.")
    return key


# -- signatures ----------------------------------------------------------------------

def sign(private_key: Ed25519PrivateKey, manifest_data: bytes) -> dict[str, str]:
    return {"keyid": key_id(private_key.public_key()),
            "sig": base64.b64encode(private_key.sign(SIGNING_CONTEXT + manifest_data)).decode("ascii")}


def signatures_bytes(signatures: list[dict[str, str]]) -> bytes:
    return json.dumps({"signatures": signatures}, indent=2).encode("utf-8") + b"\n"


def verify_signatures(manifest_data: bytes, signatures_data: bytes, trusted: dict[str, Ed25519PublicKey],
                      threshold: int, where: str) -> list[str]:
    """The key ids of trusted keys with a valid signature; raises BundleError below the threshold."""
    try:
        doc = json.loads(signatures_data)
        entries = doc["signatures"]
        pairs = [(str(e["keyid"]), base64.b64decode(e["sig"], validate=True)) for e in entries]
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"{where}: {SIGNATURES} is damaged (not the expected JSON with keyid and base64 sig); "
                          "the bundle cannot be trusted. Ask the builder for a fresh copy.") from exc
    if not pairs:
        raise BundleError(f"{where}: the bundle is not signed ({SIGNATURES} lists no signatures).")
    if not trusted:
        raise BundleError(f"{where}: this appliance trusts no signing key yet; add the builder's public key with "
                          "`appliance adapters trust KEY.pub` (check its key id with the builder first).")
    valid, bad, unknown = set(), [], []
    for keyid, sig in pairs:
        key = trusted.get(keyid)
        if key is None:
            unknown.append(keyid)
            continue
        try:
            key.verify(sig, SIGNING_CONTEXT + manifest_data)
            valid.add(keyid)
        except InvalidSignature:
            bad.append(keyid)
    if len(valid) >= threshold:
        return sorted(valid)
    if bad:
        raise BundleError(f"{where}: the signature by trusted key {bad[0][:16]}… does not match the manifest: the "
                          "manifest or the signature was changed after signing (tampered or damaged). Not installed.")
    if unknown and not valid:
        raise BundleError(f"{where}: signed by key {unknown[0][:16]}…, which this appliance does not trust. "
                          "Not installed. If that key is the genuine builder's, trust it with "
                          "`appliance adapters trust KEY.pub` first.")
    raise BundleError(f"{where}: {len(valid)} valid signature(s) from trusted keys, {threshold} required "
                      "(setting adapter_signature_threshold). Not installed.")
