<?php

declare(strict_types=1);

/* The C ABI as PHP sees it: the shipped header, versions, the catalog, the preload header. */

namespace HostProv\Tests;

/**
 * Only `FFI::cdef` of include/hostprov.h: every function it declares is called with a valid or
 * hostile argument, every owned string is decoded and released.
 */
function test_every_declared_function_is_callable_from_the_shipped_header(): void
{
    $ffi = \FFI::cdef(file_get_contents(HEADER), libraryPath());
    $declared = declarations(HEADER);

    // A looser look at the same file, so that a declaration the parser missed cannot go unnoticed.
    preg_match_all('/^[^\/\n#]*\b(hostprov_\w+)\s*\(/m', file_get_contents(HEADER), $m);
    same(array_unique($m[1]), array_keys($declared), 'functions found by the loose scan');
    check(count($declared) >= 15, 'the header declares at least the 15 functions of DESIGN §2, found ' . count($declared));

    $request = sandbox()->customerRequest([]);
    unset($request['service']); // json_encode would write the empty array as a list
    $request = json_encode($request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
    $batch = json_encode(['requests' => [['operation' => 'test_connection', 'request' => json_decode($request)]]], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
    $progressed = [];
    $argument = static function (string $param) use ($request, $batch, &$progressed): array {
        return match ($param) {
            'void' => [],
            'const char *request_json' => [$request],
            'const char *batch_json' => [$batch],
            'const char *operation' => ['test_connection'],
            'void ( *progress)(uint32_t done, uint32_t total, void *user)' => [
                static function (int $done, int $total, mixed $user) use (&$progressed): void {
                    $progressed[] = [$done, $total, $user];
                },
            ],
            'void *user' => [null],
            'char *s' => [null],
            default => throw new AssertionFailed("no argument known for the parameter `{$param}`"),
        };
    };
    $take = static function (mixed $owned, string $what) use ($ffi): array {
        check($owned instanceof \FFI\CData && !\FFI::isNull($owned), "{$what}: returns a non-NULL char *");
        try {
            $text = \FFI::string($owned);
        } finally {
            $ffi->hostprov_string_free($owned);
        }
        $envelope = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        check(is_array($envelope) && is_bool($envelope['ok'] ?? null), "{$what}: returns an envelope");
        same(1, $envelope['api_version'] ?? null, "{$what}: api_version");
        return $envelope;
    };

    $called = [];
    foreach ($declared as $name => $signature) {
        preg_match('/^(.*) \w+\((.*)\)$/', $signature, $parts);
        [, $return, $params] = $parts;
        $args = [];
        $hostile = [];
        foreach (parameters($params) as $param) {
            $valid = $argument($param);
            array_push($args, ...$valid);
            $input = in_array($param, ['const char *request_json', 'const char *batch_json'], true);
            array_push($hostile, ...($input ? [null] : $valid));
        }
        $result = $ffi->{$name}(...$args);
        switch ($return) {
            case 'char*':
                $envelope = $take($result, $name);
                $operation = match (true) {
                    $name === 'hostprov_call' => $args[0],
                    str_starts_with($name, 'hostprov_batch') => 'batch',
                    default => substr($name, strlen('hostprov_')),
                };
                same($operation, $envelope['operation'], "{$name}: the envelope's operation");
                if ($operation === 'test_connection') {
                    same(true, $envelope['ok'], "{$name}: test_connection against the sandbox");
                }
                if ($operation === 'batch') {
                    same(true, $envelope['results'][0]['ok'] ?? null, "{$name}: test_connection in a batch");
                }
                if ($hostile !== $args) {
                    $envelope = $take($ffi->{$name}(...$hostile), "{$name}(NULL request)");
                    same('invalid_request', $envelope['error']['code'] ?? null, "{$name}(NULL request): error code");
                    same($operation, $envelope['operation'], "{$name}(NULL request): the envelope's operation");
                }
                break;
            case 'const char*':
                check(is_string($result) && preg_match('/^\d+\.\d+\.\d+/', $result) === 1, "{$name}: returns a version string, got " . show($result));
                break;
            case 'uint32_t':
                same(1, $result, "{$name}: returns");
                break;
            case 'void':
                // PHP 8.3+ returns null for a void function; 8.1 and 8.2 an FFI\CData of type void.
                check(
                    $result === null || ($result instanceof \FFI\CData && \FFI::typeof($result)->getName() === 'void'),
                    "{$name}: returns nothing, got " . show($result),
                );
                if ($name === 'hostprov_string_free') {
                    // NULL was accepted above; now an owned string, released exactly once.
                    $owned = $ffi->hostprov_catalog();
                    check($owned instanceof \FFI\CData, 'hostprov_catalog returns a char *');
                    $ffi->hostprov_string_free($owned);
                }
                break;
            default:
                check(false, "{$name}: no check known for the return type `{$return}`");
        }
        $called[] = $name;
    }
    same(array_keys($declared), $called, 'functions called');
    same([[1, 1, null]], $progressed, 'the progress callback, once for the one item');
}

function test_version_matches_cargo_toml(): void
{
    $toml = file_get_contents(REPO . '/Cargo.toml');
    check(preg_match('/^\[package\]\s*$(.*?)(?=^\[|\z)/ms', $toml, $section) === 1, 'Cargo.toml has a [package] section');
    check(preg_match('/^version\s*=\s*"([^"]+)"/m', $section[1], $version) === 1, '[package] has a version');
    same($version[1], client()->version(), 'version()');
    same($version[1], client()->catalog()['data']['version'] ?? null, 'catalog data.version');
}

function test_abi_version_is_1(): void
{
    same(1, client()->abiVersion(), 'abiVersion()');
    same(1, client()->catalog()['data']['abi_version'] ?? null, 'catalog data.abi_version');
}

function test_catalog_lists_logicboxes_customer_and_test_connection(): void
{
    $catalog = client()->catalog();
    same(true, $catalog['ok'], 'ok');
    same('catalog', $catalog['operation'], 'operation');
    $providers = array_column($catalog['data']['providers'] ?? [], null, 'provider');
    check(isset($providers['logicboxes']), 'provider logicboxes listed, got ' . show(array_keys($providers)));
    $logicboxes = $providers['logicboxes'];

    $accountOps = array_column($logicboxes['operations'] ?? [], 'operation');
    check(in_array('test_connection', $accountOps, true), 'account-level test_connection listed, got ' . show($accountOps));

    $products = array_column($logicboxes['products'] ?? [], null, 'product');
    check(isset($products['customer']), 'product customer listed, got ' . show(array_keys($products)));
    $operations = array_column($products['customer']['operations'] ?? [], null, 'operation');
    foreach (['suspend', 'unsuspend', 'client_area_url'] as $operation) {
        check(isset($operations[$operation]), "customer lists {$operation}, got " . show(array_keys($operations)));
        check(in_array('customer_id', $operations[$operation]['required'] ?? [], true), "customer {$operation} requires customer_id");
    }
    check(in_array('client_ip', $operations['client_area_url']['required'] ?? [], true), 'client_area_url requires client_ip');
}

function test_preload_header_declares_exactly_the_shipped_functions(): void
{
    $lines = file(FFI_HEADER, FILE_IGNORE_NEW_LINES);
    same('#define FFI_SCOPE "hostprov"', $lines[0] ?? null, 'hostprov-ffi.h line 1');
    same('#define FFI_LIB "libhostprov.so"', $lines[1] ?? null, 'hostprov-ffi.h line 2');
    $shipped = declarations(HEADER);
    $copy = declarations(FFI_HEADER);
    ksort($shipped);
    ksort($copy);
    $missing = array_diff(array_keys($shipped), array_keys($copy));
    $extra = array_diff(array_keys($copy), array_keys($shipped));
    check($missing === [] && $extra === [], 'hostprov-ffi.h lacks ' . show(array_values($missing)) . ' and adds ' . show(array_values($extra)));
    same($shipped, $copy, 'declarations in hostprov-ffi.h');
}

/** FFI::load() of hostprov-ffi.h, the library found by the dynamic loader as FFI_LIB says. */
function test_preload_header_loads_with_ffi_load(): void
{
    [$code, $out, $err] = runPhp([], __DIR__ . '/probes/ffi_load.php', ['LD_LIBRARY_PATH' => dirname(libraryPath())]);
    same(0, $code, "probe exit code (stderr: {$err})");
    same(client()->version(), trim($out), 'version through FFI::load');
}

/** preload.php under opcache.preload, then Client::fromScope() in the "request". */
function test_preload_script_makes_client_from_scope_work(): void
{
    $ini = ['opcache.enable' => '1', 'opcache.enable_cli' => '1', 'opcache.preload' => dirname(__DIR__) . '/preload.php', 'ffi.enable' => 'preload'];
    if (function_exists('posix_geteuid') && posix_geteuid() === 0) {
        // As for a PHP-FPM master running as root: preloading runs in a child, FFI::load() is
        // refused there, and ffi.preload loads the header instead (see preload.php).
        $ini['opcache.preload_user'] = posix_getpwuid(0)['name'] ?? 'root';
        $ini['ffi.preload'] = FFI_HEADER;
    }
    [$code, $out, $err] = runPhp($ini, __DIR__ . '/probes/from_scope.php', ['LD_LIBRARY_PATH' => dirname(libraryPath())]);
    same(0, $code, "probe exit code (stdout: {$out}, stderr: {$err})");
    $seen = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
    same(true, $seen['preloaded'] ?? null, 'HostProv\\Client compiled by preload.php');
    same(client()->version(), $seen['version'] ?? null, 'version through the scope');
    same(1, $seen['abi_version'] ?? null, 'abi version through the scope');
    same(true, $seen['catalog_ok'] ?? null, 'catalog through the scope');
}
