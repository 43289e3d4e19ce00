"""What the benchmarks measure, and how much of it: shared by bench.py (which runs it) and
report.py (which writes it up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Tuple

LATENCIES_MS = (0, 20)
#: Unmeasured calls at the start of each process (connections, token, the library's first call).
WARMUP = 5
CLIENTS = ("seed", "careful", "hostprov", "floor")
OPERATIONS = ("suspend", "details", "licence")
CLIENT_NAMES = {
    "seed": "seed-style PHP (doc 003)",
    "careful": "careful PHP module",
    "hostprov": "hostprov via PHP FFI",
    "floor": "raw floor (Rust, keep-alive)",
}
OPERATION_NAMES = {"suspend": "LogicBoxes suspend", "details": "LogicBoxes details read", "licence": "licence call"}

#: The PHP clients whose instructions per call callgrind counts (seed-style is left out: a TLS
#: handshake per call makes it slow to run under callgrind, and its CPU ratio is far from close).
INSTRUCTION_CLIENTS = ("careful", "hostprov")

BATCH_READS = 160
READS_LATENCY_MS = 20
CONCURRENCY = 8
PROCESSES = 8


@dataclass(frozen=True)
class Sizes:
    """How many calls, rounds and repeats: the full run, or a quick check that everything runs."""

    #: Rounds of one-by-one blocks per latency, and measured calls per block.
    rounds: Dict[int, int] = field(default_factory=lambda: {0: 15, 20: 3})
    calls: Dict[int, int] = field(default_factory=lambda: {0: 400, 20: 40})
    batch_suspends: int = 1000
    batch_repeats: Dict[int, int] = field(default_factory=lambda: {0: 3, 20: 2})
    reads_repeats: int = 3
    throughput_seconds: float = 2.0
    throughput_repeats: int = 5
    ffi_calls: int = 100_000
    #: Measured calls of the two callgrind blocks whose difference gives instructions per call.
    instruction_calls: Tuple[int, int] = (100, 500)

    def orders_needed(self) -> int:
        """Active SiteLock orders the run suspends, one each."""
        one_by_one = sum(self.rounds[l] * len(CLIENTS) * (WARMUP + self.calls[l]) for l in LATENCIES_MS)
        batches = sum(self.batch_repeats[l] * 2 * (WARMUP + self.batch_suspends) for l in LATENCIES_MS)
        counted = len(INSTRUCTION_CLIENTS) * sum(WARMUP + calls for calls in self.instruction_calls)
        return one_by_one + batches + counted


FULL = Sizes()
QUICK = Sizes(
    rounds={0: 1, 20: 1},
    calls={0: 20, 20: 5},
    batch_suspends=40,
    batch_repeats={0: 1, 20: 1},
    reads_repeats=1,
    throughput_seconds=0.5,
    throughput_repeats=1,
    ffi_calls=2000,
    instruction_calls=(5, 10),
)
