<?php

declare(strict_types=1);

/*
 * php demo.php SANDBOX_URL        (or set HOSTPROV_SANDBOX_URL)
 *
 * Drives every provider's services through hostprov against a running hostprov-sandbox, using
 * only src/HostProv.php, the header and the library:
 *
 *   LogicBoxes
 *   - a reseller customer: test the connection, suspend, unsuspend, open the control panel;
 *   - the plans, as a panel's config dropdown would list them;
 *   - a SiteLock and a CodeGuard order: create → details → suspend → unsuspend →
 *     change_package (dry run, then real) → renew → client_area_url → terminate;
 *   - a single domain hosting and a VPS order, in their default edition (Linux, US) with their
 *     family options (SSL; OS and add-ons): create → details → suspend → unsuspend →
 *     change_package (dry run, then real) → renew → client_area_url → terminate;
 *   - a Business Email order, priced by seats: create (2 seats) → details → suspend → unsuspend
 *     → change_package to 5 seats, then to 1 → renew → client_area_url → terminate;
 *   - a seeded DNS order through the generic `order` product: suspend → unsuspend → client_area_url.
 *
 *   RackNap
 *   - the reseller account: test the connection, the plans;
 *   - a service: create → suspend → unsuspend → renew (which the RackNap API lacks) → terminate.
 *
 *   Licences (websoftsolus)
 *   - the reseller account: test the connection, the plans (the orderable versions);
 *   - a Plesk, a cPanel and a Virtuozzo licence: create (titled by the panel's idempotency_key)
 *     → details → suspend (which the licence API lacks) → terminate.
 *
 * Each step prints its name and envelope, then one line with what the sandbox itself says of the
 * service (`/_sandbox/orders` or `/_sandbox/customers`); every client_area_url link is opened as a
 * browser would and its HTTP status printed. A step the provider's API cannot do prints its
 * error envelope and the one-sentence message a panel shows. Ids and product versions come from
 * `/_sandbox/fixtures`. Start the sandbox first:
 *
 *     target/debug/hostprov-sandbox --listen 127.0.0.1:0
 *
 * The client_area_url links printed here carry live login tokens: fine against the sandbox, but a
 * panel hands such a link to the customer's browser and never logs it.
 *
 * The library is target/debug/libhostprov.so unless HOSTPROV_LIB names another. A scenario stops
 * at its first failed step; the demo exits 1 when any step failed.
 *
 * The flow is data: scenarios() below is a list of scenarios, each a list of steps. Another
 * provider is one more account in accounts() and more scenarios; nothing else changes.
 */

require_once __DIR__ . '/src/HostProv.php';

use HostProv\Client;
use HostProv\HostProvException;

const JSON_OUT = JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
const CLIENT_IP = '203.0.113.9';

/**
 * One step of a scenario:
 *
 *   0          the operation ("create", "suspend", …), run with Client::call()
 *   'label'    the name printed (default: the operation)
 *   'service'  the request's `service`; a value "{name}" is the scenario variable `name`, and
 *              "{name}" inside a longer string is replaced by it
 *   'options'  the request's `options` (`dry_run`, …)
 *   'request'  more top-level request fields (`idempotency_key`), filled like `service`
 *   'error'    the error code the step must fail with (an operation the provider's API lacks)
 *   'save'     variable => dotted path in the envelope, read after the step (e.g. the new order_id)
 *   'expect'   dotted path in the envelope => the value it must have
 *   'url_has'  strings the envelope's `url` must contain
 *   'sandbox'  field => the value the sandbox's own record of the service must have afterwards
 *
 * The lifecycle of a LogicBoxes product with its own API and plans (SiteLock, CodeGuard, a
 * hosting or server family in its default edition): its family options go with create, and
 * its control panel opens by the product key its details give.
 */
const PRODUCT_LIFECYCLE = [
    ['create', 'service' => ['domain' => '{domain}', 'customer_id' => '{customer_id}', 'plan_id' => '{plan_id}', 'options' => '{options}'],
        'save' => ['order_id' => 'order_id'], 'expect' => ['status' => 'active'],
        'sandbox' => ['product' => '{product}', 'status' => 'active', 'plan_id' => '{plan_id}']],
    ['details', 'service' => ['order_id' => '{order_id}'], 'save' => ['product_key' => 'data.product_key'],
        'expect' => ['status' => 'active', 'data.domain' => '{domain}', 'data.plan_id' => '{plan_id}'],
        'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}', 'product_key' => '{product_key}']],
    ['suspend', 'service' => ['order_id' => '{order_id}', 'reason' => 'Overdue invoice'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended', 'plan_id' => '{plan_id}']],
    ['unsuspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['change_package', 'label' => 'change_package (dry run)', 'service' => ['order_id' => '{order_id}', 'new_plan_id' => '{new_plan_id}'],
        'options' => ['dry_run' => true], 'expect' => ['data.dry_run' => true],
        'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['change_package', 'service' => ['order_id' => '{order_id}', 'new_plan_id' => '{new_plan_id}'],
        'expect' => ['data.dry_run' => false, 'data.plan_id' => '{new_plan_id}'],
        'sandbox' => ['status' => 'active', 'plan_id' => '{new_plan_id}']],
    ['renew', 'service' => ['order_id' => '{order_id}'],
        'sandbox' => ['status' => 'active', 'plan_id' => '{new_plan_id}']],
    ['client_area_url', 'service' => ['order_id' => '{order_id}', 'client_ip' => CLIENT_IP],
        'url_has' => ['orderid={order_id}', 'service-name={product_key}'],
        'sandbox' => ['status' => 'active', 'plan_id' => '{new_plan_id}']],
    ['terminate', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'terminated'], 'sandbox' => ['status' => 'terminated', 'plan_id' => '{new_plan_id}']],
];

/** An e-mail family's order, priced by seats: its package is its number of accounts. */
const EMAIL_LIFECYCLE = [
    ['create', 'service' => ['domain' => '{domain}', 'customer_id' => '{customer_id}', 'options' => ['seats' => 2]],
        'save' => ['order_id' => 'order_id'], 'expect' => ['status' => 'active'],
        'sandbox' => ['product' => '{product}', 'status' => 'active', 'seats' => 2]],
    ['details', 'service' => ['order_id' => '{order_id}'], 'save' => ['product_key' => 'data.product_key'],
        'expect' => ['status' => 'active', 'data.seats' => 2], 'sandbox' => ['status' => 'active', 'seats' => 2]],
    ['suspend', 'service' => ['order_id' => '{order_id}', 'reason' => 'Overdue invoice'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended']],
    ['unsuspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active']],
    ['change_package', 'label' => 'change_package (5 seats)', 'service' => ['order_id' => '{order_id}', 'options' => ['seats' => 5]],
        'expect' => ['data.seats' => 5, 'data.seats_before' => 2], 'sandbox' => ['status' => 'active', 'seats' => 5]],
    ['change_package', 'label' => 'change_package (1 seat)', 'service' => ['order_id' => '{order_id}', 'options' => ['seats' => 1]],
        'expect' => ['data.seats' => 1, 'data.seats_before' => 5], 'sandbox' => ['status' => 'active', 'seats' => 1]],
    ['renew', 'service' => ['order_id' => '{order_id}'], 'sandbox' => ['status' => 'active', 'seats' => 1]],
    ['client_area_url', 'service' => ['order_id' => '{order_id}', 'client_ip' => CLIENT_IP],
        'url_has' => ['orderid={order_id}', 'service-name={product_key}'], 'sandbox' => ['status' => 'active']],
    ['terminate', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'terminated'], 'sandbox' => ['status' => 'terminated', 'seats' => 1]],
];

/** Any other LogicBoxes order (DNS, hosting, …), through the generic `order` product. */
const GENERIC_ORDER_LIFECYCLE = [
    ['suspend', 'service' => ['order_id' => '{order_id}', 'reason' => 'Overdue invoice'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended']],
    ['unsuspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active']],
    ['client_area_url', 'service' => ['order_id' => '{order_id}', 'customer_id' => '{customer_id}', 'client_ip' => CLIENT_IP, 'service_name' => '{service_name}'],
        'url_has' => ['orderid={order_id}', 'service-name={service_name}'], 'sandbox' => ['status' => 'active']],
];

/** A family whose documentation confirms only some calls (cloud hosting): those, and a clear no. */
const CONFIRMED_CALLS_LIFECYCLE = [
    ['create', 'service' => ['domain' => '{domain}', 'customer_id' => '{customer_id}', 'plan_id' => '{plan_id}', 'options' => '{options}'],
        'save' => ['order_id' => 'order_id'], 'expect' => ['status' => 'active'],
        'sandbox' => ['product' => '{product}', 'status' => 'active', 'plan_id' => '{plan_id}']],
    ['suspend', 'service' => ['order_id' => '{order_id}', 'reason' => 'Overdue invoice'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended', 'plan_id' => '{plan_id}']],
    ['unsuspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['renew', 'service' => ['order_id' => '{order_id}'], 'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['terminate', 'label' => 'terminate (not confirmed by its documentation)', 'service' => ['order_id' => '{order_id}'],
        'error' => 'unsupported_operation', 'sandbox' => ['status' => 'active']],
];

/** A new LogicBoxes customer, signed up once per e-mail and found again by it. */
const CUSTOMER_SIGNUP = [
    ['create', 'service' => ['options' => ['email' => '{email}', 'name' => 'Demo Customer', 'company' => 'Demo Hosting Ltd',
        'address' => '1 High Street', 'city' => 'London', 'state' => 'Greater London', 'country' => 'GB',
        'zipcode' => 'EC1A 1AA', 'phone_cc' => '44', 'phone' => '2071234567', 'password' => 'Demo2pass#1']],
        'save' => ['customer_id' => 'data.customer_id'], 'expect' => ['data.reconciled' => false, 'data.email' => '{email}'],
        'sandbox' => ['status' => 'active']],
    ['create', 'label' => 'create again (the same e-mail: the same customer)', 'service' => ['options' => ['email' => '{email}',
        'name' => 'Demo Customer', 'company' => 'Demo Hosting Ltd', 'address' => '1 High Street', 'city' => 'London',
        'state' => 'Greater London', 'country' => 'GB', 'zipcode' => 'EC1A 1AA', 'phone_cc' => '44', 'phone' => '2071234567',
        'password' => 'Demo2pass#1']],
        'expect' => ['data.reconciled' => true, 'data.customer_id' => '{customer_id}'], 'sandbox' => ['status' => 'active']],
    ['details', 'label' => 'details by e-mail', 'service' => ['options' => ['email' => '{email}']],
        'expect' => ['data.customer_id' => '{customer_id}'], 'sandbox' => ['status' => 'active']],
];

/** A LogicBoxes reseller customer. */
const CUSTOMER_LIFECYCLE = [
    ['test_connection', 'expect' => ['data.reachable' => true]],
    ['suspend', 'service' => ['customer_id' => '{customer_id}', 'reason' => 'Overdue invoice'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended']],
    ['unsuspend', 'service' => ['customer_id' => '{customer_id}', 'reason' => 'Invoice paid'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active']],
    ['client_area_url', 'service' => ['customer_id' => '{customer_id}', 'client_ip' => CLIENT_IP],
        'url_has' => ['AutoLoginServlet'], 'sandbox' => ['status' => 'active']],
];

/** The reseller account of any provider: its credentials work, and what it sells. */
const ACCOUNT_CHECKS = [
    ['test_connection', 'expect' => ['data.reachable' => true]],
    ['plans', 'expect' => ['data.plans.0.plan_id' => '{first_plan}']],
];

/** A RackNap service (an Office 365 subscription, …), billed by the panel. */
const RACKNAP_LIFECYCLE = [
    ['create', 'service' => ['customer_id' => '{customer_id}', 'plan_id' => '{plan_id}', 'options' => ['amount' => 528.14, 'billing_cycle' => 'Annually']],
        'save' => ['order_id' => 'order_id'], 'expect' => ['status' => 'active'],
        'sandbox' => ['product' => 'service', 'status' => 'active', 'customer_id' => '{customer_id}', 'plan_id' => '{plan_id}']],
    ['suspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'suspended'], 'sandbox' => ['status' => 'suspended', 'plan_id' => '{plan_id}']],
    ['unsuspend', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active'], 'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['renew', 'label' => 'renew (not in the RackNap API)', 'service' => ['order_id' => '{order_id}'],
        'error' => 'unsupported_operation', 'sandbox' => ['status' => 'active', 'plan_id' => '{plan_id}']],
    ['terminate', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'terminated'], 'sandbox' => ['status' => 'terminated', 'plan_id' => '{plan_id}']],
];

/** A Plesk, cPanel or Virtuozzo licence, titled by the panel's idempotency_key. */
const LICENCE_LIFECYCLE = [
    ['create', 'request' => ['idempotency_key' => '{idempotency_key}'], 'service' => ['months' => 12, 'options' => '{options}'],
        'save' => ['order_id' => 'order_id'],
        'expect' => ['status' => 'active', 'data.title' => '{idempotency_key}', 'data.reconciled' => false],
        'sandbox' => ['product' => '{product}', 'status' => 'active', 'title' => '{idempotency_key}', 'plan_id' => '{version}']],
    ['details', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'active', 'data.key' => '{order_id}', 'data.product' => '{product}', 'data.title' => '{idempotency_key}'],
        'sandbox' => ['status' => 'active', 'title' => '{idempotency_key}']],
    ['suspend', 'label' => 'suspend (not in the licence API)', 'service' => ['order_id' => '{order_id}'],
        'error' => 'unsupported_operation', 'sandbox' => ['status' => 'active']],
    ['terminate', 'service' => ['order_id' => '{order_id}'],
        'expect' => ['status' => 'terminated'], 'sandbox' => ['status' => 'terminated', 'title' => '{idempotency_key}']],
];

/** What the sandbox says of an order (`/_sandbox/orders`) and of a customer (`/_sandbox/customers`). */
const WATCH_ORDER = ['route' => 'orders', 'key' => 'order_id', 'fields' => ['status', 'plan_id']];
const WATCH_SEATS = ['route' => 'orders', 'key' => 'order_id', 'fields' => ['status', 'seats', 'product_key']];
const WATCH_LICENCE = ['route' => 'orders', 'key' => 'order_id', 'fields' => ['status', 'plan_id', 'title']];
const WATCH_CUSTOMER = ['route' => 'customers', 'key' => 'customer_id', 'fields' => ['status']];

/**
 * The scenarios, built from the sandbox's fixtures. A scenario: its title, provider, product
 * (null for account-level operations), variables, fields added to every step's `service`, what
 * the sandbox is asked after each step (null: nothing), and its steps.
 *
 * @param array<string, mixed> $fixtures the body of GET /_sandbox/fixtures
 * @return list<array<string, mixed>>
 */
function scenarios(array $fixtures): array
{
    $lb = $fixtures['logicboxes'];
    $customer = $lb['customers'][0]['customer_id'];
    // `service` goes with every step: CodeGuard's and the families' APIs want the term on
    // create, renew and change. Options are an object even when empty.
    $product = static fn (string $key, array $service = [], array $options = [], array $steps = PRODUCT_LIFECYCLE): array => [
        'title' => "LogicBoxes {$key} order",
        'provider' => 'logicboxes',
        'product' => $key,
        'vars' => [
            'product' => $key,
            'domain' => 'demo-' . str_replace('_', '-', $key) . '.example',
            'customer_id' => $customer,
            'plan_id' => $lb['plans'][$key][0] ?? null,
            'new_plan_id' => $lb['plans'][$key][1] ?? null,
            'options' => (object) $options,
        ],
        'service' => $service,
        'watch' => $steps === EMAIL_LIFECYCLE ? WATCH_SEATS : WATCH_ORDER,
        'steps' => $steps,
    ];
    $dns = seededOrder($lb['orders'], 'dns');
    // Reseller hosting opens WHM, not a panel named by its product key.
    $whm = array_map(static fn (array $step): array => $step[0] === 'client_area_url'
        ? ['url_has' => ['orderid={order_id}', 'panel=whm']] + $step : $step, PRODUCT_LIFECYCLE);

    $racknapPlan = fixture($fixtures, 'racknap.plans.0');
    $licence = static function (string $product, array $options) use ($fixtures): array {
        $version = fixture($fixtures, "websoftsolus.products.{$product}.0");
        return [
            'title' => "{$product} licence",
            'provider' => 'websoftsolus',
            'product' => $product,
            'vars' => [
                'product' => $product,
                'version' => $version,
                'options' => ['product' => $version] + $options,
                'idempotency_key' => "demo-service-{$product}",
            ],
            'service' => [],
            'watch' => WATCH_LICENCE,
            'steps' => LICENCE_LIFECYCLE,
        ];
    };

    return [
        ['title' => 'LogicBoxes reseller customer', 'provider' => 'logicboxes', 'product' => 'customer',
            'vars' => ['customer_id' => $customer], 'service' => [], 'watch' => WATCH_CUSTOMER, 'steps' => CUSTOMER_LIFECYCLE],
        ['title' => 'LogicBoxes plans', 'provider' => 'logicboxes', 'product' => null,
            'vars' => [], 'service' => [], 'watch' => null, 'steps' => [['plans']]],
        $product('sitelock'),
        $product('codeguard', ['months' => 12]),
        ['title' => 'LogicBoxes customer sign-up', 'provider' => 'logicboxes', 'product' => 'customer',
            'vars' => ['email' => 'demo-signup@example.com'], 'service' => [], 'watch' => WATCH_CUSTOMER, 'steps' => CUSTOMER_SIGNUP],
        $product('single_domain_hosting', ['months' => 12], ['enable_ssl' => true]),
        $product('multi_domain_hosting', ['months' => 12]),
        $product('reseller_hosting', ['months' => 12], ['add_dedicated_ip' => true], $whm),
        $product('vps', ['months' => 12], ['os' => 'alma_8', 'addons' => ['cpanel']]),
        $product('dedicated_server', ['months' => 12], ['os' => 'ubuntu_22']),
        $product('managed_server', ['months' => 12], ['os' => 'alma_9']),
        $product('business_email', ['months' => 12], [], EMAIL_LIFECYCLE),
        $product('enterprise_email', ['months' => 12], [], EMAIL_LIFECYCLE),
        $product('google_workspace', ['months' => 12], [], EMAIL_LIFECYCLE),
        $product('cloud_hosting', ['months' => 12], [], CONFIRMED_CALLS_LIFECYCLE),
        ['title' => 'LogicBoxes seeded DNS order (generic `order`)', 'provider' => 'logicboxes', 'product' => 'order',
            'vars' => ['order_id' => $dns['order_id'], 'customer_id' => $dns['customer_id'], 'service_name' => 'dns'],
            'service' => [], 'watch' => WATCH_ORDER, 'steps' => GENERIC_ORDER_LIFECYCLE],

        ['title' => 'RackNap reseller account', 'provider' => 'racknap', 'product' => null,
            'vars' => ['first_plan' => $racknapPlan], 'service' => ['plan_id' => $racknapPlan], 'watch' => null, 'steps' => ACCOUNT_CHECKS],
        ['title' => 'RackNap service', 'provider' => 'racknap', 'product' => 'service',
            'vars' => ['customer_id' => fixture($fixtures, 'racknap.customers.0'), 'plan_id' => $racknapPlan],
            'service' => [], 'watch' => WATCH_ORDER, 'steps' => RACKNAP_LIFECYCLE],

        ['title' => 'Licence reseller account (websoftsolus)', 'provider' => 'websoftsolus', 'product' => null,
            'vars' => ['first_plan' => fixture($fixtures, 'websoftsolus.products.plesk.0')], // plans lists Plesk first
            'service' => [], 'watch' => null, 'steps' => ACCOUNT_CHECKS],
        $licence('plesk', ['os' => 'LINUX']),
        $licence('cpanel', ['server_ip' => '192.0.2.10']),
        $licence('virtuozzo', ['os' => 'LINUX']),
    ];
}

/**
 * The reseller account of each provider, pointing at the sandbox.
 *
 * @param array<string, mixed> $fixtures
 * @return array<string, array<string, mixed>>
 */
function accounts(string $sandbox, array $fixtures): array
{
    return [
        'logicboxes' => [
            'auth_userid' => $fixtures['logicboxes']['auth_userid'],
            'api_key' => $fixtures['logicboxes']['api_key'],
            'base_url' => "{$sandbox}/logicboxes",
            'panel_url' => "{$sandbox}/logicboxes",
        ],
        'racknap' => [
            'api_token' => fixture($fixtures, 'racknap.api_token'),
            'base_url' => "{$sandbox}/racknap",
        ],
        'websoftsolus' => [
            'login' => fixture($fixtures, 'websoftsolus.login'),
            'secret' => fixture($fixtures, 'websoftsolus.secret'),
            'base_url' => "{$sandbox}/websoftsolus",
        ],
    ];
}

/** A value of `/_sandbox/fixtures` at a dotted path ("racknap.plans.0"); the demo stops without it. */
function fixture(array $fixtures, string $path): mixed
{
    $value = dig($fixtures, $path);
    if ($value === null || $value === []) {
        fail("GET /_sandbox/fixtures has nothing at {$path}.");
    }
    return $value;
}

/** @param list<array<string, mixed>> $orders @return array<string, mixed> */
function seededOrder(array $orders, string $product): array
{
    foreach ($orders as $order) {
        if (($order['product'] ?? null) === $product) {
            return $order;
        }
    }
    fail("/_sandbox/fixtures lists no seeded {$product} order.");
}

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

/** @return mixed the JSON body of a sandbox admin route */
function admin(string $sandbox, string $method, string $route): mixed
{
    [$status, $body] = fetch($method, "{$sandbox}/_sandbox/{$route}", $method === 'POST' ? '{}' : null);
    if ($status !== 200) {
        fail("{$method} {$sandbox}/_sandbox/{$route} answered HTTP {$status}; is the sandbox running there?");
    }
    return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
}

function fail(string $message): never
{
    fwrite(STDERR, "demo: {$message}\n");
    exit(1);
}

/** A step that did not go as the table says. */
final class StepFailed extends RuntimeException
{
}

/** "{name}" is the variable itself (any type); "{name}" inside a longer string is its text. */
function fill(mixed $value, array $vars): mixed
{
    if (is_array($value)) {
        return array_map(static fn (mixed $v): mixed => fill($v, $vars), $value);
    }
    if (!is_string($value)) {
        return $value;
    }
    $lookup = static function (string $name) use ($vars): mixed {
        if (!array_key_exists($name, $vars)) {
            throw new StepFailed("the table uses {{$name}}, which is not known yet");
        }
        return $vars[$name];
    };
    if (preg_match('/^\{(\w+)\}$/', $value, $m)) {
        return $lookup($m[1]);
    }
    return preg_replace_callback('/\{(\w+)\}/', static fn (array $m): string => (string) $lookup($m[1]), $value);
}

/** The value at a dotted path ("data.quote.new_price"), or null. */
function dig(array $envelope, string $path): mixed
{
    $value = $envelope;
    foreach (explode('.', $path) as $key) {
        if (!is_array($value) || !array_key_exists($key, $value)) {
            return null;
        }
        $value = $value[$key];
    }
    return $value;
}

function show(mixed $value): string
{
    return json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
}

/**
 * Runs one step and prints it. Throws StepFailed when the envelope is an error the table does not
 * expect, or does not say what the table expects.
 *
 * @param array<string, mixed> $scenario
 * @param array<string, mixed> $step
 * @param array<string, mixed> $vars the scenario's variables; `save` adds to them
 * @param array<string, array<string, mixed>> $accounts
 */
function runStep(Client $hostprov, string $sandbox, array $accounts, array $scenario, array $step, array &$vars): void
{
    $operation = $step[0];
    echo "== {$scenario['title']}: " . ($step['label'] ?? $operation) . "\n";

    $request = [
        'provider' => $scenario['provider'],
        'account' => $accounts[$scenario['provider']],
        'service' => fill(($step['service'] ?? []) + $scenario['service'], $vars),
    ];
    if ($scenario['product'] !== null) {
        $request['product'] = $scenario['product'];
    }
    if (isset($step['options'])) {
        $request['options'] = $step['options'];
    }
    $request += fill($step['request'] ?? [], $vars);

    $error = null;
    try {
        $envelope = $hostprov->call($operation, $request);
    } catch (HostProvException $error) {
        $envelope = $error->getEnvelope();
    }
    echo json_encode($envelope, JSON_OUT), "\n";
    $expectedError = $step['error'] ?? null;
    if ($error !== null && $error->getErrorCode() !== $expectedError) {
        throw new StepFailed("{$error->getErrorCode()}: {$error->getMessage()}");
    }
    if ($error === null && $expectedError !== null) {
        throw new StepFailed("the call succeeded; expected the error {$expectedError}");
    }
    if ($error !== null) {
        // What a panel shows its admin instead of a button that cannot work.
        echo "   {$expectedError}, as expected: {$error->getMessage()}\n";
    }

    foreach ($step['save'] ?? [] as $name => $path) {
        $vars[$name] = dig($envelope, $path);
    }
    $expected = ['operation' => $operation, 'provider' => $scenario['provider'], 'product' => $scenario['product']];
    if (isset($vars['order_id']) && $error === null) {
        $expected['order_id'] = $vars['order_id'];
    }
    foreach ($expected + fill($step['expect'] ?? [], $vars) as $path => $value) {
        if (dig($envelope, $path) !== $value) {
            throw new StepFailed("the envelope's {$path} is " . show(dig($envelope, $path)) . ', expected ' . show($value));
        }
    }
    foreach (fill($step['url_has'] ?? [], $vars) as $part) {
        if (!str_contains((string) $envelope['url'], $part)) {
            throw new StepFailed("the url lacks {$part}");
        }
    }

    if ($scenario['watch'] !== null) {
        watch($sandbox, $scenario, $vars, fill($step['sandbox'] ?? [], $vars));
    }
    if ($operation === 'client_area_url' && $error === null) {
        // The link as the customer's browser follows it.
        [$status] = fetch('GET', (string) $envelope['url']);
        echo "   GET the client area link: HTTP {$status}\n";
        if ($status !== 200) {
            throw new StepFailed("the client area link answered HTTP {$status}, not 200");
        }
    }
}

/**
 * Prints one line with what the sandbox says of the scenario's service and checks it.
 *
 * @param array<string, mixed> $scenario
 * @param array<string, mixed> $vars
 * @param array<string, mixed> $expected
 */
function watch(string $sandbox, array $scenario, array $vars, array $expected): void
{
    ['route' => $route, 'key' => $key, 'fields' => $fields] = $scenario['watch'];
    $id = $vars[$key] ?? null;
    $record = null;
    foreach (admin($sandbox, 'GET', $route) as $row) {
        if (($row[$key] ?? null) === $id && ($row['provider'] ?? null) === $scenario['provider']) {
            $record = $row;
        }
    }
    if ($record === null) {
        throw new StepFailed("/_sandbox/{$route} does not list {$key} " . show($id));
    }
    $shown = array_map(static fn (string $f): string => "{$f}=" . show($record[$f] ?? null), $fields);
    echo "   /_sandbox/{$route}: {$key} {$id} " . implode(' ', $shown) . "\n";
    foreach ($expected as $field => $value) {
        if (($record[$field] ?? null) !== $value) {
            throw new StepFailed("/_sandbox/{$route} says {$field}=" . show($record[$field] ?? null) . ', expected ' . show($value));
        }
    }
}

$sandbox = $argv[1] ?? (getenv('HOSTPROV_SANDBOX_URL') ?: '');
if ($sandbox === '') {
    fwrite(STDERR, "usage: php demo.php SANDBOX_URL   (or set HOSTPROV_SANDBOX_URL)\n");
    exit(2);
}
$sandbox = rtrim($sandbox, '/');

admin($sandbox, 'POST', 'reset');
$fixtures = admin($sandbox, 'GET', 'fixtures');
if (!is_array($fixtures['logicboxes']['customers'][0] ?? null)) {
    fail("GET {$sandbox}/_sandbox/fixtures lists no LogicBoxes customer.");
}

$hostprov = new Client();
echo "hostprov {$hostprov->version()} (C ABI {$hostprov->abiVersion()}), sandbox {$sandbox}\n";

$accounts = accounts($sandbox, $fixtures);
$failed = [];
$steps = 0;
foreach (scenarios($fixtures) as $scenario) {
    $vars = $scenario['vars'];
    foreach ($scenario['steps'] as $step) {
        $steps++;
        try {
            runStep($hostprov, $sandbox, $accounts, $scenario, $step, $vars);
        } catch (StepFailed $e) {
            $name = "{$scenario['title']}: " . ($step['label'] ?? $step[0]);
            echo "   FAILED: {$e->getMessage()}\n";
            $failed[] = "{$name}: {$e->getMessage()}";
            break; // the scenario's later steps build on this one
        }
    }
}

if ($failed !== []) {
    fwrite(STDERR, 'demo: ' . count($failed) . " step(s) failed:\n  " . implode("\n  ", $failed) . "\n");
    exit(1);
}
echo "done: {$steps} steps, all as expected\n";
