#!/usr/bin/env bash
# The benchmarks (benches/bench.py): hostprov against the PHP modules panels use today and a raw
# keep-alive HTTPS client, over HTTPS to the sandbox at 0 and 20 ms of simulated latency; batch
# against one by one; eight processes; the bare FFI overhead. Prints every figure as a ratio
# against its baseline from the same run and writes benches/RESULTS.md. Takes a few minutes.
# Never run by the test command: it measures, it asserts nothing.
#
#   scripts/bench.sh            # the full run, writes benches/RESULTS.md
#   scripts/bench.sh --quick    # a few calls of everything, to check that it runs; writes nothing
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh

# The PHP modules measured against hostprov use curl (Debian: php-curl).
if ! php -r 'exit(extension_loaded("curl") ? 0 : 1);' 2>/dev/null; then
    echo "bench: installing php-curl" >&2
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq php-curl >/dev/null
fi

cargo build --release --quiet -p hostprov-sandbox --bin hostprov-sandbox
# The raw floor is a bench target (benches/floor.rs); cargo names its executable.
floor=$(cargo build --release --quiet -p hostprov --lib --bench floor --message-format=json \
    | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "floor" and m.get("executable"):
        print(m["executable"])')

exec python3 benches/bench.py \
    --library target/release/libhostprov.so \
    --sandbox target/release/hostprov-sandbox \
    --floor "$floor" "$@"
