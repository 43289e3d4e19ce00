<?php

declare(strict_types=1);

/*
 * Orders and customers as WHMCS's services meet them: retries, services imported without an
 * order id, an older WHMCS without service properties, unknown products, settings left empty,
 * and the customer an order is placed for.
 */

namespace HostProv\Tests;

/** @return WhmcsService a SiteLock service for the first fixture customer */
function sitelockService(string $domain, bool $withProperties = true, array $settings = []): WhmcsService
{
    [$plan] = logicboxesPlans('sitelock');
    return new WhmcsService(whmcsServer('logicboxes'), $settings + [1 => 'sitelock', 2 => $plan], $domain, ['LogicBoxes Customer ID' => sandbox()->customerId()], [], $withProperties);
}

function test_create_twice_on_a_whmcs_without_service_properties_leaves_one_order(): void
{
    sandbox()->reset();
    clearLog();
    // WHMCS before 7.2 keeps no order id: the second create must find the first order.
    $sitelock = sitelockService('retried.example', false);
    same('success', $sitelock->call('CreateAccount'), 'SiteLock CreateAccount');
    same('success', $sitelock->call('CreateAccount'), 'SiteLock CreateAccount again');
    same(1, count(receivedRequests('/sitelock/add.json')), 'SiteLock orders placed');
    same(1, count(array_filter(sandbox()->ordersOf('logicboxes'), static fn (array $o): bool => $o['domain'] === 'retried.example')), 'SiteLock orders for the domain');
    logHoldsAndHidesAll(['CreateAccount'], SANDBOX_API_KEY, [], 'SiteLock creates without service properties');
    clearLog();

    [$version] = licenceVersions('plesk');
    $plesk = new WhmcsService(whmcsServer('websoftsolus'), [1 => 'plesk', 2 => $version, 4 => 'os=LINUX'], '', [], [], false);
    same('success', $plesk->call('CreateAccount'), 'plesk CreateAccount');
    same('success', $plesk->call('CreateAccount'), 'plesk CreateAccount again');
    same(1, count(sandbox()->ordersOf('websoftsolus')), 'licences in the sandbox');
    logHoldsAndHidesAll(['CreateAccount'], SANDBOX_LICENCE_SECRET, [], 'licence creates without service properties');
}

function test_a_service_without_a_stored_order_id_is_found_by_domain(): void
{
    sandbox()->reset();
    [$plan] = logicboxesPlans('sitelock');
    // An order placed outside WHMCS, then imported as a service.
    $id = client()->create(sandbox()->logicboxesRequest('sitelock', ['domain' => 'imported.example', 'customer_id' => sandbox()->customerId(), 'plan_id' => $plan]))['order_id'];
    $service = sitelockService('imported.example');
    same(null, $service->orderId(), 'no Order ID before');
    clearLog();
    same('success', $service->call('SuspendAccount', ['suspendreason' => 'Imported, overdue']), 'SuspendAccount');
    sandboxOrder('logicboxes', $id, ['status' => 'suspended'], 'SuspendAccount by domain');
    same($id, $service->orderId(), 'the order id found is stored');
    same('success', $service->call('UnsuspendAccount'), 'UnsuspendAccount with the stored id');
    same(1, count(receivedRequests('/sitelock/details.json')), 'look-ups by domain: once, then the stored id serves');

    // An older WHMCS stores nothing: every call finds the order by domain.
    $older = sitelockService('imported.example', false);
    same('success', $older->call('SuspendAccount'), 'SuspendAccount on an older WHMCS');
    sandboxOrder('logicboxes', $id, ['status' => 'suspended'], 'SuspendAccount on an older WHMCS');
    logHoldsAndHidesAll(['SuspendAccount', 'UnsuspendAccount'], SANDBOX_API_KEY, [], 'found by domain');
}

function test_a_service_whose_order_cannot_be_found_by_domain_says_what_to_enter(): void
{
    sandbox()->reset();
    $fixtures = sandbox()->fixtures('racknap');
    [$version] = licenceVersions('plesk');
    $services = [
        'racknap' => new WhmcsService(whmcsServer('racknap'), [1 => 'service', 2 => $fixtures['plans'][0]], 'office.example', ['RackNap Customer ID' => $fixtures['customers'][0]]),
        'plesk' => new WhmcsService(whmcsServer('websoftsolus'), [1 => 'plesk', 2 => $version], 'licensed.example'),
    ];
    foreach ($services as $what => $service) {
        clearLog();
        $before = requestsReceived();
        $answer = (string) $service->call('TerminateAccount');
        contains($answer, 'Order ID field', "{$what}: TerminateAccount without an order id");
        same($before, requestsReceived(), "{$what}: requests the sandbox received");
        logHoldsAndHidesAll(['TerminateAccount'], (string) $service->server['serverpassword'], [], $what);
    }
    // The SiteLock of a domain never ordered: the provider's own answer.
    $answer = (string) sitelockService('never-ordered.example')->call('TerminateAccount');
    check($answer !== 'success' && $answer !== '', 'SiteLock never ordered: TerminateAccount refused, got ' . show($answer));
}

function test_an_unknown_product_is_refused_readably(): void
{
    sandbox()->reset();
    clearLog();
    $service = sitelockService('unknown.example', true, [1 => 'sitelokc']);
    foreach (['CreateAccount', 'SuspendAccount', 'Renew'] as $function) {
        $answer = (string) $service->call($function);
        contains($answer, 'The Product setting `sitelokc` is not a product of logicboxes', "{$function}: the answer");
        contains($answer, 'sitelock', "{$function}: the answer lists the products");
    }
    same([], sandbox()->admin('GET', 'requests'), 'requests the sandbox received');
    same(null, $service->orderId(), 'no order id');
    logHoldsAndHidesAll(['CreateAccount', 'SuspendAccount', 'Renew'], SANDBOX_API_KEY, [], 'unknown product');

    $unset = sitelockService('unset.example', true, [1 => '']);
    contains((string) $unset->call('CreateAccount'), 'No product is chosen', 'CreateAccount without a product');
}

function test_settings_left_empty_or_wrong_are_named(): void
{
    sandbox()->reset();
    [$codeguardPlan] = logicboxesPlans('codeguard');
    $customer = ['LogicBoxes Customer ID' => sandbox()->customerId()];
    $oneTime = new WhmcsService(whmcsServer('logicboxes'), [1 => 'codeguard', 2 => $codeguardPlan], 'one-time.example', $customer);
    $oneTime->model->billingcycle = 'One Time';
    $cases = [
        'no plan' => [sitelockService('no-plan.example', true, [2 => '']), 'the Plan setting'],
        'CodeGuard on a one-time billing cycle' => [$oneTime, 'Term (months)'],
        'a Term that is no number' => [new WhmcsService(whmcsServer('logicboxes'), [1 => 'codeguard', 2 => $codeguardPlan, 3 => 'a year'], 'bad-term.example', $customer), 'whole number of months'],
        'an option the product does not take' => [sitelockService('bad-option.example', true, [4 => 'os=LINUX']), 'names `os`, which sitelock does not take'],
        'a line that is no option' => [sitelockService('bad-line.example', true, [4 => 'LINUX']), 'Line 1 of the Service options setting'],
        'no domain' => [sitelockService('', true), 'Domain'],
    ];
    foreach ($cases as $what => [$service, $expected]) {
        clearLog();
        $answer = (string) $service->call('CreateAccount');
        contains($answer, $expected, "{$what}: CreateAccount");
        logHoldsAndHidesAll(['CreateAccount'], SANDBOX_API_KEY, [], $what);
    }
    same([], receivedRequests('/add.json'), 'orders sent');

    // The billing cycle gives the months when the Term is empty.
    $oneTime->model->billingcycle = 'Semi-Annually';
    same('success', $oneTime->call('CreateAccount'), 'CodeGuard on a semi-annual billing cycle');
    same(['6'], paramValues(receivedRequests('/codeguard/add.json')[0], 'months'), 'months sent');

    // Settings an operation does not read never stop it: a service can always be terminated.
    $sitelock = sitelockService('terminable.example');
    same('success', $sitelock->call('CreateAccount'), 'CreateAccount');
    $sitelock->settings[3] = 'a year';
    $sitelock->settings[4] = 'LINUX';
    same('success', $sitelock->call('SuspendAccount'), 'SuspendAccount with broken Term and Service options');
    same('success', $sitelock->call('TerminateAccount'), 'TerminateAccount with broken Term and Service options');
    sandboxOrder('logicboxes', (string) $sitelock->orderId(), ['status' => 'terminated'], 'terminated');
}

function test_ordering_again_after_termination_places_a_new_order(): void
{
    sandbox()->reset();
    $service = sitelockService('reordered.example');
    same('success', $service->call('CreateAccount'), 'CreateAccount');
    $first = $service->orderId();
    same('success', $service->call('TerminateAccount'), 'TerminateAccount');
    clearLog();
    same('success', $service->call('CreateAccount'), 'CreateAccount after the termination');
    $second = $service->orderId();
    check(is_string($second) && $second !== $first, "a new order id, got {$second} after {$first}");
    sandboxOrder('logicboxes', (string) $first, ['status' => 'terminated'], 'the first order');
    sandboxOrder('logicboxes', (string) $second, ['status' => 'active', 'domain' => 'reordered.example'], 'the second order');
    $create = array_values(array_filter(\HostProv\Tests\Whmcs\ModuleLog::$entries, static fn (array $e): bool => $e['action'] === 'CreateAccount: create sitelock'));
    contains((string) $create[0]['request'], "\"idempotency_key\": \"whmcs-service-{$service->model->id}-create-after-{$first}\"", 'the new order\'s idempotency key');
}

function test_change_package_to_the_plan_already_held_changes_nothing(): void
{
    sandbox()->reset();
    $service = sitelockService('same-plan.example');
    same('success', $service->call('CreateAccount'), 'CreateAccount');
    same('success', $service->call('ChangePackage'), 'ChangePackage to the same plan');
    same([], receivedRequests('/modify.json'), 'modifications sent');
}

/**
 * The LogicBoxes customer: the custom field when set; without it, the client's e-mail finds or
 * signs up the customer through the library's `customer` product.
 */
function test_the_logicboxes_customer_comes_from_the_custom_field_or_the_clients_email(): void
{
    sandbox()->reset();
    clearLog();
    [$plan] = logicboxesPlans('sitelock');
    $first = new WhmcsService(whmcsServer('logicboxes'), [1 => 'sitelock', 2 => $plan], 'by-email.example');
    check(in_array('details', catalogOperations('logicboxes', 'customer'), true), 'customers are looked up by e-mail');
    same('success', $first->call('CreateAccount'), 'CreateAccount, customer by e-mail');
    $customer = $first->model->serviceProperties->get('LogicBoxes Customer ID');
    check(is_string($customer) && $customer !== '', 'the customer id is stored in the custom field');
    sandboxOrder('logicboxes', (string) $first->orderId(), ['customer_id' => $customer], 'the order is the customer\'s');
    // The same client's next service finds the same customer.
    $second = new WhmcsService(whmcsServer('logicboxes'), [1 => 'sitelock', 2 => $plan], 'by-email-2.example');
    same('success', $second->call('CreateAccount'), 'second CreateAccount, customer by e-mail');
    same($customer, $second->model->serviceProperties->get('LogicBoxes Customer ID'), 'the same customer');
    logHoldsAndHidesAll(['CreateAccount'], SANDBOX_API_KEY, [], 'customer by e-mail');
}
