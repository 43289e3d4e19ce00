<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

use HostProv\HostProvException;

/**
 * The provider's customer a service is ordered for. The custom field "<Provider> Customer ID"
 * wins when set; otherwise, where the library's `customer` product can look customers up by
 * e-mail (and sign them up), the WHMCS client's e-mail finds or creates one, and the id is kept
 * in that custom field.
 */
final class Customer
{
    /** The library's product for a provider's customers. */
    private const PRODUCT = 'customer';

    public function __construct(
        private readonly Calls $calls,
        private readonly Catalog $catalog,
        private readonly WhmcsService $service,
    ) {
    }

    /** The custom field that holds the customer id at the server's provider. */
    public static function field(Server $server): string
    {
        return "{$server->name()} Customer ID";
    }

    /**
     * @param bool $signUp whether a missing customer may be signed up (ordering), or only found (sign-on)
     * @throws ModuleError|HostProvException
     */
    public function id(bool $signUp): string
    {
        $provider = $this->calls->server->provider;
        $field = self::field($this->calls->server);
        $stored = $this->service->property($field);
        if ($stored !== null) {
            return $stored;
        }
        $email = $this->service->email();
        if ($email === '' || $this->catalog->operation($provider, self::PRODUCT, 'details') === null) {
            throw $this->fieldNeeded();
        }
        try {
            $found = $this->calls->run('details', self::PRODUCT, ['options' => ['email' => $email]]);
        } catch (HostProvException $e) {
            if ($e->getErrorCode() === 'unsupported_operation') {
                throw $this->fieldNeeded();
            }
            if ($e->getErrorCode() !== 'not_found' || !$signUp) {
                throw $e;
            }
            $found = $this->signUp();
        }
        $id = $found['data']['customer_id'] ?? null;
        if (!is_scalar($id) || (string) $id === '') {
            throw new ModuleError("The provider answered without a customer id for the client's e-mail; enter it in the custom field \"{$field}\".");
        }
        $this->service->saveProperty($field, (string) $id);
        return (string) $id;
    }

    /** @return array<string, mixed> the envelope of `customer` create */
    private function signUp(): array
    {
        $provider = $this->calls->server->provider;
        if ($this->catalog->operation($provider, self::PRODUCT, 'create') === null) {
            throw $this->fieldNeeded();
        }
        $client = $this->service->client();
        // The first of the client's fields that is filled in.
        $text = static function (string ...$keys) use ($client): string {
            foreach ($keys as $key) {
                $value = trim((string) ($client[$key] ?? ''));
                if ($value !== '') {
                    return $value;
                }
            }
            return '';
        };
        $password = self::password();
        $this->calls->log->hide($password);
        $options = [
            'email' => $this->service->email(),
            'name' => trim($text('firstname') . ' ' . $text('lastname')) ?: $text('fullname'),
            'company' => $text('companyname') ?: 'N/A',
            'address' => $text('address1'),
            'city' => $text('city'),
            'state' => $text('fullstate', 'state'),
            'country' => $text('countrycode', 'country'),
            'zipcode' => $text('postcode'),
            'phone_cc' => preg_replace('/\D/', '', $text('phonecc')),
            'phone' => self::localNumber($text('phonenumber')),
            'password' => $password,
            // WHMCS names languages ("english"); a two-letter code is passed on, anything else is English.
            'language' => strlen($text('language')) === 2 ? strtolower($text('language')) : 'en',
        ];
        try {
            return $this->calls->run('create', self::PRODUCT, ['options' => $options], $this->calls->idempotencyKey("client-{$this->service->clientId()}", 'signup'));
        } catch (HostProvException $e) {
            if ($e->getErrorCode() === 'unsupported_operation') {
                throw $this->fieldNeeded();
            }
            throw $e;
        }
    }

    private function fieldNeeded(): ModuleError
    {
        $field = self::field($this->calls->server);
        return new ModuleError("This service has no customer id in the custom field \"{$field}\", and hostprov cannot find or sign up the client's {$this->calls->server->name()} customer by e-mail: enter the customer's id in that custom field.");
    }

    /** A WHMCS phone number without its country prefix ("+44.2071234567" → "2071234567"). */
    private static function localNumber(string $phone): string
    {
        $parts = explode('.', $phone, 2);
        return (string) preg_replace('/\D/', '', $parts[1] ?? $parts[0]);
    }

    /**
     * The provider account's password, which nobody types: the customer reaches the panel by
     * single sign-on. Upper and lower case, digits and a symbol, as LogicBoxes demands.
     */
    private static function password(): string
    {
        return 'Hp' . bin2hex(random_bytes(6)) . '#9';
    }
}
