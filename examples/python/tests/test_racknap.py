"""A RackNap `service` against the sandbox: the lifecycle, the vendor's own field names, local
validation, authentication, unknown services, plans and the operations RackNap lacks."""

from __future__ import annotations

import json
import uuid

import pytest

import sandbox
from hostprov import AuthenticationFailed, InvalidRequest, NotFound, ProviderError, UnsupportedOperation

CANARY = "canary-racknap-token-77"

#: The 13 billing cycles RackNap accepts, exactly as it spells them (doc 002).
BILLING_CYCLES = [
    "Free", "Free Trial", "One Time", "Hourly", "Monthly", "Quarterly", "Semi-Annually", "Annually", "Biennially",
    "Triennially", "Quadrennial", "Quinquennial", "Decennial",
]
UNSUPPORTED = ["renew", "change_package", "client_area_url"]


@pytest.fixture
def racknap(fixtures) -> dict:
    return fixtures["racknap"]


@pytest.fixture
def base(clean, fixtures) -> dict:
    """Provider, product and account of every service request."""
    return {"provider": "racknap", "product": "service", "account": sandbox.racknap_account(clean, fixtures)}


@pytest.fixture
def create_request(base, racknap):
    """A create request for the first fixture customer and plan, with the given options."""

    def build(**options) -> dict:
        service = {"customer_id": racknap["customers"][0], "plan_id": racknap["plans"][0], "options": options}
        # A panel's own service id: the sandbox is reset between tests, the library's journal is not.
        return {**base, "service": service, "idempotency_key": f"python-service-{uuid.uuid4().hex}"}

    return build


def by_id(base: dict, order_id: str) -> dict:
    return {**base, "service": {"order_id": order_id}}


def param_values(received: dict, name: str) -> list:
    return [value for key, value in received["params"] if key == name]


def racknap_orders(url: str) -> list:
    return [o for o in sandbox.orders(url) if o["provider"] == "racknap"]


# --------------------------------------------------------------------------------------------
# The lifecycle


def test_create_suspend_unsuspend_terminate(hp, clean, base, racknap, create_request):
    assert racknap_orders(clean) == []

    created = hp.create(create_request(amount=528.14, billing_cycle="Annually"))
    assert (created["ok"], created["operation"], created["provider"], created["product"]) == (True, "create", "racknap", "service")
    service_id = created["order_id"]
    assert isinstance(service_id, str) and service_id.isdigit(), created
    assert created["status"] == "active"
    assert f"Service ID: {service_id}" in created["provider_response"]["message"]
    record = sandbox.order(clean, service_id)
    assert record is not None, sandbox.orders(clean)
    assert (record["provider"], record["product"], record["status"]) == ("racknap", "service", "active")
    assert (record["customer_id"], record["plan_id"]) == (racknap["customers"][0], racknap["plans"][0])

    for operation, status in [("suspend", "suspended"), ("unsuspend", "active"), ("terminate", "terminated")]:
        envelope = hp.call(operation, by_id(base, service_id))
        assert (envelope["ok"], envelope["operation"]) == (True, operation)
        assert envelope["order_id"] == service_id
        assert envelope["status"] == status, envelope
        assert sandbox.order(clean, service_id)["status"] == status, f"after {operation}"
        assert len(envelope["calls"]) == 1
        assert envelope["calls"][0]["url"].endswith(f"/racknap/api/v2/service/{operation}")

    # A terminated service cannot be suspended; RackNap says so and nothing changes.
    with pytest.raises(ProviderError) as info:
        hp.suspend(by_id(base, service_id))
    assert "Terminated" in (info.value.provider_message or "")
    assert sandbox.order(clean, service_id)["status"] == "terminated"
    assert len(racknap_orders(clean)) == 1


def test_unsuspending_an_active_service_is_a_provider_error(hp, clean, base, create_request):
    service_id = hp.create(create_request(amount=1, billing_cycle="Monthly"))["order_id"]
    with pytest.raises(ProviderError) as info:
        hp.unsuspend(by_id(base, service_id))
    assert info.value.provider_message and service_id in info.value.provider_message
    assert sandbox.order(clean, service_id)["status"] == "active"


def test_call_by_name(hp, clean, base, create_request):
    service_id = hp.call("create", create_request(amount=1, billing_cycle="Monthly"))["order_id"]
    assert hp.call("suspend", by_id(base, service_id))["status"] == "suspended"
    assert sandbox.order(clean, service_id)["status"] == "suspended"


# --------------------------------------------------------------------------------------------
# What reaches RackNap


def test_readable_option_names_are_sent_as_the_vendors_own(hp, clean, create_request):
    hp.create(create_request(
        amount="528.14", recurring_amount=500, billing_cycle="Monthly", registration_date="2024-01-31",
        subscription_id="618e16ad6764", quantity=2,
    ))
    creates = sandbox.received(clean, "/racknap/api/v2/service/create")
    assert len(creates) == 1, creates
    sent = creates[0]
    assert sent["method"] == "POST"
    assert param_values(sent, "recuring_amount") == ["500"]
    assert param_values(sent, "recurring_amount") == []
    assert param_values(sent, "recuring_plan_price") == ["528.14"]
    assert param_values(sent, "amount") == ["528.14"]
    assert param_values(sent, "regdate") == ["31/01/2024"]
    assert param_values(sent, "nextduedate") == ["29/02/2024"]
    assert param_values(sent, "billingcycle") == ["Monthly"]
    assert param_values(sent, "slserverid") == ["618e16ad6764"]
    assert param_values(sent, "quantity") == ["2"]
    assert param_values(sent, "planid") == [create_request()["service"]["plan_id"]]
    names = [name for name, _ in sent["params"]]
    for readable in ("registration_date", "recurring_amount", "subscription_id", "billing_cycle", "plan_id"):
        assert readable not in names, names


def test_a_dd_mm_yyyy_date_is_sent_unchanged(hp, clean, create_request):
    hp.create(create_request(amount=1, billing_cycle="Quarterly", registration_date="15/03/2024"))
    sent = sandbox.received(clean, "/racknap/api/v2/service/create")[-1]
    assert param_values(sent, "regdate") == ["15/03/2024"]
    assert param_values(sent, "nextduedate") == ["15/06/2024"]


def test_an_unknown_billing_cycle_lists_the_13_cycles(hp, clean, create_request):
    with pytest.raises(InvalidRequest) as info:
        hp.create(create_request(amount=1, billing_cycle="Yearly"))
    message = info.value.message
    assert "service.options.billing_cycle" in message
    for cycle in BILLING_CYCLES:
        assert cycle in message, (cycle, message)
    assert info.value.envelope["calls"] == []
    assert sandbox.received(clean, "/service/create") == []
    assert racknap_orders(clean) == []


@pytest.mark.parametrize(
    "options, field",
    [
        ({"billing_cycle": "Monthly"}, "service.options.amount"),
        ({"amount": 1}, "service.options.billing_cycle"),
        ({"amount": -1, "billing_cycle": "Monthly"}, "service.options.amount"),
        ({"amount": 1, "billing_cycle": "Monthly", "registration_date": "2024-13-01"}, "service.options.registration_date"),
    ],
    ids=["no_amount", "no_cycle", "negative_amount", "bad_date"],
)
def test_bad_options_are_refused_locally(hp, clean, create_request, options, field):
    with pytest.raises(InvalidRequest) as info:
        hp.create(create_request(**options))
    assert field in info.value.message, info.value.message
    assert info.value.envelope["calls"] == []
    assert sandbox.received(clean, "/service/create") == []


# --------------------------------------------------------------------------------------------
# Credentials, unknown services, plans


def test_a_wrong_token_is_authentication_failed_and_never_shown(hp, clean, base, create_request):
    request = create_request(amount=1, billing_cycle="Monthly")
    request["account"] = {**request["account"], "api_token": CANARY}
    with pytest.raises(AuthenticationFailed) as info:
        hp.create(request)
    e = info.value
    assert e.code == "authentication_failed" and e.retryable is False
    assert e.http_status == 401
    assert e.envelope["calls"], e.envelope
    for text in (json.dumps(e.envelope), str(e), e.message, repr(e.args), e.provider_message or ""):
        assert CANARY not in text
    assert racknap_orders(clean) == []

    with pytest.raises(AuthenticationFailed) as info:
        hp.test_connection({"provider": "racknap", "account": request["account"]})
    assert CANARY not in json.dumps(info.value.envelope)


def test_test_connection(hp, clean, base):
    env = hp.test_connection({"provider": "racknap", "account": base["account"]})
    assert (env["ok"], env["operation"], env["provider"]) == (True, "test_connection", "racknap")
    assert env["data"]["reachable"] is True
    assert "sandbox-token" not in json.dumps(env)


@pytest.mark.parametrize("operation", ["suspend", "unsuspend", "terminate"])
def test_an_unknown_service_is_not_found(hp, clean, base, operation):
    with pytest.raises(NotFound) as info:
        hp.call(operation, by_id(base, "999999"))
    assert info.value.code == "not_found"
    assert info.value.provider_message == "Service not found"
    assert racknap_orders(clean) == []


def test_plans_give_the_plan_and_its_prices(hp, clean, base, racknap):
    plan_id = racknap["plans"][0]
    env = hp.plans({"provider": "racknap", "account": base["account"], "service": {"plan_id": plan_id}})
    assert (env["ok"], env["operation"]) == (True, "plans")
    plan = env["data"]["plans"][0]
    assert plan["plan_id"] == plan_id
    assert isinstance(plan["name"], str) and plan["name"]
    assert env["data"]["details"]["price"], env["data"]


def test_vps_plans_per_platform(hp, clean, base, racknap):
    request = {"provider": "racknap", "account": base["account"], "service": {"plan_id": racknap["vps_plans"][0], "options": {"platform": "Windows"}}}
    env = hp.plans(request)
    assert env["data"]["details"]["platform"] == "Windows"
    assert sandbox.received(clean, "/service/cloud_linux_vps_details"), "asked with cloud_linux_vps_details"
    with pytest.raises(InvalidRequest) as info:
        hp.plans({**request, "service": {"plan_id": "1", "options": {"platform": "BeOS"}}})
    assert "service.options.platform" in info.value.message


# --------------------------------------------------------------------------------------------
# What RackNap lacks


@pytest.mark.parametrize("operation", UNSUPPORTED)
def test_unsupported_operations_name_the_api(hp, clean, base, operation):
    request = by_id(base, "1")
    with pytest.raises(UnsupportedOperation) as info:
        hp.call(operation, request)
    e = info.value
    assert e.code == "unsupported_operation" and e.retryable is False
    assert "RackNap API has no" in e.message, e.message
    assert operation in e.message
    assert e.envelope["calls"] == []
    # The same through the operation's own function.
    with pytest.raises(UnsupportedOperation):
        getattr(hp, operation)(request)
    assert sandbox.admin(clean, "GET", "requests") == []


def test_the_catalog_lists_exactly_the_supported_operations(hp):
    providers = {p["provider"]: p for p in hp.catalog()["data"]["providers"]}
    products = {p["product"]: p for p in providers["racknap"]["products"]}
    operations = {op["operation"] for op in products["service"]["operations"]}
    assert operations == {"create", "suspend", "unsuspend", "terminate"}
    assert not operations & set(UNSUPPORTED)
