<?php

declare(strict_types=1);

/*
 * LogicBoxes orders through FFI: SiteLock and CodeGuard through their whole lifecycle, any other
 * order (`order`) suspended and opened in its panel, plans. After every step the sandbox's own
 * view (`/_sandbox/orders`) must agree with the envelope.
 */

namespace HostProv\Tests;

/** Product => the `service` fields its calls need besides ids (CodeGuard's API wants a term). */
const ORDER_PRODUCTS = [
    'sitelock' => [],
    'codeguard' => ['months' => 12],
];
const ORDER_CLIENT_IP = '198.51.100.7';
const ORDER_CANARY_KEY = 'canary-order-key-5c1e';
const ENVELOPE_STATUSES = ['active', 'suspended', 'terminated', 'pending'];

/** @return array<string, mixed> a request for $product with the fields it always needs */
function orderRequest(string $product, array $service, array $options = [], string $apiKey = SANDBOX_API_KEY): array
{
    return sandbox()->logicboxesRequest($product, $service + (ORDER_PRODUCTS[$product] ?? []), $options, $apiKey);
}

/** The first and second active plan of $product, from `/_sandbox/fixtures`. @return array{string, string} */
function fixturePlans(string $product): array
{
    $plans = sandbox()->logicboxesFixtures()['plans'][$product] ?? [];
    check(count($plans) >= 2, "the fixtures list two active {$product} plans, got " . show($plans));
    return [$plans[0], $plans[1]];
}

function fixtureCustomer(): string
{
    $id = sandbox()->logicboxesFixtures()['customers'][0]['customer_id'] ?? null;
    check(is_string($id) && $id !== '', 'the fixtures list a customer');
    return $id;
}

/** @return array<string, mixed> the seeded order of $product (e.g. "dns") from `/_sandbox/fixtures` */
function fixtureOrder(string $product): array
{
    foreach (sandbox()->logicboxesFixtures()['orders'] ?? [] as $order) {
        if (($order['product'] ?? null) === $product) {
            return $order;
        }
    }
    throw new AssertionFailed("no seeded {$product} order in /_sandbox/fixtures");
}

/** @return array<string, mixed> the create request's service for a new order */
function newOrderService(string $product, string $domain): array
{
    return ['domain' => $domain, 'customer_id' => fixtureCustomer(), 'plan_id' => fixturePlans($product)[0]];
}

/**
 * A success envelope as DESIGN §4 describes it, for an operation on $product.
 *
 * @param array<string, mixed> $envelope
 * @return array<string, mixed> the envelope
 */
function okEnvelope(array $envelope, string $operation, ?string $product, ?string $orderId, ?string $status, string $what): array
{
    foreach (['ok', 'api_version', 'operation', 'provider', 'product', 'order_id', 'status', 'url', 'data', 'provider_response', 'calls'] as $key) {
        check(array_key_exists($key, $envelope), "{$what}: the envelope has `{$key}`");
    }
    same(true, $envelope['ok'], "{$what}: ok");
    same(1, $envelope['api_version'], "{$what}: api_version");
    same($operation, $envelope['operation'], "{$what}: operation");
    same('logicboxes', $envelope['provider'], "{$what}: provider");
    same($product, $envelope['product'], "{$what}: product");
    same($orderId, $envelope['order_id'], "{$what}: order_id (a string)");
    same($status, $envelope['status'], "{$what}: status");
    check($envelope['status'] === null || in_array($envelope['status'], ENVELOPE_STATUSES, true), "{$what}: status in the envelope's vocabulary");
    check($envelope['url'] === null || is_string($envelope['url']), "{$what}: url is null or a string");
    check(is_array($envelope['data']), "{$what}: data is an object");
    check(array_is_list($envelope['calls']) && $envelope['calls'] !== [], "{$what}: calls lists the provider calls");
    foreach ($envelope['calls'] as $i => $call) {
        check(in_array($call['method'] ?? null, ['GET', 'POST'], true), "{$what}: calls[{$i}].method");
        check(is_string($call['url'] ?? null) && str_starts_with($call['url'], sandbox()->url . '/logicboxes/api/'), "{$what}: calls[{$i}].url is the provider's");
        check(is_int($call['status'] ?? null), "{$what}: calls[{$i}].status");
        check(is_int($call['elapsed_ms'] ?? null) && $call['elapsed_ms'] >= 0, "{$what}: calls[{$i}].elapsed_ms");
        check(($call['request'] ?? null) === null || is_string($call['request']), "{$what}: calls[{$i}].request");
        check(is_string($call['response'] ?? null), "{$what}: calls[{$i}].response");
        contains($call['url'] . ($call['request'] ?? ''), 'api-key=***', "{$what}: calls[{$i}] with the api key masked");
    }
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), SANDBOX_API_KEY, "{$what}: the envelope");
    return $envelope;
}

/**
 * What `/_sandbox/orders` says of the order must match $expected (status, plan_id, …).
 *
 * @param array<string, mixed> $expected
 * @return array<string, mixed> the sandbox's row
 */
function sandboxAgrees(string $orderId, array $expected, string $what): array
{
    $order = sandbox()->order($orderId);
    check($order !== null, "{$what}: /_sandbox/orders lists order {$orderId}");
    foreach ($expected as $key => $value) {
        same($value, $order[$key] ?? null, "{$what}: /_sandbox/orders {$key}");
    }
    return $order;
}

/** @param callable(): array<string, mixed> $call */
function expectOrderError(string $code, callable $call, string $what): \HostProv\HostProvException
{
    $e = expectError($code, $call, $what);
    $envelope = $e->getEnvelope();
    same(false, $envelope['ok'] ?? null, "{$what}: ok");
    same(1, $envelope['api_version'] ?? null, "{$what}: api_version");
    same('logicboxes', $envelope['provider'] ?? null, "{$what}: provider");
    check(is_string($envelope['operation'] ?? null), "{$what}: operation");
    foreach (['code', 'message', 'retryable', 'provider_message', 'http_status'] as $key) {
        check(array_key_exists($key, $envelope['error'] ?? []), "{$what}: error.{$key} is present");
    }
    check(is_array($envelope['calls'] ?? null) && array_is_list($envelope['calls']), "{$what}: calls is a list");
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), SANDBOX_API_KEY, "{$what}: the envelope");
    return $e;
}

/** The whole lifecycle of one product, with the sandbox checked after every step. */
function orderLifecycle(string $product): void
{
    sandbox()->reset();
    [$plan, $newPlan] = fixturePlans($product);
    $customer = fixtureCustomer();
    $domain = "lifecycle-{$product}.example";
    $seeded = count(sandbox()->orders());
    $request = static fn (array $service, array $options = []): array => orderRequest($product, $service, $options);

    // create
    $created = $request(['domain' => $domain, 'customer_id' => $customer, 'plan_id' => $plan]);
    $envelope = client()->create($created);
    check(is_string($envelope['order_id'] ?? null) && preg_match('/^\d+$/', $envelope['order_id']) === 1, 'create: order_id is a numeric string, got ' . show($envelope['order_id'] ?? null));
    $id = $envelope['order_id'];
    okEnvelope($envelope, 'create', $product, $id, 'active', 'create');
    same(false, $envelope['data']['reconciled'] ?? false, 'create: a new order, not a reconciled one');
    same($seeded + 1, count(sandbox()->orders()), 'create: orders in the sandbox');
    sandboxAgrees($id, ['product' => $product, 'status' => 'active', 'plan_id' => $plan, 'domain' => $domain, 'customer_id' => $customer], 'create');

    // details
    $details = okEnvelope(client()->details($request(['order_id' => $id])), 'details', $product, $id, 'active', 'details');
    $data = $details['data'];
    same($id, $data['order_id'] ?? null, 'details: data.order_id');
    same($domain, $data['domain'] ?? null, 'details: data.domain');
    same('active', $data['status'] ?? null, 'details: data.status');
    same($plan, $data['plan_id'] ?? null, 'details: data.plan_id');
    same($customer, $data['customer_id'] ?? null, 'details: data.customer_id');
    foreach (['created_at', 'expires_at'] as $stamp) {
        check(\DateTimeImmutable::createFromFormat(\DateTimeInterface::RFC3339, (string) ($data[$stamp] ?? '')) !== false, "details: data.{$stamp} is RFC 3339, got " . show($data[$stamp] ?? null));
    }
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $plan], 'details');

    // suspend, unsuspend
    okEnvelope(client()->suspend($request(['order_id' => $id, 'reason' => 'Overdue invoice'])), 'suspend', $product, $id, 'suspended', 'suspend');
    sandboxAgrees($id, ['status' => 'suspended', 'plan_id' => $plan], 'suspend');
    same('suspended', client()->details($request(['order_id' => $id]))['data']['status'] ?? null, 'suspend: details data.status');
    okEnvelope(client()->unsuspend($request(['order_id' => $id])), 'unsuspend', $product, $id, 'active', 'unsuspend');
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $plan], 'unsuspend');

    // change_package, dry run: a quote, and nothing changes
    $before = sandbox()->order($id);
    $detailsBefore = client()->details($request(['order_id' => $id]))['data'];
    $quote = okEnvelope(client()->changePackage($request(['order_id' => $id, 'new_plan_id' => $newPlan], ['dry_run' => true])), 'change_package', $product, $id, null, 'change_package (dry run)');
    foreach (['current_price', 'new_price', 'upgrade_cost', 'remaining_months'] as $key) {
        $value = $quote['data']['quote'][$key] ?? null;
        check(is_int($value) || is_float($value), "change_package (dry run): data.quote.{$key} is a number, got " . show($value));
    }
    same(true, $quote['data']['dry_run'] ?? null, 'change_package (dry run): data.dry_run');
    same($before, sandbox()->order($id), 'change_package (dry run): /_sandbox/orders changes nothing');
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $plan], 'change_package (dry run)');
    same($detailsBefore, client()->details($request(['order_id' => $id]))['data'], 'change_package (dry run): details change nothing');
    same([], receivedRequests('/modify.json'), 'change_package (dry run): modify requests the sandbox received');

    // change_package, for real
    $changed = okEnvelope(client()->changePackage($request(['order_id' => $id, 'new_plan_id' => $newPlan])), 'change_package', $product, $id, null, 'change_package');
    same($newPlan, $changed['data']['plan_id'] ?? null, 'change_package: data.plan_id');
    same(false, $changed['data']['dry_run'] ?? null, 'change_package: data.dry_run');
    same(1, count(receivedRequests('/modify.json')), 'change_package: modify requests the sandbox received');
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $newPlan], 'change_package');
    same($newPlan, client()->details($request(['order_id' => $id]))['data']['plan_id'] ?? null, 'change_package: details data.plan_id');

    // renew
    $expiresBefore = (string) client()->details($request(['order_id' => $id]))['data']['expires_at'];
    okEnvelope(client()->renew($request(['order_id' => $id])), 'renew', $product, $id, null, 'renew');
    $expiresAfter = (string) client()->details($request(['order_id' => $id]))['data']['expires_at'];
    check(new \DateTimeImmutable($expiresAfter) > new \DateTimeImmutable($expiresBefore), "renew: expires_at moves on, {$expiresBefore} → {$expiresAfter}");
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $newPlan], 'renew');

    // client_area_url: a link the servlet accepts
    $link = okEnvelope(client()->clientAreaUrl($request(['order_id' => $id, 'client_ip' => ORDER_CLIENT_IP])), 'client_area_url', $product, $id, null, 'client_area_url');
    $url = (string) $link['url'];
    contains($url, sandbox()->url . '/logicboxes/servlet/ManageServiceServletForAPI?', 'client_area_url: url');
    contains($url, "service-name={$product}", 'client_area_url: url');
    contains($url, "orderid={$id}", 'client_area_url: url');
    same(120, $link['data']['expires_in_s'] ?? null, 'client_area_url: data.expires_in_s');
    [$status, $body] = open($url);
    same(200, $status, 'client_area_url: HTTP status of the link');
    contains($body, "data-order-id=\"{$id}\"", 'client_area_url: the panel page is the order\'s');
    check(preg_match('/auth-token=([^&]+)/', $url, $m) === 1, 'client_area_url: the link carries a token');
    $rest = $link;
    unset($rest['url']);
    lacks(json_encode($rest, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), urldecode($m[1]), 'client_area_url: the envelope outside url');
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => $newPlan], 'client_area_url');

    // terminate
    okEnvelope(client()->terminate($request(['order_id' => $id])), 'terminate', $product, $id, 'terminated', 'terminate');
    sandboxAgrees($id, ['status' => 'terminated', 'plan_id' => $newPlan], 'terminate');
    same('terminated', client()->details($request(['order_id' => $id]))['status'] ?? null, 'terminate: details status');
    same($seeded + 1, count(sandbox()->orders()), 'orders in the sandbox at the end');
}

function test_order_sitelock_lifecycle(): void
{
    orderLifecycle('sitelock');
}

function test_order_codeguard_lifecycle(): void
{
    orderLifecycle('codeguard');
}

function test_order_details_by_domain_equal_details_by_order_id(): void
{
    sandbox()->reset();
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        $domain = "by-domain-{$product}.example";
        $id = client()->create(orderRequest($product, newOrderService($product, $domain)))['order_id'];
        $byId = client()->details(orderRequest($product, ['order_id' => $id]));
        $byDomain = client()->details(orderRequest($product, ['domain' => $domain]));
        okEnvelope($byDomain, 'details', $product, $id, 'active', "{$product} details by domain");
        same($byId['data'], $byDomain['data'], "{$product}: details data by domain and by order_id");
        same($byId['status'], $byDomain['status'], "{$product}: details status by domain and by order_id");
        expectOrderError('not_found', fn () => client()->details(orderRequest($product, ['domain' => "never-ordered-{$product}.example"])), "{$product} details of a domain never ordered");
    }
}

function test_order_unknown_order_is_not_found(): void
{
    sandbox()->reset();
    $unknown = '999';
    same(null, sandbox()->order($unknown), "order {$unknown} is not in the sandbox");
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        [, $newPlan] = fixturePlans($product);
        $service = ['order_id' => $unknown, 'new_plan_id' => $newPlan, 'client_ip' => ORDER_CLIENT_IP];
        foreach (['details', 'suspend', 'unsuspend', 'renew', 'change_package', 'client_area_url', 'terminate'] as $operation) {
            $e = expectOrderError('not_found', fn () => client()->call($operation, orderRequest($product, $service)), "{$product} {$operation} of an unknown order");
            contains((string) $e->getProviderMessage(), 'No Entity found', "{$product} {$operation}: the provider's own message is kept");
        }
        expectOrderError('not_found', fn () => client()->changePackage(orderRequest($product, $service, ['dry_run' => true])), "{$product} change_package (dry run) of an unknown order");
    }
    same(count(sandbox()->logicboxesFixtures()['orders']), count(sandbox()->orders()), 'orders in the sandbox');
}

function test_order_deleted_order_refuses_renew(): void
{
    sandbox()->reset();
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        $id = client()->create(orderRequest($product, newOrderService($product, "deleted-{$product}.example")))['order_id'];
        client()->terminate(orderRequest($product, ['order_id' => $id]));
        $before = sandboxAgrees($id, ['status' => 'terminated'], "{$product} terminated");
        $e = expectOrderError('provider_error', fn () => client()->renew(orderRequest($product, ['order_id' => $id])), "{$product} renew of a deleted order");
        check(is_string($e->getProviderMessage()) && $e->getProviderMessage() !== '', "{$product} renew of a deleted order: the provider's message is kept");
        same(false, $e->isRetryable(), "{$product} renew of a deleted order: retryable");
        same($before, sandbox()->order($id), "{$product} renew of a deleted order: /_sandbox/orders changes nothing");
        expectOrderError('provider_error', fn () => client()->suspend(orderRequest($product, ['order_id' => $id])), "{$product} suspend of a deleted order");
        sandboxAgrees($id, ['status' => 'terminated'], "{$product} after the refused calls");
    }
}

function test_order_codeguard_create_without_months_is_invalid(): void
{
    sandbox()->reset();
    $request = sandbox()->logicboxesRequest('codeguard', newOrderService('codeguard', 'no-months.example'));
    $e = expectOrderError('invalid_request', fn () => client()->create($request), 'codeguard create without months');
    contains($e->getMessage(), '`service.months`', 'the message names the field');
    same([], $e->getEnvelope()['calls'], 'calls: nothing reached the provider');
    same([], sandbox()->admin('GET', 'requests'), 'requests the sandbox received');
    same(count(sandbox()->logicboxesFixtures()['orders']), count(sandbox()->orders()), 'orders in the sandbox');

    $request['service']['months'] = 12;
    $created = client()->create($request);
    okEnvelope($created, 'create', 'codeguard', is_string($created['order_id'] ?? null) ? $created['order_id'] : '(a string)', 'active', 'codeguard create with months');
    sandboxAgrees($created['order_id'], ['product' => 'codeguard', 'status' => 'active'], 'codeguard create with months');
    same(['12'], paramValues(receivedRequests('codeguard/add.json')[0], 'months'), 'months sent to codeguard/add.json');
}

function test_order_wrong_api_key_creates_nothing(): void
{
    sandbox()->reset();
    $orders = sandbox()->orders();
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        $request = orderRequest($product, newOrderService($product, "wrong-key-{$product}.example"), [], ORDER_CANARY_KEY);
        $e = expectOrderError('authentication_failed', fn () => client()->create($request), "{$product} create with a wrong api key");
        same(false, $e->isRetryable(), "{$product}: retryable");
        $flat = json_encode($e->getEnvelope(), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        lacks($flat, ORDER_CANARY_KEY, "{$product}: the error envelope");
        lacks($e->getMessage(), ORDER_CANARY_KEY, "{$product}: the message");
        same($orders, sandbox()->orders(), "{$product}: /_sandbox/orders after the refused create");
    }
    same($orders, sandbox()->orders(), '/_sandbox/orders after the refused creates');
    // The key really reached the sandbox, so its absence above is redaction.
    $sent = sandbox()->admin('GET', 'requests');
    check($sent !== [], 'the sandbox received the calls');
    same([ORDER_CANARY_KEY], array_values(array_unique(array_merge(...array_map(static fn (array $r): array => paramValues($r, 'api-key'), $sent)))), 'api-key the sandbox received');
}

function test_order_generic_order_suspends_and_unsuspends(): void
{
    sandbox()->reset();
    $dns = fixtureOrder('dns');
    $id = $dns['order_id'];
    sandboxAgrees($id, ['product' => 'dns', 'status' => 'active'], 'the seeded dns order');
    $request = static fn (array $service): array => sandbox()->logicboxesRequest('order', ['order_id' => $id] + $service);

    okEnvelope(client()->suspend($request(['reason' => 'Overdue invoice'])), 'suspend', 'order', $id, 'suspended', 'order suspend');
    sandboxAgrees($id, ['status' => 'suspended', 'plan_id' => null], 'order suspend');
    same(['Overdue invoice'], paramValues(receivedRequests('/orders/suspend.json')[0], 'reason'), 'reason sent');
    // A generic order has no call that reads its state: the API's refusal is the answer.
    $e = expectOrderError('provider_error', fn () => client()->suspend($request([])), 'order suspended twice');
    contains((string) $e->getProviderMessage(), $id, 'order suspended twice: provider message');
    same(500, $e->getHttpStatus(), 'order suspended twice: HTTP status');
    same(false, $e->isRetryable(), 'order suspended twice: retryable');

    okEnvelope(client()->unsuspend($request([])), 'unsuspend', 'order', $id, 'active', 'order unsuspend');
    sandboxAgrees($id, ['status' => 'active', 'plan_id' => null], 'order unsuspend');

    expectOrderError('not_found', fn () => client()->suspend(sandbox()->logicboxesRequest('order', ['order_id' => '999'])), 'order suspend of an unknown order');
    expectOrderError('unsupported_operation', fn () => client()->renew($request([])), 'order renew');
}

function test_order_generic_order_client_area_url(): void
{
    sandbox()->reset();
    $dns = fixtureOrder('dns');
    $id = $dns['order_id'];
    $request = static fn (array $service): array => sandbox()->logicboxesRequest('order', [
        'order_id' => $id,
        'customer_id' => $dns['customer_id'],
        'client_ip' => ORDER_CLIENT_IP,
    ] + $service);

    $link = okEnvelope(client()->clientAreaUrl($request(['service_name' => 'dns'])), 'client_area_url', 'order', $id, null, 'order client_area_url');
    $url = (string) $link['url'];
    contains($url, '/servlet/ManageServiceServletForAPI?', 'url');
    contains($url, 'service-name=dns', 'url');
    [$status, $body] = open($url);
    same(200, $status, 'HTTP status of the link');
    contains($body, "data-order-id=\"{$id}\"", 'the panel page is the order\'s');
    sandboxAgrees($id, ['status' => 'active'], 'after client_area_url');

    $tokens = count(receivedRequests('/customers/generate-login-token.json'));
    foreach ([['service_name' => 'ftp'], ['service_name' => 'DNS'], ['service_name' => 'dns&panel=whm'], ['panel' => 'cpanel'], []] as $bad) {
        $e = expectOrderError('invalid_request', fn () => client()->clientAreaUrl($request($bad)), 'order client_area_url with ' . show($bad));
        same([], $e->getEnvelope()['calls'], 'calls for ' . show($bad));
    }
    contains($e->getMessage(), 'service.service_name', 'the message names the field');
    same($tokens, count(receivedRequests('/customers/generate-login-token.json')), 'no login token was requested for an invalid request');
}

function test_order_plans_list_the_fixture_plans(): void
{
    sandbox()->reset();
    $fixtures = sandbox()->logicboxesFixtures();
    $request = sandbox()->logicboxesRequest('sitelock', []);
    unset($request['product']);
    $all = okEnvelope(client()->plans($request), 'plans', null, null, null, 'plans of every product');
    $listed = array_unique(array_column($all['data']['plans'] ?? [], 'product'));
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        check(in_array($product, $listed, true), "plans of every product list {$product}, got " . show(array_values($listed)));
    }
    foreach (array_keys(ORDER_PRODUCTS) as $product) {
        $envelope = client()->plans(sandbox()->logicboxesRequest($product, []));
        $plans = $envelope['data']['plans'] ?? null;
        check(is_array($plans) && $plans !== [], "{$product}: data.plans");
        foreach ($plans as $plan) {
            same($product, $plan['product'] ?? null, "{$product}: plans are the product's");
            check(is_string($plan['plan_id'] ?? null) && is_string($plan['name'] ?? null), "{$product}: plan_id and name are strings");
            check(in_array($plan['status'] ?? null, ['active', 'paused'], true), "{$product}: plan status");
        }
        $active = array_column(array_filter($plans, static fn (array $p): bool => $p['status'] === 'active'), 'plan_id');
        same($fixtures['plans'][$product], array_values($active), "{$product}: active plans as in /_sandbox/fixtures");
    }
}
