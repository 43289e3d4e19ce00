#!/usr/bin/env bash
# Every test: Rust unit and integration tests against the sandbox and, driven from
# tests/clients.rs, the C client under valgrind and ASan/UBSan, the PHP FFI tests and the
# Python ctypes tests, once with the sandbox's standard LogicBoxes errors and once with every
# error shape in turn; then every fuzz target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
cargo build --workspace --quiet
cargo test --workspace --no-fail-fast
# Again under the sandbox's mixed error style, so that no test passes by one spelling of an error.
HOSTPROV_SANDBOX_ERROR_STYLE=mixed cargo test -p hostprov --tests --no-fail-fast
scripts/fuzz.sh
