<?php

/**
 * hostprov for WHMCS: a provisioning (server) module that sells every product the hostprov
 * library implements (LogicBoxes, RackNap, licences), through PHP FFI.
 *
 * Install: copy this folder to <whmcs>/modules/servers/hostprov/, put libhostprov.so in its
 * lib/ folder (or point HOSTPROV_LIB at it), then add a server and a product as the hostprov
 * README ("WHMCS module") shows. The functions here are WHMCS's entry points; the work is
 * done in src/.
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

// The same client may already be loaded from another copy (another module, a preload script).
if (!class_exists(\HostProv\Client::class)) {
    require_once __DIR__ . '/src/HostProv.php';
}
foreach (['ModuleError', 'KeyValueLines', 'Library', 'Operation', 'Catalog', 'Server', 'ModuleLog', 'Calls', 'WhmcsService', 'Customer', 'Provisioner'] as $hostprovClass) {
    require_once __DIR__ . "/src/{$hostprovClass}.php";
}
unset($hostprovClass);

use HostProv\Whmcs\Catalog;
use HostProv\Whmcs\Library;
use HostProv\Whmcs\Provisioner;

function hostprov_MetaData()
{
    return [
        'DisplayName' => 'hostprov (LogicBoxes, RackNap, licences)',
        'APIVersion' => '1.1',
        'RequiresServer' => true,
        'ServiceSingleSignOnLabel' => 'Log in to the control panel',
    ];
}

/**
 * The product's Module Settings. WHMCS stores them by position (configoption1–4) and does not
 * say which product is chosen when it asks for them, so the same four fields serve every
 * product: the Service options field lists, per product, the options the catalog names.
 */
function hostprov_ConfigOptions(array $params = [])
{
    $providersOf = [];
    $optionsHelp = [];
    $problem = null;
    try {
        $catalog = Catalog::of(Library::client());
        foreach ($catalog->providers() as $provider) {
            foreach ($catalog->orderableProducts($provider) as $product) {
                $providersOf[$product][] = $provider;
                $options = [];
                foreach ($catalog->options($provider, $product) as $option => $required) {
                    $options[] = $required ? "{$option}*" : $option;
                }
                $optionsHelp[] = "{$product}: " . ($options === [] ? '—' : implode(', ', $options));
            }
        }
    } catch (\Throwable $e) {
        $problem = $e->getMessage();
    }
    $products = [];
    foreach ($providersOf as $product => $providers) {
        $products[$product] = "{$product} (" . implode(', ', $providers) . ')';
    }

    return [
        'Product' => $problem === null
            ? ['Type' => 'dropdown', 'Options' => $products, 'SimpleMode' => true, 'Description' => 'What this product sells; the server\'s provider must offer it.']
            : ['Type' => 'text', 'Size' => '25', 'SimpleMode' => true, 'Description' => "The product key. hostprov cannot list its products: {$problem}"],
        'Plan' => [
            'Type' => 'text',
            'Size' => '25',
            'Loader' => 'hostprov_PlanLoader',
            'SimpleMode' => true,
            'Description' => 'The provider\'s plan id (for a licence: its version).',
        ],
        'Term (months)' => [
            'Type' => 'text',
            'Size' => '5',
            'SimpleMode' => true,
            'Description' => 'Months ordered and renewed each time; empty: the service\'s billing cycle.',
        ],
        'Service options' => [
            'Type' => 'textarea',
            'Rows' => '4',
            'Cols' => '60',
            'SimpleMode' => true,
            'Description' => 'option=value lines (a JSON list for lists); a custom field or configurable option of the same name overrides a line. Options per product (* required): '
                . implode('; ', $optionsHelp) . '.',
        ],
    ];
}

/** Fills the Plan dropdown from the provider; WHMCS shows the exception's message on failure. */
function hostprov_PlanLoader(array $params)
{
    return Provisioner::run(__FUNCTION__, $params, static fn (Provisioner $p): array => $p->plans(), static function (string $error): never {
        throw new \Exception($error);
    });
}

function hostprov_CreateAccount(array $params)
{
    return Provisioner::lifecycle('CreateAccount', $params, static fn (Provisioner $p): string => $p->create());
}

function hostprov_SuspendAccount(array $params)
{
    return Provisioner::lifecycle('SuspendAccount', $params, static fn (Provisioner $p): string => $p->suspend());
}

function hostprov_UnsuspendAccount(array $params)
{
    return Provisioner::lifecycle('UnsuspendAccount', $params, static fn (Provisioner $p): string => $p->unsuspend());
}

function hostprov_TerminateAccount(array $params)
{
    return Provisioner::lifecycle('TerminateAccount', $params, static fn (Provisioner $p): string => $p->terminate());
}

function hostprov_Renew(array $params)
{
    return Provisioner::lifecycle('Renew', $params, static fn (Provisioner $p): string => $p->renew());
}

function hostprov_ChangePackage(array $params)
{
    return Provisioner::lifecycle('ChangePackage', $params, static fn (Provisioner $p): string => $p->changePackage());
}

/** WHMCS calls this with the server's fields only. */
function hostprov_TestConnection(array $params)
{
    return Provisioner::run('TestConnection', $params, static function (Provisioner $p): array {
        $p->testConnection();
        return ['success' => true, 'error' => ''];
    }, static fn (string $error): array => ['success' => false, 'error' => $error]);
}

function hostprov_ServiceSingleSignOn(array $params)
{
    return Provisioner::run(
        'ServiceSingleSignOn',
        $params,
        static fn (Provisioner $p): array => ['success' => true, 'redirectTo' => $p->singleSignOn()],
        static fn (string $error): array => ['success' => false, 'errorMsg' => $error],
    );
}

/** The client area's overview: the order as the provider sees it (templates/overview.tpl). */
function hostprov_ClientArea(array $params)
{
    $overview = Provisioner::run('ClientArea', $params, static fn (Provisioner $p): array => $p->overview() + ['error' => null], static fn (string $error): array => ['error' => $error]);
    return ['tabOverviewModuleOutputTemplate' => 'templates/overview.tpl', 'templateVariables' => ['hostprov' => $overview]];
}

/** The admin's service page: the provider's order id and status. */
function hostprov_AdminServicesTabFields(array $params)
{
    return Provisioner::run('AdminServicesTabFields', $params, static function (Provisioner $p): array {
        $overview = $p->overview();
        return [
            'Provider order' => htmlspecialchars($overview['order_id'], ENT_QUOTES),
            'Provider status' => htmlspecialchars($overview['status'] ?? 'not reported by the provider', ENT_QUOTES),
        ];
    }, static fn (string $error): array => ['Provider order' => htmlspecialchars($error, ENT_QUOTES)]);
}
