"""Fixtures: the library, and a hostprov-sandbox (from $HOSTPROV_SANDBOX_URL, or started here)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import sandbox as sandbox_admin  # noqa: E402
from hostprov import HostProv  # noqa: E402

REPO = HERE.parent.parent.parent

# The sandbox's default LogicBoxes reseller (DESIGN.md §7).
LB_AUTH_USERID = "100000"
LB_API_KEY = "sandbox-key"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def hp() -> HostProv:
    return HostProv()


@pytest.fixture(scope="session")
def sandbox_url():
    url = os.environ.get("HOSTPROV_SANDBOX_URL")
    if url:
        yield url.rstrip("/")
        return
    started = sandbox_admin.Sandbox()
    try:
        yield started.url
    finally:
        started.stop()


@pytest.fixture
def clean(sandbox_url) -> str:
    """The sandbox, reset to its seeded state (clock offset and request log included)."""
    assert sandbox_admin.admin(sandbox_url, "POST", "reset") == {"reset": True}
    return sandbox_url


@pytest.fixture
def fixtures(clean) -> dict:
    return sandbox_admin.admin(clean, "GET", "fixtures")


@pytest.fixture
def customer_id(fixtures) -> str:
    return fixtures["logicboxes"]["customers"][0]["customer_id"]


@pytest.fixture(scope="session")
def account(sandbox_url) -> dict:
    return {
        "auth_userid": LB_AUTH_USERID,
        "api_key": LB_API_KEY,
        "base_url": f"{sandbox_url}/logicboxes",
        "panel_url": f"{sandbox_url}/logicboxes",
    }


@pytest.fixture
def customer_request(account, customer_id) -> dict:
    """A LogicBoxes `customer` request for the first fixture customer."""
    return {
        "provider": "logicboxes",
        "product": "customer",
        "account": dict(account),
        "service": {"customer_id": customer_id},
    }
