<?php

declare(strict_types=1);

/*
 * Plesk, cPanel and Virtuozzo licences through FFI: create → details → terminate with the
 * sandbox's own view (`/_sandbox/orders`) checked after every step, local validation per
 * product, the idempotency key as the licence's title, and the errors a panel meets.
 */

namespace HostProv\Tests;

const LICENCE_CANARY_SECRET = 'canary-licence-secret-81c2';
const LICENCE_SERVER_IP = '192.0.2.10';

/** Product => the create's `service.options` besides `product` (the version). */
const LICENCE_OPTIONS = [
    'plesk' => ['os' => 'LINUX'],
    'cpanel' => ['server_ip' => LICENCE_SERVER_IP, 'addons' => ['SOFTACULOUS']],
    'virtuozzo' => ['os' => 'LINUX'],
];

/** The first orderable version of $product, from `/_sandbox/fixtures`. */
function licenceVersion(string $product, int $index = 0): string
{
    $version = sandbox()->fixtures('websoftsolus')['products'][$product][$index] ?? null;
    check(is_string($version), "the fixtures list a {$product} version #{$index}");
    return $version;
}

/** @return array<string, mixed> a valid create request for $product, titled by $key */
function licenceOrder(string $product, string $key, string $secret = SANDBOX_LICENCE_SECRET): array
{
    $options = ['product' => licenceVersion($product)] + LICENCE_OPTIONS[$product];
    return sandbox()->licenceRequest($product, ['months' => 12, 'options' => $options], $key, $secret);
}

/** @return array<string, mixed> a request about one licence */
function licenceKeyRequest(string $product, string $key): array
{
    return sandbox()->licenceRequest($product, ['order_id' => $key]);
}

/** @param array<string, mixed> $envelope @return array<string, mixed> */
function licenceEnvelope(array $envelope, string $operation, ?string $product, ?string $key, ?string $status, string $what): array
{
    providerEnvelope($envelope, 'websoftsolus', $operation, $product, $key, $status, SANDBOX_LICENCE_SECRET, $what);
    foreach ($envelope['calls'] as $i => $call) {
        if (str_ends_with($call['url'], '/access/token')) {
            contains((string) $call['request'], 'secret=***', "{$what}: calls[{$i}] with the secret masked");
            contains($call['response'], '"access_token":"***"', "{$what}: calls[{$i}] with the token masked");
        }
    }
    return $envelope;
}

/** @param callable(): array<string, mixed> $call */
function licenceError(string $code, callable $call, string $what, string $secret = SANDBOX_LICENCE_SECRET): \HostProv\HostProvException
{
    return providerError($code, 'websoftsolus', $call, $secret, $what);
}

/** How many orders the sandbox received for $product (`POST license/<p>/order`). */
function licenceOrdersReceived(string $product): int
{
    $orders = array_filter(receivedRequests("/websoftsolus/license/{$product}/order"), static fn (array $r): bool => $r['method'] === 'POST');
    return count($orders);
}

function test_licence_lifecycles(): void
{
    sandbox()->reset();
    foreach (array_keys(LICENCE_OPTIONS) as $product) {
        $title = "panel-service-{$product}";
        $version = licenceVersion($product);

        // create
        $created = client()->create(licenceOrder($product, $title));
        $key = $created['order_id'] ?? null;
        check(is_string($key) && preg_match('/^[A-Z]+\.\d{8}$/', $key) === 1, "{$product} create: order_id is a key number, got " . show($key));
        licenceEnvelope($created, 'create', $product, $key, 'active', "{$product} create");
        same($title, $created['data']['title'] ?? null, "{$product} create: data.title");
        same(false, $created['data']['reconciled'] ?? null, "{$product} create: data.reconciled");
        same(1, licenceOrdersReceived($product), "{$product} create: orders the sandbox received");
        sandboxOrder('websoftsolus', $key, ['product' => $product, 'status' => 'active', 'title' => $title, 'plan_id' => $version, 'environment' => 'live'], "{$product} create");

        // details
        $details = licenceEnvelope(client()->details(licenceKeyRequest($product, $key)), 'details', $product, $key, 'active', "{$product} details");
        $data = $details['data'];
        same($key, $data['key'] ?? null, "{$product} details: data.key");
        same($product, $data['product'] ?? null, "{$product} details: data.product");
        same($title, $data['title'] ?? null, "{$product} details: data.title");
        same('active', $data['status'] ?? null, "{$product} details: data.status");
        same($product === 'cpanel' ? LICENCE_SERVER_IP : null, $data['server_ip'] ?? null, "{$product} details: data.server_ip");
        check(is_string($data['expires_at'] ?? null) && preg_match('/^\d{4}-\d{2}-\d{2}T00:00:00Z$/', $data['expires_at']) === 1, "{$product} details: data.expires_at is RFC 3339, got " . show($data['expires_at'] ?? null));
        check(new \DateTimeImmutable($data['expires_at']) > new \DateTimeImmutable('+11 months'), "{$product} details: a 12-month licence expires in about a year, got {$data['expires_at']}");
        sandboxOrder('websoftsolus', $key, ['status' => 'active', 'title' => $title], "{$product} details");

        // terminate
        licenceEnvelope(client()->terminate(licenceKeyRequest($product, $key)), 'terminate', $product, $key, 'terminated', "{$product} terminate");
        sandboxOrder('websoftsolus', $key, ['status' => 'terminated', 'title' => $title, 'plan_id' => $version], "{$product} terminate");
        $after = licenceEnvelope(client()->details(licenceKeyRequest($product, $key)), 'details', $product, $key, 'terminated', "{$product} details after terminate");
        same('terminated', $after['data']['status'] ?? null, "{$product} details after terminate: data.status");

        // Terminated once only: the API refuses a second time, and the licence's status answers it.
        $again = licenceEnvelope(client()->terminate(licenceKeyRequest($product, $key)), 'terminate', $product, $key, 'terminated', "{$product} terminate twice");
        same(true, $again['data']['reconciled'] ?? null, "{$product} terminate twice: data.reconciled");
        sandboxOrder('websoftsolus', $key, ['status' => 'terminated'], "{$product} terminate twice");
    }
    same(3, count(sandbox()->ordersOf('websoftsolus')), 'licences in the sandbox at the end');
}

function test_licence_orders_are_validated_per_product(): void
{
    sandbox()->reset();
    // product, service.options besides the version, months, the field the message must name
    $cases = [
        ['plesk', [], 12, '`service.options.os`'],
        ['plesk', ['os' => 'MACOS'], 12, '`service.options.os`'],
        ['plesk', ['os' => 'LINUX', 'antivirus' => 'NORTON'], 12, '`service.options.antivirus`'],
        ['plesk', ['os' => 'LINUX'], 2, '`service.months`'],
        ['virtuozzo', [], 12, '`service.options.os`'],
        ['virtuozzo', ['os' => 'SOLARIS'], 12, '`service.options.os`'],
        ['cpanel', [], 12, '`service.options.server_ip`'],
        ['cpanel', ['server_ip' => '999.1.1.1'], 12, '`service.options.server_ip`'],
        ['cpanel', ['server_ip' => LICENCE_SERVER_IP, 'addons' => ['BACKDOOR']], 12, '`service.options.addons`'],
        ['cpanel', ['server_ip' => LICENCE_SERVER_IP], 5, '`service.months`'],
        ['cpanel', ['server_ip' => LICENCE_SERVER_IP], 48, '`service.months`'],
    ];
    foreach ($cases as [$product, $options, $months, $field]) {
        $what = "{$product} create with months {$months} and " . show($options);
        $request = sandbox()->licenceRequest($product, ['months' => $months, 'options' => ['product' => licenceVersion($product)] + $options], 'k-1');
        $e = licenceError('invalid_request', fn () => client()->create($request), $what);
        contains($e->getMessage(), $field, "{$what}: the message names the field");
        same([], $e->getEnvelope()['calls'], "{$what}: calls");
        same(false, $e->isRetryable(), "{$what}: retryable");
    }
    foreach (array_keys(LICENCE_OPTIONS) as $product) {
        $request = licenceOrder($product, 'unused');
        unset($request['idempotency_key']);
        $e = licenceError('invalid_request', fn () => client()->create($request), "{$product} create without idempotency_key");
        contains($e->getMessage(), 'idempotency_key', "{$product} create without idempotency_key: the message names the field");
        unset($request['service']['months']);
        $request['idempotency_key'] = 'k-2';
        $e = licenceError('invalid_request', fn () => client()->create($request), "{$product} create without months");
        contains($e->getMessage(), '`service.months`', "{$product} create without months: the message names the field");
        same(0, licenceOrdersReceived($product), "{$product}: orders the sandbox received");
    }
    same([], sandbox()->ordersOf('websoftsolus'), 'licences in the sandbox');
}

function test_licence_same_idempotency_key_twice_is_one_licence(): void
{
    sandbox()->reset();
    foreach (array_keys(LICENCE_OPTIONS) as $product) {
        $title = "svc-42-{$product}";
        $first = client()->create(licenceOrder($product, $title));
        licenceEnvelope($first, 'create', $product, $first['order_id'] ?? null, 'active', "{$product} first create");
        $second = client()->create(licenceOrder($product, $title));
        licenceEnvelope($second, 'create', $product, $first['order_id'], 'active', "{$product} second create");
        same(false, $first['data']['reconciled'] ?? null, "{$product} first create: data.reconciled");
        same(true, $second['data']['reconciled'] ?? null, "{$product} second create: data.reconciled");
        same($title, $second['data']['title'] ?? null, "{$product} second create: data.title");
        same(1, licenceOrdersReceived($product), "{$product}: orders the sandbox received");
        $titled = array_values(array_filter(sandbox()->ordersOf('websoftsolus'), static fn (array $o): bool => $o['title'] === $title));
        same(1, count($titled), "{$product}: licences titled {$title} in /_sandbox/orders");
        same($first['order_id'], $titled[0]['order_id'], "{$product}: the licence in /_sandbox/orders");
        same('active', $titled[0]['status'], "{$product}: its status");

        // A terminated licence is not the service any more: the same key orders a new one.
        client()->terminate(licenceKeyRequest($product, $first['order_id']));
        $third = client()->create(licenceOrder($product, $title));
        same(false, $third['data']['reconciled'] ?? null, "{$product} create after terminate: data.reconciled");
        check($third['order_id'] !== $first['order_id'], "{$product} create after terminate: a new key number");
        same(2, licenceOrdersReceived($product), "{$product}: orders the sandbox received after terminate");
        sandboxOrder('websoftsolus', $third['order_id'], ['status' => 'active', 'title' => $title], "{$product} create after terminate");
        sandboxOrder('websoftsolus', $first['order_id'], ['status' => 'terminated', 'title' => $title], "{$product} the first licence");
    }
}

function test_licence_unknown_key_is_not_found(): void
{
    sandbox()->reset();
    $cpanel = client()->create(licenceOrder('cpanel', 'known-cpanel'))['order_id'];
    $before = sandbox()->orders();
    $unknown = [['plesk', 'PLSK.00000000'], ['virtuozzo', 'VZ.00000000'], ['cpanel', 'CPNL.00000000'], ['plesk', $cpanel]];
    foreach ($unknown as [$product, $key]) {
        foreach (['details', 'terminate'] as $operation) {
            $e = licenceError('not_found', fn () => client()->call($operation, licenceKeyRequest($product, $key)), "{$product} {$operation} of {$key}");
            same(404, $e->getHttpStatus(), "{$product} {$operation} of {$key}: HTTP status");
            check((string) $e->getProviderMessage() !== '', "{$product} {$operation} of {$key}: the provider message is kept");
        }
    }
    foreach (['PLSK/../x', 'PLSK.1?x=1', 'PLSK 1'] as $hostile) {
        $e = licenceError('invalid_request', fn () => client()->details(licenceKeyRequest('plesk', $hostile)), 'details of ' . show($hostile));
        same([], $e->getEnvelope()['calls'], 'details of ' . show($hostile) . ': calls');
    }
    same($before, sandbox()->orders(), '/_sandbox/orders after the refused calls');
    sandboxOrder('websoftsolus', $cpanel, ['status' => 'active'], 'the real licence');
}

function test_licence_wrong_secret_is_refused_and_never_shown(): void
{
    sandbox()->reset();
    $wrong = sandbox()->licenceRequest(null, [], null, LICENCE_CANARY_SECRET);
    $e = licenceError('authentication_failed', fn () => client()->testConnection($wrong), 'test_connection with a wrong secret', LICENCE_CANARY_SECRET);
    same(false, $e->isRetryable(), 'test_connection with a wrong secret: retryable');
    same(401, $e->getHttpStatus(), 'test_connection with a wrong secret: HTTP status');
    contains($e->getMessage(), 'account.secret', 'test_connection with a wrong secret: the message says what to fix');
    contains((string) ($e->getEnvelope()['calls'][0]['request'] ?? ''), 'secret=***', 'calls[0].request with the secret masked');

    $e = licenceError('authentication_failed', fn () => client()->create(licenceOrder('plesk', 'wrong-secret', LICENCE_CANARY_SECRET)), 'create with a wrong secret', LICENCE_CANARY_SECRET);
    same([], sandbox()->ordersOf('websoftsolus'), 'licences after the refused create');
    same(0, licenceOrdersReceived('plesk'), 'orders the sandbox received');

    // The secret really reached the sandbox, so its absence above is redaction.
    $sent = receivedRequests('/websoftsolus/access/token');
    same(2, count($sent), 'token requests the sandbox received');
    foreach ($sent as $request) {
        same([LICENCE_CANARY_SECRET], paramValues($request, 'secret'), 'secret the sandbox received');
        same([SANDBOX_LICENCE_LOGIN], paramValues($request, 'login'), 'login the sandbox received');
    }

    // The right secret still works, in the same process.
    $ok = licenceEnvelope(client()->testConnection(sandbox()->licenceRequest(null, [])), 'test_connection', null, null, null, 'test_connection with the right secret');
    same(true, $ok['data']['reachable'] ?? null, 'test_connection with the right secret: data.reachable');
}

function test_licence_unsupported_operations(): void
{
    sandbox()->reset();
    foreach (array_keys(LICENCE_OPTIONS) as $product) {
        $unsupported = unsupportedOperations('websoftsolus', $product);
        same(['suspend', 'unsuspend', 'renew', 'change_package', 'client_area_url'], $unsupported, "operations the catalog does not list for {$product}");
        $key = client()->create(licenceOrder($product, "unsupported-{$product}"))['order_id'];
        $received = count(sandbox()->admin('GET', 'requests'));
        foreach ($unsupported as $operation) {
            $request = sandbox()->licenceRequest($product, ['order_id' => $key, 'new_plan_id' => licenceVersion($product, 1), 'client_ip' => '203.0.113.9', 'months' => 12]);
            $e = licenceError('unsupported_operation', fn () => client()->call($operation, $request), "{$product} {$operation}");
            same($operation, $e->getEnvelope()['operation'], "{$product} {$operation}: the envelope's operation");
            same($product, $e->getEnvelope()['product'] ?? null, "{$product} {$operation}: the envelope's product");
            contains($e->getMessage(), 'licence API has no', "{$product} {$operation}: the message");
            contains($e->getMessage(), $operation, "{$product} {$operation}: the message names the operation");
            same([], $e->getEnvelope()['calls'], "{$product} {$operation}: calls");
        }
        same($received, count(sandbox()->admin('GET', 'requests')), "{$product}: requests the sandbox received");
        sandboxOrder('websoftsolus', $key, ['status' => 'active'], "{$product} after the unsupported operations");
    }
}

function test_licence_plans_and_test_connection(): void
{
    sandbox()->reset();
    $versions = sandbox()->fixtures('websoftsolus')['products'];
    $connection = licenceEnvelope(client()->testConnection(sandbox()->licenceRequest(null, [])), 'test_connection', null, null, null, 'test_connection');
    same(true, $connection['data']['reachable'] ?? null, 'test_connection: data.reachable');

    $all = licenceEnvelope(client()->plans(sandbox()->licenceRequest(null, [])), 'plans', null, null, null, 'plans of every product');
    foreach (array_keys(LICENCE_OPTIONS) as $product) {
        $listed = array_values(array_filter($all['data']['plans'] ?? [], static fn (array $p): bool => $p['product'] === $product));
        same($versions[$product], array_column($listed, 'plan_id'), "plans of every product: the {$product} versions as in /_sandbox/fixtures");

        $one = licenceEnvelope(client()->plans(sandbox()->licenceRequest($product, [])), 'plans', $product, null, null, "plans of {$product}");
        same($versions[$product], array_column($one['data']['plans'] ?? [], 'plan_id'), "plans of {$product}: versions as in /_sandbox/fixtures");
        foreach ($one['data']['plans'] as $plan) {
            same($product, $plan['product'] ?? null, "plans of {$product}: product");
            check(is_string($plan['name'] ?? null) && $plan['name'] !== '', "plans of {$product}: a name");
        }
    }
    same([], sandbox()->ordersOf('websoftsolus'), 'plans and test_connection create nothing');
}
