"""`HostProv.batch`: many operations in one call through `hostprov_batch`, each item answered as
its single call would be, in input order, with progress reported on this thread."""

from __future__ import annotations

import threading

import pytest

import sandbox as sandbox_admin
from hostprov import InvalidRequest


def sitelock_orders(hp, account: dict, fixtures: dict, count: int, prefix: str) -> list:
    """The ids of `count` new SiteLock orders, placed one by one."""
    lb = fixtures["logicboxes"]
    service = {"customer_id": lb["customers"][0]["customer_id"], "plan_id": lb["plans"]["sitelock"][0]}
    return [
        hp.create({"provider": "logicboxes", "product": "sitelock", "account": account, "service": {**service, "domain": f"{prefix}{n}.example"}})["order_id"]
        for n in range(count)
    ]


def suspend_item(account: dict, order_id) -> dict:
    request = {"provider": "logicboxes", "product": "sitelock", "account": account, "service": {"order_id": order_id, "reason": "Overdue invoice"}}
    return {"operation": "suspend", "request": request}


def test_a_batch_of_suspends_with_one_malformed_item_suspends_the_rest_and_reports_that_item_alone(hp, clean, account, fixtures):
    ids = sitelock_orders(hp, account, fixtures, 5, "py-batch")
    items = [suspend_item(account, order_id) for order_id in ids]
    items.insert(2, suspend_item(account, ["not", "an", "id"]))
    seen = []
    caller = threading.get_ident()

    answer = hp.batch(items, concurrency=3, progress=lambda done, total: seen.append((done, total, threading.get_ident())))

    assert (answer["ok"], answer["operation"], answer["api_version"]) == (True, "batch", 1)
    results = answer["results"]
    assert len(results) == 6
    malformed = results.pop(2)
    assert (malformed["ok"], malformed["error"]["code"]) == (False, "invalid_request")
    assert "service.order_id" in malformed["error"]["message"]
    assert malformed["calls"] == []
    assert [r["order_id"] for r in results] == ids, "results keep the input order"
    assert all(r["ok"] is True and r["status"] == "suspended" for r in results)
    for order_id in ids:
        assert sandbox_admin.order(clean, order_id)["status"] == "suspended"
    assert seen == [(n, 6, caller) for n in range(1, 7)], "progress (done, total) after each item, on this thread"


def test_a_batch_of_reads_without_progress_answers_in_input_order(hp, clean, account, fixtures):
    ids = sitelock_orders(hp, account, fixtures, 3, "py-read")
    items = [{"operation": "details", "request": {"provider": "logicboxes", "product": "sitelock", "account": account, "service": {"order_id": i}}} for i in reversed(ids)]
    items.append({"operation": "details", "request": {"provider": "logicboxes", "product": "sitelock", "account": account, "service": {"order_id": "999999"}}})
    results = hp.batch(items)["results"]
    assert [r["order_id"] for r in results[:3]] == list(reversed(ids))
    assert results[3]["error"]["code"] == "not_found"
    assert hp.batch([])["results"] == []


def test_an_exception_in_progress_is_raised_once_the_batch_has_finished(hp, clean, account, fixtures, capfd):
    ids = sitelock_orders(hp, account, fixtures, 3, "py-raise")
    calls = []

    def broken(done: int, total: int) -> None:
        calls.append(done)
        raise ValueError(f"progress bar broke at {done}/{total}")

    with pytest.raises(ValueError, match=r"broke at 1/3"):
        hp.batch([suspend_item(account, order_id) for order_id in ids], progress=broken)
    assert calls == [1], "progress is not called again after it raised"
    for order_id in ids:
        assert sandbox_admin.order(clean, order_id)["status"] == "suspended", "the batch ran to its end"
    assert "Exception ignored" not in capfd.readouterr().err, "nothing escaped into ctypes"


def test_a_batch_refused_as_a_whole_raises(hp, account):
    with pytest.raises(InvalidRequest, match="concurrency") as info:
        hp.batch([suspend_item(account, "1")], concurrency=17)
    assert info.value.envelope["operation"] == "batch"
    with pytest.raises(InvalidRequest, match="requests"):
        hp.call("batch", {"requests": 1})
