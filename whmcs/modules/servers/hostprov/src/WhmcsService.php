<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/**
 * The WHMCS service a module function runs for, read from WHMCS's `$params`: the product's
 * Module Settings (configoption1–4), the service (`serviceid`, `domain`, `model`), its custom
 * fields and configurable options, and the client.
 */
final class WhmcsService
{
    /** The service property (custom field) that keeps the provider's order id. */
    public const ORDER_ID = 'Order ID';

    private const MONTHS_PER_BILLING_CYCLE = [
        'monthly' => 1,
        'quarterly' => 3,
        'semi-annually' => 6,
        'annually' => 12,
        'biennially' => 24,
        'triennially' => 36,
    ];

    /**
     * `service.options` a provider may take that the WHMCS service itself knows (RackNap's
     * billing fields): option => the service model's attribute.
     */
    private const OPTIONS_FROM_THE_SERVICE = [
        'amount' => 'amount',
        'recurring_amount' => 'amount',
        'first_payment' => 'firstpaymentamount',
        'billing_cycle' => 'billingcycle',
        'registration_date' => 'regdate',
        'next_due_date' => 'nextduedate',
    ];

    /** @param array<string, mixed> $params WHMCS's module parameters */
    public function __construct(private readonly array $params)
    {
    }

    public function id(): string
    {
        return (string) ($this->params['serviceid'] ?? '');
    }

    public function clientId(): string
    {
        return (string) ($this->params['userid'] ?? $this->params['clientsdetails']['userid'] ?? '');
    }

    /** configoption1: the catalog's product key. */
    public function product(): string
    {
        $product = trim((string) ($this->params['configoption1'] ?? ''));
        if ($product === '') {
            throw new ModuleError('No product is chosen: pick one in the Product setting of this product\'s Module Settings.');
        }
        return $product;
    }

    /** configoption2: the provider's plan id. */
    public function plan(): string
    {
        return trim((string) ($this->params['configoption2'] ?? ''));
    }

    /** configoption3 when set, else the months of the service's billing cycle, else null. */
    public function months(): ?int
    {
        $configured = trim((string) ($this->params['configoption3'] ?? ''));
        if ($configured !== '') {
            if (preg_match('/^[1-9]\d{0,2}$/', $configured) !== 1) {
                throw new ModuleError('The Term (months) setting in Module Settings must be a whole number of months, such as 12, or empty to follow the billing cycle.');
            }
            return (int) $configured;
        }
        return self::MONTHS_PER_BILLING_CYCLE[strtolower((string) $this->attribute('billingcycle'))] ?? null;
    }

    public function domain(): string
    {
        return trim((string) ($this->params['domain'] ?? ''));
    }

    public function suspendReason(): string
    {
        return trim((string) ($this->params['suspendreason'] ?? ''));
    }

    public function email(): string
    {
        return trim((string) ($this->params['clientsdetails']['email'] ?? ''));
    }

    /** @return array<string, mixed> the client's details as WHMCS passes them */
    public function client(): array
    {
        return is_array($this->params['clientsdetails'] ?? null) ? $this->params['clientsdetails'] : [];
    }

    /** The service's next due date (Y-m-d), which changes once per paid renewal. */
    public function nextDueDate(): ?string
    {
        return $this->attribute('nextduedate');
    }

    /**
     * A service property: from `serviceProperties` (WHMCS 7.2+), else from the custom fields.
     */
    public function property(string $name): ?string
    {
        $properties = $this->properties();
        $value = $properties !== null ? $properties->get($name) : null;
        if (!is_scalar($value) || trim((string) $value) === '') {
            $value = $this->customFields()[self::normalise($name)] ?? null;
        }
        return is_scalar($value) && trim((string) $value) !== '' ? trim((string) $value) : null;
    }

    /** Saves a service property; an older WHMCS without `serviceProperties` keeps nothing. */
    public function saveProperty(string $name, string $value): void
    {
        $this->properties()?->save([$name => $value]);
    }

    private function properties(): ?object
    {
        $model = $this->params['model'] ?? null;
        $properties = is_object($model) ? ($model->serviceProperties ?? null) : null;
        return is_object($properties) && method_exists($properties, 'get') && method_exists($properties, 'save') ? $properties : null;
    }

    /**
     * The `service.options` for the product: the service's own billing values where the product
     * takes them, then the Service options lines of Module Settings (configoption4), then custom
     * fields and configurable options named like an option (the customer's choices).
     *
     * @param array<string, bool> $known every option the product takes => whether it is required
     * @return array<string, mixed>
     */
    public function options(string $product, array $known): array
    {
        $options = [];
        foreach (self::OPTIONS_FROM_THE_SERVICE as $option => $attribute) {
            $value = $this->attribute($attribute);
            if (isset($known[$option]) && $value !== null) {
                $options[$option] = $value;
            }
        }
        foreach (self::optionLines((string) ($this->params['configoption4'] ?? '')) as $option => $value) {
            if (!isset($known[$option])) {
                $takes = $known === [] ? 'takes no options' : 'takes ' . implode(', ', array_keys($known));
                throw new ModuleError("The Service options setting in Module Settings names `{$option}`, which {$product} does not take; {$product} {$takes}.");
            }
            $options[$option] = $value;
        }
        $configurable = is_array($this->params['configoptions'] ?? null) ? $this->params['configoptions'] : [];
        foreach ($this->customFields() + self::byNormalisedName($configurable) as $name => $value) {
            if (isset($known[$name]) && is_scalar($value) && trim((string) $value) !== '') {
                $options[$name] = self::optionValue(trim(explode('|', (string) $value, 2)[0]));
            }
        }
        return $options;
    }

    /**
     * The Service options setting; a value starting with `[` or `{` is JSON (lists such as licence add-ons).
     *
     * @return array<string, mixed>
     */
    private static function optionLines(string $text): array
    {
        return array_map(self::optionValue(...), KeyValueLines::parse($text, 'the Service options setting in Module Settings'));
    }

    private static function optionValue(string $text): mixed
    {
        if (!str_starts_with($text, '[') && !str_starts_with($text, '{')) {
            return $text;
        }
        try {
            return json_decode($text, true, 16, JSON_THROW_ON_ERROR);
        } catch (\JsonException) {
            throw new ModuleError('An option value (in Service options, a custom field or a configurable option) starts like a JSON list or object but is not valid JSON.');
        }
    }

    /** @return array<string, mixed> custom fields by normalised name */
    private function customFields(): array
    {
        return self::byNormalisedName(is_array($this->params['customfields'] ?? null) ? $this->params['customfields'] : []);
    }

    /**
     * @param array<array-key, mixed> $fields
     * @return array<string, mixed>
     */
    private static function byNormalisedName(array $fields): array
    {
        $named = [];
        foreach ($fields as $name => $value) {
            $named[self::normalise((string) $name)] = $value;
        }
        return $named;
    }

    /**
     * A field name as an option key: WHMCS's `name|Display name` keeps `name`; "Server IP" and
     * "server_ip" are the same. The keys of custom fields WHMCS itself reads, such as
     * "Order ID", are normalised the same way so they are found whichever way they are written.
     */
    private static function normalise(string $name): string
    {
        return trim((string) preg_replace('/[^a-z0-9]+/', '_', strtolower(trim(explode('|', $name, 2)[0]))), '_');
    }

    /** An attribute of the service model as text (dates as Y-m-d), or null when unset. */
    private function attribute(string $name): ?string
    {
        $model = $this->params['model'] ?? null;
        $value = is_object($model) ? ($model->{$name} ?? null) : null;
        if ($value instanceof \DateTimeInterface) {
            $value = $value->format('Y-m-d');
        }
        if (!is_scalar($value)) {
            return null;
        }
        $text = trim((string) $value);
        return $text === '' || str_starts_with($text, '0000-00-00') ? null : $text;
    }
}
