#!/bin/sh
# `pnpm scan-check` — see DESIGN.md "Command line".
#
# Memory (pnpm bench measures this launcher on a 250 MB archive):
# - The CLI and its page workers run as plain JavaScript, bundled from the sources by esbuild at every start
#   (about 40 ms), never stale. Under tsx every thread would also carry a module-loader thread and the
#   transpiler: about 50 MB more for the main thread and two workers.
# - glibc keeps freed image buffers in per-thread arenas and raises its mmap threshold after the first large
#   free, so libvips' multi-megabyte page buffers pile up per worker thread. Two arenas and a fixed mmap
#   threshold hand them back to the system.
set -e
package="$(cd "$(dirname "$0")/.." && pwd)"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
# inside the package, so the bundle's imports of sharp, zxing-wasm and zip.js resolve to its node_modules
mkdir -p "$package/.cli"
out="$(mktemp -d "$package/.cli/run-XXXXXX")"
trap 'rm -rf "$out"' EXIT
trap 'rm -rf "$out"; exit 130' INT
trap 'rm -rf "$out"; exit 143' TERM
"$package/node_modules/.bin/esbuild" \
  "$package/src/cli/scan-check.ts" "$package/src/pool/analyse-page-worker.ts" \
  --bundle --platform=node --format=esm --target=node20 --packages=external \
  --outdir="$out" --entry-names='[name]' --log-level=warning
set +e
node "$out/scan-check.js" "$@"
status=$?
exit $status
