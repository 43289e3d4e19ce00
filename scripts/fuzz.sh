#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (FUZZ_SECONDS each, default 20) from the
# committed corpus, which it leaves untouched; fails on any crash. Installs cargo-fuzz if
# missing. The stable toolchain has no -Zsanitizer, so targets run without ASan: they catch
# panics, aborts and hangs; the C tests cover ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet

cargo fuzz build -O --sanitizer none >/dev/null
# Fuzzed creates that pass validation claim their key in the operation journal: keep it apart.
journal_dir=$(mktemp -d)
trap 'rm -rf "$journal_dir"' EXIT
export HOSTPROV_JOURNAL="$journal_dir/journal.sqlite3"
passed=0
failed=0
for target in $(cargo fuzz list); do
    scratch=$(mktemp -d)
    if cargo fuzz run -O --sanitizer none "$target" "$scratch" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=0 >"$scratch.log" 2>&1; then
        echo "fuzz $target: $(grep -E '^Done [0-9]+ runs' "$scratch.log" | tail -n 1)"
        passed=$((passed + 1))
    else
        echo "fuzz $target: FAILED"
        tail -n 40 "$scratch.log"
        failed=$((failed + 1))
    fi
    rm -rf "$scratch" "$scratch.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
