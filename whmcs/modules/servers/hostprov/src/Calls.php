<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

use HostProv\Client;
use HostProv\HostProvException;

/**
 * Library calls made for one WHMCS module function, each written to the module log under
 * that function's name.
 */
final class Calls
{
    public function __construct(
        private readonly Client $client,
        public readonly Server $server,
        public readonly ModuleLog $log,
        private readonly string $function,
    ) {
    }

    /**
     * Runs one operation and returns its success envelope.
     *
     * @param array<string, mixed> $service
     * @return array<string, mixed>
     * @throws HostProvException with the library's readable message
     */
    public function run(string $operation, ?string $product, array $service, ?string $idempotencyKey = null): array
    {
        $request = $this->server->request($product, $service, $idempotencyKey);
        $action = "{$this->function}: {$operation}" . ($product === null ? '' : " {$product}");
        try {
            $envelope = $this->client->call($operation, $request);
        } catch (HostProvException $e) {
            $this->log->record($action, $request, $e->getEnvelope(), $e->getMessage());
            throw $e;
        }
        $this->log->record($action, $request, $envelope, 'success');
        return $envelope;
    }

    /** The idempotency key of this service's $action: stable across WHMCS's retries. */
    public function idempotencyKey(string $subject, string $action): string
    {
        return "{$this->server->keyPrefix}-{$subject}-{$action}";
    }
}
