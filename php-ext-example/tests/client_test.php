<?php

declare(strict_types=1);

/* The PHP wrapper itself: routing, call by name, the exception, loading errors. */

namespace HostProv\Tests;

use HostProv\Client;
use HostProv\HostProvException;

/** Each typed method reaches its own C function: the envelope echoes the operation it ran. */
function test_each_method_runs_its_own_operation(): void
{
    $request = ['provider' => 'no-such-provider', 'product' => 'customer', 'service' => ['customer_id' => '1']];
    $methods = [
        'create' => 'create',
        'suspend' => 'suspend',
        'unsuspend' => 'unsuspend',
        'terminate' => 'terminate',
        'renew' => 'renew',
        'changePackage' => 'change_package',
        'clientAreaUrl' => 'client_area_url',
        'details' => 'details',
        'plans' => 'plans',
        'testConnection' => 'test_connection',
    ];
    foreach ($methods as $method => $operation) {
        $e = expectError('unknown_provider', fn () => client()->{$method}($request), "{$method}()");
        same($operation, $e->getEnvelope()['operation'] ?? null, "{$method}(): the envelope's operation");
        same('no-such-provider', $e->getEnvelope()['provider'] ?? null, "{$method}(): the envelope's provider");
    }
}

/** PHP writes an empty array as `[]`; the request's objects must still arrive as objects. */
function test_empty_arrays_are_sent_as_objects(): void
{
    $request = sandbox()->customerRequest(['options' => []]);
    $request['options'] = [];
    same(true, client()->testConnection($request)['ok'], 'empty service.options and options');
    $request['service'] = [];
    same(true, client()->testConnection($request)['ok'], 'empty service');
    $request['account'] = [];
    $e = expectError('invalid_request', fn () => client()->testConnection($request), 'empty account');
    contains($e->getMessage(), 'account.', 'the message names the missing account field');
}

function test_call_by_name(): void
{
    $ok = client()->call('test_connection', sandbox()->customerRequest([]));
    same(true, $ok['ok'], 'call(test_connection) ok');
    same('test_connection', $ok['operation'], 'call(test_connection) operation');

    $catalog = client()->call('catalog', []);
    same('catalog', $catalog['operation'], 'call(catalog) operation');
    check(is_array($catalog['data']['providers'] ?? null), 'call(catalog) lists providers');

    expectError('unsupported_operation', fn () => client()->call('frobnicate', sandbox()->customerRequest([])), 'call(frobnicate)');
}

/** callRaw() hands back error envelopes instead of throwing; the typed methods throw. */
function test_call_raw_returns_errors_and_typed_methods_throw(): void
{
    $json = json_encode(sandbox()->customerRequest(['customer_id' => '1']), JSON_THROW_ON_ERROR);
    $envelope = client()->callRaw('frobnicate', $json);
    errorEnvelope($envelope, 'unsupported_operation', 'callRaw(frobnicate)');

    $e = expectError('invalid_request', fn () => client()->clientAreaUrl(sandbox()->customerRequest(['customer_id' => '1'])), 'clientAreaUrl without client_ip');
    contains($e->getMessage(), 'client_ip', 'the message names the missing field');
    same(false, $e->isRetryable(), 'invalid_request is not retryable');
    same(null, $e->getHttpStatus(), 'no HTTP status without an HTTP exchange');
    same(null, $e->getProviderMessage(), 'no provider message without a provider');
    same('invalid_request', $e->getEnvelope()['error']['code'] ?? null, 'getEnvelope() is the error envelope');
}

function test_exception_reads_every_error_field(): void
{
    $e = HostProvException::fromEnvelope([
        'ok' => false,
        'error' => ['code' => 'rate_limited', 'message' => 'Slow down.', 'retryable' => true, 'provider_message' => 'Too many requests', 'http_status' => 429],
        'calls' => [],
    ]);
    check($e instanceof \RuntimeException, 'HostProvException is a RuntimeException');
    same('rate_limited', $e->getErrorCode(), 'getErrorCode()');
    same('Slow down.', $e->getMessage(), 'getMessage()');
    same(true, $e->isRetryable(), 'isRetryable()');
    same('Too many requests', $e->getProviderMessage(), 'getProviderMessage()');
    same(429, $e->getHttpStatus(), 'getHttpStatus()');

    $bare = HostProvException::fromEnvelope(['ok' => false]);
    same('internal_error', $bare->getErrorCode(), 'an envelope without error: code');
    check($bare->getMessage() !== '', 'an envelope without error: a message');
}

function test_loading_errors_are_reported(): void
{
    try {
        new Client(__DIR__ . '/no-such-libhostprov.so');
        check(false, 'a missing library is refused');
    } catch (\RuntimeException $e) {
        contains($e->getMessage(), 'no-such-libhostprov.so', 'the message names the library');
    }
    try {
        new Client(null, __DIR__ . '/no-such-hostprov.h');
        check(false, 'a missing header is refused');
    } catch (\RuntimeException $e) {
        contains($e->getMessage(), 'no-such-hostprov.h', 'the message names the header');
    }
    try {
        Client::fromScope('no-such-scope');
        check(false, 'a scope that was never preloaded is refused');
    } catch (\RuntimeException $e) {
        contains($e->getMessage(), 'no-such-scope', 'the message names the scope');
    }
}
