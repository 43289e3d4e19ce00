<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/**
 * One operation of one product as `hostprov_catalog()` lists it: the `service` fields and
 * `service.options` it needs and takes. The module builds each request from this, so that a
 * product the library adds is sold without a change here.
 */
final class Operation
{
    /**
     * @param list<string> $required        `service` fields it needs
     * @param list<string> $optional        `service` fields it also takes
     * @param list<string> $optionsRequired `service.options` it needs
     * @param list<string> $optionsOptional `service.options` it also takes
     */
    public function __construct(
        public readonly string $name,
        public readonly array $required,
        public readonly array $optional,
        public readonly array $optionsRequired,
        public readonly array $optionsOptional,
    ) {
    }

    /** @param array<string, mixed> $entry one `operations` entry of the catalog */
    public static function fromCatalog(array $entry): self
    {
        $list = static fn (string $key): array => array_values(array_filter($entry[$key] ?? [], 'is_string'));
        return new self((string) ($entry['operation'] ?? ''), $list('required'), $list('optional'), $list('options_required'), $list('options_optional'));
    }

    /** Whether the operation reads the `service` field $field. */
    public function takes(string $field): bool
    {
        return in_array($field, $this->required, true) || in_array($field, $this->optional, true);
    }

    /** Whether the operation reads the `service.options` entry $option. */
    public function takesOption(string $option): bool
    {
        return in_array($option, $this->optionsRequired, true) || in_array($option, $this->optionsOptional, true);
    }

    /**
     * $service without the fields this operation does not read, so that one description of the
     * WHMCS service serves every operation.
     *
     * @param array<string, mixed> $service
     * @return array<string, mixed>
     */
    public function select(array $service): array
    {
        $selected = array_filter($service, fn (string $field): bool => $field !== 'options' && $this->takes($field), ARRAY_FILTER_USE_KEY);
        $options = array_filter($service['options'] ?? [], fn (string $option): bool => $this->takesOption($option), ARRAY_FILTER_USE_KEY);
        if ($options !== []) {
            $selected['options'] = $options;
        }
        return $selected;
    }
}
