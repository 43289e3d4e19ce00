<?php

declare(strict_types=1);

/*
 * WHMCS servers and services pointing at the sandbox, the module log's checks, and one service
 * lifecycle driven by the catalog, shared by the module's tests.
 */

namespace HostProv\Tests;

use HostProv\Tests\Whmcs\ModuleLog;
use HostProv\Tests\Whmcs\ServiceModel;

const MODULE_DIR = __DIR__ . '/../modules/servers/hostprov';
/** The sandbox's credentials: none may ever reach the module log. */
const SANDBOX_SECRETS = [SANDBOX_API_KEY, SANDBOX_LICENCE_SECRET, SANDBOX_RACKNAP_TOKEN];
const CLIENT_EMAIL = 'jane.doe@example.com';
const BROWSER_IP = '203.0.113.50';

/**
 * The server fields of $params for one provider account at the sandbox, as TestConnection
 * receives them.
 *
 * @return array<string, mixed>
 */
function whmcsServer(string $provider, ?string $password = null): array
{
    $url = sandbox()->url;
    [$username, $secret, $extra] = match ($provider) {
        'logicboxes' => [SANDBOX_USERID, SANDBOX_API_KEY, "panel_url={$url}/logicboxes\n"],
        'racknap' => ['', SANDBOX_RACKNAP_TOKEN, ''],
        'websoftsolus' => [SANDBOX_LICENCE_LOGIN, SANDBOX_LICENCE_SECRET, ''],
    };
    return [
        'server' => true,
        'serverid' => 1,
        'serverip' => '127.0.0.1',
        'serverhostname' => "{$url}/{$provider}",
        'serverusername' => $username,
        'serverpassword' => $password ?? $secret,
        'serveraccesshash' => "provider={$provider}\n{$extra}",
        'serversecure' => false,
        'serverport' => '',
        'serverhttpprefix' => 'http',
    ];
}

/** @return array<string, mixed> `clientsdetails` of the client who owns every test service */
function clientDetails(): array
{
    return [
        'userid' => 7, 'id' => 7, 'firstname' => 'Jane', 'lastname' => 'Doe', 'fullname' => 'Jane Doe',
        'companyname' => 'Doe Web Ltd', 'email' => CLIENT_EMAIL, 'address1' => '1 High Street', 'address2' => '',
        'city' => 'London', 'state' => 'Greater London', 'fullstate' => 'Greater London', 'postcode' => 'EC1A 1AA',
        'countrycode' => 'GB', 'country' => 'GB', 'countryname' => 'United Kingdom', 'phonecc' => 44,
        'phonenumber' => '+44.2071234567', 'language' => 'english',
    ];
}

/**
 * A WHMCS service of a hostprov product, kept between module calls as WHMCS keeps it in its
 * database: each call gets freshly built $params.
 */
final class WhmcsService
{
    private static int $lastId = 1000;

    public readonly ServiceModel $model;

    /**
     * @param array<string, mixed>  $server        server fields, from whmcsServer()
     * @param array<int, string>    $settings      Module Settings: configoption number => value
     * @param array<string, string> $customFields  the service's custom fields
     * @param array<string, string> $configOptions the configurable options the client chose
     */
    public function __construct(
        public array $server,
        public array $settings,
        string $domain,
        public array $customFields = [],
        public array $configOptions = [],
        bool $withProperties = true,
    ) {
        $this->model = new ServiceModel(++self::$lastId, $domain, withProperties: $withProperties);
    }

    /** @return array<string, mixed> $params as WHMCS builds them (developers.whmcs.com, Module Parameters) */
    public function params(array $extra = []): array
    {
        $settings = [];
        for ($i = 1; $i <= 24; $i++) {
            $settings["configoption{$i}"] = $this->settings[$i] ?? '';
        }
        return $extra + [
            'accountid' => $this->model->id,
            'serviceid' => $this->model->id,
            'addonId' => 0,
            'userid' => 7,
            'pid' => 3,
            'domain' => $this->model->domain,
            'username' => 'janedoe',
            'password' => 'Service-Pw-4821',
            'producttype' => 'other',
            'moduletype' => 'hostprov',
            // Service properties are custom fields: later calls see them here too.
            'customfields' => ($this->model->serviceProperties?->values ?? []) + $this->customFields,
            'configoptions' => $this->configOptions,
            'clientsdetails' => clientDetails(),
            'model' => $this->model,
        ] + $settings + $this->server;
    }

    /** Calls hostprov_$function($params) as WHMCS does. */
    public function call(string $function, array $extra = []): mixed
    {
        return ("hostprov_{$function}")($this->params($extra));
    }

    /** The stored `Order ID` property, null when none is stored. */
    public function orderId(): ?string
    {
        $id = $this->model->serviceProperties?->get('Order ID');
        return $id === '' ? null : $id;
    }
}

function clearLog(): void
{
    ModuleLog::$entries = [];
}

/** @return list<string> the logged actions, in order */
function loggedActions(): array
{
    return array_map(static fn (array $e): string => (string) $e['action'], ModuleLog::$entries);
}

/**
 * The module log holds an entry for each of $functions (its own, or one of its library calls)
 * and no secret anywhere: neither the sandbox's credentials nor $more (canary keys, sign-on
 * links), raw or encoded. Each entry passes the server's password as replaceVars, so that WHMCS
 * masks it too.
 *
 * @param list<string> $functions
 * @param list<string> $more
 */
function logHoldsAndHidesAll(array $functions, string $password, array $more, string $what): void
{
    check(ModuleLog::$entries !== [], "{$what}: the module log has entries");
    $actions = loggedActions();
    foreach ($functions as $function) {
        $logged = array_filter($actions, static fn (string $a): bool => $a === $function || str_starts_with($a, "{$function}: "));
        check($logged !== [], "{$what}: the module log has {$function}, got " . show($actions));
    }
    foreach (ModuleLog::$entries as $i => $entry) {
        same('hostprov', $entry['module'], "{$what}: module of log entry {$i}");
        if ($password !== '') {
            check(in_array($password, (array) $entry['replace'], true), "{$what}: log entry {$i} ({$entry['action']}) passes the password as replaceVars");
        }
        $text = json_encode([$entry['action'], $entry['request'], $entry['response'], $entry['processed']], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        foreach (array_merge(SANDBOX_SECRETS, $more) as $secret) {
            foreach (array_unique([$secret, rawurlencode($secret), urlencode($secret)]) as $spelling) {
                lacks($text, $spelling, "{$what}: log entry {$i} ({$entry['action']})");
            }
        }
    }
}

/** @return list<string> the products of $provider that the catalog lists */
function catalogProducts(string $provider): array
{
    return array_column(catalogProvider($provider)['products'] ?? [], 'product');
}

function requestsReceived(): int
{
    return count(sandbox()->admin('GET', 'requests'));
}

/**
 * A module function the product's API cannot do: a readable sentence instead of "success",
 * nothing sent to the provider, the order unchanged.
 */
function refusedReadably(mixed $answer, string $what): void
{
    $message = is_array($answer) ? ($answer['errorMsg'] ?? null) : $answer;
    check(is_string($message) && $message !== 'success' && strlen($message) > 20, "{$what}: a sentence, got " . show($answer));
    contains($message, 'cannot', "{$what}: the sentence");
    if (is_array($answer)) {
        same(false, $answer['success'] ?? null, "{$what}: success");
    }
}

/**
 * One WHMCS service of $product through its whole life, each step checked against the
 * sandbox's own view. What the product's API cannot do (the catalog says which) must be
 * refused readably with nothing sent.
 *
 * @param string|null          $newPlan    the plan for ChangePackage
 * @param string|null          $newOptions the Service options setting for ChangePackage (e-mail seats)
 * @param array<string, mixed> $changed    what /_sandbox/orders shows after ChangePackage, besides the plan
 */
function serviceLifecycle(WhmcsService $service, string $provider, string $product, ?string $newPlan, string $what, ?string $newOptions = null, array $changed = []): string
{
    $operations = catalogOperations($provider, $product);
    check(in_array('create', $operations, true), "{$what}: the catalog lists create for {$product}");
    $password = (string) $service->server['serverpassword'];
    clearLog();

    $test = hostprov_TestConnection($service->server);
    same(['success' => true, 'error' => ''], $test, "{$what}: TestConnection");

    // CreateAccount, and again (WHMCS's Retry): one order.
    same('success', $service->call('CreateAccount'), "{$what}: CreateAccount");
    $id = $service->orderId();
    check(is_string($id) && $id !== '', "{$what}: CreateAccount stores the order id, got " . show($id));
    $order = sandboxOrder($provider, $id, ['product' => $product, 'status' => 'active'], "{$what}: CreateAccount");
    $orders = count(sandbox()->ordersOf($provider));
    $again = $service->call('CreateAccount');
    if (in_array('details', $operations, true)) {
        same('success', $again, "{$what}: CreateAccount again (the order is live)");
    } else {
        contains((string) $again, 'Order ID', "{$what}: CreateAccount again, where the order's state cannot be read");
    }
    same($orders, count(sandbox()->ordersOf($provider)), "{$what}: orders after CreateAccount twice");
    same($id, $service->orderId(), "{$what}: the order id after CreateAccount twice");

    $steps = [
        ['SuspendAccount', 'suspend', ['suspendreason' => 'Overdue on Payment'], 'suspended'],
        ['UnsuspendAccount', 'unsuspend', [], 'active'],
    ];
    foreach ($steps as [$function, $operation, $extra, $status]) {
        $before = requestsReceived();
        $answer = $service->call($function, $extra);
        if (in_array($operation, $operations, true)) {
            same('success', $answer, "{$what}: {$function}");
            sandboxOrder($provider, $id, ['status' => $status], "{$what}: {$function}");
        } else {
            refusedReadably($answer, "{$what}: {$function}");
            same($before, requestsReceived(), "{$what}: {$function}: requests the sandbox received");
            sandboxOrder($provider, $id, ['status' => 'active'], "{$what}: {$function}");
        }
    }

    // ChangePackage: the product's new Plan setting.
    $before = requestsReceived();
    if ($newPlan !== null) {
        $service->settings[2] = $newPlan;
    }
    if ($newOptions !== null) {
        $service->settings[4] = $newOptions;
    }
    $answer = $service->call('ChangePackage');
    if (in_array('change_package', $operations, true)) {
        same('success', $answer, "{$what}: ChangePackage");
        sandboxOrder($provider, $id, ['status' => 'active', 'plan_id' => $newPlan] + $changed, "{$what}: ChangePackage");
    } else {
        refusedReadably($answer, "{$what}: ChangePackage");
        same($before, requestsReceived(), "{$what}: ChangePackage: requests the sandbox received");
        same($order['plan_id'], sandbox()->order($id, $provider)['plan_id'] ?? null, "{$what}: ChangePackage: plan at the provider");
    }

    $expiry = static fn (): ?string => in_array('details', $operations, true)
        ? (client()->details(detailsRequest($provider, $product, $id))['data']['expires_at'] ?? null)
        : null;
    $expiresBefore = $expiry();
    $before = requestsReceived();
    $answer = $service->call('Renew');
    if (in_array('renew', $operations, true)) {
        same('success', $answer, "{$what}: Renew");
        if ($expiresBefore !== null) {
            $expiresAfter = (string) $expiry();
            check(new \DateTimeImmutable($expiresAfter) > new \DateTimeImmutable($expiresBefore), "{$what}: Renew moves the expiry, {$expiresBefore} → {$expiresAfter}");
        }
        sandboxOrder($provider, $id, ['status' => 'active'], "{$what}: Renew");
    } else {
        refusedReadably($answer, "{$what}: Renew");
        same($before, requestsReceived(), "{$what}: Renew: requests the sandbox received");
    }

    // Single sign-on, from the client's browser.
    $_SERVER['REMOTE_ADDR'] = BROWSER_IP;
    $sso = $service->call('ServiceSingleSignOn');
    $link = null;
    if (in_array('client_area_url', $operations, true)) {
        same(true, $sso['success'] ?? null, "{$what}: ServiceSingleSignOn success (" . show($sso['errorMsg'] ?? null) . ')');
        $link = (string) $sso['redirectTo'];
        [$status, $body] = open($link);
        same(200, $status, "{$what}: HTTP status of the sign-on link");
        contains($body, "data-order-id=\"{$id}\"", "{$what}: the panel the link opens is the order's");
    } else {
        refusedReadably($sso, "{$what}: ServiceSingleSignOn");
    }

    $area = $service->call('ClientArea');
    same('templates/overview.tpl', $area['tabOverviewModuleOutputTemplate'] ?? null, "{$what}: ClientArea template");
    check(is_file(MODULE_DIR . '/templates/overview.tpl'), "{$what}: the ClientArea template is in the module");
    $shown = $area['templateVariables']['hostprov'] ?? [];
    same(null, $shown['error'] ?? null, "{$what}: ClientArea error");
    same($id, $shown['order_id'] ?? null, "{$what}: ClientArea order_id");
    same(in_array('details', $operations, true) ? 'active' : null, $shown['status'] ?? null, "{$what}: ClientArea status");
    $tab = $service->call('AdminServicesTabFields');
    same(htmlspecialchars($id), $tab['Provider order'] ?? null, "{$what}: AdminServicesTabFields order");
    same(in_array('details', $operations, true) ? 'active' : 'not reported by the provider', $tab['Provider status'] ?? null, "{$what}: AdminServicesTabFields status");

    $before = requestsReceived();
    $answer = $service->call('TerminateAccount');
    if (in_array('terminate', $operations, true)) {
        same('success', $answer, "{$what}: TerminateAccount");
        sandboxOrder($provider, $id, ['status' => 'terminated'], "{$what}: TerminateAccount");
    } else {
        refusedReadably($answer, "{$what}: TerminateAccount");
        same($before, requestsReceived(), "{$what}: TerminateAccount: requests the sandbox received");
        sandboxOrder($provider, $id, ['status' => 'active'], "{$what}: TerminateAccount");
    }
    same($orders, count(sandbox()->ordersOf($provider)), "{$what}: orders at the end");

    logHoldsAndHidesAll(
        ['TestConnection', 'CreateAccount', 'SuspendAccount', 'UnsuspendAccount', 'ChangePackage', 'Renew', 'ServiceSingleSignOn', 'ClientArea', 'AdminServicesTabFields', 'TerminateAccount'],
        $password,
        $link === null ? [] : [$link, parse_url($link, PHP_URL_QUERY)],
        $what,
    );
    return $id;
}

/** @return array<string, mixed> a library request for the order's details, for the tests' own look */
function detailsRequest(string $provider, string $product, string $orderId): array
{
    return match ($provider) {
        'logicboxes' => sandbox()->logicboxesRequest($product, ['order_id' => $orderId]),
        'websoftsolus' => sandbox()->licenceRequest($product, ['order_id' => $orderId]),
        'racknap' => sandbox()->racknapRequest($product, ['order_id' => $orderId]),
    };
}
