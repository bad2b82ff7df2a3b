"""One drop-folder service per home: an exclusive lock on HOME/service.lock.

`appliance watch` and the TUI's built-in service take it before they touch the inbox;
a second one finds it held and is told the PID of the holder. The lock is an
fcntl.flock on an open file: the kernel drops it when the holder exits or dies
(SIGKILL included), so a crash never leaves a stale lock behind. flock locks belong
to the open file, so two threads of one process (the TUI and a test) exclude each
other as two processes do.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import ApplianceError
from .home import Home

LOCK_NAME = "service.lock"


class ServiceRunning(ApplianceError):
    """Another drop-folder service holds this home's lock."""

    def __init__(self, path: Path, pid: int | None):
        self.path, self.pid = path, pid
        holder = f"PID {pid}" if pid else "PID unknown"
        super().__init__(
            f"a service is already running ({holder}) on the appliance home {path.parent}; "
            "only one drop-folder service may run per home. Stop it first "
            "(sudo systemctl stop clinic-appliance, or quit the other appliance window)."
        )


class ServiceLock:
    """Held from acquire() until release() or the end of the process."""

    def __init__(self, home: Home):
        self.path = home.root / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> "ServiceLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise ServiceRunning(self.path, pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> "ServiceLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


# -- claims: the job itself, for processes that bypass the lock ---------------------------

class JobClaimed(ApplianceError):
    """Another live process is working on this content, or has finished it; leave the file alone."""


_ACTIVE: set[str] = set()   # tokens of this process's appliances now inside a per-file step


def claim_token(owner: object) -> str:
    """This appliance instance's claim: pid, the process's start time (against PID reuse), instance."""
    token = getattr(owner, "_claim_token", None)
    if token is None:
        token = f"{os.getpid()}:{_start_time(os.getpid()) or '?'}:{os.urandom(4).hex()}"
        setattr(owner, "_claim_token", token)
    return token


def working(token: str, busy: bool) -> None:
    """Mark this process's appliance as inside (or out of) a per-file step."""
    (_ACTIVE.add if busy else _ACTIVE.discard)(token)


def claim_alive(token: str | None) -> bool:
    """Is the process (and, in this process, the appliance) that made this claim still at work?"""
    if not token:
        return False
    pid_text, _, rest = token.partition(":")
    started = rest.partition(":")[0]
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return token in _ACTIVE   # a crashed step in this process (a test) holds nothing
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    now = _start_time(pid)
    return started == "?" or now is None or now == started


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None
