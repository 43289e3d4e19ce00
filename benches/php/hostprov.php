<?php

declare(strict_types=1);

/*
 * hostprov through PHP FFI, with the client panels copy (php-ext-example/src/HostProv.php).
 */

namespace HostProv\Bench;

use HostProv\Client;

require_once __DIR__ . '/../../php-ext-example/src/HostProv.php';

final class HostProvModule implements Module
{
    public readonly Client $client;
    /** @var array<string, mixed> */
    private readonly array $logicboxes;
    /** @var array<string, mixed> */
    private readonly array $licences;

    /** @param array<string, mixed> $config */
    public function __construct(array $config)
    {
        $this->client = new Client($config['library'], __DIR__ . '/../../include/hostprov.h');
        $ca = file_get_contents($config['ca_file']);
        $this->logicboxes = ['provider' => 'logicboxes', 'product' => 'sitelock', 'account' => [
            'auth_userid' => $config['auth_userid'], 'api_key' => $config['api_key'],
            'base_url' => $config['logicboxes_url'], 'ca_cert_pem' => $ca,
        ]];
        $this->licences = ['provider' => 'websoftsolus', 'product' => 'plesk', 'account' => [
            'login' => $config['licence_login'], 'secret' => $config['licence_secret'],
            'base_url' => $config['licence_url'], 'ca_cert_pem' => $ca,
        ]];
    }

    public function suspend(string $orderId): void
    {
        $answer = $this->client->suspend($this->suspendRequest($orderId));
        expectValue('suspended', $answer['status'], 'suspend');
    }

    public function details(string $orderId): void
    {
        $answer = $this->client->details($this->detailsRequest($orderId));
        expectValue($orderId, $answer['order_id'], 'details');
    }

    public function licence(string $keyNumber): void
    {
        $answer = $this->client->details($this->licences + ['service' => ['order_id' => $keyNumber]]);
        expectValue($keyNumber, $answer['order_id'], 'licence');
    }

    /** @return array<string, mixed> */
    public function suspendRequest(string $orderId): array
    {
        return $this->logicboxes + ['service' => ['order_id' => $orderId, 'reason' => 'Overdue invoice']];
    }

    /** @return array<string, mixed> */
    public function detailsRequest(string $orderId): array
    {
        return $this->logicboxes + ['service' => ['order_id' => $orderId]];
    }
}
