<?php

declare(strict_types=1);

/*
 * WHMCS as a provisioning module meets it, and no more: the WHMCS constant, logModuleCall, a
 * service model with serviceProperties, and $params as developers.whmcs.com documents them
 * ("Module Parameters"). WHMCS itself is proprietary; these stand-ins let the tests load and
 * call the module exactly as WHMCS does.
 */

namespace {
    define('WHMCS', true);

    /** WHMCS's module log: records every call as given, replaceVars included. */
    function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = [])
    {
        \HostProv\Tests\Whmcs\ModuleLog::$entries[] = [
            'module' => $module,
            'action' => $action,
            'request' => $requestString,
            'response' => $responseData,
            'processed' => $processedData,
            'replace' => $replaceVars,
        ];
    }

    // Loaded the way WHMCS loads a server module: once, after WHMCS is defined.
    require_once __DIR__ . '/../modules/servers/hostprov/hostprov.php';
}

namespace HostProv\Tests\Whmcs {
    /** What the module wrote to WHMCS's module log. */
    final class ModuleLog
    {
        /** @var list<array{module: mixed, action: mixed, request: mixed, response: mixed, processed: mixed, replace: mixed}> */
        public static array $entries = [];
    }

    /**
     * `$params['model']->serviceProperties`: WHMCS keeps these in the service's custom fields,
     * so later calls also see them in `$params['customfields']`.
     */
    final class ServiceProperties
    {
        /** @param array<string, string> $values */
        public function __construct(public array $values = [])
        {
        }

        /** As WHMCS: an empty string for a property never saved. */
        public function get(string $name): string
        {
            return $this->values[$name] ?? '';
        }

        /** @param array<string, mixed> $values */
        public function save(array $values): void
        {
            foreach ($values as $name => $value) {
                $this->values[$name] = (string) $value;
            }
        }
    }

    /** `$params['model']`, the service (tblhosting) as an object. */
    final class ServiceModel
    {
        public ?ServiceProperties $serviceProperties;

        public function __construct(
            public int $id,
            public string $domain,
            public string $billingcycle = 'Annually',
            public string $amount = '120.00',
            public string $firstpaymentamount = '120.00',
            public string $regdate = '2025-01-15',
            public string $nextduedate = '2026-01-15',
            bool $withProperties = true,
        ) {
            // WHMCS before 7.2 has no service properties.
            $this->serviceProperties = $withProperties ? new ServiceProperties() : null;
        }
    }
}
