#!/bin/sh
# `pnpm scan-check` — see DESIGN.md "Command line".
#
# Memory (pnpm bench measures this launcher on a 250 MB archive):
# - The CLI and its page workers run as plain JavaScript, bundled from the sources by esbuild (about 40 ms).
#   Under tsx every thread would also carry a module-loader thread and the transpiler: tens of MB more.
#   The bundle is kept under .cli/ by a hash of the sources, so it is never stale and is built once per change;
#   node is exec'd, so signals and the exit status are node's own.
# - glibc keeps freed image buffers in per-thread arenas and raises its mmap threshold after the first large
#   free, so libvips' multi-megabyte page buffers pile up per worker thread. Two arenas and a fixed mmap
#   threshold hand them back to the system.
set -e
package="$(cd "$(dirname "$0")/.." && pwd)"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"

# the codes' Russian sentences and the entry-name decoding come from the contracts package (zod-free modules),
# bundled in
texts="$package/../contracts/src/scan-texts.ts"
names="$package/../contracts/src/entry-names.ts"

sources_hash() {
  cd "$package"
  find src -name '*.ts' ! -name '*.test.ts' | LC_ALL=C sort | xargs cat package.json "$texts" "$names" | sha256sum | cut -c1-16
}

# inside the package, so the bundle's imports of sharp, zxing-wasm and zip.js resolve to its node_modules
bundle="$package/.cli/$(sources_hash)"
if [ ! -f "$bundle/scan-check.js" ] || [ ! -f "$bundle/analyse-page-worker.js" ]; then
  mkdir -p "$package/.cli"
  building="$(mktemp -d "$package/.cli/building-XXXXXX")"
  if ! "$package/node_modules/.bin/esbuild" \
    "$package/src/cli/scan-check.ts" "$package/src/pool/analyse-page-worker.ts" \
    --bundle --platform=node --format=esm --target=node20 --packages=external \
    --alias:@collector/contracts/scan-texts="$texts" --alias:@collector/contracts/entry-names="$names" \
    --outdir="$building" --entry-names='[name]' --log-level=warning; then
    rm -rf "$building"
    echo "scan-check: could not build the command from packages/scan-core/src" >&2
    exit 70
  fi
  # another launcher may have finished the same build first: its copy is as good as ours
  if ! mv -T "$building" "$bundle" 2>/dev/null; then rm -rf "$building"; fi
  # bundles of older sources are no longer needed
  for old in "$package"/.cli/*; do
    case "$old" in "$bundle" | "$package"/.cli/building-*) ;; *) rm -rf "$old" ;; esac
  done
fi
exec node --max-semi-space-size=2 "$bundle/scan-check.js" "$@"
