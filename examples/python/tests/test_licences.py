"""Plesk, cPanel and Virtuozzo licences (provider `websoftsolus`) against the sandbox: the
lifecycle, per-product validation, idempotent creates, unknown keys, credentials, the test
environment and the operations the licence API lacks."""

from __future__ import annotations

import json

import pytest

import sandbox
from hostprov import AuthenticationFailed, InvalidRequest, NotFound, UnsupportedOperation

CANARY = "canary-licence-secret-5"
PRODUCTS = ["plesk", "cpanel", "virtuozzo"]
UNSUPPORTED = ["suspend", "unsuspend", "renew", "change_package", "client_area_url"]
#: What each product needs besides its version, `service.options.product`.
NEEDS = {
    "plesk": {"os": "LINUX"},
    "cpanel": {"server_ip": "192.0.2.10", "addons": ["SOFTACULOUS"]},
    "virtuozzo": {"os": "WINDOWS"},
}


@pytest.fixture
def versions(fixtures) -> dict:
    """The orderable versions per product, e.g. {"plesk": ["PLESK_12_WEB_ADMIN", …], …}."""
    return fixtures["websoftsolus"]["products"]


@pytest.fixture
def licence_account(clean, fixtures) -> dict:
    return sandbox.licence_account(clean, fixtures)


@pytest.fixture
def base(licence_account):
    """Provider, product and account of every request about one product's licences."""

    def build(product: str) -> dict:
        return {"provider": "websoftsolus", "product": product, "account": dict(licence_account)}

    return build


@pytest.fixture
def order(base, versions):
    """A valid create request for `product`, titled by its idempotency key."""

    def build(product: str, key: str, months: int = 12) -> dict:
        options = {"product": versions[product][0], **NEEDS[product]}
        return {**base(product), "idempotency_key": key, "service": {"months": months, "options": options}}

    return build


def by_key(request: dict, key_number: str) -> dict:
    return {k: v for k, v in request.items() if k != "idempotency_key"} | {"service": {"order_id": key_number}}


def licences(url: str) -> list:
    return [o for o in sandbox.orders(url) if o["provider"] == "websoftsolus"]


# --------------------------------------------------------------------------------------------
# The lifecycle


@pytest.mark.parametrize("product", PRODUCTS)
def test_create_details_terminate(hp, clean, order, versions, product):
    key = f"panel-service-{product}"
    request = order(product, key)

    created = hp.create(request)
    assert (created["ok"], created["operation"], created["provider"], created["product"]) == (True, "create", "websoftsolus", product)
    licence = created["order_id"]
    assert isinstance(licence, str) and licence, created
    assert created["status"] == "active"
    assert created["data"] == {"title": key, "reconciled": False}
    record = sandbox.order(clean, licence)
    assert record is not None, sandbox.orders(clean)
    assert (record["provider"], record["product"], record["status"]) == ("websoftsolus", product, "active")
    assert (record["title"], record["plan_id"], record["environment"]) == (key, versions[product][0], "live")

    details = hp.details(by_key(request, licence))
    assert (details["ok"], details["order_id"], details["status"]) == (True, licence, "active")
    data = details["data"]
    assert (data["key"], data["product"], data["title"], data["status"]) == (licence, product, key, "active")
    assert data["expires_at"].endswith("T00:00:00Z"), data
    assert data["server_ip"] == NEEDS[product].get("server_ip")
    assert sandbox.order(clean, licence)["status"] == "active"

    terminated = hp.terminate(by_key(request, licence))
    assert (terminated["ok"], terminated["order_id"], terminated["status"]) == (True, licence, "terminated")
    assert [c["method"] for c in terminated["calls"]][-1] == "DELETE"
    assert sandbox.order(clean, licence)["status"] == "terminated"

    # Terminating again is refused by the API; the licence's status answers it, and the
    # sandbox's record does not change.
    again = hp.terminate(by_key(request, licence))
    assert (again["status"], again["data"]["reconciled"]) == ("terminated", True)
    assert sandbox.order(clean, licence)["status"] == "terminated"
    assert [o["order_id"] for o in licences(clean)] == [licence]


def test_a_terminated_licence_is_not_reused_for_its_title(hp, clean, order):
    first = hp.create(order("plesk", "svc-again"))["order_id"]
    hp.terminate(by_key(order("plesk", "svc-again"), first))
    second = hp.create(order("plesk", "svc-again"))
    assert second["order_id"] != first
    assert second["data"]["reconciled"] is False
    assert {o["order_id"]: o["status"] for o in licences(clean)} == {first: "terminated", second["order_id"]: "active"}


# --------------------------------------------------------------------------------------------
# Validation, before anything is sent


@pytest.mark.parametrize(
    "product, options, months, field",
    [
        ("plesk", {"product": "PLESK_12_WEB_HOST"}, 12, "service.options.os"),
        ("plesk", {"product": "PLESK_12_WEB_HOST", "os": "LINUX", "antivirus": "NORTON"}, 12, "service.options.antivirus"),
        ("virtuozzo", {"product": "VZ_CONTAINERS_10"}, 12, "service.options.os"),
        ("virtuozzo", {"product": "VZ_CONTAINERS_10", "os": "SOLARIS"}, 12, "service.options.os"),
        ("cpanel", {"product": "CPANEL_PRO"}, 12, "service.options.server_ip"),
        ("cpanel", {"product": "CPANEL_PRO", "server_ip": "999.1.1.1"}, 12, "service.options.server_ip"),
        ("cpanel", {"product": "CPANEL_PRO", "server_ip": "192.0.2.1", "addons": ["BACKDOOR"]}, 12, "service.options.addons"),
        ("cpanel", {"product": "CPANEL_PRO", "server_ip": "192.0.2.1"}, 5, "service.months"),
        ("plesk", {"product": "PLESK_12_WEB_HOST", "os": "LINUX"}, 0, "service.months"),
        ("virtuozzo", {"product": "VZ_CONTAINERS_10", "os": "LINUX"}, None, "service.months"),
        ("plesk", {"os": "LINUX"}, 12, "service.options.product"),
    ],
    ids=[
        "plesk_no_os", "plesk_bad_antivirus", "virtuozzo_no_os", "virtuozzo_bad_os", "cpanel_no_ip", "cpanel_bad_ip",
        "cpanel_bad_addon", "months_5", "months_0", "no_months", "no_product",
    ],
)
def test_orders_are_validated_per_product(hp, clean, base, product, options, months, field):
    service = {"options": options} if months is None else {"months": months, "options": options}
    with pytest.raises(InvalidRequest) as info:
        hp.create({**base(product), "idempotency_key": "k-1", "service": service})
    e = info.value
    assert f"`{field}`" in e.message, e.message
    assert e.envelope["calls"] == []
    assert sandbox.route_count(clean, f"websoftsolus POST license/{product}/order") == 0
    assert licences(clean) == []


def test_every_valid_period_is_accepted(hp, clean, order):
    for months in (1, 3, 6, 12, 24, 36):
        assert hp.create(order("virtuozzo", f"period-{months}", months=months))["status"] == "active"
    assert len(licences(clean)) == 6


def test_a_licence_needs_a_title(hp, clean, order):
    request = order("plesk", "unused")
    del request["idempotency_key"]
    with pytest.raises(InvalidRequest) as info:
        hp.create(request)
    assert "idempotency_key" in info.value.message
    assert licences(clean) == []


# --------------------------------------------------------------------------------------------
# Idempotency


@pytest.mark.parametrize("product", PRODUCTS)
def test_a_second_create_with_the_same_key_finds_the_first(hp, clean, order, product):
    first = hp.create(order(product, "svc-42"))
    second = hp.create(order(product, "svc-42"))
    assert second["order_id"] == first["order_id"]
    assert first["data"]["reconciled"] is False
    assert second["data"]["reconciled"] is True
    assert second["status"] == "active"
    titled = [o for o in sandbox.orders(clean) if o["title"] == "svc-42"]
    assert len(titled) == 1, titled
    assert titled[0]["status"] == "active"
    assert sandbox.route_count(clean, f"websoftsolus POST license/{product}/order") == 1


# --------------------------------------------------------------------------------------------
# Unknown keys and credentials


@pytest.mark.parametrize("operation", ["details", "terminate"])
def test_an_unknown_key_is_not_found(hp, clean, base, operation):
    with pytest.raises(NotFound) as info:
        hp.call(operation, {**base("plesk"), "service": {"order_id": "PLSK.00000000"}})
    assert info.value.code == "not_found"
    assert info.value.http_status == 404


def test_a_malformed_key_is_refused_locally(hp, clean, base):
    with pytest.raises(InvalidRequest) as info:
        hp.details({**base("plesk"), "service": {"order_id": "PLSK/../x"}})
    assert "service.order_id" in info.value.message
    assert info.value.envelope["calls"] == []


def _assert_secret_hidden(e: AuthenticationFailed) -> None:
    assert e.code == "authentication_failed" and e.retryable is False
    for text in (json.dumps(e.envelope), str(e), e.message, repr(e.args), e.provider_message or ""):
        assert CANARY not in text
    requests = [c["request"] for c in e.envelope["calls"] if c.get("request")]
    assert requests and all("secret=***" in r for r in requests), e.envelope["calls"]


def test_a_wrong_secret_is_authentication_failed_and_never_shown(hp, clean, licence_account, order):
    wrong = {**licence_account, "secret": CANARY}
    with pytest.raises(AuthenticationFailed) as info:
        hp.test_connection({"provider": "websoftsolus", "account": wrong})
    _assert_secret_hidden(info.value)

    with pytest.raises(AuthenticationFailed) as info:
        hp.create({**order("plesk", "svc-wrong-secret"), "account": wrong})
    _assert_secret_hidden(info.value)
    assert licences(clean) == []

    ok = hp.test_connection({"provider": "websoftsolus", "account": licence_account})
    assert ok["data"]["reachable"] is True
    assert "sandbox-secret" not in json.dumps(ok)


def test_test_mode_uses_the_test_environment(hp, clean, order):
    request = order("virtuozzo", "test-env-1")
    request["account"] = {**request["account"], "test_mode": True}

    created = hp.create(request)
    licence = created["order_id"]
    assert created["calls"], created
    assert all("/websoftsolus/test/" in c["url"] for c in created["calls"]), created["calls"]
    assert sandbox.order(clean, licence)["environment"] == "test"

    for operation, status in [("details", "active"), ("terminate", "terminated")]:
        envelope = hp.call(operation, by_key(request, licence))
        assert envelope["status"] == status
        assert all("/websoftsolus/test/" in c["url"] for c in envelope["calls"]), envelope["calls"]
        assert sandbox.order(clean, licence)["status"] == status

    live = [route for route in sandbox.admin(clean, "GET", "stats")["routes"] if route.startswith("websoftsolus ")]
    assert live and all(" test/" in route for route in live), live


# --------------------------------------------------------------------------------------------
# Plans and what the licence API lacks


def test_plans_list_the_orderable_versions(hp, clean, licence_account, versions):
    for product in PRODUCTS:
        env = hp.plans({"provider": "websoftsolus", "product": product, "account": licence_account})
        assert [p["plan_id"] for p in env["data"]["plans"]] == versions[product]
    everything = hp.plans({"provider": "websoftsolus", "account": licence_account})
    assert sorted({p["product"] for p in everything["data"]["plans"]}) == sorted(PRODUCTS)


@pytest.mark.parametrize("product", PRODUCTS)
@pytest.mark.parametrize("operation", UNSUPPORTED)
def test_unsupported_operations_name_the_api(hp, clean, base, product, operation):
    request = {**base(product), "service": {"order_id": "CPNL.1"}}
    with pytest.raises(UnsupportedOperation) as info:
        hp.call(operation, request)
    e = info.value
    assert e.code == "unsupported_operation" and e.retryable is False
    assert "licence API has no" in e.message, e.message
    assert operation in e.message and product in e.message
    assert e.envelope["calls"] == []
    with pytest.raises(UnsupportedOperation):
        getattr(hp, operation)(request)
    assert sandbox.admin(clean, "GET", "requests") == []


def test_the_catalog_lists_exactly_the_supported_operations(hp):
    providers = {p["provider"]: p for p in hp.catalog()["data"]["providers"]}
    products = {p["product"]: p for p in providers["websoftsolus"]["products"]}
    assert sorted(products) == sorted(PRODUCTS)
    for product in PRODUCTS:
        operations = {op["operation"] for op in products[product]["operations"]}
        assert operations == {"create", "details", "terminate"}, (product, operations)
