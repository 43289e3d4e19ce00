<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

use HostProv\Client;

/**
 * What the loaded library sells, from `hostprov_catalog()`: providers, their account fields,
 * products and operations. Read once per PHP process.
 */
final class Catalog
{
    private static ?self $loaded = null;

    /** @param array<string, array<string, mixed>> $providers provider name => its catalog entry */
    private function __construct(private readonly array $providers)
    {
    }

    public static function of(Client $client): self
    {
        return self::$loaded ??= new self(array_column($client->catalog()['data']['providers'] ?? [], null, 'provider'));
    }

    /** @return list<string> */
    public function providers(): array
    {
        return array_keys($this->providers);
    }

    /** @throws ModuleError when the library knows no such provider */
    public function requireProvider(string $provider): void
    {
        if (!isset($this->providers[$provider])) {
            throw new ModuleError("The server's Access Hash names the provider `{$provider}`, which this hostprov build does not know; use one of " . implode(', ', $this->providers()) . '.');
        }
    }

    /** @return list<string> the account fields $provider takes, required ones first */
    public function accountFields(string $provider): array
    {
        $account = $this->providers[$provider]['account'] ?? [];
        return array_merge($account['required'] ?? [], $account['optional'] ?? []);
    }

    /** @return list<string> */
    public function requiredAccountFields(string $provider): array
    {
        return $this->providers[$provider]['account']['required'] ?? [];
    }

    /** @return list<string> the products of $provider */
    public function products(string $provider): array
    {
        return array_column($this->providers[$provider]['products'] ?? [], 'product');
    }

    /** @return list<string> the products of $provider that can be ordered */
    public function orderableProducts(string $provider): array
    {
        return array_values(array_filter($this->products($provider), fn (string $p): bool => $this->operation($provider, $p, 'create') !== null));
    }

    /**
     * An operation of a product, or of the provider's account when $product is null; null when
     * it has no such operation.
     */
    public function operation(string $provider, ?string $product, string $operation): ?Operation
    {
        $entry = $this->providers[$provider] ?? [];
        if ($product !== null) {
            $entry = array_column($entry['products'] ?? [], null, 'product')[$product] ?? [];
        }
        $found = array_column($entry['operations'] ?? [], null, 'operation')[$operation] ?? null;
        return is_array($found) ? Operation::fromCatalog($found) : null;
    }

    /**
     * Every `service.options` entry any operation of the product reads.
     *
     * @return array<string, bool> option => whether some operation needs it
     */
    public function options(string $provider, string $product): array
    {
        $options = [];
        foreach (array_column($this->providers[$provider]['products'] ?? [], null, 'product')[$product]['operations'] ?? [] as $entry) {
            $operation = Operation::fromCatalog($entry);
            foreach ($operation->optionsOptional as $option) {
                $options[$option] ??= false;
            }
            foreach ($operation->optionsRequired as $option) {
                $options[$option] = true;
            }
        }
        return $options;
    }
}
