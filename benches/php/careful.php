<?php

declare(strict_types=1);

/*
 * The careful module: what a panel module can be with plain PHP and curl. One curl handle kept for
 * the whole process (so its connections stay open), certificates verified against the sandbox's
 * CA, the licence token cached until shortly before it expires and refreshed once on a 401.
 */

namespace HostProv\Bench;

final class CarefulModule implements Module
{
    private const TOKEN_MARGIN_S = 60;

    private readonly \CurlHandle $curl;
    private ?string $token = null;
    private float $tokenExpires = 0.0;

    /** @param array<string, mixed> $config */
    public function __construct(private readonly array $config)
    {
        $this->curl = curl_init();
        curl_setopt_array($this->curl, [
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 30,
            CURLOPT_CONNECTTIMEOUT => 10,
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
            CURLOPT_CAINFO => $config['ca_file'],
            CURLOPT_FOLLOWLOCATION => false,
        ]);
    }

    public function suspend(string $orderId): void
    {
        [, $answer] = $this->exchange('POST', $this->config['logicboxes_url'] . '/api/orders/suspend.json', [], $this->logicboxes(['order-id' => $orderId, 'reason' => 'Overdue invoice']));
        expectValue('Success', $answer['actionstatus'] ?? null, 'suspend');
    }

    public function details(string $orderId): void
    {
        $query = http_build_query($this->logicboxes(['order-id' => $orderId]));
        [, $answer] = $this->exchange('GET', $this->config['logicboxes_url'] . "/api/sitelock/details.json?{$query}", [], null);
        expectValue($orderId, $answer['entityid'] ?? null, 'details');
    }

    public function licence(string $keyNumber): void
    {
        $url = $this->config['licence_url'] . "/license/plesk/{$keyNumber}";
        [$status, $answer] = $this->exchange('GET', $url, ['Authorization: Bearer ' . $this->token()], null);
        if ($status === 401) {
            $this->token = null;
            [, $answer] = $this->exchange('GET', $url, ['Authorization: Bearer ' . $this->token()], null);
        }
        expectValue($keyNumber, $answer['keyNumber'] ?? null, 'licence');
    }

    /** @param array<string, string> $params @return array<string, string> */
    private function logicboxes(array $params): array
    {
        return ['auth-userid' => $this->config['auth_userid'], 'api-key' => $this->config['api_key']] + $params;
    }

    private function token(): string
    {
        if ($this->token === null || microtime(true) >= $this->tokenExpires) {
            [$status, $answer] = $this->exchange('POST', $this->config['licence_url'] . '/access/token', [], [
                'login' => $this->config['licence_login'],
                'secret' => $this->config['licence_secret'],
            ]);
            if ($status !== 200 || !is_string($answer['access_token'] ?? null)) {
                throw new \RuntimeException("the licence API refused the token request (HTTP {$status})");
            }
            $this->token = $answer['access_token'];
            $this->tokenExpires = microtime(true) + (int) ($answer['expires_in'] ?? 0) - self::TOKEN_MARGIN_S;
        }
        return $this->token;
    }

    /**
     * @param list<string> $header
     * @param array<string, string>|null $form
     * @return array{int, array<string, mixed>} the HTTP status and the decoded body
     */
    private function exchange(string $method, string $url, array $header, ?array $form): array
    {
        curl_setopt_array($this->curl, [CURLOPT_URL => $url, CURLOPT_HTTPHEADER => $header]);
        if ($method === 'POST') {
            curl_setopt($this->curl, CURLOPT_POSTFIELDS, http_build_query($form ?? []));
        } else {
            curl_setopt($this->curl, CURLOPT_HTTPGET, true);
        }
        $body = curl_exec($this->curl);
        if ($body === false) {
            throw new \RuntimeException('curl: ' . curl_error($this->curl));
        }
        $status = curl_getinfo($this->curl, CURLINFO_RESPONSE_CODE);
        $answer = json_decode((string) $body, true);
        if ($status >= 500 || !is_array($answer)) {
            throw new \RuntimeException("{$method} answered HTTP {$status}");
        }
        return [$status, $answer];
    }
}
