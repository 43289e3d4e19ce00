<?php

declare(strict_types=1);

/*
 * Services of each kind through their whole life, as WHMCS drives them: a SiteLock (LogicBoxes)
 * service, licences, a RackNap service, and every LogicBoxes hosting, server and e-mail product.
 */

namespace HostProv\Tests;

/** @return array{string, string} the first two active plans of a LogicBoxes product, from the fixtures */
function logicboxesPlans(string $product): array
{
    $plans = sandbox()->logicboxesFixtures()['plans'][$product] ?? [];
    check(count($plans) >= 2, "the fixtures list two {$product} plans, got " . show($plans));
    return [$plans[0], $plans[1]];
}

function test_sitelock_service_through_its_whole_life(): void
{
    sandbox()->reset();
    [$plan, $newPlan] = logicboxesPlans('sitelock');
    $customer = sandbox()->customerId();
    $service = new WhmcsService(whmcsServer('logicboxes'), [1 => 'sitelock', 2 => $plan], 'shop.example', ['LogicBoxes Customer ID' => $customer]);
    $id = serviceLifecycle($service, 'logicboxes', 'sitelock', $newPlan, 'sitelock');

    sandboxOrder('logicboxes', $id, ['domain' => 'shop.example', 'customer_id' => $customer, 'plan_id' => $newPlan], 'sitelock at the end');
    same(['Overdue on Payment'], paramValues(receivedRequests('/orders/suspend.json')[0], 'reason'), 'WHMCS\'s suspendreason as the reason sent');
    same([BROWSER_IP], paramValues(receivedRequests('/customers/generate-login-token.json')[0], 'ip'), 'the client\'s browser address sent for the sign-on');
    $adds = receivedRequests('/sitelock/add.json');
    same(1, count($adds), 'orders placed');
}

/** The first two versions of a licence product, from the fixtures (its plans). @return array{string, string} */
function licenceVersions(string $product): array
{
    $versions = sandbox()->fixtures('websoftsolus')['products'][$product] ?? [];
    check(count($versions) >= 2, "the fixtures list two {$product} versions, got " . show($versions));
    return [$versions[0], $versions[1]];
}

function test_plesk_licence_through_its_whole_life(): void
{
    sandbox()->reset();
    [$version, $other] = licenceVersions('plesk');
    $service = new WhmcsService(whmcsServer('websoftsolus'), [1 => 'plesk', 2 => $version, 3 => '', 4 => "os=LINUX\ncomment=WHMCS licence"], 'licensed.example');
    $id = serviceLifecycle($service, 'websoftsolus', 'plesk', $other, 'plesk');
    // The Plan setting is the licence's version; the title is the create's idempotency key.
    sandboxOrder('websoftsolus', $id, ['plan_id' => $version, 'title' => "whmcs-service-{$service->model->id}-create"], 'plesk at the end');
    $order = receivedRequests('/websoftsolus/license/plesk/order');
    $placed = array_values(array_filter($order, static fn (array $r): bool => $r['method'] === 'POST'));
    same(1, count($placed), 'licences ordered');
    same(['LINUX'], paramValues($placed[0], 'os'), 'the os line of Service options, as sent');
    same(['12'], paramValues($placed[0], 'period'), 'months from the service\'s annual billing cycle');
}

function test_cpanel_licence_takes_the_server_ip_from_a_custom_field_and_addons_as_a_json_list(): void
{
    sandbox()->reset();
    [$version] = licenceVersions('cpanel');
    $service = new WhmcsService(
        whmcsServer('websoftsolus'),
        [1 => 'cpanel', 2 => $version, 3 => '1', 4 => 'addons=["SOFTACULOUS"]'],
        '',
        ['Server IP' => '192.0.2.77'],
    );
    same('success', $service->call('CreateAccount'), 'CreateAccount');
    $details = client()->details(detailsRequest('websoftsolus', 'cpanel', (string) $service->orderId()));
    same('192.0.2.77', $details['data']['server_ip'] ?? null, 'server_ip from the custom field "Server IP"');
    $placed = array_values(array_filter(receivedRequests('/websoftsolus/license/cpanel/order'), static fn (array $r): bool => $r['method'] === 'POST'));
    same(['1'], paramValues($placed[0], 'period'), 'months from the Term setting');

    // Without the server's address the order cannot be placed: WHMCS is told where to put it.
    $without = new WhmcsService(whmcsServer('websoftsolus'), [1 => 'cpanel', 2 => $version], '');
    $answer = $without->call('CreateAccount');
    contains((string) $answer, '`server_ip`', 'CreateAccount without a server IP');
    contains((string) $answer, 'custom field', 'CreateAccount without a server IP');
    same(1, count(sandbox()->ordersOf('websoftsolus')), 'licences in the sandbox');
}

function test_racknap_service_through_its_whole_life(): void
{
    sandbox()->reset();
    $fixtures = sandbox()->fixtures('racknap');
    [$customer, $plan] = [$fixtures['customers'][0], $fixtures['plans'][0]];
    $service = new WhmcsService(whmcsServer('racknap'), [1 => 'service', 2 => $plan], 'office.example', ['RackNap Customer ID' => $customer]);
    $service->model->amount = '528.14';
    $id = serviceLifecycle($service, 'racknap', 'service', null, 'racknap');
    sandboxOrder('racknap', $id, ['customer_id' => $customer, 'plan_id' => $plan], 'racknap at the end');
    $created = receivedRequests('/racknap/api/v2/service/create');
    same(1, count($created), 'services created');
    same(['528.14'], paramValues($created[0], 'amount'), 'amount: the service\'s recurring amount');
    same(['Annually'], paramValues($created[0], 'billingcycle'), 'billing cycle: the service\'s');
}

/** The LogicBoxes hosting, server and e-mail products the library is to list. */
const HOSTING_PRODUCTS = [
    'single_domain_hosting', 'multi_domain_hosting', 'reseller_hosting', 'vps', 'dedicated_server',
    'managed_server', 'business_email', 'enterprise_email', 'google_workspace', 'cloud_hosting',
];

/** Values for the options hosting products need; a required option missing here fails the test. */
const HOSTING_OPTION_VALUES = ['platform' => 'linux', 'region' => 'us', 'seats' => '2', 'os' => 'alma_8'];

/** Each hosting product, as the catalog lists it, goes through the whole lifecycle. */
function test_hosting_products_through_their_whole_life(): void
{
    $listed = catalogProducts('logicboxes');
    foreach (HOSTING_PRODUCTS as $product) {
        sandbox()->reset();
        $domain = str_replace('_', '-', $product) . '.example';
        check(in_array($product, $listed, true), "{$product} is listed in the catalog");
        $lines = [];
        foreach (optionsOf('logicboxes', $product, 'create') as $option => $required) {
            if ($required) {
                check(isset(HOSTING_OPTION_VALUES[$option]), "{$product}: a value for its required option {$option} in HOSTING_OPTION_VALUES");
                $lines[] = "{$option}=" . HOSTING_OPTION_VALUES[$option];
            }
        }
        // A product priced by seats changes its number of seats (a Service options line, as a
        // configurable option would), keeping its plan if it has one; the others change plan.
        $bySeats = isset(optionsOf('logicboxes', $product, 'change_package')['seats']);
        $plans = sandbox()->logicboxesFixtures()['plans'][$product] ?? [];
        [$plan, $newPlan] = $bySeats ? [$plans[0] ?? '', $plans[0] ?? null] : logicboxesPlans($product);
        $service = new WhmcsService(whmcsServer('logicboxes'), [1 => $product, 2 => $plan, 4 => implode("\n", $lines)], $domain, ['LogicBoxes Customer ID' => sandbox()->customerId()]);
        $moreSeats = $bySeats ? str_replace('seats=' . HOSTING_OPTION_VALUES['seats'], 'seats=5', implode("\n", $lines)) : null;
        serviceLifecycle($service, 'logicboxes', $product, $newPlan, $product, $moreSeats, $bySeats ? ['seats' => 5] : []);
    }
}

/** @return array<string, bool> option => required, for one operation in the catalog */
function optionsOf(string $provider, string $product, string $operation): array
{
    $entry = array_column(catalogProduct($provider, $product)['operations'] ?? [], null, 'operation')[$operation] ?? [];
    return array_fill_keys($entry['options_optional'] ?? [], false) + array_fill_keys($entry['options_required'] ?? [], true);
}
