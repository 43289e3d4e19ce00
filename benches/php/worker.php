<?php

declare(strict_types=1);

/*
 * One benchmark block in a fresh PHP process: php benches/php/worker.php BLOCK.json
 *
 * BLOCK.json names the module (seed, careful, hostprov), the operation and its ids, the number of
 * warm-up and measured calls (or a time window shared with other processes), and the sandbox's
 * endpoints and credentials. Prints one JSON object: each call's latency in µs, the process's CPU
 * time (user + system, all threads: getrusage) over the measured calls, and the wall time.
 * Driven by benches/bench.py; every answer is checked, so a failing call stops the block.
 */

namespace HostProv\Bench;

require_once __DIR__ . '/seed.php';
require_once __DIR__ . '/careful.php';
require_once __DIR__ . '/hostprov.php';

/** The operations a module performs one by one, as a panel's module would. */
interface Module
{
    public function suspend(string $orderId): void;

    public function details(string $orderId): void;

    public function licence(string $keyNumber): void;
}

function expectValue(mixed $expected, mixed $actual, string $what): void
{
    if ($expected !== $actual) {
        throw new \RuntimeException("{$what}: expected " . json_encode($expected) . ', got ' . json_encode($actual));
    }
}

/** CPU time of this process, all threads, in µs. */
function cpuMicros(): int
{
    $usage = getrusage();
    return ($usage['ru_utime.tv_sec'] + $usage['ru_stime.tv_sec']) * 1_000_000 + $usage['ru_utime.tv_usec'] + $usage['ru_stime.tv_usec'];
}

function rssKb(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

function module(array $block): Module
{
    return match ($block['module']) {
        'seed' => new SeedModule($block),
        'careful' => new CarefulModule($block),
        'hostprov' => new HostProvModule($block),
    };
}

/**
 * Runs $call for each of $ids (the first `warmup` unmeasured), or, with a window, from
 * `start_at` for `duration_s` seconds on the first id.
 *
 * @param list<string> $ids
 * @return array<string, mixed>
 */
function measure(array $block, callable $call, array $ids): array
{
    $warmup = $block['warmup'];
    $first = [];
    for ($i = 0; $i < $warmup; $i++) {
        $t = hrtime(true);
        $call($ids[$i % count($ids)]);
        $first[] = intdiv(hrtime(true) - $t, 1000);
    }
    $window = $block['duration_s'] ?? null;
    if ($window !== null && $block['start_at'] > microtime(true)) {
        time_sleep_until($block['start_at']);
    }
    $latencies = [];
    $cpu = cpuMicros();
    $started = microtime(true);
    $wall = hrtime(true);
    for ($i = $warmup; $window !== null ? microtime(true) < $block['start_at'] + $window : $i < $warmup + $block['count']; $i++) {
        $t = hrtime(true);
        $call($ids[$i % count($ids)]);
        $latencies[] = intdiv(hrtime(true) - $t, 1000);
    }
    return [
        'first_us' => $first,
        'latency_us' => $latencies,
        'cpu_us' => cpuMicros() - $cpu,
        'wall_us' => intdiv(hrtime(true) - $wall, 1000),
        'window' => [$started, microtime(true)],
    ];
}

/**
 * The whole batch as one call of hostprov_batch; the ids after the warm-up ones are the batch.
 *
 * @param list<string> $ids
 * @return array<string, mixed>
 */
function measureBatch(array $block, HostProvModule $hostprov, string $operation, array $ids): array
{
    $request = $operation === 'suspend' ? $hostprov->suspendRequest(...) : $hostprov->detailsRequest(...);
    for ($i = 0; $i < $block['warmup']; $i++) {
        $hostprov->client->details($hostprov->detailsRequest($ids[$i]));
    }
    $items = array_map(static fn (string $id): array => ['operation' => $operation, 'request' => $request($id)], array_slice($ids, $block['warmup']));
    $cpu = cpuMicros();
    $wall = hrtime(true);
    $answer = $hostprov->client->batch($items, ['concurrency' => $block['concurrency']]);
    $elapsed = intdiv(hrtime(true) - $wall, 1000);
    $cpu = cpuMicros() - $cpu;
    foreach (array_values($answer['results']) as $n => $result) {
        expectValue(true, $result['ok'], "batch item {$n}");
        expectValue($ids[$block['warmup'] + $n], $result['order_id'], "batch item {$n} in input order");
    }
    return ['wall_us' => $elapsed, 'cpu_us' => $cpu, 'calls' => count($items)];
}

/** A call hostprov refuses before sending anything: the FFI boundary and the envelope alone. */
function measureRefused(array $block, HostProvModule $hostprov): array
{
    $client = $hostprov->client;
    $refused = static function () use ($client): void {
        expectValue('invalid_request', $client->callRaw('suspend', '{}')['error']['code'] ?? null, 'refused');
    };
    for ($i = 0; $i < $block['warmup']; $i++) {
        $refused();
    }
    gc_collect_cycles();
    $before = rssKb();
    $cpu = cpuMicros();
    $wall = hrtime(true);
    for ($i = 0; $i < $block['count']; $i++) {
        $refused();
    }
    $elapsed = intdiv(hrtime(true) - $wall, 1000);
    $cpu = cpuMicros() - $cpu;
    gc_collect_cycles();
    return ['wall_us' => $elapsed, 'cpu_us' => $cpu, 'calls' => $block['count'], 'rss_before_kb' => $before, 'rss_after_kb' => rssKb()];
}

$block = json_decode((string) file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$module = module($block);
$result = match ($block['op']) {
    'suspend' => measure($block, $module->suspend(...), $block['ids']),
    'details' => measure($block, $module->details(...), $block['ids']),
    'licence' => measure($block, $module->licence(...), $block['ids']),
    'batch_suspend' => measureBatch($block, $module, 'suspend', $block['ids']),
    'batch_details' => measureBatch($block, $module, 'details', $block['ids']),
    'refused' => measureRefused($block, $module),
};
echo json_encode($result), "\n";
