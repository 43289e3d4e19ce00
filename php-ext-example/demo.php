<?php

declare(strict_types=1);

/*
 * php demo.php SANDBOX_URL        (or set HOSTPROV_SANDBOX_URL)
 *
 * Drives a LogicBoxes reseller customer through hostprov against a running hostprov-sandbox:
 * test the connection, suspend, unsuspend, and open the customer's control panel by single
 * sign-on. Start the sandbox first:
 *
 *     target/debug/hostprov-sandbox --listen 127.0.0.1:0
 *
 * The library is target/debug/libhostprov.so unless HOSTPROV_LIB names another.
 * Exits non-zero as soon as a step fails.
 */

require_once __DIR__ . '/src/HostProv.php';

use HostProv\Client;
use HostProv\HostProvException;

/** @return array{int, string} HTTP status and body */
function fetch(string $method, string $url, ?string $json = null): array
{
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => $json === null ? '' : "Content-Type: application/json\r\n",
        'content' => $json ?? '',
        'ignore_errors' => true,
        'timeout' => 15,
    ]]);
    $body = @file_get_contents($url, false, $context);
    if ($body === false || !isset($http_response_header[0]) || !preg_match('#^HTTP/\S+\s+(\d{3})#', $http_response_header[0], $m)) {
        fail("{$method} {$url}: no answer.");
    }
    return [(int) $m[1], $body];
}

function fail(string $message): never
{
    fwrite(STDERR, "demo: {$message}\n");
    exit(1);
}

/** Prints a step's name and envelope; stops the demo when the step failed. */
function step(string $name, callable $run): array
{
    echo "== {$name}\n";
    try {
        $envelope = $run();
    } catch (HostProvException $e) {
        echo json_encode($e->getEnvelope(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
        fail("{$name} failed: {$e->getErrorCode()}: {$e->getMessage()}");
    }
    echo json_encode($envelope, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
    return $envelope;
}

$sandbox = $argv[1] ?? (getenv('HOSTPROV_SANDBOX_URL') ?: '');
if ($sandbox === '') {
    fwrite(STDERR, "usage: php demo.php SANDBOX_URL   (or set HOSTPROV_SANDBOX_URL)\n");
    exit(2);
}
$sandbox = rtrim($sandbox, '/');

[$status] = fetch('POST', "{$sandbox}/_sandbox/reset", '{}');
if ($status !== 200) {
    fail("POST {$sandbox}/_sandbox/reset answered HTTP {$status}; is the sandbox running there?");
}
[$status, $body] = fetch('GET', "{$sandbox}/_sandbox/fixtures");
$fixtures = $status === 200 ? json_decode($body, true) : null;
$customerId = $fixtures['logicboxes']['customers'][0]['customer_id'] ?? null;
if (!is_string($customerId)) {
    fail("GET {$sandbox}/_sandbox/fixtures lists no LogicBoxes customer (HTTP {$status}).");
}

$hostprov = new Client();
echo "hostprov {$hostprov->version()} (C ABI {$hostprov->abiVersion()}), sandbox {$sandbox}, customer {$customerId}\n";

$request = static fn (array $service): array => [
    'provider' => 'logicboxes',
    'product' => 'customer',
    'account' => [
        'auth_userid' => $fixtures['logicboxes']['auth_userid'] ?? '100000',
        'api_key' => $fixtures['logicboxes']['api_key'] ?? 'sandbox-key',
        'base_url' => "{$sandbox}/logicboxes",
        'panel_url' => "{$sandbox}/logicboxes",
    ],
    'service' => $service,
];

step('test_connection', fn () => $hostprov->testConnection($request([])));
step('suspend', fn () => $hostprov->suspend($request(['customer_id' => $customerId, 'reason' => 'Overdue invoice'])));
step('unsuspend', fn () => $hostprov->unsuspend($request(['customer_id' => $customerId, 'reason' => 'Invoice paid'])));
$login = step('client_area_url', fn () => $hostprov->clientAreaUrl($request(['customer_id' => $customerId, 'client_ip' => '203.0.113.9'])));

echo "== open client_area_url\n";
[$status] = fetch('GET', (string) $login['url']);
echo "HTTP {$status}\n";
if ($status !== 200) {
    fail("the client area link answered HTTP {$status}, not 200.");
}
echo "done\n";
