#!/usr/bin/env bash
# Make a minimal Debian base image for the Containerfile, locally, with debootstrap,
# and import it into podman. Nothing in the appliance image is fetched at build time;
# this base is the only thing that comes from a Debian mirror.
#
#   packaging/base-image.sh [IMAGE]      (default localhost/clinic-base:bookworm)
#
# The mirror is read from this machine's apt configuration (or DEBIAN_MIRROR), so no
# mirror is written into the repository. SUITE (default bookworm) must have the
# Python the offline package was built for (bookworm: 3.11). The root file system is
# kept in build/base/ and reused; delete it to start over.
set -euo pipefail

IMAGE=${1:-localhost/clinic-base:bookworm}
SUITE=${SUITE:-bookworm}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOTFS=$REPO/build/base/$SUITE
PODMAN=${PODMAN:-podman}

if $PODMAN image exists "$IMAGE"; then
    echo "base-image.sh: $IMAGE exists already"
    exit 0
fi
for tool in debootstrap $PODMAN; do
    command -v "${tool%% *}" >/dev/null || { echo "base-image.sh: $tool is missing; apt-get install podman debootstrap" >&2; exit 1; }
done

# The first Debian archive URI apt uses here (deb822 .sources or one-line lists),
# skipping the security archive.
mirror() {
    { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
      sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' \
          /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
    } | grep -v -e '^$' -e security | head -n1
}
MIRROR=${DEBIAN_MIRROR:-$(mirror || true)}  # a missing list file is not an error
[ -n "$MIRROR" ] || { echo "base-image.sh: no Debian mirror found in /etc/apt; set DEBIAN_MIRROR" >&2; exit 1; }

if [ ! -x "$ROOTFS/usr/bin/python3" ]; then
    started=$(date +%s)
    rm -rf "$ROOTFS" "$ROOTFS.partial"
    mkdir -p "$(dirname "$ROOTFS")"
    # minbase: dpkg, apt and the essential tools; python3-venv brings python3 and ensurepip.
    debootstrap --variant=minbase --include=python3,python3-venv "$SUITE" "$ROOTFS.partial" "$MIRROR"
    rm -rf "$ROOTFS.partial"/var/cache/apt/archives/*.deb "$ROOTFS.partial"/var/lib/apt/lists/*
    mv "$ROOTFS.partial" "$ROOTFS"
    echo "base-image.sh: debootstrap took $(( $(date +%s) - started )) s"
fi

tar -C "$ROOTFS" --numeric-owner -c . | $PODMAN import --change 'CMD ["/bin/bash"]' - "$IMAGE"
echo "base-image.sh: imported $IMAGE ($(du -sm "$ROOTFS" | cut -f1) MB root file system)"
