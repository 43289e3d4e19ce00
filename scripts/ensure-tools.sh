#!/usr/bin/env bash
# Installs what the tests and the demo need beyond the Rust toolchain, only when missing:
# php-cli with FFI (Debian's php8.x-common carries it), a C compiler, valgrind, pytest.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "ensure-tools: need root to run: $*" >&2; exit 1; fi
}

apt_packages=()
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' 2>/dev/null || apt_packages+=(php-cli)
command -v cc >/dev/null || apt_packages+=(gcc libc6-dev)
command -v valgrind >/dev/null || apt_packages+=(valgrind)
command -v python3 >/dev/null || apt_packages+=(python3 python3-pip)

if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "ensure-tools: installing ${apt_packages[*]}" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! python3 -c 'import pytest' 2>/dev/null; then
    echo "ensure-tools: installing pytest" >&2
    python3 -m pip install --quiet pytest 2>/dev/null \
        || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest >/dev/null
fi

php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "ensure-tools: php has no FFI extension" >&2; exit 1; }
python3 -c 'import pytest' || { echo "ensure-tools: pytest is not importable" >&2; exit 1; }
