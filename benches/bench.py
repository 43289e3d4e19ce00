#!/usr/bin/env python3
"""The benchmarks, in one run: what a panel pays per call through hostprov, through the PHP
modules panels use today, and through the smallest keep-alive HTTPS client, against
hostprov-sandbox over HTTPS at a simulated provider latency of 0 and 20 ms.

    python3 benches/bench.py --library L --sandbox S --floor F [--results benches/RESULTS.md]

scripts/bench.sh builds the release binaries and runs this. Every comparison is run in the
same process tree, its alternatives interleaved and repeated, and every figure is printed as a
ratio against its baseline from this same run. Nothing here is a test: no time is asserted.
plan.py says what is measured and how much; report.py writes it up; php/ holds the PHP modules
measured (run one block per process by php/worker.php); floor.rs is the raw client.
"""

from __future__ import annotations

import argparse
import json
import re
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "examples" / "python"))

from hostprov import HostProv  # noqa: E402
from plan import CLIENTS, CONCURRENCY, FULL, INSTRUCTION_CLIENTS, LATENCIES_MS, OPERATIONS, PROCESSES, QUICK, READS_LATENCY_MS, BATCH_READS, WARMUP, Sizes  # noqa: E402
from report import Cell, load_average, report  # noqa: E402

WORKER = REPO / "benches" / "php" / "worker.php"

LOGICBOXES_USERID = "100000"
LOGICBOXES_KEY = "sandbox-key"
LICENCE_LOGIN = "reseller@example.com"
LICENCE_SECRET = "sandbox-secret"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The sandbox over HTTPS


class Sandbox:
    def __init__(self, binary: Path, workdir: Path):
        self.ca_file = workdir / "sandbox-ca.pem"
        self.process = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--tls-cert-out", str(self.ca_file)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        prefix = "hostprov-sandbox listening on "
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        self.url = line[len(prefix):]
        self.ca_pem = self.ca_file.read_text()
        self.tls = ssl.create_default_context(cafile=str(self.ca_file))
        self.latency: Optional[int] = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def request(self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[dict] = None) -> Any:
        request = urllib.request.Request(f"{self.url}{path}", data=body, method=method, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30, context=self.tls) as answer:
            return json.loads(answer.read().decode("utf-8"))

    def set_latency(self, ms: int) -> None:
        if self.latency != ms:
            self.request("PUT", "/_sandbox/config", json.dumps({"latency_ms": ms}).encode(), {"Content-Type": "application/json"})
            self.latency = ms

    def licence_token(self) -> str:
        form = urllib.parse.urlencode({"login": LICENCE_LOGIN, "secret": LICENCE_SECRET}).encode()
        return self.request("POST", "/websoftsolus/access/token", form, {"Content-Type": "application/x-www-form-urlencoded"})["access_token"]


# --------------------------------------------------------------------------------------------
# What each client sends


@dataclass
class Setup:
    sandbox: Sandbox
    library: Path
    floor: Path
    workdir: Path
    orders: List[str]
    read_order: str
    licence_key: str
    licence_token: str
    sizes: Sizes

    def take(self, n: int) -> List[str]:
        """`n` SiteLock orders that are still active, each used once."""
        if len(self.orders) < n:
            raise RuntimeError("the benchmark ran out of seeded orders")
        taken, self.orders = self.orders[:n], self.orders[n:]
        return taken

    def block(self, **fields: Any) -> Dict[str, Any]:
        """A PHP worker's block: the sandbox's endpoints and credentials, and `fields`."""
        return {
            "logicboxes_url": f"{self.sandbox.url}/logicboxes",
            "licence_url": f"{self.sandbox.url}/websoftsolus",
            "auth_userid": LOGICBOXES_USERID,
            "api_key": LOGICBOXES_KEY,
            "licence_login": LICENCE_LOGIN,
            "licence_secret": LICENCE_SECRET,
            "ca_file": str(self.sandbox.ca_file),
            "library": str(self.library),
            **fields,
        }

    def ids_for(self, operation: str, n: int) -> List[str]:
        if operation == "suspend":
            return self.take(n)
        return [self.read_order if operation == "details" else self.licence_key]

    def exchange(self, operation: str, id_: str) -> Dict[str, Any]:
        """The HTTP request the modules send for `operation`, for the raw floor."""
        lb = f"{self.sandbox.url}/logicboxes/api"
        credentials = {"auth-userid": LOGICBOXES_USERID, "api-key": LOGICBOXES_KEY}
        if operation == "suspend":
            body = urllib.parse.urlencode({**credentials, "order-id": id_, "reason": "Overdue invoice"})
            return {"method": "POST", "url": f"{lb}/orders/suspend.json", "body": body}
        if operation == "details":
            query = urllib.parse.urlencode({**credentials, "order-id": id_})
            return {"method": "GET", "url": f"{lb}/sitelock/details.json?{query}"}
        url = f"{self.sandbox.url}/websoftsolus/license/plesk/{id_}"
        return {"method": "GET", "url": url, "headers": [["Authorization", f"Bearer {self.licence_token}"]]}


def run_json(command: List[str], what: str) -> Dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_json(setup: Setup, name: str, document: Dict[str, Any]) -> Path:
    path = setup.workdir / name
    path.write_text(json.dumps(document))
    return path


def php_block(setup: Setup, **fields: Any) -> Dict[str, Any]:
    path = write_json(setup, "block.json", setup.block(**fields))
    return run_json(["php", str(WORKER), str(path)], f"PHP block {fields.get('module')} {fields.get('op')}")


def floor_block(setup: Setup, operation: str, ids: List[str], calls: int) -> Dict[str, Any]:
    exchanges = [setup.exchange(operation, ids[i % len(ids)]) for i in range(WARMUP + calls)]
    plan = {"ca_file": str(setup.sandbox.ca_file), "warmup": WARMUP, "requests": exchanges}
    return run_json([str(setup.floor), str(write_json(setup, "plan.json", plan))], f"floor {operation}")


# --------------------------------------------------------------------------------------------
# The comparisons


def one_by_one(setup: Setup) -> Dict[Tuple[int, str, str], Cell]:
    """Each client, one call after another, rounds interleaved across latencies and clients."""
    cells: Dict[Tuple[int, str, str], Cell] = {}
    rounds = setup.sizes.rounds
    for round_ in range(max(rounds.values())):
        for latency in LATENCIES_MS:
            if round_ >= rounds[latency]:
                continue
            setup.sandbox.set_latency(latency)
            order = CLIENTS[round_ % len(CLIENTS):] + CLIENTS[: round_ % len(CLIENTS)]
            for operation in OPERATIONS:
                for client in order:
                    calls = setup.sizes.calls[latency]
                    ids = setup.ids_for(operation, WARMUP + calls)
                    if client == "floor":
                        block = floor_block(setup, operation, ids, calls)
                    else:
                        block = php_block(setup, module=client, op=operation, ids=ids, warmup=WARMUP, count=calls)
                    cells.setdefault((latency, operation, client), Cell()).add(block)
            log(f"  one by one: round {round_ + 1} at {latency} ms done")
    return cells


def batch_against_one_by_one(setup: Setup) -> Dict[int, Dict[str, List[Dict[str, Any]]]]:
    """1,000 suspends through hostprov_batch and the same 1,000 one by one, alternately."""
    runs: Dict[int, Dict[str, List[Dict[str, Any]]]] = {}
    for latency in LATENCIES_MS:
        setup.sandbox.set_latency(latency)
        for repeat in range(setup.sizes.batch_repeats[latency]):
            ways = ("batch", "single") if repeat % 2 == 0 else ("single", "batch")
            for way in ways:
                ids = setup.take(WARMUP + setup.sizes.batch_suspends)
                if way == "batch":
                    block = php_block(setup, module="hostprov", op="batch_suspend", ids=ids, warmup=WARMUP, concurrency=CONCURRENCY)
                else:
                    block = php_block(setup, module="hostprov", op="suspend", ids=ids, warmup=WARMUP, count=setup.sizes.batch_suspends)
                runs.setdefault(latency, {}).setdefault(way, []).append(block)
            log(f"  {setup.sizes.batch_suspends} suspends at {latency} ms: repeat {repeat + 1} done")
    return runs


def batched_reads(setup: Setup) -> Dict[str, List[Dict[str, Any]]]:
    """160 details reads at 20 ms: one batch at concurrency 8 against one by one."""
    setup.sandbox.set_latency(READS_LATENCY_MS)
    ids = [setup.read_order] * (WARMUP + BATCH_READS)
    runs: Dict[str, List[Dict[str, Any]]] = {"batch": [], "single": []}
    for repeat in range(setup.sizes.reads_repeats):
        for way in ("batch", "single") if repeat % 2 == 0 else ("single", "batch"):
            if way == "batch":
                block = php_block(setup, module="hostprov", op="batch_details", ids=ids, warmup=WARMUP, concurrency=CONCURRENCY)
            else:
                block = php_block(setup, module="hostprov", op="details", ids=ids, warmup=WARMUP, count=BATCH_READS)
            runs[way].append(block)
    log(f"  {BATCH_READS} reads at {READS_LATENCY_MS} ms done")
    return runs


def eight_processes(setup: Setup) -> Dict[str, List[Tuple[float, float]]]:
    """Calls per second of PROCESSES PHP processes reading at once, hostprov against the careful module."""
    setup.sandbox.set_latency(0)
    runs: Dict[str, List[Tuple[float, float]]] = {"hostprov": [], "careful": []}
    for repeat in range(setup.sizes.throughput_repeats):
        for module in ("hostprov", "careful") if repeat % 2 == 0 else ("careful", "hostprov"):
            start_at = time.time() + 2.0  # every process started and warmed up by then
            processes = []
            for n in range(PROCESSES):
                block = setup.block(module=module, op="details", ids=[setup.read_order], warmup=WARMUP, count=0, start_at=start_at, duration_s=setup.sizes.throughput_seconds)
                path = write_json(setup, f"process-{n}.json", block)
                processes.append(subprocess.Popen(["php", str(WORKER), str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            results = []
            for process in processes:
                out, err = process.communicate()
                if process.returncode != 0:
                    raise RuntimeError(f"a {module} process failed:\n{out}\n{err}")
                results.append(json.loads(out.strip().splitlines()[-1]))
            calls = sum(len(r["latency_us"]) for r in results)
            elapsed = max(r["window"][1] for r in results) - min(r["window"][0] for r in results)
            cpu = sum(r["cpu_us"] for r in results) / calls
            runs[module].append((calls / elapsed, cpu))
    log(f"  {PROCESSES} processes done")
    return runs


def instructions(setup: Setup) -> Dict[Tuple[str, str], float]:
    """Instructions per call of each PHP client at 0 ms, counted by callgrind over the whole
    process: two blocks of different lengths, their difference over the difference in calls
    (start-up and warm-up cancel out). Unlike CPU time on a shared machine, the same code gives
    the same count in every run."""
    setup.sandbox.set_latency(0)
    counts: Dict[Tuple[str, str], float] = {}
    short, long_ = setup.sizes.instruction_calls
    for operation in OPERATIONS:
        for client in INSTRUCTION_CLIENTS:
            totals = []
            for calls in (short, long_):
                block = setup.block(module=client, op=operation, ids=setup.ids_for(operation, WARMUP + calls), warmup=WARMUP, count=calls)
                command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "php", str(WORKER), str(write_json(setup, "block.json", block))]
                done = subprocess.run(command, capture_output=True, text=True)
                collected = re.search(r"Collected : (\d+)", done.stderr)
                if done.returncode != 0 or collected is None:
                    raise RuntimeError(f"callgrind {client} {operation} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-2000:]}")
                totals.append(int(collected.group(1)))
            counts[(operation, client)] = (totals[1] - totals[0]) / (long_ - short)
    log("  instructions counted")
    return counts


def ffi_overhead(setup: Setup) -> Dict[str, Any]:
    """hostprov_suspend('{}') through PHP FFI: refused before anything is sent."""
    return php_block(setup, module="hostprov", op="refused", ids=[], warmup=1000, count=setup.sizes.ffi_calls)


# --------------------------------------------------------------------------------------------
# Setting up: orders to suspend, one to read, one licence


def seed(sandbox: Sandbox, hp: HostProv, sizes: Sizes) -> Tuple[List[str], str, str]:
    sandbox.set_latency(0)
    fixtures = sandbox.request("GET", "/_sandbox/fixtures")
    lb = fixtures["logicboxes"]
    account = {"auth_userid": LOGICBOXES_USERID, "api_key": LOGICBOXES_KEY, "base_url": f"{sandbox.url}/logicboxes", "ca_cert_pem": sandbox.ca_pem}
    service = {"customer_id": lb["customers"][0]["customer_id"], "plan_id": lb["plans"]["sitelock"][0]}
    needed = sizes.orders_needed() + 1
    orders: List[str] = []
    while len(orders) < needed:
        chunk = [
            {"operation": "create", "request": {"provider": "logicboxes", "product": "sitelock", "account": account, "service": {**service, "domain": f"bench-{n}.example"}}}
            for n in range(len(orders), min(needed, len(orders) + 2000))
        ]
        results = hp.batch(chunk, concurrency=16)["results"]
        failed = [r for r in results if not r["ok"]]
        if failed:
            raise RuntimeError(f"seeding failed: {failed[0]}")
        orders += [r["order_id"] for r in results]
    licence_account = {"login": LICENCE_LOGIN, "secret": LICENCE_SECRET, "base_url": f"{sandbox.url}/websoftsolus", "ca_cert_pem": sandbox.ca_pem}
    plesk = fixtures["websoftsolus"]["products"]["plesk"][0]
    licence = hp.create({"provider": "websoftsolus", "product": "plesk", "account": licence_account, "idempotency_key": "bench-licence", "service": {"months": 12, "options": {"product": plesk, "os": "LINUX"}}})
    return orders[1:], orders[0], licence["order_id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--sandbox", type=Path, required=True)
    parser.add_argument("--floor", type=Path, required=True)
    parser.add_argument("--results", type=Path, help="where to write the report (default benches/RESULTS.md; none with --quick)")
    parser.add_argument("--quick", action="store_true", help="a few calls of everything: checks that the benchmark runs, measures nothing")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.results is None and not args.quick:
        args.results = REPO / "benches" / "RESULTS.md"
    started, load_at_start = time.time(), load_average()
    hp = HostProv(args.library)
    with tempfile.TemporaryDirectory(prefix="hostprov-bench-") as tmp:
        sandbox = Sandbox(args.sandbox, Path(tmp))
        try:
            log(f"sandbox at {sandbox.url}; seeding {sizes.orders_needed() + 1:,} SiteLock orders and a licence")
            orders, read_order, licence_key = seed(sandbox, hp, sizes)
            setup = Setup(sandbox, args.library, args.floor, Path(tmp), orders, read_order, licence_key, sandbox.licence_token(), sizes)
            log("one by one")
            cells = one_by_one(setup)
            log("batch against one by one")
            batches = batch_against_one_by_one(setup)
            reads = batched_reads(setup)
            throughput = eight_processes(setup)
            ffi = ffi_overhead(setup)
            counted = instructions(setup)
        finally:
            sandbox.stop()
    lines = report(hp, sizes, cells, batches, reads, throughput, ffi, counted, started, load_at_start)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results is not None:
        args.results.write_text(text)
        log(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
