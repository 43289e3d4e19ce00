"""hostprov against hostprov-sandbox, through the ctypes client:

- the LogicBoxes `customer`: test_connection, suspend, unsuspend, client_area_url;
- a LogicBoxes single domain hosting, VPS and Business Email order: create → details → suspend
  → unsuspend → change_package (a bigger plan; for e-mail 5 seats, then 1) → renew →
  client_area_url (the link is opened) → terminate;
- a RackNap service: create → suspend → unsuspend → terminate;
- a licence of each product (plesk, cpanel, virtuozzo): create → details → terminate;
- a batch: SiteLock orders placed, then suspended, in one call each, behind a progress bar;

after each step of a lifecycle, the envelope and what `/_sandbox/orders` says about the order,
and then what every operation the API lacks answers.

    python3 demo.py [SANDBOX_URL]

The URL may also come from $HOSTPROV_SANDBOX_URL. With neither, the demo starts the
repository's own target/debug/hostprov-sandbox and stops it afterwards. The library is found as
in hostprov.py ($HOSTPROV_LIB, else target/debug of this repository). Ids and product versions
come from `/_sandbox/fixtures`, never from this file. The exit status is 0 only when every
answer was the expected one.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

import sandbox
from hostprov import HostProv, HostProvError, UnsupportedOperation


class Unexpected(Exception):
    """An answer that was not the one the demo expected."""


def show(title: str, envelope: dict) -> None:
    print(f"== {title}")
    print(json.dumps(envelope, indent=2))


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Unexpected(what)


# --------------------------------------------------------------------------------------------
# LogicBoxes `customer`


def logicboxes_customer(hp: HostProv, url: str, fixtures: dict) -> None:
    customer_id = fixtures["logicboxes"]["customers"][0]["customer_id"]
    request = {
        "provider": "logicboxes",
        "product": "customer",
        "account": sandbox.logicboxes_account(url, fixtures),
        "service": {"customer_id": customer_id},
    }
    steps = [
        ("test_connection", {"provider": "logicboxes", "account": request["account"]}),
        ("suspend", {**request, "service": {**request["service"], "reason": "Overdue invoice"}}),
        ("unsuspend", {**request, "service": {**request["service"], "reason": "Invoice paid"}}),
        ("client_area_url", {**request, "service": {**request["service"], "client_ip": "203.0.113.9"}}),
    ]
    for operation, step_request in steps:
        show(f"logicboxes customer {customer_id}: {operation}", hp.call(operation, step_request))


# --------------------------------------------------------------------------------------------
# Lifecycles: one table row per product, one function for all of them


@dataclass
class Lifecycle:
    """One product taken from create to terminate."""

    label: str
    #: provider, product and account: what every request of this lifecycle starts from.
    base: Dict[str, Any]
    #: the rest of the create request (`service`, and `idempotency_key` where the API needs one).
    create: Dict[str, Any]
    #: the steps after create: (operation, the envelope's `status`, the order's status in
    #: `/_sandbox/orders`, and optionally more `service` fields for this step); each is sent with
    #: `service.order_id` of the created order.
    steps: List[Tuple[Any, ...]]
    #: operations the API does not have, and the name its error message must give the API.
    unsupported: Tuple[str, ...]
    api_name: str
    #: `service` fields every step after create sends (the term, the browser's address).
    every_step: Dict[str, Any] = field(default_factory=dict)


RACKNAP_STEPS = [("suspend", "suspended", "suspended"), ("unsuspend", "active", "active"), ("terminate", "terminated", "terminated")]
RACKNAP_UNSUPPORTED = ("renew", "change_package", "client_area_url")

LICENCE_STEPS = [("details", "active", "active"), ("terminate", "terminated", "terminated")]
LICENCE_UNSUPPORTED = ("suspend", "unsuspend", "renew", "change_package", "client_area_url")
#: What each licence product needs besides its version (`service.options.product`).
LICENCE_OPTIONS = {
    "plesk": {"os": "LINUX"},
    "cpanel": {"server_ip": "192.0.2.10", "addons": ["SOFTACULOUS"]},
    "virtuozzo": {"os": "LINUX"},
}
LICENCE_MONTHS = 12


def racknap_lifecycles(hp: HostProv, url: str, fixtures: dict) -> List[Lifecycle]:
    rn = fixtures["racknap"]
    account = sandbox.racknap_account(url, fixtures)
    plan_id, cycle = rn["plans"][0], "Annually"
    # What the plan costs per cycle, as a panel's config form would show it.
    plans = hp.plans({"provider": "racknap", "account": account, "service": {"plan_id": plan_id}})
    details = plans["data"]["details"]
    print(f"== racknap plans: plan {plan_id} is {details['name']!r}, prices {json.dumps(details['price'])}")
    expect(cycle in details["price"], f"plan {plan_id} has no {cycle} price")
    return [
        Lifecycle(
            label="racknap service",
            base={"provider": "racknap", "product": "service", "account": account},
            create={
                "service": {
                    "customer_id": rn["customers"][0],
                    "plan_id": plan_id,
                    "options": {"amount": details["price"][cycle], "billing_cycle": cycle},
                }
            },
            steps=RACKNAP_STEPS,
            unsupported=RACKNAP_UNSUPPORTED,
            api_name="RackNap API",
        )
    ]


#: One hosting, one server and one e-mail family: their create options, and the steps after
#: create besides suspend and unsuspend. A plan change goes to the second plan of the default
#: edition; an e-mail order's package is its number of seats, up and then down.
FAMILY_OPTIONS = {
    "single_domain_hosting": {"enable_ssl": True},
    "vps": {"os": "alma_8", "addons": ["cpanel"]},
    "business_email": {"seats": 2},
}
FAMILY_TAIL = [("renew", None, "active"), ("client_area_url", None, "active"), ("terminate", "terminated", "terminated")]


def logicboxes_families(url: str, fixtures: dict) -> List[Lifecycle]:
    lb = fixtures["logicboxes"]
    account = sandbox.logicboxes_account(url, fixtures)
    lifecycles = []
    for product, options in FAMILY_OPTIONS.items():
        plans = lb["plans"].get(product, [])
        service = {"domain": f"demo-{product.replace('_', '-')}.example", "customer_id": lb["customers"][0]["customer_id"],
                   "months": 12, "options": options}
        if plans:
            service["plan_id"] = plans[0]
        changes = ([("change_package", None, "active", {"options": {"seats": 5}}), ("change_package", None, "active", {"options": {"seats": 1}})]
                   if "seats" in options else [("change_package", None, "active", {"new_plan_id": plans[1]})])
        lifecycles.append(Lifecycle(
            label=f"logicboxes {product}",
            base={"provider": "logicboxes", "product": product, "account": account},
            create={"service": service},
            steps=[("details", "active", "active"), ("suspend", "suspended", "suspended"), ("unsuspend", "active", "active")]
            + changes + FAMILY_TAIL,
            unsupported=(),
            api_name="LogicBoxes API",
            every_step={"months": 12, "client_ip": "203.0.113.9"},
        ))
    return lifecycles


def licence_lifecycles(url: str, fixtures: dict) -> List[Lifecycle]:
    versions = fixtures["websoftsolus"]["products"]
    account = sandbox.licence_account(url, fixtures)
    return [
        Lifecycle(
            label=f"{product} licence",
            base={"provider": "websoftsolus", "product": product, "account": account},
            create={
                # The panel's stable id for the service; the licence's title.
                "idempotency_key": f"demo-{product}-licence",
                "service": {"months": LICENCE_MONTHS, "options": {"product": versions[product][0], **options}},
            },
            steps=LICENCE_STEPS,
            unsupported=LICENCE_UNSUPPORTED,
            api_name="licence API",
        )
        for product, options in LICENCE_OPTIONS.items()
    ]


def sandbox_agrees(url: str, order_id: str, expected: str) -> None:
    """Prints what `/_sandbox/orders` says about the order; it must be `expected`."""
    record = sandbox.order(url, order_id)
    if record is None:
        print(f"   /_sandbox/orders: no order {order_id}")
        raise Unexpected(f"/_sandbox/orders does not list {order_id}")
    title = f", title {record['title']!r}" if record.get("title") else ""
    seats = f", {record['seats']} seats" if record.get("seats") is not None else ""
    verdict = "agrees" if record["status"] == expected else f"DISAGREES, expected {expected}"
    print(f"   /_sandbox/orders: {record['provider']} {record['product']} {order_id} is {record['status']}{title}{seats} ({verdict})")
    expect(record["status"] == expected, f"/_sandbox/orders says {order_id} is {record['status']}, not {expected}")


def run_lifecycle(hp: HostProv, url: str, life: Lifecycle) -> None:
    created = hp.create({**life.base, **life.create})
    show(f"{life.label}: create", created)
    order_id = created.get("order_id")
    expect(isinstance(order_id, str) and order_id != "", "create answered without an order_id")
    expect(created["status"] == "active", f"create answered status {created['status']}")
    sandbox_agrees(url, order_id, "active")

    by_id = {**life.base, "service": {**life.every_step, "order_id": order_id}}
    for operation, status, in_sandbox, *extra in life.steps:
        step_request = {**by_id, "service": {**by_id["service"], **(extra[0] if extra else {})}}
        envelope = hp.call(operation, step_request)
        show(f"{life.label} {order_id}: {operation}", envelope)
        expect(envelope["order_id"] == order_id, f"{operation} answered order_id {envelope['order_id']}")
        expect(envelope["status"] == status, f"{operation} answered status {envelope['status']}, not {status}")
        if "seats" in step_request["service"].get("options", {}):
            expect(envelope["data"]["seats"] == step_request["service"]["options"]["seats"], f"{operation}: seats {envelope['data']['seats']}")
        if operation == "client_area_url":
            # The link as the customer's browser follows it.
            with urllib.request.urlopen(envelope["url"], timeout=10) as page:
                print(f"   GET the client area link: HTTP {page.status}")
                expect(page.status == 200, f"the client area link answered HTTP {page.status}")
        sandbox_agrees(url, order_id, in_sandbox)

    if life.unsupported:
        print(f"== {life.label}: what the {life.api_name} lacks")
    for operation in life.unsupported:
        try:
            envelope = hp.call(operation, by_id)
        except UnsupportedOperation as e:
            print(f"   {operation}: {e.message}")
            expect(life.api_name in e.message, f"{operation}: the message does not name the {life.api_name}")
            expect(e.envelope["calls"] == [], f"{operation} reached the provider")
        else:
            show(f"{life.label}: {operation} unexpectedly succeeded", envelope)
            raise Unexpected(f"{operation} should be unsupported")


# --------------------------------------------------------------------------------------------
# A batch, as a nightly cron would send it

BATCH_ORDERS = 40
BAR_WIDTH = 30


def progress_bar(label: str):
    """A `progress(done, total)` callback drawing `label [#####.....] done/total` on one line."""

    def draw(done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total
        print(f"\r   {label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", end="", flush=True)
        if done == total:
            print()

    return draw


def sitelock_batch(hp: HostProv, url: str, fixtures: dict) -> None:
    lb = fixtures["logicboxes"]
    base = {"provider": "logicboxes", "product": "sitelock", "account": sandbox.logicboxes_account(url, fixtures)}
    service = {"customer_id": lb["customers"][0]["customer_id"], "plan_id": lb["plans"]["sitelock"][0]}
    print(f"== batch: {BATCH_ORDERS} SiteLock orders, then their suspension, each in one call (8 at a time, the default)")
    run_tag = os.getpid()  # new domains on every run, so that a second run orders new ones too
    creates = [
        {"operation": "create", "request": {**base, "service": {**service, "domain": f"batch-demo-{run_tag}-{n}.example"}}}
        for n in range(BATCH_ORDERS)
    ]
    created = hp.batch(creates, progress=progress_bar("create "))["results"]
    expect(all(r["ok"] for r in created), "a create of the batch failed")
    ids = [r["order_id"] for r in created]
    suspends = [
        {"operation": "suspend", "request": {**base, "service": {"order_id": order_id, "reason": "Overdue invoice"}}}
        for order_id in ids
    ]
    suspended = hp.batch(suspends, progress=progress_bar("suspend"))["results"]
    expect(all(r["ok"] and r["status"] == "suspended" for r in suspended), "a suspend of the batch failed")
    expect([r["order_id"] for r in suspended] == ids, "the batch's results are not in input order")
    statuses = {o["order_id"]: o["status"] for o in sandbox.orders(url)}
    expect(all(statuses[i] == "suspended" for i in ids), "/_sandbox/orders disagrees with the batch")
    print(f"   /_sandbox/orders: all {len(ids)} orders suspended (agrees)")


# --------------------------------------------------------------------------------------------


def run(url: str) -> int:
    hp = HostProv()
    print(f"hostprov {hp.version()} (C ABI {hp.abi_version()}), sandbox at {url}")
    fixtures = sandbox.admin(url, "GET", "fixtures")
    try:
        logicboxes_customer(hp, url, fixtures)
        for life in logicboxes_families(url, fixtures) + racknap_lifecycles(hp, url, fixtures) + licence_lifecycles(url, fixtures):
            run_lifecycle(hp, url, life)
        sitelock_batch(hp, url, fixtures)
    except HostProvError as e:
        show(f"unexpected error: {e.code}", e.envelope)
        return 1
    except Unexpected as e:
        print(f"!! unexpected: {e}")
        return 1
    print("== every step answered as expected")
    return 0


def main(argv: list) -> int:
    url = argv[1] if len(argv) > 1 else os.environ.get("HOSTPROV_SANDBOX_URL")
    if url:
        return run(url.rstrip("/"))
    with sandbox.Sandbox() as started:
        return run(started.url)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
