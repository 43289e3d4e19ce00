#!/usr/bin/env bash
# Starts the bundled sandbox and runs every implemented product's lifecycle through PHP FFI,
# printing each step's envelope.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
cargo build --workspace --quiet

out=$(mktemp)
target/debug/hostprov-sandbox --listen 127.0.0.1:0 >"$out" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
url=$(head -n 1 "$out" | sed -n 's/^hostprov-sandbox listening on //p')
[ -n "$url" ] || { echo "demo: the sandbox did not start" >&2; exit 1; }

HOSTPROV_LIB=target/debug/libhostprov.so php php-ext-example/demo.php "$url"
