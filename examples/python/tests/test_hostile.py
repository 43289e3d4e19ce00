"""Hostile input through `hostprov_call`: every case is an `ok: false` envelope, never a crash,
and memory stays flat over many of them."""

from __future__ import annotations

import json
import os

import pytest

# Never contacted: every case below is refused before any request is sent. Were one sent, it
# would fail as a network error and the expected code would not match.
UNREACHABLE = "http://127.0.0.1:9/logicboxes"
ACCOUNT = {"auth_userid": "100000", "api_key": "sandbox-key", "base_url": UNREACHABLE, "panel_url": UNREACHABLE}


def doc(**fields) -> bytes:
    request = {"provider": "logicboxes", "product": "customer", "account": ACCOUNT, "service": {"customer_id": "99"}}
    request.update(fields)
    return json.dumps({k: v for k, v in request.items() if v is not None}).encode("utf-8")


VALID = doc()
OVERSIZED = VALID[:-1] + b',"idempotency_key":"' + b"x" * (1024 * 1024) + b'"}'
DEEP = (
    b'{"provider":"logicboxes","product":"customer","service":{"customer_id":"99","options":{"a":'
    + b"[" * 10_000 + b"1" + b"]" * 10_000 + b"}}}"
)

# (id, operation, request, expected code, text the message must contain)
HOSTILE = [
    ("null_request", b"suspend", None, "invalid_request", "NULL"),
    ("null_operation", None, VALID, "invalid_request", "NULL"),
    ("invalid_utf8", b"suspend", b"\xff\xfe{", "invalid_request", "UTF-8"),
    ("not_json", b"suspend", b"provider=logicboxes&product=customer", "invalid_request", "not valid JSON"),
    ("oversized", b"suspend", OVERSIZED, "invalid_request", "larger than"),
    ("nested_10000_deep", b"suspend", DEEP, "invalid_request", "nested too deeply"),
    ("unknown_provider", b"suspend", doc(provider="nosuchprovider"), "unknown_provider", "nosuchprovider"),
    ("unknown_product", b"suspend", doc(product="nosuchproduct"), "unknown_product", "nosuchproduct"),
    ("unknown_operation", b"frobnicate", VALID, "unsupported_operation", "frobnicate"),
    ("missing_product", b"suspend", doc(product=None), "invalid_request", "`product`"),
    ("wrong_type", b"suspend", doc(service={"customer_id": True}), "invalid_request", "`service.customer_id`"),
    ("unknown_top_level_key", b"suspend", doc(bogus_key=1), "invalid_request", "`bogus_key`"),
]


def test_oversized_is_over_one_mib():
    assert len(OVERSIZED) > 1024 * 1024
    json.loads(OVERSIZED)  # valid JSON: only its size is wrong
    assert DEEP.count(b"[") == 10_000


@pytest.mark.parametrize("operation, request_bytes, code, needle", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_an_error_envelope(hp, operation, request_bytes, code, needle):
    env = hp.call_raw(operation, request_bytes)
    assert env["ok"] is False, env
    assert env["api_version"] == 1
    assert env["error"]["code"] == code, env
    assert needle in env["error"]["message"], env
    assert env["error"]["retryable"] is False
    assert env["calls"] == []
    assert "sandbox-key" not in json.dumps(env)


def test_the_valid_base_request_would_reach_the_network(hp):
    # Proves the hostile cases above fail on their defect, not on the unreachable endpoint.
    env = hp.call_raw(b"suspend", doc(options={"timeout_ms": 2000}))
    assert env["ok"] is False
    assert env["error"]["code"] == "network_error", env
    assert env["calls"], env


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def run_hostile(hp, count: int) -> None:
    for i in range(count):
        _, operation, request_bytes, code, _ = HOSTILE[i % len(HOSTILE)]
        env = hp.call_raw(operation, request_bytes)
        assert env["ok"] is False and env["error"]["code"] == code, env


def test_memory_stays_flat_over_many_hostile_calls(hp):
    run_hostile(hp, 1_000)
    before = rss_bytes()
    run_hostile(hp, 10_000)
    growth = rss_bytes() - before
    assert growth < 2 * 1024 * 1024, f"RSS grew by {growth / 1024 / 1024:.1f} MiB over 10,000 calls"
