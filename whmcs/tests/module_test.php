<?php

declare(strict_types=1);

/*
 * The module as WHMCS loads it: the guard, its copies of the client and header, its metadata
 * and Module Settings, the Plan loader, Test Connection, and what it says when the server's
 * settings, FFI or the library are wrong.
 */

namespace HostProv\Tests;

const CANARY_PASSWORD = 'canary-whmcs-password-6a4f';

function test_module_refuses_to_run_outside_whmcs(): void
{
    $script = tempnam(sys_get_temp_dir(), 'hostprov-probe');
    file_put_contents($script, '<?php require ' . var_export(MODULE_DIR . '/hostprov.php', true) . '; echo function_exists("hostprov_CreateAccount") ? "loaded" : "not loaded";');
    try {
        [, $out] = runPhp([], $script);
    } finally {
        unlink($script);
    }
    same('This file cannot be accessed directly', $out, 'output when WHMCS is not defined');
}

/** The module carries copies of the PHP client and the header: they must be the originals. */
function test_module_copies_of_the_client_and_header_are_the_originals(): void
{
    same(file_get_contents(REPO . '/php-ext-example/src/HostProv.php'), file_get_contents(MODULE_DIR . '/src/HostProv.php'), 'src/HostProv.php (copy php-ext-example/src/HostProv.php again)');
    same(file_get_contents(HEADER), file_get_contents(MODULE_DIR . '/hostprov.h'), 'hostprov.h (run HOSTPROV_BLESS_HEADER=1 cargo build)');
    $loaded = (new \ReflectionClass(\HostProv\Client::class))->getFileName();
    same(realpath(MODULE_DIR . '/src/HostProv.php'), $loaded, 'the client these tests run is the module\'s copy');
}

function test_metadata(): void
{
    $meta = hostprov_MetaData();
    same('1.1', $meta['APIVersion'] ?? null, 'APIVersion');
    same(true, $meta['RequiresServer'] ?? null, 'RequiresServer');
    check(is_string($meta['DisplayName'] ?? null) && $meta['DisplayName'] !== '', 'DisplayName');
    check(is_string($meta['ServiceSingleSignOnLabel'] ?? null) && $meta['ServiceSingleSignOnLabel'] !== '', 'ServiceSingleSignOnLabel');
}

function test_module_settings_come_from_the_catalog(): void
{
    $settings = hostprov_ConfigOptions(whmcsServer('logicboxes'));
    same(['Product', 'Plan', 'Term (months)', 'Service options'], array_keys($settings), 'the fields, in configoption order');
    check(count($settings) <= 24, 'at most 24 fields');
    foreach ($settings as $name => $field) {
        check(in_array($field['Type'] ?? null, ['text', 'password', 'yesno', 'dropdown', 'radio', 'textarea'], true), "{$name}: a WHMCS field type");
        same(true, $field['SimpleMode'] ?? null, "{$name}: shown in simple mode");
    }
    same('dropdown', $settings['Product']['Type'], 'Product type');
    $orderable = [];
    foreach (client()->catalog()['data']['providers'] as $provider) {
        foreach ($provider['products'] as $product) {
            if (in_array('create', array_column($product['operations'], 'operation'), true)) {
                $orderable[] = $product['product'];
            }
        }
    }
    same($orderable, array_keys($settings['Product']['Options']), 'Product: the orderable products of the catalog');
    contains($settings['Product']['Options']['sitelock'] ?? '', 'logicboxes', 'Product: a product\'s label names its provider');
    same('hostprov_PlanLoader', $settings['Plan']['Loader'] ?? null, 'Plan: filled by a loader');
    check(is_callable($settings['Plan']['Loader']), 'Plan: the loader exists');
    foreach (['plesk' => 'os*', 'cpanel' => 'server_ip*', 'service' => 'billing_cycle*'] as $product => $option) {
        check(preg_match('/' . $product . ': [^;]*' . preg_quote($option, '/') . '/', $settings['Service options']['Description']) === 1, "Service options: lists {$option} for {$product}");
    }
}

function test_plan_loader_fills_the_plan_dropdown_from_the_provider(): void
{
    sandbox()->reset();
    clearLog();
    $plans = hostprov_PlanLoader(whmcsServer('logicboxes'));
    $fixtures = sandbox()->logicboxesFixtures();
    foreach ($fixtures['plans'] as $product => $ids) {
        foreach ($ids as $id) {
            check(str_starts_with($plans[$id] ?? '', "{$product}: "), "plan {$id} listed as a {$product} plan, got " . show($plans[$id] ?? null));
        }
    }
    foreach ($fixtures['paused_plans'] as $ids) {
        foreach ($ids as $id) {
            check(!isset($plans[$id]), "the paused plan {$id} is not offered");
        }
    }
    logHoldsAndHidesAll(['hostprov_PlanLoader'], SANDBOX_API_KEY, [], 'LogicBoxes plans');
    clearLog();
    $licences = hostprov_PlanLoader(whmcsServer('websoftsolus'));
    foreach (sandbox()->fixtures('websoftsolus')['products'] as $product => $versions) {
        foreach ($versions as $version) {
            same("{$product}: {$version}", $licences[$version] ?? null, "licence version {$version}");
        }
    }
    logHoldsAndHidesAll(['hostprov_PlanLoader'], SANDBOX_LICENCE_SECRET, [], 'licence plans');
    clearLog();
    try {
        hostprov_PlanLoader(whmcsServer('racknap'));
        check(false, 'RackNap plans: an exception');
    } catch (\Exception $e) {
        contains($e->getMessage(), 'type the plan id', 'RackNap, which lists one plan at a time: the message');
    }
    logHoldsAndHidesAll(['hostprov_PlanLoader'], SANDBOX_RACKNAP_TOKEN, [], 'RackNap plans');
}

function test_plan_loader_failure_is_a_readable_exception_that_hides_the_key(): void
{
    clearLog();
    try {
        hostprov_PlanLoader(whmcsServer('logicboxes', CANARY_PASSWORD));
        check(false, 'a wrong key: an exception');
    } catch (\Exception $e) {
        check(strlen($e->getMessage()) > 20, 'a sentence: ' . $e->getMessage());
        lacks($e->getMessage(), CANARY_PASSWORD, 'the message');
    }
    logHoldsAndHidesAll(['hostprov_PlanLoader'], CANARY_PASSWORD, [CANARY_PASSWORD], 'loader with a wrong key');
}

function test_test_connection_works_from_the_server_fields_alone(): void
{
    foreach (['logicboxes', 'racknap', 'websoftsolus'] as $provider) {
        clearLog();
        same(['success' => true, 'error' => ''], hostprov_TestConnection(whmcsServer($provider)), "{$provider}: TestConnection");
        logHoldsAndHidesAll(['TestConnection'], (string) whmcsServer($provider)['serverpassword'], [], "{$provider}: TestConnection");
    }
}

function test_test_connection_with_a_wrong_password_fails_readably_and_never_shows_it(): void
{
    foreach (['logicboxes', 'racknap', 'websoftsolus'] as $provider) {
        sandbox()->reset();
        clearLog();
        $answer = hostprov_TestConnection(whmcsServer($provider, CANARY_PASSWORD));
        same(false, $answer['success'] ?? null, "{$provider}: success");
        check(is_string($answer['error'] ?? null) && strlen($answer['error']) > 20, "{$provider}: a sentence, got " . show($answer));
        lacks($answer['error'], CANARY_PASSWORD, "{$provider}: the error");
        if ($provider !== 'racknap') {
            // The password really reached the sandbox (RackNap's goes in a header, which the
            // sandbox does not list), so its absence from the log is masking.
            check(str_contains(json_encode(sandbox()->admin('GET', 'requests'), JSON_UNESCAPED_SLASHES), CANARY_PASSWORD), "{$provider}: the sandbox received the password");
        }
        logHoldsAndHidesAll(['TestConnection'], CANARY_PASSWORD, [CANARY_PASSWORD], "{$provider}: TestConnection with a wrong password");
    }
}

function test_wrong_server_settings_are_named(): void
{
    $logicboxes = whmcsServer('logicboxes');
    $cases = [
        'no provider' => [['serveraccesshash' => "panel_url=https://cp.example.com"], 'provider=logicboxes'],
        'an unknown provider' => [['serveraccesshash' => 'provider=cpanelcom'], 'provider `cpanelcom`'],
        'an unknown setting' => [['serveraccesshash' => "provider=logicboxes\napikey=x"], 'setting `apikey`'],
        'a line that is no setting' => [['serveraccesshash' => "provider=logicboxes\njust text"], 'Line 2 of the server\'s Access Hash'],
        'an unreadable certificate' => [['serveraccesshash' => "provider=logicboxes\nca_cert_file=/nonexistent/ca.pem"], 'certificate file /nonexistent/ca.pem'],
        'no password' => [['serverpassword' => ''], 'Password is empty'],
        'no username' => [['serverusername' => ''], 'Username is empty'],
        'RackNap without its domain' => [['serveraccesshash' => 'provider=racknap', 'serverhostname' => '', 'serverusername' => ''], 'Hostname is empty'],
    ];
    foreach ($cases as $what => [$overrides, $expected]) {
        clearLog();
        $before = requestsReceived();
        $answer = hostprov_TestConnection($overrides + $logicboxes);
        same(false, $answer['success'] ?? null, "{$what}: success");
        contains((string) ($answer['error'] ?? ''), $expected, "{$what}: the error");
        same($before, requestsReceived(), "{$what}: requests the sandbox received");
        logHoldsAndHidesAll(['TestConnection'], (string) ($overrides['serverpassword'] ?? SANDBOX_API_KEY), [], $what);
    }
}

/** @return array<string, mixed> what probes/module_in_php.php printed */
function probeModule(array $ini, array $env, bool $withoutPhpIni = false): array
{
    [$code, $out, $err] = runPhp($ini, __DIR__ . '/probes/module_in_php.php', $env, $withoutPhpIni);
    same(0, $code, "probe exit code (stderr: {$err})");
    return json_decode($out, true, 64, JSON_THROW_ON_ERROR);
}

function test_ffi_off_or_missing_library_is_said_clearly_everywhere(): void
{
    $cases = [
        'FFI extension not loaded' => [[], [], true, 'FFI extension is not loaded'],
        'FFI switched off' => [['ffi.enable' => '0'], [], false, 'ffi.enable'],
        'no library at HOSTPROV_LIB' => [[], ['HOSTPROV_LIB' => '/nonexistent/libhostprov.so'], false, 'library is missing: there is no file /nonexistent/libhostprov.so'],
        'not a library at HOSTPROV_LIB' => [[], ['HOSTPROV_LIB' => __FILE__], false, 'Cannot load the hostprov library'],
    ];
    foreach ($cases as $what => [$ini, $env, $withoutPhpIni, $expected]) {
        $seen = probeModule($ini, $env, $withoutPhpIni);
        same(false, $seen['test_connection']['success'] ?? null, "{$what}: TestConnection success");
        contains((string) ($seen['test_connection']['error'] ?? ''), $expected, "{$what}: TestConnection error");
        contains((string) $seen['create'], $expected, "{$what}: CreateAccount");
        contains((string) ($seen['settings']['Product']['Description'] ?? ''), $expected, "{$what}: the Product setting says why it cannot list products");
        same(['Product', 'Plan', 'Term (months)', 'Service options'], array_keys($seen['settings']), "{$what}: Module Settings keep their positions");
        same(['TestConnection', 'CreateAccount'], array_column($seen['log'], 1), "{$what}: logged actions");
        lacks(json_encode($seen), 'probe-password-5e2d', "{$what}: the probe's output and log");
    }
    $seen = probeModule([], ['HOSTPROV_LIB' => '']);
    same(realpath(MODULE_DIR) . '/lib/libhostprov.so', realpath(dirname($seen['path'])) . '/' . basename($seen['path']), 'without HOSTPROV_LIB: lib/libhostprov.so in the module folder');
}

/** With ffi.enable=preload, the declarations preloaded from hostprov-ffi.h serve the module. */
function test_module_uses_the_preloaded_declarations(): void
{
    $seen = probeModule(
        ['ffi.enable' => 'preload', 'ffi.preload' => FFI_HEADER],
        [
            // The library the header names, found by the dynamic loader; none at HOSTPROV_LIB.
            'LD_LIBRARY_PATH' => dirname(libraryPath()),
            'HOSTPROV_LIB' => '/nonexistent/libhostprov.so',
            'PROBE_HOSTNAME' => sandbox()->url . '/logicboxes',
            'PROBE_PASSWORD' => SANDBOX_API_KEY,
        ],
    );
    same(['success' => true, 'error' => ''], $seen['test_connection'], 'TestConnection through the preloaded scope');
    same('dropdown', $seen['settings']['Product']['Type'] ?? null, 'the Product setting lists the catalog');
}
