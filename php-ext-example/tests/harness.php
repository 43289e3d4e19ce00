<?php

declare(strict_types=1);

/*
 * The test runner's plumbing: assertions, the sandbox process and its admin API, request
 * builders. No dependencies beyond PHP with FFI.
 */

namespace HostProv\Tests;

use HostProv\Client;
use HostProv\HostProvException;

// A suite may have loaded the same client from another copy first (the WHMCS module's).
if (!class_exists(Client::class)) {
    require_once __DIR__ . '/../src/HostProv.php';
}

const REPO = __DIR__ . '/../..';
const HEADER = REPO . '/include/hostprov.h';
const FFI_HEADER = __DIR__ . '/../hostprov-ffi.h';
const SANDBOX_USERID = '100000';
const SANDBOX_API_KEY = 'sandbox-key';
const SANDBOX_RACKNAP_TOKEN = 'sandbox-token';
const SANDBOX_LICENCE_LOGIN = 'reseller@example.com';
const SANDBOX_LICENCE_SECRET = 'sandbox-secret';

final class AssertionFailed extends \Exception
{
}

/**
 * Runs every function named test_* in the *_test.php files of $directory (in name order) whose
 * name contains $filter, prints `ok - name` or `not ok - name: reason` for each, then
 * `N passed, N failed`. Returns the exit code: 1 when any failed or none matched.
 */
function runTests(string $directory, string $filter): int
{
    $testFiles = glob($directory . '/*_test.php') ?: [];
    sort($testFiles);
    foreach ($testFiles as $testFile) {
        require_once $testFile;
    }

    error_reporting(E_ALL);
    set_error_handler(static function (int $level, string $message, string $file, int $line): bool {
        if (!(error_reporting() & $level)) {
            return false; // silenced with @
        }
        throw new \ErrorException($message, 0, $level, $file, $line);
    });
    register_shutdown_function([Sandbox::class, 'stopIfStarted']);

    $prefix = 'hostprov\\tests\\test_';
    $tests = [];
    foreach (get_defined_functions()['user'] as $function) {
        if (str_starts_with($function, $prefix) && str_contains($function, strtolower($filter))) {
            $tests[] = $function;
        }
    }

    $passed = 0;
    $failed = 0;
    foreach ($tests as $function) {
        $name = substr($function, strlen($prefix));
        Checks::$count = 0;
        try {
            $function();
            if (Checks::$count === 0) {
                throw new AssertionFailed('the test checked nothing');
            }
            echo "ok - {$name}\n";
            $passed++;
        } catch (\Throwable $e) {
            $reason = $e instanceof AssertionFailed
                ? $e->getMessage()
                : get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine();
            if ($e instanceof HostProvException) {
                $reason = "HostProvException {$e->getErrorCode()}: {$e->getMessage()}";
            }
            echo "not ok - {$name}: " . str_replace("\n", ' ', $reason) . "\n";
            $failed++;
        }
    }

    Sandbox::stopIfStarted();
    if ($tests === []) {
        echo "no test matches '{$filter}'\n";
        $failed++;
    }
    echo "{$passed} passed, {$failed} failed\n";
    return $failed > 0 ? 1 : 0;
}

/** Counts assertions, so that a test which checks nothing is reported as failing. */
final class Checks
{
    public static int $count = 0;
}

function check(bool $condition, string $message): void
{
    Checks::$count++;
    if (!$condition) {
        throw new AssertionFailed($message);
    }
}

function show(mixed $value): string
{
    $text = is_string($value) ? json_encode($value, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) : var_export($value, true);
    $text = preg_replace('/\s+/', ' ', (string) $text);
    return strlen($text) > 300 ? substr($text, 0, 300) . '…' : $text;
}

function same(mixed $expected, mixed $actual, string $what): void
{
    check($expected === $actual, "{$what}: expected " . show($expected) . ', got ' . show($actual));
}

function contains(string $haystack, string $needle, string $what): void
{
    check(str_contains($haystack, $needle), "{$what}: " . show($haystack) . ' does not contain ' . show($needle));
}

function lacks(string $haystack, string $needle, string $what): void
{
    check(!str_contains($haystack, $needle), "{$what}: contains " . show($needle));
}

/** Runs $call and returns the HostProvException it throws; fails unless it throws one with $code. */
function expectError(string $code, callable $call, string $what): HostProvException
{
    try {
        $envelope = $call();
    } catch (HostProvException $e) {
        same($code, $e->getErrorCode(), "{$what}: error code (message: {$e->getMessage()})");
        return $e;
    }
    check(false, "{$what}: expected a HostProvException {$code}, got " . show($envelope));
    throw new \LogicException('unreachable');
}

/** An envelope with ok:false and the given error code. @param array<string, mixed> $envelope */
function errorEnvelope(array $envelope, string $code, string $what): string
{
    same(false, $envelope['ok'] ?? null, "{$what}: ok");
    same(1, $envelope['api_version'] ?? null, "{$what}: api_version");
    same($code, $envelope['error']['code'] ?? null, "{$what}: error.code (message: " . show($envelope['error']['message'] ?? null) . ')');
    check(is_array($envelope['calls'] ?? null), "{$what}: calls is a list");
    $message = $envelope['error']['message'] ?? null;
    check(is_string($message) && $message !== '', "{$what}: error.message is set");
    return $message;
}

function client(): Client
{
    static $client = null;
    return $client ??= new Client(libraryPath(), HEADER);
}

function libraryPath(): string
{
    $fromEnv = getenv('HOSTPROV_LIB');
    return is_string($fromEnv) && $fromEnv !== '' ? $fromEnv : REPO . '/target/debug/libhostprov.so';
}

/**
 * One HTTP exchange. @return array{int, string} status and body
 */
function http(string $method, string $url, ?string $body = null): array
{
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => $body === null ? '' : "Content-Type: application/json\r\n",
        'content' => $body ?? '',
        'ignore_errors' => true,
        'follow_location' => 0,
        'timeout' => 15,
    ]]);
    $answer = @file_get_contents($url, false, $context);
    if ($answer === false || !isset($http_response_header[0])) {
        throw new \RuntimeException("{$method} {$url}: no answer");
    }
    return [statusOf($http_response_header), $answer];
}

/** @param list<string> $headers as in $http_response_header */
function statusOf(array $headers): int
{
    if (!preg_match('#^HTTP/\S+\s+(\d{3})#', $headers[0] ?? '', $m)) {
        throw new \RuntimeException('no HTTP status line in ' . show($headers));
    }
    return (int) $m[1];
}

/** @return list<array{method: string, path: string, params: list<array{string, string}>}> */
function receivedRequests(string $pathSuffix): array
{
    return array_values(array_filter(
        sandbox()->admin('GET', 'requests'),
        static fn (array $r): bool => str_ends_with($r['path'] ?? '', $pathSuffix),
    ));
}

/** @param array{params: list<array{string, string}>} $request @return list<string> */
function paramValues(array $request, string $name): array
{
    $values = [];
    foreach ($request['params'] as [$key, $value]) {
        if ($key === $name) {
            $values[] = $value;
        }
    }
    return $values;
}

/** Fetches a link as a browser would and returns the HTTP status and body. @return array{int, string} */
function open(string $url): array
{
    $body = file_get_contents($url, false, stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 15]]));
    check($body !== false && isset($http_response_header[0]), "an answer from {$url}");
    return [statusOf($http_response_header), $body];
}

/** The sandbox the tests talk to: HOSTPROV_SANDBOX_URL, or a hostprov-sandbox process of our own. */
final class Sandbox
{
    private static ?Sandbox $instance = null;

    /** @param resource|null $process */
    private function __construct(public readonly string $url, private mixed $process)
    {
    }

    public static function get(): self
    {
        return self::$instance ??= self::startOrConnect();
    }

    private static function startOrConnect(): self
    {
        $url = getenv('HOSTPROV_SANDBOX_URL');
        if (is_string($url) && $url !== '') {
            return new self(rtrim($url, '/'), null);
        }
        $binary = REPO . '/target/debug/hostprov-sandbox';
        if (!is_executable($binary)) {
            throw new \RuntimeException("{$binary} is missing; run `cargo build --workspace` first");
        }
        $process = proc_open([$binary, '--listen', '127.0.0.1:0'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes);
        if (!is_resource($process)) {
            throw new \RuntimeException("cannot start {$binary}");
        }
        fclose($pipes[0]);
        $read = [$pipes[1]];
        $none = [];
        $line = stream_select($read, $none, $none, 10) === 1 ? fgets($pipes[1]) : false;
        if (!is_string($line) || !preg_match('#^hostprov-sandbox listening on (http://\S+)#', $line, $m)) {
            proc_terminate($process);
            proc_close($process);
            throw new \RuntimeException('the sandbox did not say where it listens: ' . show($line));
        }
        // Its stdout is not read again; it prints nothing more.
        return new self($m[1], $process);
    }

    public static function stopIfStarted(): void
    {
        if (self::$instance !== null && is_resource(self::$instance->process)) {
            proc_terminate(self::$instance->process);
            proc_close(self::$instance->process);
        }
        self::$instance = null;
    }

    /** Back to the seeded state: customers, tokens, clock, request log. */
    public function reset(): void
    {
        $this->admin('POST', 'reset', '{}');
    }

    public function admin(string $method, string $route, ?string $body = null): mixed
    {
        [$status, $text] = http($method, "{$this->url}/_sandbox/{$route}", $body);
        if ($status !== 200) {
            throw new \RuntimeException("{$method} /_sandbox/{$route} answered HTTP {$status}: {$text}");
        }
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    public function customerId(int $index = 0): string
    {
        $id = $this->admin('GET', 'fixtures')['logicboxes']['customers'][$index]['customer_id'] ?? null;
        if (!is_string($id) || $id === '') {
            throw new \RuntimeException("no logicboxes customer #{$index} in /_sandbox/fixtures");
        }
        return $id;
    }

    /** The sandbox's own view of a customer's status ("active", "suspended"), or null. */
    public function customerStatus(string $customerId): ?string
    {
        foreach ($this->admin('GET', 'customers') as $customer) {
            if (($customer['customer_id'] ?? null) === $customerId) {
                return $customer['status'] ?? null;
            }
        }
        return null;
    }

    /** @return array<string, mixed> a LogicBoxes account pointing at this sandbox */
    public function account(string $apiKey = SANDBOX_API_KEY): array
    {
        return [
            'auth_userid' => SANDBOX_USERID,
            'api_key' => $apiKey,
            'base_url' => "{$this->url}/logicboxes",
            'panel_url' => "{$this->url}/logicboxes",
        ];
    }

    /**
     * @param array<string, mixed> $service
     * @return array<string, mixed> a request for the LogicBoxes `customer` product
     */
    public function customerRequest(array $service, string $apiKey = SANDBOX_API_KEY): array
    {
        return $this->logicboxesRequest('customer', $service, [], $apiKey);
    }

    /**
     * @param array<string, mixed> $service
     * @param array<string, mixed> $options the request's `options` (`dry_run`, `timeout_ms`)
     * @return array<string, mixed> a request for a LogicBoxes product (`sitelock`, `order`, …)
     */
    public function logicboxesRequest(string $product, array $service, array $options = [], string $apiKey = SANDBOX_API_KEY): array
    {
        $request = [
            'provider' => 'logicboxes',
            'product' => $product,
            'account' => $this->account($apiKey),
            'service' => $service,
        ];
        if ($options !== []) {
            $request['options'] = $options;
        }
        return $request;
    }

    /** @return array<string, mixed> the seeded LogicBoxes data of `/_sandbox/fixtures` */
    public function logicboxesFixtures(): array
    {
        $fixtures = $this->admin('GET', 'fixtures')['logicboxes'] ?? null;
        if (!is_array($fixtures)) {
            throw new \RuntimeException('no logicboxes section in /_sandbox/fixtures');
        }
        return $fixtures;
    }

    /**
     * @param array<string, mixed> $service
     * @return array<string, mixed> a RackNap request (`product` null for account-level operations)
     */
    public function racknapRequest(?string $product, array $service, string $token = SANDBOX_RACKNAP_TOKEN): array
    {
        $request = [
            'provider' => 'racknap',
            'account' => ['api_token' => $token, 'base_url' => "{$this->url}/racknap"],
            'service' => $service,
        ];
        if ($product !== null) {
            $request['product'] = $product;
        }
        return $request;
    }

    /**
     * @param array<string, mixed> $service
     * @return array<string, mixed> a licence request (`product` null for account-level operations)
     */
    public function licenceRequest(?string $product, array $service, ?string $idempotencyKey = null, string $secret = SANDBOX_LICENCE_SECRET): array
    {
        $request = [
            'provider' => 'websoftsolus',
            'account' => ['login' => SANDBOX_LICENCE_LOGIN, 'secret' => $secret, 'base_url' => "{$this->url}/websoftsolus"],
            'service' => $service,
        ];
        if ($product !== null) {
            $request['product'] = $product;
        }
        if ($idempotencyKey !== null) {
            $request['idempotency_key'] = $idempotencyKey;
        }
        return $request;
    }

    /** @return array<string, mixed> one provider's section of `/_sandbox/fixtures` */
    public function fixtures(string $provider): array
    {
        $fixtures = $this->admin('GET', 'fixtures')[$provider] ?? null;
        if (!is_array($fixtures)) {
            throw new \RuntimeException("no {$provider} section in /_sandbox/fixtures");
        }
        return $fixtures;
    }

    /** @return list<array<string, mixed>> the orders of one provider in `/_sandbox/orders` */
    public function ordersOf(string $provider): array
    {
        return array_values(array_filter($this->orders(), static fn (array $o): bool => ($o['provider'] ?? null) === $provider));
    }

    /** @return list<array<string, mixed>> every order the sandbox holds, as `/_sandbox/orders` lists them */
    public function orders(): array
    {
        return $this->admin('GET', 'orders');
    }

    /** @return array<string, mixed>|null the sandbox's own view of one order, or null */
    public function order(string $orderId, string $provider = 'logicboxes'): ?array
    {
        foreach ($this->orders() as $order) {
            if (($order['order_id'] ?? null) === $orderId && ($order['provider'] ?? null) === $provider) {
                return $order;
            }
        }
        return null;
    }
}

function sandbox(): Sandbox
{
    return Sandbox::get();
}

/** `status` of a success envelope: DESIGN §4's vocabulary, or null. */
const STATUS_VOCABULARY = ['active', 'suspended', 'terminated', 'pending'];

/**
 * A success envelope of $provider as DESIGN §4 describes it: every call it lists went to the
 * sandbox's mount of $provider, and $secret (the account's key, token or secret) is nowhere in it.
 *
 * @param array<string, mixed> $envelope
 * @return array<string, mixed> the envelope
 */
function providerEnvelope(array $envelope, string $provider, string $operation, ?string $product, ?string $orderId, ?string $status, string $secret, string $what): array
{
    foreach (['ok', 'api_version', 'operation', 'provider', 'product', 'order_id', 'status', 'url', 'data', 'provider_response', 'calls'] as $key) {
        check(array_key_exists($key, $envelope), "{$what}: the envelope has `{$key}`");
    }
    same(true, $envelope['ok'], "{$what}: ok");
    same(1, $envelope['api_version'], "{$what}: api_version");
    same($operation, $envelope['operation'], "{$what}: operation");
    same($provider, $envelope['provider'], "{$what}: provider");
    same($product, $envelope['product'], "{$what}: product");
    same($orderId, $envelope['order_id'], "{$what}: order_id");
    same($status, $envelope['status'], "{$what}: status");
    check($status === null || in_array($status, STATUS_VOCABULARY, true), "{$what}: status in the envelope's vocabulary");
    check(is_array($envelope['data']), "{$what}: data is an object");
    check(is_array($envelope['calls']) && array_is_list($envelope['calls']), "{$what}: calls is a list");
    foreach ($envelope['calls'] as $i => $call) {
        check(in_array($call['method'] ?? null, ['GET', 'POST', 'PUT', 'DELETE'], true), "{$what}: calls[{$i}].method");
        check(is_string($call['url'] ?? null) && str_starts_with($call['url'], sandbox()->url . "/{$provider}/"), "{$what}: calls[{$i}].url is the provider's, got " . show($call['url'] ?? null));
        check(is_int($call['status'] ?? null), "{$what}: calls[{$i}].status");
        check(is_int($call['elapsed_ms'] ?? null) && $call['elapsed_ms'] >= 0, "{$what}: calls[{$i}].elapsed_ms");
        check(($call['request'] ?? null) === null || is_string($call['request']), "{$what}: calls[{$i}].request");
        check(is_string($call['response'] ?? null), "{$what}: calls[{$i}].response");
    }
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), $secret, "{$what}: the envelope");
    return $envelope;
}

/**
 * Runs $call, which must fail with $code in an error envelope of $provider that shows $secret
 * nowhere: not in the envelope, the message or the provider's message.
 *
 * @param callable(): array<string, mixed> $call
 */
function providerError(string $code, string $provider, callable $call, string $secret, string $what): HostProvException
{
    $e = expectError($code, $call, $what);
    $envelope = $e->getEnvelope();
    same(false, $envelope['ok'] ?? null, "{$what}: ok");
    same(1, $envelope['api_version'] ?? null, "{$what}: api_version");
    same($provider, $envelope['provider'] ?? null, "{$what}: provider");
    check(is_string($envelope['operation'] ?? null), "{$what}: operation");
    foreach (['code', 'message', 'retryable', 'provider_message', 'http_status'] as $key) {
        check(array_key_exists($key, $envelope['error'] ?? []), "{$what}: error.{$key} is present");
    }
    check($e->getMessage() !== '', "{$what}: a message");
    check(is_array($envelope['calls'] ?? null) && array_is_list($envelope['calls']), "{$what}: calls is a list");
    lacks(json_encode($envelope, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), $secret, "{$what}: the envelope");
    lacks($e->getMessage(), $secret, "{$what}: the message");
    lacks((string) $e->getProviderMessage(), $secret, "{$what}: the provider message");
    return $e;
}

/**
 * What `/_sandbox/orders` says of one order of $provider must match $expected.
 *
 * @param array<string, mixed> $expected
 * @return array<string, mixed> the sandbox's row
 */
function sandboxOrder(string $provider, string $orderId, array $expected, string $what): array
{
    $order = sandbox()->order($orderId, $provider);
    check($order !== null, "{$what}: /_sandbox/orders lists {$provider} order {$orderId}");
    foreach ($expected as $key => $value) {
        same($value, $order[$key] ?? null, "{$what}: /_sandbox/orders {$key}");
    }
    return $order;
}

/** @return array<string, mixed> the catalog's entry for $provider */
function catalogProvider(string $provider): array
{
    $providers = array_column(client()->catalog()['data']['providers'] ?? [], null, 'provider');
    check(isset($providers[$provider]), "the catalog lists {$provider}");
    return $providers[$provider] ?? [];
}

/** @return array<string, mixed> $provider's $product as the catalog lists it */
function catalogProduct(string $provider, string $product, ?array $entry = null): array
{
    $products = array_column(($entry ?? catalogProvider($provider))['products'] ?? [], null, 'product');
    check(isset($products[$product]), "the catalog lists {$provider} {$product}");
    return $products[$product] ?? [];
}

/** @return list<string> the operations the catalog lists for $provider's $product */
function catalogOperations(string $provider, string $product): array
{
    return array_column(catalogProduct($provider, $product)['operations'] ?? [], 'operation');
}

/**
 * The operations a product does not list in the catalog, among those Client can run: each must
 * be answered `unsupported_operation`.
 *
 * @return list<string>
 */
function unsupportedOperations(string $provider, string $product): array
{
    $entry = catalogProvider($provider);
    $supported = array_merge(
        array_column(catalogProduct($provider, $product, $entry)['operations'] ?? [], 'operation'),
        array_column($entry['operations'] ?? [], 'operation'),
    );
    $all = ['create', 'suspend', 'unsuspend', 'terminate', 'renew', 'change_package', 'client_area_url', 'details', 'plans', 'test_connection'];
    return array_values(array_diff($all, $supported));
}

/**
 * The function declarations of a C header, normalised: name => "ret name(params)".
 *
 * @return array<string, string>
 */
function declarations(string $headerPath): array
{
    $text = file_get_contents($headerPath);
    if ($text === false) {
        throw new \RuntimeException("cannot read {$headerPath}");
    }
    $text = preg_replace('#/\*.*?\*/#s', ' ', $text);
    $text = preg_replace('#//[^\n]*#', ' ', $text);
    $text = preg_replace('/^\s*#[^\n]*/m', ' ', $text);
    $found = [];
    foreach (explode(';', $text) as $statement) {
        $statement = trim(preg_replace('/\s+/', ' ', $statement));
        if ($statement === '') {
            continue;
        }
        if (!preg_match('/^(.+?)\b(\w+)\s*\((.*)\)$/', $statement, $m)) {
            throw new \RuntimeException("{$headerPath}: not a function declaration: {$statement}");
        }
        $return = str_replace(' *', '*', trim($m[1]));
        $params = preg_replace('/\s*\*\s*/', ' *', trim($m[3]));
        $params = preg_replace('/\s*,\s*/', ', ', $params);
        $found[$m[2]] = "{$return} {$m[2]}({$params})";
    }
    return $found;
}

/**
 * A declaration's parameter list split at its own commas, not those of a function pointer's
 * parameters: "void" is no parameter.
 *
 * @return list<string>
 */
function parameters(string $params): array
{
    if ($params === 'void') {
        return [];
    }
    $found = [];
    $depth = 0;
    $current = '';
    foreach (str_split($params) as $char) {
        $depth += match ($char) { '(' => 1, ')' => -1, default => 0 };
        if ($char === ',' && $depth === 0) {
            $found[] = trim($current);
            $current = '';
            continue;
        }
        $current .= $char;
    }
    $found[] = trim($current);
    return $found;
}

/**
 * Runs `php` with the given ini settings on a script and returns its exit code and output.
 *
 * @param array<string, string> $ini
 * @param array<string, string> $env added to this process's environment
 * @param bool $withoutPhpIni run with `php -n`
 * @return array{int, string, string} exit code, stdout, stderr
 */
function runPhp(array $ini, string $script, array $env = [], bool $withoutPhpIni = false): array
{
    // Without php.ini (-n), shared extensions such as FFI are not loaded.
    $command = $withoutPhpIni ? [PHP_BINARY, '-n'] : [PHP_BINARY];
    foreach ($ini as $key => $value) {
        $command[] = '-d';
        $command[] = "{$key}={$value}";
    }
    $command[] = $script;
    $process = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, array_merge(getenv(), $env));
    if (!is_resource($process)) {
        throw new \RuntimeException('cannot start ' . PHP_BINARY);
    }
    fclose($pipes[0]);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    return [proc_close($process), (string) $out, (string) $err];
}
