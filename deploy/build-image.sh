#!/usr/bin/env bash
# Builds Minutebook's container image with Debian's podman, from Debian's packages only:
# the base is a bookworm root filesystem made by mmdebstrap from the Debian mirror and
# imported into podman; nothing is pulled from an image registry.
#
#   apt-get install --no-install-recommends podman mmdebstrap   # and podman-compose to run it
#   deploy/build-image.sh                 # -> localhost/minutebook:latest
#
# Then (see deploy/compose.yaml): fill in /etc/minutebook.env from .env.example, and
#   podman-compose -f deploy/compose.yaml run --rm web python manage.py migrate
#   podman-compose -f deploy/compose.yaml up -d
#
# MIRROR: the Debian mirror (default deb.debian.org). CA_BUNDLE: the CA certificates pip
# trusts while fetching the lock from PyPI (default the build machine's own, so a site proxy
# that re-signs TLS works); it is a build secret, not a layer of the image.
# On a VM whose cgroups are v1/v2 hybrid (crun: "cgroups in hybrid mode not supported") and
# that may not raise rlimits (crun: "setrlimit RLIMIT_NOFILE: Operation not permitted"),
# point CONTAINERS_CONF at a file saying `[engine] runtime = "runc"` (apt-get install runc)
# and `[containers] default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]`.
set -euo pipefail
cd "$(dirname "$0")/.."

MIRROR="${MIRROR:-http://deb.debian.org}"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
BASE=localhost/debian-bookworm-minbase:latest
IMAGE="${IMAGE:-localhost/minutebook:latest}"

if [[ "${REBUILD_BASE:-}" == 1 ]] || ! podman image exists "$BASE"; then
  rootfs="$(mktemp -d)/bookworm-minbase.tar"
  mmdebstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" \
    "deb $MIRROR/debian bookworm main" \
    "deb $MIRROR/debian bookworm-updates main" \
    "deb $MIRROR/debian-security bookworm-security main"
  podman import --change 'CMD ["/bin/bash"]' "$rootfs" "$BASE"
  rm -r "$(dirname "$rootfs")"
fi

# The front-end files are built here (npm), not in the image.
make assets
podman build --network host --secret "id=ca-bundle,src=$CA_BUNDLE" \
  -f deploy/Containerfile -t "$IMAGE" .
