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

exit(runTests(__DIR__, $argv[1] ?? ''));
