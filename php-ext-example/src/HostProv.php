<?php

declare(strict_types=1);

/**
 * hostprov for PHP: a thin FFI client for the hostprov shared library.
 *
 * Copy this file into a panel module. It needs PHP >= 8.1 with the FFI extension and nothing else.
 *
 *     $hostprov = new \HostProv\Client();                 // CLI, cron, tests
 *     $hostprov = \HostProv\Client::fromScope();          // PHP-FPM, after preload.php
 *
 *     try {
 *         $envelope = $hostprov->suspend([
 *             'provider' => 'logicboxes',
 *             'product'  => 'customer',
 *             'account'  => ['auth_userid' => '100000', 'api_key' => $apiKey],
 *             'service'  => ['customer_id' => '99', 'reason' => 'Overdue invoice'],
 *         ]);
 *     } catch (\HostProv\HostProvException $e) {
 *         // $e->getErrorCode(), $e->isRetryable(), $e->getEnvelope()['calls'] for the module log
 *     }
 *
 *     // Many at once (a cron's suspensions): one envelope per item, none thrown.
 *     $batch = $hostprov->batch([
 *         $serviceId => ['operation' => 'suspend', 'request' => $request], …
 *     ], ['concurrency' => 8], fn (int $done, int $total) => printf("%d/%d\r", $done, $total));
 *     foreach ($batch['results'] as $serviceId => $envelope) { if ($envelope['ok']) { … } }
 *
 * Requests are PHP arrays turned into JSON. PHP cannot tell an empty list from an empty object,
 * so an empty `account`, `service`, `options` or `service.options` is sent as `{}`; deeper inside
 * `service.options`, write an empty JSON object as `new \stdClass()`.
 */

namespace HostProv;

use FFI;
use FFI\CData;

/**
 * An error envelope (`ok: false`) as an exception. Everything it carries comes from the envelope,
 * in which the library has already masked api keys, tokens and other secrets.
 */
final class HostProvException extends \RuntimeException
{
    /** @param array<string, mixed> $envelope */
    private function __construct(
        string $message,
        private readonly string $errorCode,
        private readonly bool $retryable,
        private readonly ?string $providerMessage,
        private readonly ?int $httpStatus,
        private readonly array $envelope,
    ) {
        parent::__construct($message);
    }

    /**
     * The one place where an error envelope becomes an exception.
     *
     * @param array<string, mixed> $envelope
     */
    public static function fromEnvelope(array $envelope): self
    {
        $error = is_array($envelope['error'] ?? null) ? $envelope['error'] : [];
        $code = is_string($error['code'] ?? null) && $error['code'] !== '' ? $error['code'] : 'internal_error';
        $message = is_string($error['message'] ?? null) && $error['message'] !== ''
            ? $error['message']
            : "hostprov answered with the error {$code} and no message.";
        return new self(
            $message,
            $code,
            ($error['retryable'] ?? false) === true,
            is_string($error['provider_message'] ?? null) ? $error['provider_message'] : null,
            is_int($error['http_status'] ?? null) ? $error['http_status'] : null,
            $envelope,
        );
    }

    /** One of the envelope's error codes: `invalid_request`, `authentication_failed`, `not_found`, … */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** Whether the same call may simply be made again (a create with the same idempotency_key reconciles). */
    public function isRetryable(): bool
    {
        return $this->retryable;
    }

    /** What the provider itself said, when it said something. */
    public function getProviderMessage(): ?string
    {
        return $this->providerMessage;
    }

    /** The provider's HTTP status, when there was an answer. */
    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    /** @return array<string, mixed> the whole error envelope, `calls` included, for the module log */
    public function getEnvelope(): array
    {
        return $this->envelope;
    }
}

/**
 * The hostprov library, loaded through FFI. Each operation takes the request as an array and
 * returns the success envelope as an array, or throws {@see HostProvException}.
 */
final class Client
{
    /** The C ABI this file is written against. */
    public const ABI_VERSION = 1;

    /** Operation name => the C function that runs it. */
    private const FUNCTIONS = [
        'create' => 'hostprov_create',
        'suspend' => 'hostprov_suspend',
        'unsuspend' => 'hostprov_unsuspend',
        'terminate' => 'hostprov_terminate',
        'renew' => 'hostprov_renew',
        'change_package' => 'hostprov_change_package',
        'client_area_url' => 'hostprov_client_area_url',
        'details' => 'hostprov_details',
        'plans' => 'hostprov_plans',
        'test_connection' => 'hostprov_test_connection',
    ];

    private readonly FFI $ffi;

    /**
     * Loads the library with `FFI::cdef`: for the CLI, cron jobs and tests.
     *
     * @param string|null $library path of libhostprov.so; default: env HOSTPROV_LIB, else the
     *                             repository's debug build
     * @param string|null $header  path of hostprov.h; default: the repository's include/hostprov.h
     */
    public function __construct(?string $library = null, ?string $header = null)
    {
        $library ??= self::defaultLibrary();
        $header ??= __DIR__ . '/../../include/hostprov.h';
        $declarations = is_readable($header) ? file_get_contents($header) : false;
        if ($declarations === false) {
            throw new \RuntimeException("Cannot read the hostprov header {$header}.");
        }
        try {
            $this->ffi = FFI::cdef($declarations, $library);
        } catch (FFI\Exception $e) {
            throw new \RuntimeException("Cannot load the hostprov library {$library}: {$e->getMessage()}", 0, $e);
        }
        $this->checkAbi();
    }

    /**
     * Uses the declarations that `preload.php` loaded with `FFI::load` at server start: for
     * PHP-FPM, where parsing the header on every request would be wasted work.
     */
    public static function fromScope(string $scope = 'hostprov'): self
    {
        $client = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        try {
            $client->ffi = FFI::scope($scope);
        } catch (FFI\Exception $e) {
            throw new \RuntimeException(
                "The FFI scope '{$scope}' is not loaded; preload preload.php with opcache.preload: {$e->getMessage()}",
                0,
                $e,
            );
        }
        $client->checkAbi();
        return $client;
    }

    private static function defaultLibrary(): string
    {
        $fromEnv = getenv('HOSTPROV_LIB');
        return is_string($fromEnv) && $fromEnv !== '' ? $fromEnv : __DIR__ . '/../../target/debug/libhostprov.so';
    }

    private function checkAbi(): void
    {
        $abi = $this->abiVersion();
        if ($abi !== self::ABI_VERSION) {
            throw new \RuntimeException(
                "The hostprov library speaks C ABI version {$abi}; this client needs version " . self::ABI_VERSION . '.',
            );
        }
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function create(array $request): array
    {
        return $this->operation('create', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function suspend(array $request): array
    {
        return $this->operation('suspend', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function unsuspend(array $request): array
    {
        return $this->operation('unsuspend', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function terminate(array $request): array
    {
        return $this->operation('terminate', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function renew(array $request): array
    {
        return $this->operation('renew', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function changePackage(array $request): array
    {
        return $this->operation('change_package', $request);
    }

    /**
     * A short-lived single sign-on link in the envelope's `url`. The link carries a live login
     * token: hand it to the customer's browser, do not log it.
     *
     * @param array<string, mixed> $request @return array<string, mixed>
     */
    public function clientAreaUrl(array $request): array
    {
        return $this->operation('client_area_url', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function details(array $request): array
    {
        return $this->operation('details', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function plans(array $request): array
    {
        return $this->operation('plans', $request);
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    public function testConnection(array $request): array
    {
        return $this->operation('test_connection', $request);
    }

    /**
     * Runs an operation by name ("suspend", "client_area_url", …, "catalog").
     *
     * @param array<string, mixed> $request @return array<string, mixed>
     */
    public function call(string $operation, array $request): array
    {
        return self::accept($this->callRaw($operation, self::encode($request)));
    }

    /**
     * Runs many operations in one call, side by side: a cron's suspensions or renewals no longer
     * wait one provider round trip after another. Each item is `['operation' => 'suspend',
     * 'request' => [...]]`; `$options` may set `concurrency` (calls in flight per provider
     * endpoint: default 8, at most 16). At most 10000 items and 16 MiB per batch.
     *
     * Returns the batch envelope without throwing for an item: `results` holds, under each item's
     * own key and in input order, exactly the envelope its single call would have answered, so
     * check each `ok`. `$progress($done, $total)` is called on this thread after each item
     * finishes. An exception thrown by `$progress` is held back while the library runs (it must
     * not cross the library), later calls of `$progress` are skipped, and it is thrown once the
     * batch has finished; the batch itself still runs to its end.
     *
     * @param array<array-key, array{operation: string, request: array<string, mixed>}> $items
     * @param array{concurrency?: int} $options
     * @param (callable(int, int): void)|null $progress
     * @return array<string, mixed>
     * @throws HostProvException when the batch as a whole is refused (too many items, a bad option)
     */
    public function batch(array $items, array $options = [], ?callable $progress = null): array
    {
        $json = self::encodeBatch($items, $options);
        if ($progress === null) {
            $envelope = $this->take($this->ffi->hostprov_batch($json));
        } else {
            $thrown = null;
            // PHP ends the process with a fatal error when an exception leaves an FFI callback.
            $callback = static function (int $done, int $total, mixed $user) use ($progress, &$thrown): void {
                if ($thrown !== null) {
                    return;
                }
                try {
                    $progress($done, $total);
                } catch (\Throwable $e) {
                    $thrown = $e;
                }
            };
            $envelope = $this->take($this->ffi->hostprov_batch_with_progress($json, $callback, null));
            if ($thrown !== null) {
                throw $thrown;
            }
        }
        $envelope = self::accept($envelope);
        if (is_array($envelope['results'] ?? null) && count($envelope['results']) === count($items)) {
            $envelope['results'] = array_combine(array_keys($items), $envelope['results']);
        }
        return $envelope;
    }

    /**
     * Every provider, product, operation and field this build implements (`data.providers`).
     *
     * @return array<string, mixed>
     */
    public function catalog(): array
    {
        return self::accept($this->take($this->ffi->hostprov_catalog()));
    }

    /** The library version, e.g. "0.1.0". */
    public function version(): string
    {
        // A `const char *` result: FFI copies it into a PHP string; the library keeps the storage.
        return $this->ffi->hostprov_version();
    }

    public function abiVersion(): int
    {
        return $this->ffi->hostprov_abi_version();
    }

    /**
     * Passes both strings to `hostprov_call` exactly as given (null becomes NULL) and returns
     * the envelope, error or not, without throwing.
     *
     * @return array<string, mixed>
     */
    public function callRaw(?string $operation, ?string $json): array
    {
        return $this->take($this->ffi->hostprov_call($operation, $json));
    }

    /** @param array<string, mixed> $request @return array<string, mixed> */
    private function operation(string $operation, array $request): array
    {
        $function = self::FUNCTIONS[$operation];
        return self::accept($this->take($this->ffi->{$function}(self::encode($request))));
    }

    /** @param array<string, mixed> $request */
    private static function encode(array $request): string
    {
        return json_encode(self::objects($request), JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
    }

    /**
     * @param array<array-key, mixed> $items
     * @param array<string, mixed> $options
     */
    private static function encodeBatch(array $items, array $options): string
    {
        $requests = [];
        foreach ($items as $item) {
            if (is_array($item) && is_array($item['request'] ?? null)) {
                $item['request'] = self::objects($item['request']);
            }
            $requests[] = $item;
        }
        $batch = ['requests' => $requests];
        if ($options !== []) {
            $batch['options'] = $options;
        }
        return json_encode($batch, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
    }

    /**
     * The request with its empty objects written as objects, not as the empty list PHP would send.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    private static function objects(array $request): array
    {
        foreach (['account', 'service', 'options'] as $field) {
            if (($request[$field] ?? null) === []) {
                $request[$field] = new \stdClass();
            }
        }
        if (is_array($request['service'] ?? null) && ($request['service']['options'] ?? null) === []) {
            $request['service']['options'] = new \stdClass();
        }
        return $request;
    }

    /**
     * Reads an owned `char *` result and releases it with `hostprov_string_free`, whatever happens.
     *
     * @return array<string, mixed>
     */
    private function take(?CData $owned): array
    {
        if ($owned === null || FFI::isNull($owned)) {
            // The library promises never to return NULL; answer as it would for an internal error.
            return self::localError('hostprov returned NULL instead of an envelope. Please report it.');
        }
        try {
            $text = FFI::string($owned);
        } finally {
            $this->ffi->hostprov_string_free($owned);
        }
        $envelope = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        return is_array($envelope)
            ? $envelope
            : self::localError('hostprov returned JSON that is not an envelope. Please report it.');
    }

    /**
     * @param array<string, mixed> $envelope
     * @return array<string, mixed>
     */
    private static function accept(array $envelope): array
    {
        if (($envelope['ok'] ?? null) !== true) {
            throw HostProvException::fromEnvelope($envelope);
        }
        return $envelope;
    }

    /** @return array<string, mixed> an error envelope of the library's shape */
    private static function localError(string $message): array
    {
        return [
            'ok' => false,
            'api_version' => 1,
            'operation' => null,
            'provider' => null,
            'product' => null,
            'error' => [
                'code' => 'internal_error',
                'message' => $message,
                'retryable' => false,
                'provider_message' => null,
                'http_status' => null,
            ],
            'calls' => [],
        ];
    }
}
