"""One HostProv shared by many threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

THREADS = 8
CALLS_PER_THREAD = 50


def test_concurrent_test_connection(hp, clean, account):
    request = {"provider": "logicboxes", "account": account}
    start = threading.Barrier(THREADS)

    def worker(_: int) -> list:
        start.wait()
        return [hp.test_connection(request) for _ in range(CALLS_PER_THREAD)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [env for batch in pool.map(worker, range(THREADS)) for env in batch]

    assert len(results) == THREADS * CALLS_PER_THREAD
    assert all(env["ok"] is True and env["data"]["reachable"] is True for env in results)
    assert all(env["calls"][0]["status"] == 200 for env in results)
