"""The LogicBoxes `customer` lifecycle against hostprov-sandbox, through the ctypes client.

    python3 demo.py [SANDBOX_URL]

The URL may also come from $HOSTPROV_SANDBOX_URL. With neither, the demo starts the
repository's own target/debug/hostprov-sandbox and stops it afterwards. The library is found as
in hostprov.py ($HOSTPROV_LIB, else target/debug of this repository).
"""

from __future__ import annotations

import json
import os
import sys

import sandbox
from hostprov import HostProv, HostProvError


def show(title: str, envelope: dict) -> None:
    print(f"== {title}")
    print(json.dumps(envelope, indent=2))


def run(url: str) -> int:
    hp = HostProv()
    print(f"hostprov {hp.version()} (C ABI {hp.abi_version()}), sandbox at {url}")

    fixtures = sandbox.admin(url, "GET", "fixtures")
    customer_id = fixtures["logicboxes"]["customers"][0]["customer_id"]
    request = {
        "provider": "logicboxes",
        "product": "customer",
        "account": sandbox.logicboxes_account(url, fixtures),
        "service": {"customer_id": customer_id},
    }

    steps = [
        ("test_connection", hp.test_connection, {"provider": "logicboxes", "account": request["account"]}),
        ("suspend", hp.suspend, {**request, "service": {**request["service"], "reason": "Overdue invoice"}}),
        ("unsuspend", hp.unsuspend, {**request, "service": {**request["service"], "reason": "Invoice paid"}}),
        ("client_area_url", hp.client_area_url, {**request, "service": {**request["service"], "client_ip": "203.0.113.9"}}),
    ]
    for name, operation, step_request in steps:
        try:
            show(name, operation(step_request))
        except HostProvError as e:
            show(f"{name} failed: {e.code}", e.envelope)
            return 1
    return 0


def main(argv: list) -> int:
    url = argv[1] if len(argv) > 1 else os.environ.get("HOSTPROV_SANDBOX_URL")
    if url:
        return run(url.rstrip("/"))
    with sandbox.Sandbox() as started:
        return run(started.url)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
