<?php

declare(strict_types=1);

/*
 * The seed-style module: what a panel module looks like when written from the providers' own
 * examples (doc 003's PHP): a new curl handle for every call, certificate checks switched off as
 * the examples do, and a licence token fetched before every licence call.
 */

namespace HostProv\Bench;

final class SeedModule implements Module
{
    /** @param array<string, mixed> $config */
    public function __construct(private readonly array $config)
    {
    }

    public function suspend(string $orderId): void
    {
        $answer = $this->exchange('POST', $this->config['logicboxes_url'] . '/api/orders/suspend.json', [], [
            'auth-userid' => $this->config['auth_userid'],
            'api-key' => $this->config['api_key'],
            'order-id' => $orderId,
            'reason' => 'Overdue invoice',
        ]);
        expectValue('Success', $answer['actionstatus'] ?? null, 'suspend');
    }

    public function details(string $orderId): void
    {
        $query = http_build_query(['auth-userid' => $this->config['auth_userid'], 'api-key' => $this->config['api_key'], 'order-id' => $orderId]);
        $answer = $this->exchange('GET', $this->config['logicboxes_url'] . "/api/sitelock/details.json?{$query}", [], []);
        expectValue($orderId, $answer['entityid'] ?? null, 'details');
    }

    public function licence(string $keyNumber): void
    {
        $token = $this->exchange('POST', $this->config['licence_url'] . '/access/token', [], [
            'login' => $this->config['licence_login'],
            'secret' => $this->config['licence_secret'],
        ]);
        $header = ["Authorization: {$token['token_type']} {$token['access_token']}"];
        $answer = $this->exchange('GET', $this->config['licence_url'] . "/license/plesk/{$keyNumber}", $header, []);
        expectValue($keyNumber, $answer['keyNumber'] ?? null, 'licence');
    }

    /**
     * One call as doc 003 writes it.
     *
     * @param list<string> $header
     * @param array<string, string> $postfields
     * @return array<string, mixed>
     */
    private function exchange(string $method, string $url, array $header, array $postfields): array
    {
        $ch = curl_init();
        curl_setopt($ch, CURLOPT_URL, $url);
        curl_setopt($ch, CURLOPT_TIMEOUT, 30);
        curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, 30);
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
        curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, false);
        curl_setopt($ch, CURLOPT_HTTPHEADER, $header);
        switch ($method) {
            case 'GET':
                break;
            case 'POST':
                curl_setopt($ch, CURLOPT_POST, true);
                curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($postfields));
                break;
        }
        $result = curl_exec($ch);
        if (curl_error($ch)) {
            throw new \RuntimeException('Connection Error: ' . curl_errno($ch) . ' - ' . curl_error($ch));
        }
        curl_close($ch);
        $result = json_decode((string) $result, true);
        return is_array($result) ? $result : [];
    }
}
