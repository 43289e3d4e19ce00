<?php

declare(strict_types=1);

/*
 * RackNap services through FFI: create → suspend → unsuspend → terminate with the sandbox's own
 * view (`/_sandbox/orders`) checked after every step, the vendor's field names and dates as the
 * sandbox receives them, and the errors a panel meets.
 */

namespace HostProv\Tests;

const RACKNAP_CANARY_TOKEN = 'canary-racknap-token-3d9b';
const RACKNAP_CREATE_PATH = '/racknap/api/v2/service/create';

/** @return array{string, string} the first customer and the first Office 365 plan of `/_sandbox/fixtures` */
function racknapCustomerAndPlan(): array
{
    $fixtures = sandbox()->fixtures('racknap');
    $customer = $fixtures['customers'][0] ?? null;
    $plan = $fixtures['plans'][0] ?? null;
    check(is_string($customer) && is_string($plan), 'the fixtures list a RackNap customer and plan, got ' . show($fixtures));
    return [$customer, $plan];
}

/**
 * @param array<string, mixed> $options the create's `service.options`
 * @return array<string, mixed>
 */
function racknapCreateRequest(array $options, string $token = SANDBOX_RACKNAP_TOKEN): array
{
    [$customer, $plan] = racknapCustomerAndPlan();
    $request = sandbox()->racknapRequest('service', ['customer_id' => $customer, 'plan_id' => $plan, 'options' => $options], $token);
    // A panel's own service id: the sandbox is reset between tests, the library's journal is not.
    $request['idempotency_key'] = 'php-service-' . bin2hex(random_bytes(8));
    return $request;
}

/** @return array<string, mixed> a request about one service */
function racknapServiceRequest(string $serviceId): array
{
    return sandbox()->racknapRequest('service', ['order_id' => $serviceId]);
}

/** @param array<string, mixed> $envelope @return array<string, mixed> */
function racknapEnvelope(array $envelope, string $operation, ?string $product, ?string $orderId, ?string $status, string $what): array
{
    providerEnvelope($envelope, 'racknap', $operation, $product, $orderId, $status, SANDBOX_RACKNAP_TOKEN, $what);
    check($envelope['calls'] !== [], "{$what}: calls lists the RackNap calls");
    foreach ($envelope['calls'] as $i => $call) {
        same('POST', $call['method'], "{$what}: calls[{$i}].method (every RackNap call is a POST)");
        contains($call['url'], '/racknap/api/v2/service/', "{$what}: calls[{$i}].url");
    }
    return $envelope;
}

/** @param callable(): array<string, mixed> $call */
function racknapError(string $code, callable $call, string $what, string $secret = SANDBOX_RACKNAP_TOKEN): \HostProv\HostProvException
{
    return providerError($code, 'racknap', $call, $secret, $what);
}

function test_racknap_service_lifecycle(): void
{
    sandbox()->reset();
    [$customer, $plan] = racknapCustomerAndPlan();
    same([], sandbox()->ordersOf('racknap'), 'no RackNap service before the test');

    $created = client()->create(racknapCreateRequest(['amount' => 528.14, 'billing_cycle' => 'Annually']));
    $id = $created['order_id'] ?? null;
    check(is_string($id) && preg_match('/^\d+$/', $id) === 1, 'create: order_id is a numeric string, got ' . show($id));
    racknapEnvelope($created, 'create', 'service', $id, 'active', 'create');
    same(1, count($created['calls']), 'create: one call');
    contains($created['calls'][0]['url'], '/api/v2/service/create', 'create: calls[0].url');
    contains((string) ($created['provider_response']['message'] ?? ''), "Service ID: {$id}", 'create: the provider message the id was read from');
    sandboxOrder('racknap', $id, ['product' => 'service', 'status' => 'active', 'customer_id' => $customer, 'plan_id' => $plan], 'create');
    same(1, count(sandbox()->ordersOf('racknap')), 'create: RackNap services in the sandbox');

    foreach ([['suspend', 'suspended'], ['unsuspend', 'active'], ['terminate', 'terminated']] as [$operation, $status]) {
        $envelope = racknapEnvelope(client()->call($operation, racknapServiceRequest($id)), $operation, 'service', $id, $status, $operation);
        contains($envelope['calls'][0]['url'], "/api/v2/service/{$operation}", "{$operation}: calls[0].url");
        same('serviceid=' . $id, $envelope['calls'][0]['request'], "{$operation}: calls[0].request");
        sandboxOrder('racknap', $id, ['status' => $status, 'customer_id' => $customer, 'plan_id' => $plan], $operation);
        $sent = receivedRequests("/racknap/api/v2/service/{$operation}");
        same(1, count($sent), "{$operation}: requests the sandbox received");
        same([$id], paramValues($sent[0], 'serviceid'), "{$operation}: serviceid the sandbox received");
    }

    // A terminated service cannot be suspended: RackNap says so, and nothing changes.
    $e = racknapError('provider_error', fn () => client()->suspend(racknapServiceRequest($id)), 'suspend after terminate');
    check((string) $e->getProviderMessage() !== '', 'suspend after terminate: the provider message is kept');
    sandboxOrder('racknap', $id, ['status' => 'terminated'], 'suspend after terminate');
    same(1, count(sandbox()->ordersOf('racknap')), 'RackNap services in the sandbox at the end');
}

function test_racknap_vendor_field_names_and_dates_as_received(): void
{
    sandbox()->reset();
    [$customer, $plan] = racknapCustomerAndPlan();
    $envelope = client()->create(racknapCreateRequest([
        'amount' => '528.14',
        'recurring_amount' => 500,
        'billing_cycle' => 'Monthly',
        'registration_date' => '2024-01-31',
        'subscription_id' => '618e16ad6764',
        'quantity' => 2,
    ]));
    racknapEnvelope($envelope, 'create', 'service', $envelope['order_id'] ?? null, 'active', 'create');
    $sent = receivedRequests(RACKNAP_CREATE_PATH);
    same(1, count($sent), 'create requests the sandbox received');
    same('POST', $sent[0]['method'], 'method');
    $expected = [
        'customer_id' => [$customer],
        'planid' => [$plan],
        'amount' => ['528.14'],
        // The vendor's own spellings, misspellings included.
        'recuring_amount' => ['500'],
        'recuring_plan_price' => ['528.14'],
        'first_plan_price' => ['528.14'],
        'firstpayment' => ['528.14'],
        'recurring_amount' => [],
        'recurring_plan_price' => [],
        'billingcycle' => ['Monthly'],
        'billing_cycle' => [],
        'plan_billing_cycle' => ['Monthly'],
        'slserverid' => ['618e16ad6764'],
        'subscription_id' => [],
        'quantity' => ['2'],
        // dd/mm/yyyy; a month after 31 January 2024 is 29 February 2024.
        'regdate' => ['31/01/2024'],
        'registration_date' => [],
        'nextduedate' => ['29/02/2024'],
    ];
    foreach ($expected as $name => $values) {
        same($values, paramValues($sent[0], $name), "{$name} as the sandbox received it");
    }
    // The module log shows what was sent.
    contains((string) $envelope['calls'][0]['request'], 'regdate=31%2F01%2F2024', 'calls[0].request');
    contains((string) $envelope['calls'][0]['request'], 'recuring_amount=500', 'calls[0].request');

    // A dd/mm/yyyy date passes as it is; the next due date follows the cycle.
    client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => 'Quarterly', 'registration_date' => '15/03/2024']));
    $sent = receivedRequests(RACKNAP_CREATE_PATH);
    same(2, count($sent), 'create requests the sandbox received');
    same(['15/03/2024'], paramValues($sent[1], 'regdate'), 'regdate of a dd/mm/yyyy date');
    same(['15/06/2024'], paramValues($sent[1], 'nextduedate'), 'nextduedate a quarter later');

    // Without a registration date: today, still dd/mm/yyyy.
    client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => 'Annually']));
    $sent = receivedRequests(RACKNAP_CREATE_PATH)[2];
    foreach (['regdate', 'nextduedate'] as $name) {
        $values = paramValues($sent, $name);
        check(count($values) === 1 && preg_match('#^\d{2}/\d{2}/\d{4}$#', $values[0]) === 1, "{$name} without a registration date is dd/mm/yyyy, got " . show($values));
    }
    [$day, $month, $year] = explode('/', paramValues($sent, 'regdate')[0]);
    $day = "{$day}/{$month}" === '29/02' ? '28' : $day; // a year after 29 February is 28 February
    same(sprintf('%s/%s/%04d', $day, $month, (int) $year + 1), paramValues($sent, 'nextduedate')[0], 'nextduedate a year after regdate');
    same(3, count(sandbox()->ordersOf('racknap')), 'RackNap services in the sandbox');
}

function test_racknap_unknown_billing_cycle_is_invalid_request(): void
{
    sandbox()->reset();
    foreach (['Yearly', 'annually', ''] as $cycle) {
        $e = racknapError('invalid_request', fn () => client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => $cycle])), "billing_cycle " . show($cycle));
        contains($e->getMessage(), 'service.options.billing_cycle', "billing_cycle {$cycle}: the message names the field");
        foreach (['Monthly', 'Semi-Annually', 'Annually', 'Decennial'] as $listed) {
            contains($e->getMessage(), $listed, "billing_cycle {$cycle}: the message lists the cycles");
        }
        same([], $e->getEnvelope()['calls'], "billing_cycle {$cycle}: calls");
        same(false, $e->isRetryable(), "billing_cycle {$cycle}: retryable");
    }
    $e = racknapError('invalid_request', fn () => client()->create(racknapCreateRequest(['billing_cycle' => 'Monthly'])), 'create without amount');
    contains($e->getMessage(), 'service.options.amount', 'create without amount: the message names the field');
    same([], receivedRequests(RACKNAP_CREATE_PATH), 'create requests the sandbox received');
    same([], sandbox()->ordersOf('racknap'), 'RackNap services in the sandbox');
}

function test_racknap_wrong_token_is_refused_and_never_shown(): void
{
    sandbox()->reset();
    $e = racknapError(
        'authentication_failed',
        fn () => client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => 'Monthly'], RACKNAP_CANARY_TOKEN)),
        'create with a wrong token',
        RACKNAP_CANARY_TOKEN,
    );
    same(false, $e->isRetryable(), 'create with a wrong token: retryable');
    same(401, $e->getHttpStatus(), 'create with a wrong token: HTTP status');
    check((string) $e->getProviderMessage() !== '', 'create with a wrong token: the provider message is kept');
    contains($e->getMessage(), 'account.api_token', 'create with a wrong token: the message says what to fix');
    // The call really reached RackNap (the token travels in a header the log does not keep), so
    // the token's absence from the envelope is redaction.
    same(1, count(receivedRequests(RACKNAP_CREATE_PATH)), 'create requests the sandbox received');
    same([], sandbox()->ordersOf('racknap'), 'RackNap services after the refused create');

    $wrong = sandbox()->racknapRequest(null, [], RACKNAP_CANARY_TOKEN);
    $e = racknapError('authentication_failed', fn () => client()->testConnection($wrong), 'test_connection with a wrong token', RACKNAP_CANARY_TOKEN);
    same(401, $e->getHttpStatus(), 'test_connection with a wrong token: HTTP status');
    racknapError('authentication_failed', fn () => client()->suspend(sandbox()->racknapRequest('service', ['order_id' => '1334'], RACKNAP_CANARY_TOKEN)), 'suspend with a wrong token', RACKNAP_CANARY_TOKEN);
}

function test_racknap_unknown_service_is_not_found(): void
{
    sandbox()->reset();
    $id = client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => 'Monthly']))['order_id'];
    $before = sandbox()->orders();
    foreach (['suspend', 'unsuspend', 'terminate'] as $operation) {
        foreach (['999999', 'not-a-number'] as $unknown) {
            $e = racknapError('not_found', fn () => client()->call($operation, racknapServiceRequest($unknown)), "{$operation} of service {$unknown}");
            check((string) $e->getProviderMessage() !== '', "{$operation} of service {$unknown}: the provider message is kept");
            same(false, $e->isRetryable(), "{$operation} of service {$unknown}: retryable");
        }
    }
    same($before, sandbox()->orders(), '/_sandbox/orders after the refused calls');
    sandboxOrder('racknap', $id, ['status' => 'active'], 'the real service');
}

function test_racknap_unsupported_operations(): void
{
    sandbox()->reset();
    $unsupported = unsupportedOperations('racknap', 'service');
    same(['renew', 'change_package', 'client_area_url', 'details'], $unsupported, 'operations the catalog does not list for a RackNap service');
    $id = client()->create(racknapCreateRequest(['amount' => 1, 'billing_cycle' => 'Monthly']))['order_id'];
    $received = count(sandbox()->admin('GET', 'requests'));
    foreach ($unsupported as $operation) {
        $request = sandbox()->racknapRequest('service', ['order_id' => $id, 'new_plan_id' => racknapCustomerAndPlan()[1], 'client_ip' => '203.0.113.9']);
        $e = racknapError('unsupported_operation', fn () => client()->call($operation, $request), $operation);
        same($operation, $e->getEnvelope()['operation'], "{$operation}: the envelope's operation");
        same('service', $e->getEnvelope()['product'] ?? null, "{$operation}: the envelope's product");
        contains($e->getMessage(), 'RackNap API has no', "{$operation}: the message");
        contains($e->getMessage(), $operation, "{$operation}: the message names the operation");
        same([], $e->getEnvelope()['calls'], "{$operation}: calls");
        same(false, $e->isRetryable(), "{$operation}: retryable");
    }
    same($received, count(sandbox()->admin('GET', 'requests')), 'requests the sandbox received');
    sandboxOrder('racknap', $id, ['status' => 'active'], 'after the unsupported operations');
}

function test_racknap_plans_and_test_connection(): void
{
    sandbox()->reset();
    $fixtures = sandbox()->fixtures('racknap');
    $connection = racknapEnvelope(client()->testConnection(sandbox()->racknapRequest(null, [])), 'test_connection', null, null, null, 'test_connection');
    same(true, $connection['data']['reachable'] ?? null, 'test_connection: data.reachable');

    foreach ($fixtures['plans'] as $plan) {
        $envelope = racknapEnvelope(client()->plans(sandbox()->racknapRequest(null, ['plan_id' => $plan])), 'plans', null, null, null, "plans of {$plan}");
        $listed = $envelope['data']['plans'] ?? [];
        same(1, count($listed), "plans of {$plan}: data.plans");
        same($plan, $listed[0]['plan_id'] ?? null, "plans of {$plan}: plan_id");
        same('service', $listed[0]['product'] ?? null, "plans of {$plan}: product");
        check(is_string($listed[0]['name'] ?? null) && $listed[0]['name'] !== '', "plans of {$plan}: a name");
        contains($envelope['calls'][0]['url'], '/planDetail', "plans of {$plan}: calls[0].url");
    }

    $vps = $fixtures['vps_plans'][0] ?? null;
    check(is_string($vps), 'the fixtures list a Cloud VPS plan');
    $envelope = racknapEnvelope(client()->plans(sandbox()->racknapRequest(null, ['plan_id' => $vps, 'options' => ['platform' => 'Windows']])), 'plans', null, null, null, 'plans of a VPS plan on Windows');
    same('Windows', $envelope['data']['details']['platform'] ?? null, 'VPS plan: data.details.platform');
    contains($envelope['calls'][0]['url'], '/cloud_linux_vps_details', 'VPS plan: calls[0].url');
    $e = racknapError('invalid_request', fn () => client()->plans(sandbox()->racknapRequest(null, ['plan_id' => $vps, 'options' => ['platform' => 'BeOS']])), 'plans on an unknown platform');
    contains($e->getMessage(), 'service.options.platform', 'plans on an unknown platform: the message names the field');
    racknapError('not_found', fn () => client()->plans(sandbox()->racknapRequest(null, ['plan_id' => '999999'])), 'plans of an unknown plan');
    same([], sandbox()->ordersOf('racknap'), 'plans and test_connection create nothing');
}
