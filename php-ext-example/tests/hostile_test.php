<?php

declare(strict_types=1);

/* Hostile and malformed input through callRaw(): always an error envelope, never a crash. */

namespace HostProv\Tests;

/** A well-formed suspend request for the sandbox, as JSON, with $change applied. @param array<string, mixed> $change */
function suspendJson(array $change = []): string
{
    $request = array_replace_recursive(sandbox()->customerRequest(['customer_id' => '99', 'reason' => 'test']), $change);
    return json_encode($request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
}

function test_hostile_null_request(): void
{
    $envelope = client()->callRaw('suspend', null);
    contains(errorEnvelope($envelope, 'invalid_request', 'NULL request'), 'NULL', 'message');
    same('suspend', $envelope['operation'], 'operation');
}

function test_hostile_null_operation(): void
{
    $envelope = client()->callRaw(null, suspendJson());
    contains(errorEnvelope($envelope, 'invalid_request', 'NULL operation'), 'NULL', 'message');
}

function test_hostile_invalid_utf8(): void
{
    $envelope = client()->callRaw('suspend', "\xff\xfe{");
    contains(errorEnvelope($envelope, 'invalid_request', 'invalid UTF-8'), 'UTF-8', 'message');
}

function test_hostile_not_json(): void
{
    $envelope = client()->callRaw('suspend', 'provider=logicboxes&product=customer');
    contains(errorEnvelope($envelope, 'invalid_request', 'not JSON'), 'not valid JSON', 'message');
}

function test_hostile_larger_than_1_mib(): void
{
    $json = suspendJson(['service' => ['reason' => str_repeat('x', 1024 * 1024)]]);
    check(strlen($json) > 1024 * 1024, 'the request is over 1 MiB');
    $envelope = client()->callRaw('suspend', $json);
    contains(errorEnvelope($envelope, 'invalid_request', '> 1 MiB'), 'larger than', 'message');
}

function test_hostile_nested_10000_deep(): void
{
    $json = str_replace('"service":{', '"service":{"options":{"deep":' . str_repeat('[', 10000) . '1' . str_repeat(']', 10000) . '},', suspendJson());
    $envelope = client()->callRaw('suspend', $json);
    contains(errorEnvelope($envelope, 'invalid_request', 'nested 10,000 deep'), 'nested too deeply', 'message');
}

function test_hostile_unknown_provider(): void
{
    $envelope = client()->callRaw('suspend', suspendJson(['provider' => 'no-such-provider']));
    errorEnvelope($envelope, 'unknown_provider', 'unknown provider');
}

function test_hostile_unknown_product(): void
{
    $envelope = client()->callRaw('suspend', suspendJson(['product' => 'no-such-product']));
    contains(errorEnvelope($envelope, 'unknown_product', 'unknown product'), 'customer', 'message lists the known products');
}

function test_hostile_unknown_operation(): void
{
    $envelope = client()->callRaw('frobnicate', suspendJson());
    errorEnvelope($envelope, 'unsupported_operation', 'unknown operation');
}

function test_hostile_wrong_typed_field(): void
{
    $envelope = client()->callRaw('suspend', suspendJson(['service' => ['customer_id' => true]]));
    contains(errorEnvelope($envelope, 'invalid_request', 'customer_id: true'), '`service.customer_id`', 'message');
}

/** None of the above reached the provider: the library refused them before any HTTP call. */
function test_hostile_input_never_reaches_the_provider(): void
{
    sandbox()->reset();
    foreach ([
        ['suspend', null],
        [null, suspendJson()],
        ['suspend', "\xff\xfe{"],
        ['suspend', suspendJson(['service' => ['customer_id' => true]])],
        ['frobnicate', suspendJson()],
    ] as [$operation, $json]) {
        same([], client()->callRaw($operation, $json)['calls'] ?? null, 'calls for ' . show($operation));
    }
    same([], sandbox()->admin('GET', 'requests'), 'requests the sandbox received');
}
