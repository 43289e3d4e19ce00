<?php

declare(strict_types=1);

/* The LogicBoxes `customer` product against the sandbox. */

namespace HostProv\Tests;

const CANARY_KEY = 'canary-key-7f3a';
const CLIENT_IP = '203.0.113.9';

function test_account_points_at_the_sandbox(): void
{
    $account = sandbox()->account();
    same(sandbox()->url . '/logicboxes', $account['base_url'], 'base_url');
    same(sandbox()->url . '/logicboxes', $account['panel_url'], 'panel_url');
    same('100000', $account['auth_userid'], 'auth_userid');
    same('sandbox-key', $account['api_key'], 'api_key');
    $fixtures = sandbox()->admin('GET', 'fixtures')['logicboxes'] ?? [];
    same($fixtures['auth_userid'] ?? null, $account['auth_userid'], 'auth_userid as in /_sandbox/fixtures');
    same($fixtures['api_key'] ?? null, $account['api_key'], 'api_key as in /_sandbox/fixtures');
}

function test_test_connection(): void
{
    $envelope = client()->testConnection(sandbox()->customerRequest([]));
    same(true, $envelope['ok'], 'ok');
    same('test_connection', $envelope['operation'], 'operation');
    same('logicboxes', $envelope['provider'], 'provider');
    same(true, $envelope['data']['reachable'] ?? null, 'data.reachable');
    $url = $envelope['calls'][0]['url'] ?? '';
    contains($url, 'api-key=***', 'calls[0].url');
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES), SANDBOX_API_KEY, 'the envelope');
}

function test_wrong_api_key_is_refused_and_never_shown(): void
{
    sandbox()->reset();
    $e = expectError('authentication_failed', fn () => client()->testConnection(sandbox()->customerRequest([], CANARY_KEY)), 'testConnection with a wrong key');

    // The key was really sent, so its absence below is redaction, not omission.
    $sent = receivedRequests('/billing/reseller-balance.json');
    same(1, count($sent), 'requests the sandbox received');
    same([CANARY_KEY], paramValues($sent[0], 'api-key'), 'api-key the sandbox received');

    $envelope = $e->getEnvelope();
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), CANARY_KEY, 'json_encode($e->getEnvelope())');
    lacks($e->getMessage(), CANARY_KEY, '$e->getMessage()');
    lacks((string) $e->getProviderMessage(), CANARY_KEY, '$e->getProviderMessage()');
    contains($envelope['calls'][0]['url'] ?? '', 'api-key=***', 'calls[0].url');
    check($e->getProviderMessage() !== null && $e->getProviderMessage() !== '', 'the provider message is kept');
}

function test_suspend_and_unsuspend_a_fixture_customer(): void
{
    sandbox()->reset();
    $id = sandbox()->customerId();
    same('active', sandbox()->customerStatus($id), 'the fixture customer starts active');

    $envelope = client()->suspend(sandbox()->customerRequest(['customer_id' => $id, 'reason' => 'Overdue invoice']));
    same(true, $envelope['ok'], 'suspend ok');
    same('suspended', $envelope['status'], 'suspend: status in the envelope');
    same($id, $envelope['data']['customer_id'] ?? null, 'suspend: data.customer_id');
    same('suspended', sandbox()->customerStatus($id), 'suspend: status in the sandbox');

    // The API refuses a second suspension; the customer's state, read after it, is the answer.
    $again = client()->suspend(sandbox()->customerRequest(['customer_id' => $id]));
    same('suspended', $again['status'], 'second suspend: status in the envelope');
    same(true, $again['data']['reconciled'] ?? null, 'second suspend: data.reconciled');
    same('suspended', sandbox()->customerStatus($id), 'second suspend: status in the sandbox');

    $envelope = client()->unsuspend(sandbox()->customerRequest(['customer_id' => $id]));
    same('active', $envelope['status'], 'unsuspend: status in the envelope');
    same('active', sandbox()->customerStatus($id), 'unsuspend: status in the sandbox');

    $again = client()->unsuspend(sandbox()->customerRequest(['customer_id' => $id]));
    same(['active', true], [$again['status'], $again['data']['reconciled'] ?? null], 'second unsuspend');
}

function test_unknown_customer_is_not_found(): void
{
    sandbox()->reset();
    $known = array_column(sandbox()->admin('GET', 'fixtures')['logicboxes']['customers'], 'customer_id');
    $unknown = '424242';
    check(!in_array($unknown, $known, true), "{$unknown} is not a fixture customer");
    $e = expectError('not_found', fn () => client()->suspend(sandbox()->customerRequest(['customer_id' => $unknown])), 'suspend of an unknown customer');
    contains((string) $e->getProviderMessage(), 'No Entity found', "the provider's own message is kept");
    expectError('not_found', fn () => client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => $unknown, 'client_ip' => CLIENT_IP])), 'clientAreaUrl of an unknown customer');
}

function test_reason_reaches_the_sandbox_verbatim(): void
{
    sandbox()->reset();
    $id = sandbox()->customerId();
    $reason = "a&b=c#d%e f\nreason=x";
    client()->suspend(sandbox()->customerRequest(['customer_id' => $id, 'reason' => $reason]));

    $sent = receivedRequests('/customers/suspend.json');
    same(1, count($sent), 'suspend requests the sandbox received');
    same('POST', $sent[0]['method'], 'method');
    same([$reason], paramValues($sent[0], 'reason'), 'reason params');
    same([$id], paramValues($sent[0], 'customer-id'), 'customer-id params');
}

function test_client_area_url_logs_the_customer_in(): void
{
    sandbox()->reset();
    $id = sandbox()->customerId();
    $envelope = client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => $id, 'client_ip' => CLIENT_IP]));
    same('client_area_url', $envelope['operation'], 'operation');
    same(120, $envelope['data']['expires_in_s'] ?? null, 'data.expires_in_s');
    $prefix = sandbox()->url . '/logicboxes/servlet/AutoLoginServlet?userLoginId=';
    check(
        preg_match('/^' . preg_quote($prefix, '/') . '([^&]+)&role=customer$/', (string) $envelope['url'], $m) === 1,
        'url is ' . show($prefix . '…&role=customer') . ', got ' . show($envelope['url']),
    );
    check(strlen(urldecode($m[1])) >= 16, 'the login token is not trivially short');

    // The link as the customer's browser would follow it.
    $body = file_get_contents($envelope['url'], false, stream_context_create(['http' => ['ignore_errors' => true]]));
    check($body !== false && isset($http_response_header[0]), 'the link answers');
    same(200, statusOf($http_response_header), 'HTTP status of the link');
    contains($body, "data-customer-id=\"{$id}\"", 'the panel page is the customer\'s');

    $sent = receivedRequests('/customers/generate-login-token.json');
    same(1, count($sent), 'login tokens requested');
    same([CLIENT_IP], paramValues($sent[0], 'ip'), 'ip sent to the provider');
}

function test_client_area_url_with_a_tampered_token_is_refused(): void
{
    sandbox()->reset();
    $envelope = client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => sandbox()->customerId(), 'client_ip' => CLIENT_IP]));
    $url = (string) $envelope['url'];
    same(200, open($url)[0], 'HTTP status of the link as issued');
    check(preg_match('/userLoginId=([^&]+)/', $url, $m) === 1, 'the link has a userLoginId');
    $token = $m[1];
    $tampered = substr($token, 0, -1) . (str_ends_with($token, '0') ? '1' : '0');
    same(403, open(str_replace("userLoginId={$token}", "userLoginId={$tampered}", $url))[0], 'HTTP status with a tampered token');
}

function test_client_area_url_expires_after_120_seconds(): void
{
    sandbox()->reset();
    $envelope = client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => sandbox()->customerId(), 'client_ip' => CLIENT_IP]));
    $url = (string) $envelope['url'];
    sandbox()->admin('POST', 'clock', '{"advance_s":119}');
    same(200, open($url)[0], 'HTTP status after 119 s');
    sandbox()->admin('POST', 'clock', '{"advance_s":2}');
    same(403, open($url)[0], 'HTTP status after 121 s');
    sandbox()->reset();
}

function test_login_token_appears_only_in_url(): void
{
    sandbox()->reset();
    $envelope = client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => sandbox()->customerId(), 'client_ip' => CLIENT_IP]));
    check(preg_match('/userLoginId=([^&]+)/', (string) $envelope['url'], $m) === 1, 'the link has a userLoginId');
    $token = urldecode($m[1]);
    check(count($envelope['calls']) >= 1, 'the call is logged');
    $rest = $envelope;
    unset($rest['url']);
    $flat = json_encode($rest, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    lacks($flat, $token, 'the envelope outside url');
    lacks($flat, rawurlencode($token), 'the envelope outside url (URL-encoded)');
    lacks(json_encode($envelope['calls'], JSON_UNESCAPED_SLASHES), $token, 'calls');
    lacks(json_encode($envelope['provider_response'], JSON_UNESCAPED_SLASHES), $token, 'provider_response');
}

/**
 * A panel's first step: sign the client up by e-mail (once), then find the customer again by
 * id, by e-mail, and by the token the control panel hands a customer it redirects.
 */
function test_customer_create_once_then_details_by_id_email_and_token(): void
{
    sandbox()->reset();
    $password = 'Php9signup#ok';
    $form = [
        'email' => 'php.client@example.com', 'name' => 'PHP Client', 'company' => 'N/A', 'address' => '1 High Street',
        'city' => 'London', 'state' => 'Greater London', 'country' => 'GB', 'zipcode' => 'EC1A 1AA',
        'phone_cc' => '44', 'phone' => '2071234567', 'password' => $password,
    ];
    $created = client()->create(sandbox()->customerRequest(['options' => $form]));
    same(false, $created['data']['reconciled'] ?? null, 'create: data.reconciled');
    same(null, $created['order_id'], 'create: order_id');
    $id = (string) ($created['data']['customer_id'] ?? '');
    check($id !== '', 'create: data.customer_id');
    lacks(json_encode($created, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), $password, 'create: the envelope');
    lacks(json_encode($created, JSON_UNESCAPED_SLASHES), rawurlencode($password), 'create: the envelope (URL-encoded)');

    $again = client()->create(sandbox()->customerRequest(['options' => ['name' => 'Someone Else'] + $form]));
    same([true, $id], [$again['data']['reconciled'] ?? null, $again['data']['customer_id'] ?? null], 'repeat: the same customer, reconciled');
    same(1, count(receivedRequests('/customers/signup.json')), 'sign-ups sent');

    $token = sandbox()->admin('POST', 'customer-token', json_encode(['customer_id' => $id]))['token'];
    foreach (['id' => ['customer_id' => $id], 'e-mail' => ['options' => ['email' => $form['email']]], 'token' => ['options' => ['token' => $token]]] as $how => $service) {
        $found = client()->details(sandbox()->customerRequest($service));
        same([$id, 'php.client@example.com', 'active'], [$found['data']['customer_id'] ?? null, $found['data']['email'] ?? null, $found['data']['status'] ?? null], "details by {$how}");
    }
    $e = expectError('authentication_failed', fn () => client()->details(sandbox()->customerRequest(['options' => ['token' => 'forged-token-1234']])), 'details by a forged token');
    lacks(json_encode($e->getEnvelope(), JSON_UNESCAPED_SLASHES), 'forged-token-1234', 'the forged token');
    expectError('not_found', fn () => client()->details(sandbox()->customerRequest(['options' => ['email' => 'nobody@example.net']])), 'details by an unknown e-mail');
}
