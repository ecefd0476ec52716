#!/usr/bin/env bash
# Builds container/Dockerfile for real (buildah, no Docker engine needed) and runs what the image
# offers under the image's own Node:
#   1. the shared image-check build-and-invoke.sh: builds the image from this checkout against local
#      stand-ins of the two base images and calls the handler named by the image's CMD;
#   2. container/image-check-probe.mjs inside the image: every handler entry (index.handler,
#      index.routerHandler, oauth.frontHandler, oauth.tokenHandler, any other <file>.<export> bundled
#      into /var/task) and the HTTP mode
#      (`node /var/task/http.mjs`: GET /health, POST /mcp tools/list with a platform Mcp-Session-Id,
#      SIGTERM -> exit 0).
# Prints one JSON line per check and the build time and image size; exits non-zero on any failure.
# Usage: container/image-check.sh [TAG]
# Environment: IMAGE_CHECK_TOOLS (default: ../shared/tools/image-check beside the checkout),
#              IMAGE_CHECK_HTTP_PORT (default 8000, the image's own default port).
# Needs root (debootstrap, buildah; stand-in-bases.sh installs them from Debian when missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${IMAGE_CHECK_TOOLS:-$(dirname "$repo")/shared/tools/image-check}
tag=${1:-localhost/mcp-server:check}
[ -x "$tools/build-and-invoke.sh" ] || { echo "image-check: $tools/build-and-invoke.sh not found (set IMAGE_CHECK_TOOLS)" >&2; exit 1; }

start=$(date +%s)
"$tools/build-and-invoke.sh" "$repo" "$tag"
seconds=$(( $(date +%s) - start ))
size=$(buildah images --format '{{.Size}}' "$tag" | head -1)
echo "{\"check\":\"image build + CMD invoke\",\"ok\":true,\"seconds\":$seconds,\"image\":\"$tag\",\"size\":\"$size\"}"

c=$(buildah from --pull-never "$tag")
trap 'buildah rm "$c" >/dev/null 2>&1 || true' EXIT
buildah copy "$c" "$repo/container/image-check-probe.mjs" /opt/image-check-probe.mjs >/dev/null
# The probe runs in a network namespace of its own (loopback only, as a container's network would
# be), so the HTTP mode binds the image's default 0.0.0.0:8000 even when the machine uses that port.
probe=(buildah run --isolation chroot ${IMAGE_CHECK_HTTP_PORT:+--env IMAGE_CHECK_HTTP_PORT=$IMAGE_CHECK_HTTP_PORT} "$c" -- node /opt/image-check-probe.mjs)
if command -v unshare >/dev/null && command -v ip >/dev/null && unshare --net true 2>/dev/null; then
  unshare --net sh -c 'ip link set lo up && exec "$@"' sh "${probe[@]}"
else
  "${probe[@]}"
fi
