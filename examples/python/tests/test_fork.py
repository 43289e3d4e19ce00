"""Forked workers (pre-forking servers, multiprocessing with fork, Celery) keep working: the
library makes its own HTTP clients and token cache in the child, even when the parent was in
the middle of a call when it forked."""

from __future__ import annotations

import os
import threading
import time

import pytest

import sandbox as sandbox_admin

# Longer than any call below may take: only a child that hangs reaches it.
CHILD_LIMIT_S = 60

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork with threads


def run_in_child(work) -> int:
    """Runs `work` in a forked child; its exit code (0 when `work` returned True), or -1 when
    the child was still running after CHILD_LIMIT_S and was killed."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if work() else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + CHILD_LIMIT_S
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return -1


def test_a_worker_forked_after_a_call_makes_its_own_calls(hp, clean, account):
    request = {"provider": "logicboxes", "account": account, "options": {"timeout_ms": 10000}}
    assert hp.test_connection(request)["ok"] is True
    assert run_in_child(lambda: hp.test_connection(request)["ok"] is True) == 0
    assert hp.test_connection(request)["ok"] is True


def test_a_worker_forked_while_a_token_is_fetched_fetches_its_own(hp, clean):
    account = {"login": "reseller@example.com", "secret": "sandbox-secret", "base_url": f"{clean}/websoftsolus"}
    request = {"provider": "websoftsolus", "account": account, "options": {"timeout_ms": 20000}}
    # Every answer takes a while, so the parent's token request is in flight at the fork.
    sandbox_admin.admin(clean, "PUT", "faults", {"rate": 0, "latency_ms": 1500, "seed": 1})
    try:
        answers = []
        caller = threading.Thread(target=lambda: answers.append(hp.test_connection(request)))
        caller.start()
        time.sleep(0.5)
        assert run_in_child(lambda: hp.plans(request)["ok"] is True) == 0
        caller.join()
        assert answers[0]["ok"] is True
    finally:
        sandbox_admin.admin(clean, "PUT", "faults", {"rate": 0, "latency_ms": 0})
