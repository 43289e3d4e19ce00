<?php

declare(strict_types=1);

/*
 * Loads the module as WHMCS does, in a PHP whose FFI setup the test chose, and prints as JSON
 * what the module answers: Test Connection, an action, the Module Settings, and its log.
 */

define('WHMCS', true);

$logged = [];
function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = [])
{
    $GLOBALS['logged'][] = [$module, $action, $requestString, $responseData, $processedData];
}

require __DIR__ . '/../../modules/servers/hostprov/hostprov.php';

// Never a real provider: the sandbox the test names, else a closed loopback port.
$server = [
    'serverhostname' => getenv('PROBE_HOSTNAME') ?: 'http://127.0.0.1:9/logicboxes',
    'serverusername' => '100000',
    'serverpassword' => getenv('PROBE_PASSWORD') ?: 'probe-password-5e2d',
    'serveraccesshash' => 'provider=logicboxes',
];
echo json_encode([
    'path' => \HostProv\Whmcs\Library::path(),
    'test_connection' => hostprov_TestConnection($server),
    'create' => hostprov_CreateAccount($server + ['serviceid' => 1, 'configoption1' => 'sitelock', 'domain' => 'probe.example']),
    'settings' => hostprov_ConfigOptions(),
    'log' => $logged,
], JSON_UNESCAPED_SLASHES);
