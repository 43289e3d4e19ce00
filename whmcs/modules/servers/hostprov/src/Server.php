<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/**
 * A WHMCS server is one provider account. The Access Hash names the provider and optional
 * extras as `key=value` lines; Username and Password are the provider's credentials (which
 * account field each fills is read from the catalog); Hostname overrides the endpoint.
 */
final class Server
{
    /** Access Hash settings: name => what it sets. */
    private const SETTINGS = [
        'provider' => 'the provider of this account',
        'panel_url' => 'the customers\' control panel, for LogicBoxes single sign-on',
        'test_mode' => '1 for the provider\'s test endpoint',
        'ca_cert_file' => 'a PEM file with an extra trusted root certificate',
        'key_prefix' => 'the start of every idempotency key, whmcs unless set',
    ];

    /** How messages name each provider. */
    private const NAMES = ['logicboxes' => 'LogicBoxes', 'racknap' => 'RackNap', 'websoftsolus' => 'WebSoftSolus'];

    /** Account fields WHMCS's Username fills, whichever the provider takes. */
    private const USERNAME_FIELDS = ['auth_userid', 'login'];

    /** Account fields WHMCS's Password fills, whichever the provider takes. */
    private const PASSWORD_FIELDS = ['api_key', 'secret', 'api_token'];

    /** @param array<string, mixed> $account the request's `account` */
    private function __construct(
        public readonly string $provider,
        public readonly array $account,
        public readonly string $keyPrefix,
    ) {
    }

    /**
     * The server fields of WHMCS's $params (`serverhostname`, `serverusername`, `serverpassword`,
     * `serveraccesshash`), which are all TestConnection receives.
     *
     * @param array<string, mixed> $params
     * @throws ModuleError naming the server setting to fix
     */
    public static function fromParams(array $params, Catalog $catalog): self
    {
        $settings = self::accessHash((string) ($params['serveraccesshash'] ?? ''));
        $provider = $settings['provider'] ?? '';
        if ($provider === '') {
            throw new ModuleError("The server's Access Hash must name the provider on a line such as provider=" . ($catalog->providers()[0] ?? 'logicboxes') . ' (one of ' . implode(', ', $catalog->providers()) . ').');
        }
        $catalog->requireProvider($provider);
        $takes = $catalog->accountFields($provider);
        $username = (string) ($params['serverusername'] ?? '');
        $password = (string) ($params['serverpassword'] ?? '');

        $account = [];
        foreach (array_intersect(self::USERNAME_FIELDS, $takes) as $field) {
            $account[$field] = $username;
        }
        foreach (array_intersect(self::PASSWORD_FIELDS, $takes) as $field) {
            $account[$field] = $password;
        }
        $endpoint = self::endpoint((string) ($params['serverhostname'] ?? ''));
        $extras = [
            'base_url' => $endpoint,
            'panel_url' => $settings['panel_url'] ?? null,
            'test_mode' => isset($settings['test_mode']) ? in_array(strtolower($settings['test_mode']), ['1', 'true', 'yes', 'on'], true) : null,
            'ca_cert_pem' => isset($settings['ca_cert_file']) ? self::readCertificate($settings['ca_cert_file']) : null,
        ];
        foreach ($extras as $field => $value) {
            if ($value !== null && in_array($field, $takes, true)) {
                $account[$field] = $value;
            }
        }
        foreach ($catalog->requiredAccountFields($provider) as $field) {
            if (($account[$field] ?? '') === '') {
                throw new ModuleError("The server's " . self::whmcsFieldOf($field) . " is empty; {$provider} needs it as `{$field}`.");
            }
        }
        return new self($provider, $account, $settings['key_prefix'] ?? 'whmcs');
    }

    /**
     * @return array<string, string>
     * @throws ModuleError on a line that is not a known `key=value` setting
     */
    private static function accessHash(string $text): array
    {
        $settings = KeyValueLines::parse($text, "the server's Access Hash");
        foreach (array_keys($settings) as $key) {
            if (!array_key_exists($key, self::SETTINGS)) {
                $known = implode('; ', array_map(static fn (string $k, string $what): string => "{$k}: {$what}", array_keys(self::SETTINGS), self::SETTINGS));
                throw new ModuleError("The server's Access Hash has the setting `{$key}`, which hostprov does not know; these are: {$known}.");
            }
        }
        return $settings;
    }

    /** Hostname as the account's `base_url`: a full URL as written, a bare host over HTTPS. */
    private static function endpoint(string $hostname): ?string
    {
        $hostname = trim($hostname);
        if ($hostname === '') {
            return null;
        }
        return rtrim(str_contains($hostname, '://') ? $hostname : "https://{$hostname}", '/');
    }

    private static function readCertificate(string $path): string
    {
        $pem = is_readable($path) ? file_get_contents($path) : false;
        if ($pem === false || $pem === '') {
            throw new ModuleError("The certificate file {$path} named by ca_cert_file in the server's Access Hash cannot be read.");
        }
        return $pem;
    }

    /** The WHMCS server setting that fills an account field. */
    private static function whmcsFieldOf(string $field): string
    {
        return match (true) {
            in_array($field, self::USERNAME_FIELDS, true) => 'Username',
            in_array($field, self::PASSWORD_FIELDS, true) => 'Password',
            $field === 'base_url' => 'Hostname',
            default => "Access Hash line {$field}=…",
        };
    }

    /** The provider as messages name it ("LogicBoxes"). */
    public function name(): string
    {
        return self::NAMES[$this->provider] ?? ucfirst($this->provider);
    }

    /**
     * A request to the library for this account.
     *
     * @param array<string, mixed> $service
     * @return array<string, mixed>
     */
    public function request(?string $product, array $service, ?string $idempotencyKey = null): array
    {
        $request = ['provider' => $this->provider, 'account' => $this->account, 'service' => $service];
        if ($product !== null) {
            $request['product'] = $product;
        }
        if ($idempotencyKey !== null) {
            $request['idempotency_key'] = $idempotencyKey;
        }
        return $request;
    }
}
