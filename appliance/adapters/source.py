"""Reading a bundle from untrusted media: a folder or a .tar archive, never trusted for paths.

Nothing from the media is ever extracted to a path the media names: each expected file
is read by its fixed name into memory (manifest, signatures) or copied into a folder
the appliance chose (the adapter), hashed and size-limited while it is read. An archive
is refused outright, with the member named, if it holds anything but those regular
files: an absolute path or `..` (path traversal), a symbolic or hard link, a device,
a pipe, an unexpected name or a name twice.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .bundle import BUNDLE_FILES, MANIFEST, BundleError

ARCHIVE_SUFFIXES = (".tar",)
MAX_ARCHIVE_MEMBERS = 16
CHUNK = 1 << 20


def looks_like_bundle(path: Path) -> bool:
    """A folder holding manifest.json, or a .tar file (checked properly when read)."""
    try:
        if path.is_symlink():
            return False
        if path.is_dir():
            return (path / MANIFEST).is_file()
        return path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES)
    except OSError:
        return False


class BundleSource:
    """One bundle's files, read by name with a size limit."""

    def __init__(self, path: Path):
        self.path = path

    def read(self, name: str, limit: int) -> bytes:
        raise NotImplementedError

    def copy(self, name: str, dest: Path, limit: int) -> tuple[int, str]:
        """Copy `name` to dest (private, fsync'd); returns (size, sha256) of what was copied."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> "BundleSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read_limited(f: BinaryIO, limit: int, what: str) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise BundleError(f"{what} is larger than the {limit:,}-byte limit; refused.")
    return data


def _copy_limited(f: BinaryIO, dest: Path, limit: int, what: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        for block in iter(lambda: f.read(CHUNK), b""):
            size += len(block)
            if size > limit:
                raise BundleError(f"{what} is larger than the {limit:,}-byte limit (setting adapter_max_bytes); "
                                  "refused.")
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


class FolderSource(BundleSource):
    def _open(self, name: str) -> BinaryIO:
        where = self.path / name
        try:
            st = os.lstat(where)
        except FileNotFoundError:
            raise BundleError(f"{self.path}: {name} is missing; a bundle holds {', '.join(BUNDLE_FILES)}. "
                              "The copy is incomplete: copy the whole bundle folder again.") from None
        if stat.S_ISLNK(st.st_mode):
            raise BundleError(f"{self.path}: {name} is a symbolic link; bundles hold plain files only. Refused.")
        if not stat.S_ISREG(st.st_mode):
            raise BundleError(f"{self.path}: {name} is not a regular file (a device, pipe or folder); refused.")
        fd = os.open(where, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the check and the open
            os.close(fd)
            raise BundleError(f"{self.path}: {name} is not a regular file; refused.")
        return os.fdopen(fd, "rb")

    def read(self, name: str, limit: int) -> bytes:
        with self._open(name) as f:
            return _read_limited(f, limit, f"{self.path}: {name}")

    def copy(self, name: str, dest: Path, limit: int) -> tuple[int, str]:
        with self._open(name) as f:
            return _copy_limited(f, dest, limit, f"{self.path}: {name}")


class ArchiveSource(BundleSource):
    def __init__(self, path: Path):
        super().__init__(path)
        try:
            self.tar = tarfile.open(path, "r:")  # plain tar only: no decompression bombs
        except (tarfile.TarError, OSError) as exc:
            raise BundleError(f"{path}: not a readable tar archive ({exc}); the copy may be truncated or damaged. "
                              "Copy the bundle again.") from exc
        try:
            self.members = self._check_members()
        except BaseException:
            self.tar.close()
            raise

    def _check_members(self) -> dict[str, tarfile.TarInfo]:
        try:
            members = self.tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BundleError(f"{self.path}: the archive is truncated or damaged ({exc}); copy the bundle again.") from exc
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise BundleError(f"{self.path}: the archive holds {len(members)} entries; a bundle has 3 files. Refused.")
        files: dict[str, tarfile.TarInfo] = {}
        top_dirs = set()
        for m in members:
            parts = PurePosixPath(m.name).parts
            if m.name.startswith("/") or "\\" in m.name or ".." in parts or "\x00" in m.name or not parts:
                raise BundleError(f"{self.path}: archive entry {m.name!r} points outside the bundle (path traversal); "
                                  "the archive is unsafe and was refused. Nothing was extracted.")
            if m.issym() or m.islnk():
                raise BundleError(f"{self.path}: archive entry {m.name!r} is a link (to {m.linkname!r}); bundles hold "
                                  "plain files only. Refused; nothing was extracted.")
            if m.isdev():
                raise BundleError(f"{self.path}: archive entry {m.name!r} is a device file or pipe; refused, nothing "
                                  "was extracted.")
            if m.isdir():
                if len(parts) != 1:
                    raise BundleError(f"{self.path}: unexpected folder {m.name!r} in the archive; refused.")
                top_dirs.add(parts[0])
                continue
            if not m.isfile():
                raise BundleError(f"{self.path}: archive entry {m.name!r} is not a regular file; refused.")
            if len(parts) == 2:
                top_dirs.add(parts[0])
            if len(parts) > 2 or parts[-1] not in BUNDLE_FILES:
                raise BundleError(f"{self.path}: unexpected file {m.name!r} in the archive (a bundle holds "
                                  f"{', '.join(BUNDLE_FILES)}, at the top or in one folder); refused.")
            if parts[-1] in files:
                raise BundleError(f"{self.path}: {parts[-1]} appears twice in the archive; refused.")
            files[parts[-1]] = m
        if len(top_dirs) > 1:
            raise BundleError(f"{self.path}: the archive holds several folders ({', '.join(sorted(top_dirs))}); "
                              "one bundle per archive. Refused.")
        return files

    def _open(self, name: str, limit: int) -> BinaryIO:
        member = self.members.get(name)
        if member is None:
            raise BundleError(f"{self.path}: {name} is missing from the archive; a bundle holds "
                              f"{', '.join(BUNDLE_FILES)}. Refused.")
        if member.size > limit:
            raise BundleError(f"{self.path}: {name} is {member.size:,} bytes, over the {limit:,}-byte limit; refused.")
        f = self.tar.extractfile(member)
        assert f is not None  # a regular file, checked above
        return f

    def _damaged(self, name: str, exc: Exception) -> BundleError:
        return BundleError(f"{self.path}: {name} cannot be read from the archive ({exc}); the archive is "
                           "truncated or damaged. Copy the bundle again.")

    def read(self, name: str, limit: int) -> bytes:
        try:
            with self._open(name, limit) as f:
                return _read_limited(f, limit, f"{self.path}: {name}")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise self._damaged(name, exc) from exc

    def copy(self, name: str, dest: Path, limit: int) -> tuple[int, str]:
        try:
            with self._open(name, limit) as f:
                return _copy_limited(f, dest, limit, f"{self.path}: {name}")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise self._damaged(name, exc) from exc

    def close(self) -> None:
        self.tar.close()


def open_bundle(path: Path) -> BundleSource:
    """The bundle at `path` (a folder or a .tar file); BundleError if it is neither."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file or folder; give a bundle folder, a .tar bundle or a USB mount.") from None
    if stat.S_ISLNK(st.st_mode):
        raise BundleError(f"{path}: is a symbolic link; give the bundle itself. Refused.")
    if stat.S_ISDIR(st.st_mode):
        return FolderSource(path)
    if stat.S_ISREG(st.st_mode) and path.name.endswith(ARCHIVE_SUFFIXES):
        return ArchiveSource(path)
    raise BundleError(f"{path}: not an adapter bundle (expected a folder with {MANIFEST} or a .tar archive).")
