"""Finding adapter bundles on removable media mounted under a root such as /media.

Only looks: nothing is verified or installed here (import does that, after a person
confirms). The manifest is read unverified, only to show what a bundle claims to be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .bundle import MANIFEST, BundleError, Manifest, parse_manifest, version_key
from .source import ARCHIVE_SUFFIXES, looks_like_bundle, open_bundle

MAX_DEPTH = 4          # /media/<user>/<label>/<folder>/<bundle>
PEEK_LIMIT = 1_000_000


@dataclass(frozen=True)
class FoundBundle:
    path: Path
    manifest: Manifest | None   # what it claims, unverified; None when unreadable
    problem: str = ""

    @property
    def label(self) -> str:
        return self.manifest.ident if self.manifest else self.path.name


def find_bundles(root: Path, max_depth: int = MAX_DEPTH) -> list[Path]:
    """Bundle folders and .tar bundles under root, without following links; [] if root is absent."""
    found: list[Path] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if e.name.startswith(".") or e.is_symlink():
                continue
            path = Path(e.path)
            if e.is_dir(follow_symlinks=False):
                if looks_like_bundle(path):
                    found.append(path)
                elif depth < max_depth:
                    walk(path, depth + 1)
            elif e.is_file(follow_symlinks=False) and e.name.endswith(ARCHIVE_SUFFIXES):
                found.append(path)

    if root.is_dir():
        if looks_like_bundle(root):
            return [root]
        walk(root, 1)
    return found


def peek(path: Path) -> FoundBundle:
    try:
        with open_bundle(path) as src:
            return FoundBundle(path, parse_manifest(src.read(MANIFEST, PEEK_LIMIT), str(path)))
    except BundleError as exc:
        return FoundBundle(path, None, str(exc))


def scan(root: Path) -> list[FoundBundle]:
    """Found bundles, oldest version of each name first (so importing in order never replays)."""
    bundles = [peek(p) for p in find_bundles(root)]
    return sorted(bundles, key=lambda b: (b.manifest is None, b.manifest.name if b.manifest else "",
                                          version_key(b.manifest.version) if b.manifest else (), str(b.path)))
