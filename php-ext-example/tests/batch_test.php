<?php

declare(strict_types=1);

/*
 * Client::batch(): many operations in one call through hostprov_batch, each item answered as its
 * single call would be, under its own key and in input order; progress on this thread.
 */

namespace HostProv\Tests;

/** @return list<string> the ids of $count new SiteLock orders, placed one by one */
function newSitelockOrders(int $count, string $prefix): array
{
    $fixtures = sandbox()->logicboxesFixtures();
    $service = ['customer_id' => $fixtures['customers'][0]['customer_id'], 'plan_id' => $fixtures['plans']['sitelock'][0]];
    $ids = [];
    for ($i = 0; $i < $count; $i++) {
        $created = client()->create(sandbox()->logicboxesRequest('sitelock', $service + ['domain' => "{$prefix}{$i}.example"]));
        $ids[] = $created['order_id'];
    }
    return $ids;
}

/** @return array{operation: string, request: array<string, mixed>} */
function suspendItem(mixed $orderId): array
{
    return ['operation' => 'suspend', 'request' => sandbox()->logicboxesRequest('sitelock', ['order_id' => $orderId, 'reason' => 'Overdue invoice'])];
}

function test_a_batch_of_suspends_with_one_malformed_item_suspends_the_rest_and_reports_that_item_alone(): void
{
    sandbox()->reset();
    $ids = newSitelockOrders(5, 'php-batch');
    $items = [];
    foreach ($ids as $n => $id) {
        $items["service-{$n}"] = suspendItem($id);
        if ($n === 1) {
            $items['malformed'] = suspendItem(['not', 'an', 'id']);
        }
    }
    $progress = [];
    $answer = client()->batch($items, ['concurrency' => 3], static function (int $done, int $total) use (&$progress): void {
        $progress[] = [$done, $total];
    });

    same(true, $answer['ok'], 'the batch ran');
    same('batch', $answer['operation'], 'operation');
    same(array_keys($items), array_keys($answer['results']), 'results under the items\' keys, in input order');
    $message = errorEnvelope($answer['results']['malformed'], 'invalid_request', 'the malformed item');
    contains($message, 'service.order_id', 'the malformed item\'s message names the field');
    foreach ($ids as $n => $id) {
        $result = $answer['results']["service-{$n}"];
        providerEnvelope($result, 'logicboxes', 'suspend', 'sitelock', $id, 'suspended', SANDBOX_API_KEY, "item service-{$n}");
        sandboxOrder('logicboxes', $id, ['status' => 'suspended'], "order {$id}");
    }
    $total = count($items);
    same(array_map(static fn (int $done): array => [$done, $total], range(1, $total)), $progress, 'progress (done, total) after each item, in order');
}

function test_a_batch_answers_reads_in_input_order_without_a_progress_callback(): void
{
    sandbox()->reset();
    $ids = newSitelockOrders(3, 'php-read');
    $items = array_map(
        static fn (string $id): array => ['operation' => 'details', 'request' => sandbox()->logicboxesRequest('sitelock', ['order_id' => $id])],
        array_reverse($ids),
    );
    $items[] = ['operation' => 'details', 'request' => sandbox()->logicboxesRequest('sitelock', ['order_id' => '999999'])];
    $answer = client()->batch($items);
    same(array_reverse($ids), array_column(array_slice($answer['results'], 0, 3), 'order_id'), 'order ids in input order');
    errorEnvelope($answer['results'][3], 'not_found', 'an unknown order fails alone');
    same([], client()->batch([])['results'], 'an empty batch answers no results');
}

function test_an_exception_in_the_progress_callback_is_thrown_once_the_batch_has_finished(): void
{
    sandbox()->reset();
    $ids = newSitelockOrders(3, 'php-throw');
    $calls = 0;
    try {
        client()->batch(array_map(suspendItem(...), $ids), [], static function (int $done, int $total) use (&$calls): void {
            $calls++;
            throw new \DomainException("progress bar broke at {$done}/{$total}");
        });
        check(false, 'the callback\'s exception reaches the caller');
    } catch (\DomainException $e) {
        same('progress bar broke at 1/3', $e->getMessage(), 'the callback\'s own exception');
    }
    same(1, $calls, 'the callback is not called again after it threw');
    foreach ($ids as $id) {
        sandboxOrder('logicboxes', $id, ['status' => 'suspended'], "order {$id}: the batch ran to its end");
    }
    same(true, client()->testConnection(sandbox()->logicboxesRequest('customer', []))['ok'], 'the library still answers');
}

function test_a_batch_refused_as_a_whole_throws(): void
{
    $e = expectError('invalid_request', static fn (): array => client()->batch([suspendItem('1')], ['concurrency' => 17]), 'concurrency 17');
    same('batch', $e->getEnvelope()['operation'] ?? null, 'the envelope\'s operation');
    contains($e->getMessage(), 'concurrency', 'the message names the option');
    $e = expectError('invalid_request', static fn (): array => client()->batch([suspendItem('1')], ['parallel' => 2]), 'an unknown option');
    contains($e->getMessage(), 'parallel', 'the message names the option');
}
