<?php

declare(strict_types=1);

/*
 * php whmcs/tests/run.php [NAME-FILTER]
 *
 * The WHMCS module's tests: the module is loaded as WHMCS loads it (whmcs.php), then every
 * test_* function of the *_test.php files here runs against the sandbox, with the runner of
 * php-ext-example/tests. Environment as there: HOSTPROV_SANDBOX_URL, HOSTPROV_LIB.
 */

namespace HostProv\Tests;

require_once __DIR__ . '/whmcs.php';
require_once __DIR__ . '/../../php-ext-example/tests/harness.php';
require_once __DIR__ . '/support.php';

exit(runTests(__DIR__, $argv[1] ?? ''));
