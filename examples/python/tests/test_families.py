"""The LogicBoxes hosting, server and e-mail families against the sandbox, one parametrised test
per family: its order through the whole lifecycle in one edition, with its family options, and
`/_sandbox/orders` checked after every step. What the catalog does not offer for a family is
refused as unconfirmed, with nothing sent."""

from __future__ import annotations

import urllib.request

import pytest

import sandbox
from hostprov import InvalidRequest, UnsupportedOperation

CLIENT_IP = "203.0.113.9"

#: family: (its edition, sent with every call; its create options; its change_package options).
FAMILIES = {
    "single_domain_hosting": ({"platform": "windows"}, {"enable_ssl": True}, {}),
    "multi_domain_hosting": ({"region": "hk"}, {"enable_ssl": False}, {}),
    "reseller_hosting": ({}, {"add_dedicated_ip": False}, {"cpanel_blocks": 1}),
    "vps": ({"region": "in"}, {"os": "debian_12", "addons": ["whmcs"]}, {}),
    "dedicated_server": ({"platform": "windows", "region": "in"}, {"os": "windows_2019"}, {}),
    "managed_server": ({}, {"os": "alma_9", "addons": ["storage_3"]}, {}),
    "business_email": ({}, {"seats": 3}, {}),
    "enterprise_email": ({}, {"seats": 3}, {}),
    "google_workspace": ({"region": "in"}, {"seats": 3}, {}),
    "cloud_hosting": ({}, {}, {}),
}
ALL_OPERATIONS = ["create", "suspend", "unsuspend", "terminate", "renew", "change_package", "client_area_url", "details"]


def operations(hp, product: str) -> list:
    providers = {p["provider"]: p for p in hp.catalog()["data"]["providers"]}
    products = {p["product"]: p for p in providers["logicboxes"]["products"]}
    return [o["operation"] for o in products[product]["operations"]]


@pytest.mark.parametrize("product", list(FAMILIES))
def test_family_lifecycle(hp, clean, fixtures, account, product):
    edition, create_options, change_options = FAMILIES[product]
    offered = operations(hp, product)

    def request(**service) -> dict:
        options = {**edition, **service.pop("options", {})}
        return {"provider": "logicboxes", "product": product, "account": dict(account),
                "service": {"months": 12, "client_ip": CLIENT_IP, **service, "options": options}}

    def in_sandbox(order_id: str) -> dict:
        return sandbox.order(clean, order_id)

    plans = [p for p in hp.plans(request())["data"]["plans"] if p["status"] == "active"]
    assert all(p["product"] == product for p in plans), plans
    seats = "seats" in create_options
    assert seats or len(plans) >= 2, plans

    create = {"domain": f"py-{product.replace('_', '-')}.example", "customer_id": fixtures["logicboxes"]["customers"][0]["customer_id"],
              "options": create_options}
    if plans:
        create["plan_id"] = plans[0]["plan_id"]
    created = hp.create(request(**create))
    order_id = created["order_id"]
    assert (created["status"], created["data"]["reconciled"]) == ("active", False)
    assert hp.create(request(**create))["order_id"] == order_id, "create twice is one order"
    record = in_sandbox(order_id)
    assert (record["product"], record["status"]) == (product, "active")
    assert len(sandbox.received(clean, "/add.json")) == 1
    if seats:
        assert record["seats"] == 3

    if "details" in offered:
        data = hp.details(request(order_id=order_id))["data"]
        assert (data["status"], data["product_key"]) == ("active", record["product_key"])
        for option in ("seats", "os", "addons"):
            if option in create_options:
                assert data[option] == create_options[option], data

    for operation, status in (("suspend", "suspended"), ("unsuspend", "active")):
        assert hp.call(operation, request(order_id=order_id))["status"] == status
        assert in_sandbox(order_id)["status"] == status

    if "change_package" in offered and seats:
        for count in (6, 2):
            assert hp.change_package(request(order_id=order_id, options={"seats": count}))["data"]["seats"] == count
            assert in_sandbox(order_id)["seats"] == count
    elif "change_package" in offered:
        new_plan = plans[1]["plan_id"]
        hp.change_package(request(order_id=order_id, new_plan_id=new_plan, options=change_options))
        assert in_sandbox(order_id)["plan_id"] == new_plan

    expires = in_sandbox(order_id)["expires_at"]
    hp.renew(request(order_id=order_id, auto_renew=False))
    assert in_sandbox(order_id)["expires_at"] > expires

    if "client_area_url" in offered:
        link = hp.client_area_url(request(order_id=order_id))["url"]
        assert ("panel=whm" if product == "reseller_hosting" else f"service-name={record['product_key']}") in link
        with urllib.request.urlopen(link, timeout=10) as page:
            assert page.status == 200
            assert f'data-order-id="{order_id}"' in page.read().decode("utf-8")

    if "terminate" in offered:
        assert hp.terminate(request(order_id=order_id))["status"] == "terminated"
        assert in_sandbox(order_id)["status"] == "terminated"

    for operation in (op for op in ALL_OPERATIONS if op not in offered):
        before = len(sandbox.admin(clean, "GET", "requests"))
        with pytest.raises(UnsupportedOperation) as info:
            hp.call(operation, request(order_id=order_id))
        assert "not confirmed" in info.value.message
        assert len(sandbox.admin(clean, "GET", "requests")) == before


@pytest.mark.parametrize("product, operation, options, named", [
    ("vps", "create", {"os": "alma_8", "addons": ["cpanel", "cpanel"]}, "addons"),
    ("managed_server", "create", {"os": "ALMA_8"}, "os"),
    ("google_workspace", "create", {"seats": "3.5"}, "seats"),
    ("enterprise_email", "details", {"region": "uk"}, "us, in"),
    ("multi_domain_hosting", "renew", {"enable_ssl": "sometimes"}, "enable_ssl"),
])
def test_family_options_are_refused_before_anything_is_sent(hp, clean, account, product, operation, options, named):
    service = {"domain": "py-bad.example", "customer_id": "1001", "plan_id": "1", "order_id": "1", "months": 12, "options": options}
    with pytest.raises(InvalidRequest) as info:
        hp.call(operation, {"provider": "logicboxes", "product": product, "account": dict(account), "service": service})
    assert named in info.value.message
    assert info.value.envelope["calls"] == []
    assert sandbox.admin(clean, "GET", "requests") == []
