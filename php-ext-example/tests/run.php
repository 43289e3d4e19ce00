<?php

declare(strict_types=1);

/*
 * php php-ext-example/tests/run.php [NAME-FILTER]
 *
 * Runs every function named test_* in the *_test.php files here and prints one line per test,
 * `ok - name` or `not ok - name: reason`, then `N passed, N failed`. Exit code 1 when any failed.
 *
 * Environment: HOSTPROV_SANDBOX_URL (else target/debug/hostprov-sandbox is started and stopped
 * here), HOSTPROV_LIB (else target/debug/libhostprov.so).
 */

namespace HostProv\Tests;

require_once __DIR__ . '/harness.php';
// Every *_test.php next to this file, in name order.
$testFiles = glob(__DIR__ . '/*_test.php') ?: [];
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

$filter = $argv[1] ?? '';
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
        if ($e instanceof \HostProv\HostProvException) {
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
exit($failed > 0 ? 1 : 0);
