"""The LogicBoxes `customer` product against the sandbox."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

import sandbox
from hostprov import AuthenticationFailed, InvalidRequest, NotFound, ProviderError

CANARY = "canary-key-7f3a"


def customers(url: str) -> dict:
    return {c["customer_id"]: c for c in sandbox.admin(url, "GET", "customers")}


def fetch_status(link: str) -> int:
    try:
        with urllib.request.urlopen(link, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_account_and_fixtures_agree(clean, account, fixtures):
    assert account["base_url"] == f"{clean}/logicboxes"
    assert account["panel_url"] == f"{clean}/logicboxes"
    assert fixtures["logicboxes"]["auth_userid"] == account["auth_userid"] == "100000"
    assert fixtures["logicboxes"]["api_key"] == account["api_key"] == "sandbox-key"
    assert fixtures["logicboxes"]["customers"], fixtures


def test_test_connection(hp, clean, account):
    env = hp.test_connection({"provider": "logicboxes", "account": account})
    assert env["ok"] is True
    assert env["operation"] == "test_connection"
    assert env["provider"] == "logicboxes"
    assert env["data"]["reachable"] is True
    assert len(env["calls"]) == 1
    call = env["calls"][0]
    assert call["status"] == 200
    assert "api-key=***" in call["url"]
    assert "sandbox-key" not in json.dumps(env)


def test_wrong_api_key_is_authentication_failed_and_redacted(hp, clean, account):
    with pytest.raises(AuthenticationFailed) as info:
        hp.test_connection({"provider": "logicboxes", "account": {**account, "api_key": CANARY}})
    e = info.value
    assert e.code == "authentication_failed"
    assert e.retryable is False
    assert e.envelope["calls"], e.envelope
    assert all("api-key=***" in call["url"] for call in e.envelope["calls"])
    for text in (json.dumps(e.envelope), str(e), e.message, repr(e.args), e.provider_message or ""):
        assert CANARY not in text


def test_wrong_api_key_on_a_change_is_redacted(hp, clean, customer_request):
    request = {**customer_request, "account": {**customer_request["account"], "api_key": CANARY}}
    with pytest.raises(AuthenticationFailed) as info:
        hp.suspend(request)
    serialized = json.dumps(info.value.envelope)
    assert CANARY not in serialized
    assert "***" in serialized
    assert customers(clean)[customer_request["service"]["customer_id"]]["status"] == "active"


def test_suspend_then_unsuspend(hp, clean, customer_request, customer_id):
    assert customers(clean)[customer_id]["status"] == "active"

    env = hp.suspend(customer_request)
    assert (env["ok"], env["operation"], env["product"], env["status"]) == (True, "suspend", "customer", "suspended")
    assert env["data"]["customer_id"] == customer_id
    assert customers(clean)[customer_id]["status"] == "suspended"

    env = hp.unsuspend(customer_request)
    assert (env["ok"], env["operation"], env["status"]) == (True, "unsuspend", "active")
    assert customers(clean)[customer_id]["status"] == "active"


def test_call_by_name(hp, clean, customer_request, customer_id):
    assert hp.call("suspend", customer_request)["status"] == "suspended"
    assert customers(clean)[customer_id]["status"] == "suspended"
    assert hp.call("unsuspend", customer_request)["status"] == "active"


def test_suspending_twice_answers_the_state_it_finds(hp, clean, customer_request, customer_id):
    hp.suspend(customer_request)
    again = hp.suspend(customer_request)
    assert (again["status"], again["data"]["reconciled"]) == ("suspended", True)
    assert customers(clean)[customer_id]["status"] == "suspended"
    assert len(sandbox.received(clean, "customers/suspend.json")) == 2


def test_a_refusal_is_a_provider_error(hp, clean, account, fixtures):
    """A generic order has no call that reads its state: a second suspension is the API's refusal."""
    order_id = next(o["order_id"] for o in fixtures["logicboxes"]["orders"] if o["product"] == "dns")
    request = {"provider": "logicboxes", "product": "order", "account": account, "service": {"order_id": order_id}}
    assert hp.suspend(request)["status"] == "suspended"
    with pytest.raises(ProviderError) as info:
        hp.suspend(request)
    e = info.value
    assert e.code == "provider_error"
    assert e.provider_message and order_id in e.provider_message
    assert e.http_status == 500
    assert e.retryable is False


def test_unknown_customer_is_not_found(hp, clean, customer_request):
    request = {**customer_request, "service": {"customer_id": "987654321"}}
    with pytest.raises(NotFound) as info:
        hp.suspend(request)
    assert info.value.code == "not_found"
    assert "No Entity found" in (info.value.provider_message or "")


def test_missing_customer_id_is_invalid_request(hp, clean, customer_request):
    with pytest.raises(InvalidRequest) as info:
        hp.suspend({**customer_request, "service": {}})
    assert "service.customer_id" in info.value.message
    assert info.value.envelope["calls"] == []


def test_hostile_reason_arrives_as_one_parameter(hp, clean, customer_request, customer_id):
    reason = "a&b=c#d%e f\nreason=x"
    hp.suspend({**customer_request, "service": {"customer_id": customer_id, "reason": reason}})

    received = sandbox.admin(clean, "GET", "requests")
    suspends = [r for r in received if r["path"].endswith("/api/customers/suspend.json")]
    assert len(suspends) == 1, received
    params = suspends[0]["params"]
    assert [v for k, v in params if k == "reason"] == [reason]
    assert sorted(k for k, _ in params) == ["api-key", "auth-userid", "customer-id", "reason"]
    assert dict(params)["customer-id"] == customer_id


def test_client_area_url(hp, clean, customer_request, customer_id):
    request = {**customer_request, "service": {"customer_id": customer_id, "client_ip": "203.0.113.9"}}
    env = hp.client_area_url(request)
    assert env["ok"] is True
    assert env["data"]["expires_in_s"] == 120

    link = env["url"]
    parsed = urllib.parse.urlsplit(link)
    assert f"{parsed.scheme}://{parsed.netloc}" == clean
    assert parsed.path == "/logicboxes/servlet/AutoLoginServlet"
    query = urllib.parse.parse_qsl(parsed.query)
    assert [k for k, _ in query] == ["userLoginId", "role"]
    assert query[1] == ("role", "customer")
    token = query[0][1]
    assert token

    # The token is in `url` only: not in the log of calls, not in provider_response.
    assert token not in json.dumps(env["calls"])
    assert token not in json.dumps(env["provider_response"])
    assert token not in json.dumps({k: v for k, v in env.items() if k != "url"})

    with urllib.request.urlopen(link, timeout=10) as response:
        assert response.status == 200
        assert f'data-customer-id="{customer_id}"' in response.read().decode("utf-8")

    tampered_token = token[:-1] + ("0" if token[-1] != "0" else "1")
    tampered = urllib.parse.urlunsplit(parsed._replace(query=urllib.parse.urlencode(
        [("userLoginId", tampered_token), ("role", "customer")])))
    assert fetch_status(tampered) == 403

    assert sandbox.admin(clean, "POST", "clock", {"advance_s": 121})["clock_offset_s"] == 121
    assert fetch_status(link) == 403


def test_customer_create_once_then_details_by_id_email_and_token(hp, clean, account):
    password = "Py9signup#ok"
    form = {
        "email": "py.client@example.com", "name": "Python Client", "company": "N/A", "address": "1 High Street",
        "city": "London", "state": "Greater London", "country": "GB", "zipcode": "EC1A 1AA",
        "phone_cc": "44", "phone": "2071234567", "password": password,
    }
    request = {"provider": "logicboxes", "product": "customer", "account": account}
    created = hp.create({**request, "service": {"options": form}})
    assert created["order_id"] is None
    assert created["data"]["reconciled"] is False
    customer_id = created["data"]["customer_id"]
    for spelling in (password, urllib.parse.quote(password), urllib.parse.quote_plus(password)):
        assert spelling not in json.dumps(created)

    again = hp.create({**request, "service": {"options": {**form, "name": "Someone Else"}}})
    assert (again["data"]["customer_id"], again["data"]["reconciled"]) == (customer_id, True)
    assert len(sandbox.received(clean, "/customers/signup.json")) == 1
    assert [c["email"] for c in sandbox.admin(clean, "GET", "customers") if c["customer_id"] == customer_id] == [form["email"]]

    token = sandbox.admin(clean, "POST", "customer-token", {"customer_id": customer_id})["token"]
    for service in ({"customer_id": customer_id}, {"options": {"email": form["email"]}}, {"options": {"token": token}}):
        found = hp.details({**request, "service": service})
        assert (found["data"]["customer_id"], found["data"]["email"], found["data"]["status"]) == (customer_id, form["email"], "active")
        assert found["data"]["created_at"].endswith("Z")

    with pytest.raises(AuthenticationFailed) as info:
        hp.details({**request, "service": {"options": {"token": "forged-token-1234"}}})
    assert "forged-token-1234" not in json.dumps(info.value.envelope)
    with pytest.raises(NotFound):
        hp.details({**request, "service": {"options": {"email": "nobody@example.net"}}})
