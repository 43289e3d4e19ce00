"""The benchmark's report: statistics over the measured calls, and the Markdown that
scripts/bench.sh prints and writes to benches/RESULTS.md."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

from plan import BATCH_READS, CLIENT_NAMES, CLIENTS, CONCURRENCY, INSTRUCTION_CLIENTS, LATENCIES_MS, OPERATION_NAMES, OPERATIONS, PROCESSES, READS_LATENCY_MS, WARMUP, Sizes


def median(values: List[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p99(values: List[float]) -> float:
    """Nearest-rank 99th percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, -(-99 * len(ordered) // 100) - 1)]


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×" if baseline else "n/a"


def us(value: float) -> str:
    return f"{value:,.0f} µs" if value < 10_000 else f"{value / 1000:,.1f} ms"


@dataclass
class Cell:
    """Every measured call of one client, operation and latency."""

    latencies: List[int] = field(default_factory=list)
    first: List[int] = field(default_factory=list)
    #: CPU per measured call of each block (each round's process).
    cpu_per_block: List[float] = field(default_factory=list)

    def add(self, block: Dict[str, Any]) -> None:
        self.latencies += block["latency_us"]
        self.first.append(block["first_us"][0])
        self.cpu_per_block.append(block["cpu_us"] / len(block["latency_us"]))

    @property
    def cpu_per_call(self) -> float:
        """The median round's: on a shared machine one disturbed round would sway a mean."""
        return median(self.cpu_per_block)


def command_output(command: List[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine(hp: Any, load_at_start: str) -> List[str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    php = command_output(["php", "-r", 'echo PHP_VERSION, " (curl ", curl_version()["version"], ", ", curl_version()["ssl_version"], ")";'])
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- nproc: {os.cpu_count()}; CPU: {cpu}",
        f"- kernel: {platform.system()} {platform.release()}",
        f"- PHP: {php}; Python: {platform.python_version()}",
        f"- rustc: {command_output(['rustc', '-V'])}",
        f"- hostprov: {hp.version()} (release build)",
        f"- load average (1, 5, 15 min) at the start: {load_at_start}; at the end: {load_average()} (the machine is shared)",
    ]


def report(hp: Any, sizes: Sizes, cells, batches, reads, throughput, ffi, counted, started: float, load_at_start: str) -> List[str]:
    """The Markdown report of one run; `hp` is the loaded library (for its version)."""
    out = ["# Benchmark results", "", "Written by `scripts/bench.sh` (benches/bench.py); figures from one run on this machine.", ""]
    out += ["## Machine", ""] + machine(hp, load_at_start) + [""]
    out += [
        "Against hostprov-sandbox over HTTPS on loopback, its simulated provider latency set to 0 or 20 ms.",
        f"Each block is a fresh process making {WARMUP} unmeasured calls (connection, token, first call), then",
        f"{sizes.calls[0]} (0 ms) or {sizes.calls[20]} (20 ms) measured calls; {sizes.rounds[0]} and {sizes.rounds[20]} rounds, clients interleaved",
        "and their order rotated each round. CPU is the process's user + system time (getrusage, all threads) over",
        "the measured calls, per call, of the median round. Ratios are against the careful PHP module of the same",
        "run unless said otherwise.",
        "At 20 ms every client's CPU per call is higher than at 0 ms, the raw floor's too: waking from the wait",
        "costs CPU on its own; compare clients within one table.",
        "",
    ]
    targets: List[str] = []
    for latency in LATENCIES_MS:
        out += [f"## One by one, {latency} ms provider latency", ""]
        out += ["| operation | client | median | p99 | CPU per call | first call | median vs careful | p99 vs careful | CPU vs careful |", "|---|---|---|---|---|---|---|---|---|"]
        for operation in OPERATIONS:
            base = cells[(latency, operation, "careful")]
            for client in CLIENTS:
                cell = cells[(latency, operation, client)]
                lat, tail = median(cell.latencies), p99(cell.latencies)
                out.append(
                    f"| {OPERATION_NAMES[operation]} | {CLIENT_NAMES[client]} | {us(lat)} | {us(tail)} | {us(cell.cpu_per_call)} | {us(median(cell.first))} "
                    f"| {ratio(lat, median(base.latencies))} | {ratio(tail, p99(base.latencies))} | {ratio(cell.cpu_per_call, base.cpu_per_call)} |"
                )
        out.append("")
        lines = []
        for operation in OPERATIONS:
            hostprov, seed_, floor = (cells[(latency, operation, c)] for c in ("hostprov", "seed", "floor"))
            lines.append(
                f"- {OPERATION_NAMES[operation]}: seed-style / hostprov {ratio(median(seed_.latencies), median(hostprov.latencies))} in latency, "
                f"{ratio(seed_.cpu_per_call, hostprov.cpu_per_call)} in CPU; hostprov / raw floor {ratio(median(hostprov.latencies), median(floor.latencies))} "
                f"in latency, {ratio(hostprov.cpu_per_call, floor.cpu_per_call)} in CPU"
            )
        out += lines + [""]
        for operation in OPERATIONS:
            hostprov, careful, floor = (cells[(latency, operation, c)] for c in ("hostprov", "careful", "floor"))
            if latency == 0:
                targets.append(f"- {OPERATION_NAMES[operation]}, CPU per call, hostprov / careful ≤ 1: {ratio(hostprov.cpu_per_call, careful.cpu_per_call)}")
                targets.append(f"- {OPERATION_NAMES[operation]}, latency, hostprov / careful ≤ 1: {ratio(median(hostprov.latencies), median(careful.latencies))}")
            else:
                targets.append(f"- {OPERATION_NAMES[operation]} at {latency} ms, hostprov / raw floor ≤ 1.05: {ratio(median(hostprov.latencies), median(floor.latencies))}")

    out += [f"## {sizes.batch_suspends} suspends: hostprov_batch (concurrency {CONCURRENCY}) against one by one, through PHP FFI", ""]
    out += ["| latency | one by one (median of runs) | batch (median of runs) | batch is faster by | CPU one by one | CPU batch |", "|---|---|---|---|---|---|"]
    for latency in LATENCIES_MS:
        single, batch = batches[latency]["single"], batches[latency]["batch"]
        s_wall, b_wall = median([r["wall_us"] for r in single]), median([r["wall_us"] for r in batch])
        s_cpu, b_cpu = median([r["cpu_us"] for r in single]), median([r["cpu_us"] for r in batch])
        out.append(f"| {latency} ms | {us(s_wall)} | {us(b_wall)} | {ratio(s_wall, b_wall)} | {us(s_cpu)} | {us(b_cpu)} |")
    out.append(f"\n{len(batches[0]['single'])} and {len(batches[20]['single'])} runs of each way at 0 and 20 ms, alternating.\n")

    single, batch = median([r["wall_us"] for r in reads["single"]]), median([r["wall_us"] for r in reads["batch"]])
    out += [f"## {BATCH_READS} details reads at {READS_LATENCY_MS} ms, concurrency {CONCURRENCY}", ""]
    out += [f"- one by one: {us(single)}; one batch: {us(batch)} (medians of {sizes.reads_repeats} runs each, alternating): batch faster by {ratio(single, batch)}", ""]
    targets.append(f"- {BATCH_READS} batched reads at {READS_LATENCY_MS} ms, one by one / batch ≥ 5: {ratio(single, batch)}")

    out += [f"## {PROCESSES} PHP processes at once, details reads at 0 ms, {sizes.throughput_seconds:g} s windows", ""]
    out += ["| client | calls per second (median of runs) | runs | CPU per call | vs careful |", "|---|---|---|---|---|"]
    careful_rate = median([r for r, _ in throughput["careful"]])
    for module in ("careful", "hostprov"):
        rates = [r for r, _ in throughput[module]]
        out.append(f"| {CLIENT_NAMES[module]} | {median(rates):,.0f} | {', '.join(f'{r:,.0f}' for r in rates)} | {us(median([c for _, c in throughput[module]]))} | {ratio(median(rates), careful_rate)} |")
    out.append("")
    targets.append(f"- {PROCESSES} processes, calls per second, hostprov / careful ≥ 1: {ratio(median([r for r, _ in throughput['hostprov']]), careful_rate)}")

    per_call = ffi["wall_us"] / ffi["calls"]
    details = median(cells[(0, "details", "hostprov")].latencies)
    out += [f"## Bare FFI overhead: {ffi['calls']:,} calls refused before anything is sent (`suspend` of `{{}}`, through PHP FFI)", ""]
    out += [
        f"- {per_call:.1f} µs per call ({ffi['cpu_us'] / ffi['calls']:.1f} µs of CPU), {ratio(per_call, details)} of a hostprov details read at 0 ms ({us(details)})",
        f"- RSS {ffi['rss_before_kb']:,} kB before and {ffi['rss_after_kb']:,} kB after ({ratio(ffi['rss_after_kb'], ffi['rss_before_kb'])}, {ffi['rss_after_kb'] - ffi['rss_before_kb']:+,} kB)",
        "",
    ]
    short, long_ = sizes.instruction_calls
    out += [f"## Instructions per call (callgrind, 0 ms: a block of {long_} calls minus one of {short}, over the difference)", ""]
    out += ["| operation | " + " | ".join(CLIENT_NAMES[c] for c in INSTRUCTION_CLIENTS) + " | hostprov / careful |", "|---|" + "---|" * (len(INSTRUCTION_CLIENTS) + 1)]
    for operation in OPERATIONS:
        counts = [counted[(operation, c)] for c in INSTRUCTION_CLIENTS]
        out.append(f"| {OPERATION_NAMES[operation]} | " + " | ".join(f"{n:,.0f}" for n in counts) + f" | {ratio(counted[(operation, 'hostprov')], counted[(operation, 'careful')])} |")
    out += ["", "The whole PHP process's instructions, the library's included; deterministic for the same code, where the CPU", "figures above move with the machine's load.", ""]
    out += ["## The issue's targets, from this run", ""] + targets + [""]
    out += [
        "## What the clients are",
        "",
        "- **seed-style PHP** (`benches/php/seed.php`): the providers' own example code (doc 003): a new curl handle",
        "  per call, so a new TCP connection and TLS handshake every time, certificate checks off as the example",
        "  has them, and a licence token fetched before every licence call.",
        "- **careful PHP module** (`benches/php/careful.php`): one curl handle for the process (keep-alive), TLS",
        "  verified against the sandbox's CA, the licence token cached until shortly before it expires.",
        "- **hostprov via PHP FFI** (`benches/php/hostprov.php`): `php-ext-example/src/HostProv.php` over the release",
        "  library, `account.ca_cert_pem` set to the sandbox's CA; the time includes encoding the request and",
        "  decoding the whole envelope in PHP.",
        "- **raw floor** (`benches/floor.rs`): the same HTTP requests from ureq's blocking client with its own",
        "  rustls connector (one kept-alive connection), reading the body and nothing else.",
        "",
        f"Total run time: {time.time() - started:.0f} s.",
    ]
    return out
