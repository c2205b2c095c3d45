#!/usr/bin/env bash
# Prepares a fresh machine (Node 20 + npm + apt) for running or testing the collector:
# system packages, pnpm 12.4.2, and the workspace's dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v 7z >/dev/null 2>&1 || need_apt+=(p7zip-full)
if [[ "${1:-}" == "--with-browser" ]] && ! command -v chromium >/dev/null 2>&1; then need_apt+=(chromium); fi
if (( ${#need_apt[@]} )); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "==> apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [[ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]]; then
  echo "==> npm i -g pnpm@12.4.2"
  npm i -g pnpm@12.4.2 >/dev/null
fi

echo "==> pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile
