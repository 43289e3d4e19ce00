<?php

declare(strict_types=1);

// Run by abi_test.php under opcache.preload=preload.php: what a PHP-FPM request would do.

$preloaded = class_exists(HostProv\Client::class, false);
$client = HostProv\Client::fromScope();
echo json_encode([
    'preloaded' => $preloaded,
    'version' => $client->version(),
    'abi_version' => $client->abiVersion(),
    'catalog_ok' => $client->catalog()['ok'],
], JSON_THROW_ON_ERROR), "\n";
