#!/usr/bin/env bash
# Every test: Rust unit and integration tests against the sandbox and, driven from
# tests/clients.rs, the C client under valgrind and ASan/UBSan, the PHP FFI tests and the
# Python ctypes tests; then every fuzz target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
cargo build --workspace --quiet
cargo test --workspace
scripts/fuzz.sh
