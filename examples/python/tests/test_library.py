"""The library as loaded through ctypes: versions, catalog, and the error mapping."""

from __future__ import annotations

import re
import tomllib

import pytest

import hostprov
from hostprov import ERRORS_BY_CODE, HostProvError, raise_for_envelope


def test_version_matches_cargo_toml(hp, repo):
    with open(repo / "Cargo.toml", "rb") as f:
        cargo = tomllib.load(f)
    assert hp.version() == cargo["package"]["version"]


def test_abi_version_is_1(hp):
    assert hp.abi_version() == 1


def _logicboxes(catalog: dict) -> dict:
    providers = {p["provider"]: p for p in catalog["data"]["providers"]}
    assert "logicboxes" in providers, sorted(providers)
    return providers["logicboxes"]


def test_catalog_lists_logicboxes_customer(hp):
    catalog = hp.catalog()
    assert catalog["ok"] is True
    assert catalog["operation"] == "catalog"
    assert catalog["data"]["version"] == hp.version()
    assert catalog["data"]["abi_version"] == hp.abi_version()
    lb = _logicboxes(catalog)
    assert "test_connection" in [op["operation"] for op in lb["operations"]]
    products = {p["product"]: p for p in lb["products"]}
    assert "customer" in products, sorted(products)
    operations = {op["operation"]: op for op in products["customer"]["operations"]}
    assert {"suspend", "unsuspend", "client_area_url"} <= set(operations)
    assert "customer_id" in operations["suspend"]["required"]
    assert {"customer_id", "client_ip"} <= set(operations["client_area_url"]["required"])
    assert {"auth_userid", "api_key"} <= set(lb["account"]["required"])


def test_catalog_by_name_is_the_same(hp):
    assert hp.call("catalog", {}) == hp.catalog()
    assert hp.call_raw(b"catalog", None) == hp.catalog()


def test_string_free_accepts_null(hp):
    hp._lib.hostprov_string_free(None)


def test_every_declared_function_has_a_signature(hp, repo):
    header = (repo / "include" / "hostprov.h").read_text()
    declared = set(re.findall(r"\b(hostprov_\w+)\s*\(", header))
    assert declared == set(hostprov._SIGNATURES)
    for name in declared:
        func = getattr(hp._lib, name)
        assert func.argtypes is not None, name


def test_error_classes_cover_every_code(repo):
    source = (repo / "src" / "response.rs").read_text()
    codes = set(re.findall(r'ErrorCode::\w+ => "(\w+)"', source))
    assert len(codes) == 13
    assert set(ERRORS_BY_CODE) == codes
    for code, cls in ERRORS_BY_CODE.items():
        assert issubclass(cls, HostProvError)
        assert cls.__name__ == "".join(part.capitalize() for part in code.split("_"))


@pytest.mark.parametrize("code", sorted(ERRORS_BY_CODE))
def test_error_envelope_raises_its_class(code):
    envelope = {
        "ok": False,
        "api_version": 1,
        "operation": "suspend",
        "provider": "logicboxes",
        "product": "customer",
        "error": {"code": code, "message": "m", "retryable": True, "provider_message": "pm", "http_status": 500},
        "calls": [],
    }
    with pytest.raises(ERRORS_BY_CODE[code]) as info:
        raise_for_envelope(envelope)
    e = info.value
    assert type(e) is ERRORS_BY_CODE[code]
    assert (e.code, e.message, e.retryable, e.provider_message, e.http_status) == (code, "m", True, "pm", 500)
    assert e.envelope is envelope


def test_unknown_code_raises_the_base_class():
    envelope = {"ok": False, "error": {"code": "something_new", "message": "m"}}
    with pytest.raises(HostProvError) as info:
        raise_for_envelope(envelope)
    assert type(info.value) is HostProvError
    assert info.value.code == "something_new"


def test_ok_envelope_is_returned_unchanged():
    envelope = {"ok": True, "data": {}}
    assert raise_for_envelope(envelope) is envelope
