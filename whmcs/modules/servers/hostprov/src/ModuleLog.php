<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/**
 * Writes WHMCS's module log (`logModuleCall`): one entry per library call, holding the request
 * with its credentials masked and the envelope, whose `calls` the library has already redacted.
 * The secrets are masked here and also passed as `replaceVars`, so WHMCS masks them again.
 */
final class ModuleLog
{
    public const MODULE = 'hostprov';

    /** Keys whose values are credentials wherever they appear in a request. */
    private const SECRET_KEYS = ['api_key', 'secret', 'api_token', 'password', 'passwd', 'token', 'ca_cert_pem'];

    /** @var list<string> */
    private array $secrets = [];

    /** How many entries this log has written. */
    private int $written = 0;

    /** Masks $value in everything logged from now on (a password, a sign-on link). */
    public function hide(string $value): void
    {
        if ($value !== '' && !in_array($value, $this->secrets, true)) {
            $this->secrets[] = $value;
        }
    }

    /**
     * @param array<string, mixed>|null $request  what the library was asked, null when nothing was asked
     * @param array<string, mixed>|null $envelope its answer, null when there was none
     * @param string                    $outcome  what the module made of it: "success" or the error shown
     */
    public function record(string $action, ?array $request, ?array $envelope, string $outcome): void
    {
        $this->written++;
        if (!function_exists('logModuleCall')) {
            return;
        }
        if ($envelope !== null && is_string($envelope['url'] ?? null)) {
            // A single sign-on link logs the customer in: it is handed over, never kept.
            $envelope['url'] = '(single sign-on link, not logged)';
        }
        logModuleCall(
            self::MODULE,
            $action,
            $request === null ? '' : $this->text(self::masked($request)),
            $envelope === null ? '' : $this->text($envelope),
            $this->mask($outcome),
            $this->secrets,
        );
    }

    public function written(): int
    {
        return $this->written;
    }

    /**
     * @param array<string, mixed> $value
     * @return array<string, mixed>
     */
    private static function masked(array $value): array
    {
        foreach ($value as $key => $item) {
            if (is_array($item)) {
                $value[$key] = self::masked($item);
            } elseif (in_array($key, self::SECRET_KEYS, true) && $item !== null && $item !== '') {
                $value[$key] = '***';
            }
        }
        return $value;
    }

    /** @param array<string, mixed> $value */
    private function text(array $value): string
    {
        return $this->mask((string) json_encode($value, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE));
    }

    /** $text with every spelling of a secret (raw, JSON-escaped, percent-encoded) as `***`. */
    public function mask(string $text): string
    {
        foreach ($this->secrets as $secret) {
            $spellings = array_unique([$secret, substr((string) json_encode($secret, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), 1, -1), rawurlencode($secret), urlencode($secret)]);
            $text = str_replace($spellings, '***', $text);
        }
        return $text;
    }
}
