<?php

declare(strict_types=1);

/*
 * The LogicBoxes hosting, server and e-mail families through FFI, table-driven: each family's
 * order through its whole lifecycle in one edition, with its family options, the sandbox's own
 * view (`/_sandbox/orders`) checked after every step. What the catalog does not offer for a
 * family must be refused as unconfirmed, with nothing sent.
 */

namespace HostProv\Tests;

/**
 * Family => its edition (sent with every call), its create options, its change_package options
 * (a bigger plan where none), and what its control panel link opens.
 */
const FAMILIES = [
    'single_domain_hosting' => ['edition' => [], 'create' => ['enable_ssl' => true]],
    'multi_domain_hosting' => ['edition' => ['platform' => 'windows', 'region' => 'uk'], 'create' => []],
    'reseller_hosting' => ['edition' => ['region' => 'in'], 'create' => ['add_dedicated_ip' => true], 'change' => ['cpanel_blocks' => 2], 'panel' => 'panel=whm'],
    'vps' => ['edition' => [], 'create' => ['os' => 'alma_8', 'addons' => ['cpanel', 'storage_1']]],
    'dedicated_server' => ['edition' => ['region' => 'hk'], 'create' => ['os' => 'rocky_9', 'addons' => ['ipaddress']]],
    'managed_server' => ['edition' => [], 'create' => ['os' => 'ubuntu_22']],
    'business_email' => ['edition' => [], 'create' => ['seats' => 2]],
    'enterprise_email' => ['edition' => ['region' => 'in'], 'create' => ['seats' => 2]],
    'google_workspace' => ['edition' => ['region' => 'se'], 'create' => ['seats' => 2]],
    'cloud_hosting' => ['edition' => ['region' => 'in'], 'create' => []],
];

/** @param array<string, mixed> $family @return array<string, mixed> */
function familyRequest(string $product, array $family, array $service, array $options = []): array
{
    $service['options'] = ($service['options'] ?? []) + $family['edition'];
    if ($service['options'] === []) {
        unset($service['options']);
    }
    return sandbox()->logicboxesRequest($product, $service + ['months' => 12], $options);
}

/** @param array<string, mixed> $family */
function familyLifecycle(string $product, array $family): void
{
    sandbox()->reset();
    $operations = catalogOperations('logicboxes', $product);
    $request = static fn (array $service, array $options = []): array => familyRequest($product, $family, $service, $options);
    $plans = array_values(array_filter(
        client()->plans($request([]))['data']['plans'] ?? [],
        static fn (array $p): bool => $p['status'] === 'active',
    ));
    foreach ($plans as $plan) {
        same($product, $plan['product'] ?? null, "{$product}: plans are the product's");
        check(isset($plan['prices']['add']) && $plan['tenures'] !== [], "{$product}: plans have prices and tenures");
    }
    $seats = isset($family['create']['seats']);
    check($seats || count($plans) >= 2, "{$product}: two plans to change between");
    $domain = 'php-' . str_replace('_', '-', $product) . '.example';

    // create, twice: one order
    $service = ['domain' => $domain, 'customer_id' => fixtureCustomer(), 'options' => $family['create']];
    if ($plans !== []) {
        $service['plan_id'] = $plans[0]['plan_id'];
    }
    $created = client()->create($request($service));
    $id = (string) ($created['order_id'] ?? '');
    okEnvelope($created, 'create', $product, $id, 'active', "{$product}: create");
    $again = client()->create($request($service));
    same([$id, true], [$again['order_id'], $again['data']['reconciled'] ?? null], "{$product}: create again answers the same order");
    $order = sandboxAgrees($id, ['product' => $product, 'status' => 'active', 'domain' => $domain], "{$product}: create");
    same(1, count(receivedRequests('/add.json')), "{$product}: orders placed");
    if ($seats) {
        same(2, $order['seats'], "{$product}: seats in the sandbox");
    }

    // details, where the family's details call is confirmed
    if (in_array('details', $operations, true)) {
        $data = okEnvelope(client()->details($request(['order_id' => $id])), 'details', $product, $id, 'active', "{$product}: details")['data'];
        same($order['product_key'], $data['product_key'] ?? null, "{$product}: details product_key");
        same($family['edition']['region'] ?? ($product === 'google_workspace' ? 'gbl' : 'us'), $data['region'] ?? null, "{$product}: details region");
        foreach (['seats', 'os', 'addons'] as $option) {
            if (isset($family['create'][$option])) {
                same($family['create'][$option], $data[$option] ?? null, "{$product}: details {$option}");
            }
        }
    }

    okEnvelope(client()->suspend($request(['order_id' => $id])), 'suspend', $product, $id, 'suspended', "{$product}: suspend");
    sandboxAgrees($id, ['status' => 'suspended'], "{$product}: suspend");
    okEnvelope(client()->unsuspend($request(['order_id' => $id])), 'unsuspend', $product, $id, 'active', "{$product}: unsuspend");
    sandboxAgrees($id, ['status' => 'active'], "{$product}: unsuspend");

    // change_package: seats up and down, or a bigger plan
    if (in_array('change_package', $operations, true) && $seats) {
        foreach ([5, 1] as $count) {
            $changed = okEnvelope(client()->changePackage($request(['order_id' => $id, 'options' => ['seats' => $count]])), 'change_package', $product, $id, null, "{$product}: {$count} seats");
            same($count, $changed['data']['seats'] ?? null, "{$product}: data.seats");
            sandboxAgrees($id, ['seats' => $count], "{$product}: {$count} seats");
        }
    } elseif (in_array('change_package', $operations, true)) {
        $newPlan = $plans[1]['plan_id'];
        okEnvelope(client()->changePackage($request(['order_id' => $id, 'new_plan_id' => $newPlan, 'options' => $family['change'] ?? []])), 'change_package', $product, $id, null, "{$product}: change_package");
        sandboxAgrees($id, ['plan_id' => $newPlan], "{$product}: change_package");
    }

    $expires = sandbox()->order($id)['expires_at'];
    okEnvelope(client()->renew($request(['order_id' => $id, 'auto_renew' => false])), 'renew', $product, $id, null, "{$product}: renew");
    check(new \DateTimeImmutable(sandbox()->order($id)['expires_at']) > new \DateTimeImmutable($expires), "{$product}: renew moves the expiry");

    if (in_array('client_area_url', $operations, true)) {
        $url = (string) client()->clientAreaUrl($request(['order_id' => $id, 'client_ip' => ORDER_CLIENT_IP]))['url'];
        contains($url, $family['panel'] ?? "service-name={$order['product_key']}", "{$product}: client_area_url");
        [$status, $body] = open($url);
        same(200, $status, "{$product}: HTTP status of the link");
        contains($body, "data-order-id=\"{$id}\"", "{$product}: the panel page is the order's");
    }

    if (in_array('terminate', $operations, true)) {
        okEnvelope(client()->terminate($request(['order_id' => $id])), 'terminate', $product, $id, 'terminated', "{$product}: terminate");
        sandboxAgrees($id, ['status' => 'terminated'], "{$product}: terminate");
    }
    foreach (unsupportedOperations('logicboxes', $product) as $operation) {
        $before = count(sandbox()->admin('GET', 'requests'));
        $e = expectOrderError('unsupported_operation', fn () => client()->call($operation, $request(['order_id' => $id, 'client_ip' => ORDER_CLIENT_IP])), "{$product}: {$operation}");
        contains($e->getMessage(), 'not confirmed', "{$product}: {$operation}");
        same($before, count(sandbox()->admin('GET', 'requests')), "{$product}: {$operation} sends nothing");
    }
}

function test_every_family_through_its_lifecycle(): void
{
    foreach (FAMILIES as $product => $family) {
        familyLifecycle($product, $family);
    }
}

function test_family_options_are_refused_locally(): void
{
    sandbox()->reset();
    $cases = [
        ['vps', 'create', ['os' => 'Alma Linux 8'], 'os'],
        ['dedicated_server', 'create', ['os' => 'alma_8', 'addons' => ['directadmin']], 'addons'],
        ['single_domain_hosting', 'create', ['enable_ssl' => 'perhaps'], 'enable_ssl'],
        ['business_email', 'change_package', ['seats' => 0], 'seats'],
        ['reseller_hosting', 'create', ['region' => 'tr'], 'linux/us'],
    ];
    foreach ($cases as [$product, $operation, $options, $named]) {
        $service = ['domain' => 'bad-options.example', 'customer_id' => fixtureCustomer(), 'plan_id' => '1', 'order_id' => '1', 'new_plan_id' => '2', 'options' => $options];
        $e = expectOrderError('invalid_request', fn () => client()->call($operation, sandbox()->logicboxesRequest($product, $service + ['months' => 12])), "{$product} {$operation}");
        contains($e->getMessage(), $named, "{$product} {$operation}: the message names the option");
        same([], $e->getEnvelope()['calls'], "{$product} {$operation}: nothing sent");
    }
    same([], sandbox()->admin('GET', 'requests'), 'the sandbox received nothing');
}
