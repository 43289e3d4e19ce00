<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

use HostProv\HostProvException;

/**
 * The WHMCS module functions, each as one library call (or a few) for the service. Every
 * request is built from the catalog's description of the operation, so a product the library
 * adds works here unchanged; every failure becomes the one readable sentence WHMCS shows.
 */
final class Provisioner
{
    /** Where WHMCS takes each `service` field from, for the message when it is missing. */
    private const SOURCES = [
        'domain' => 'the service\'s Domain',
        'plan_id' => 'the Plan setting in Module Settings',
        'new_plan_id' => 'the Plan setting in Module Settings',
        'months' => 'the Term (months) setting in Module Settings, or a billing cycle of whole months',
        'client_ip' => 'the client\'s browser address',
    ];

    /** Order statuses that mean the service already exists at the provider. */
    private const LIVE = ['active', 'suspended', 'pending'];

    private function __construct(
        private readonly Calls $calls,
        private readonly Catalog $catalog,
        private readonly WhmcsService $service,
    ) {
    }

    /**
     * Runs one WHMCS module function. Whatever fails, the answer is $onError of one readable
     * sentence, and the module log has it.
     *
     * @template T
     * @param array<string, mixed>  $params  WHMCS's module parameters
     * @param callable(self): T     $body
     * @param callable(string): T   $onError
     * @return T
     */
    public static function run(string $function, array $params, callable $body, callable $onError): mixed
    {
        $log = new ModuleLog();
        $log->hide((string) ($params['serverpassword'] ?? ''));
        try {
            $client = Library::client();
            $catalog = Catalog::of($client);
            $calls = new Calls($client, Server::fromParams($params, $catalog), $log, $function);
            $answer = $body(new self($calls, $catalog, new WhmcsService($params)));
            if ($log->written() === 0) {
                // Every function WHMCS ran shows in its log, even one the provider was not asked about.
                $log->record($function, null, null, 'success, without a provider call');
            }
            return $answer;
        } catch (HostProvException $e) {
            // Calls has logged the failed call; the admin also sees what the provider said.
            $said = (string) $e->getProviderMessage();
            return $onError($log->mask($said === '' || str_contains($e->getMessage(), $said) ? $e->getMessage() : "{$e->getMessage()} It said: {$said}"));
        } catch (ModuleError $e) {
            $message = $e->getMessage();
        } catch (\Throwable $e) {
            $message = 'hostprov met an unexpected problem (' . get_class($e) . '): ' . $e->getMessage();
        }
        $log->record($function, null, null, $message);
        return $onError($log->mask($message));
    }

    /**
     * Runs a lifecycle function (CreateAccount, SuspendAccount, …): "success" or one readable sentence.
     *
     * @param array<string, mixed>    $params
     * @param callable(self): string  $body
     */
    public static function lifecycle(string $function, array $params, callable $body): string
    {
        return self::run($function, $params, $body, static fn (string $error): string => $error);
    }

    public function testConnection(): void
    {
        $this->calls->run('test_connection', null, []);
    }

    public function create(): string
    {
        $product = $this->product();
        $operation = $this->operation($product, 'create');
        // Every Service options line is checked here, so a mistake shows when the service is set up.
        $this->service->options($product, $this->catalog->options($this->calls->server->provider, $product));
        $action = 'create';
        $stored = $this->service->property(WhmcsService::ORDER_ID);
        if ($stored !== null) {
            $status = $this->status($product, $stored);
            if ($status === null) {
                throw new ModuleError("This service already has the order {$stored} (its Order ID field), and {$this->calls->server->name()} cannot tell whether it is still live: clear the Order ID field to order a new one.");
            }
            if (in_array($status, self::LIVE, true)) {
                return 'success';
            }
            // Ordering again after a termination is a new order, not a retry of the first.
            $action = "create-after-{$stored}";
        }
        $envelope = $this->calls->run('create', $product, $this->service($product, $operation, [], true), $this->serviceKey($action));
        $orderId = $envelope['order_id'] ?? null;
        if (!is_string($orderId) || $orderId === '') {
            throw new ModuleError('The provider accepted the order without an order id; look the order up at the provider and enter it in the Order ID field.');
        }
        $this->service->saveProperty(WhmcsService::ORDER_ID, $orderId);
        return 'success';
    }

    public function suspend(): string
    {
        $reason = $this->service->suspendReason();
        return $this->change('suspend', $reason === '' ? [] : ['reason' => $reason]);
    }

    public function unsuspend(): string
    {
        return $this->change('unsuspend');
    }

    public function terminate(): string
    {
        return $this->change('terminate');
    }

    public function renew(): string
    {
        // One key per billing period: a retry repeats it, next period's renewal does not.
        $due = $this->service->nextDueDate();
        return $this->change('renew', [], $due === null ? null : $this->serviceKey("renew-{$due}"));
    }

    public function changePackage(): string
    {
        $product = $this->product();
        $operation = $this->operation($product, 'change_package');
        $orderId = $this->orderId($product);
        $plan = $this->service->plan();
        // A change of configurable options only: the plan at the provider is already right. A
        // product whose package is not a plan (e-mail seats, a new total) is always sent: the
        // library changes nothing when the provider already has it.
        if ($plan !== '' && $operation->takes('new_plan_id') && ($this->details($product, $orderId)['data']['plan_id'] ?? null) === $plan) {
            return 'success';
        }
        $this->calls->run('change_package', $product, $this->service($product, $operation, ['order_id' => $orderId]));
        return 'success';
    }

    /** @return string the single sign-on link */
    public function singleSignOn(): string
    {
        $product = $this->product();
        $operation = $this->operation($product, 'client_area_url');
        $ip = (string) ($_SERVER['REMOTE_ADDR'] ?? '');
        $envelope = $this->calls->run('client_area_url', $product, $this->service($product, $operation, ['order_id' => $this->orderId($product), 'client_ip' => $ip]));
        $url = $envelope['url'] ?? null;
        if (!is_string($url) || $url === '') {
            throw new ModuleError('The provider gave no sign-on link for this service.');
        }
        return $url;
    }

    /**
     * The order as the provider sees it, for the client area and the admin services tab.
     *
     * @return array{order_id: string, status: ?string, details: array<string, string>}
     */
    public function overview(): array
    {
        $product = $this->product();
        $orderId = $this->orderId($product);
        $envelope = $this->details($product, $orderId);
        $shown = [];
        foreach ($envelope['data'] ?? [] as $key => $value) {
            // Nothing that would let someone log in is shown, even if a provider returns it.
            if (is_scalar($value) && preg_match('/pass|secret|token/i', (string) $key) !== 1) {
                $shown[(string) $key] = is_bool($value) ? ($value ? 'yes' : 'no') : (string) $value;
            }
        }
        return ['order_id' => $orderId, 'status' => $envelope['status'] ?? null, 'details' => $shown];
    }

    /**
     * The plans of the server's provider for the Plan dropdown: plan id => "product: name", with
     * the edition for products sold in several ("single_domain_hosting: Starter (linux us)").
     *
     * @return array<string, string>
     */
    public function plans(): array
    {
        $provider = $this->calls->server->provider;
        $operation = $this->catalog->operation($provider, null, 'plans');
        if ($operation === null || $operation->required !== []) {
            throw new ModuleError("{$this->calls->server->name()} cannot list all its plans at once: type the plan id from its control panel into the Plan setting.");
        }
        $plans = [];
        foreach ($this->calls->run('plans', null, [])['data']['plans'] ?? [] as $plan) {
            if (($plan['status'] ?? 'active') === 'active' && is_scalar($plan['plan_id'] ?? null)) {
                // A product sold in several editions names the edition (platform, region).
                $edition = implode(' ', array_filter([$plan['platform'] ?? null, $plan['region'] ?? null], 'is_string'));
                $plans[(string) $plan['plan_id']] = ($plan['product'] ?? '?') . ': ' . ($plan['name'] ?? $plan['plan_id']) . ($edition === '' ? '' : " ({$edition})");
            }
        }
        if ($plans === []) {
            throw new ModuleError("{$this->calls->server->name()} lists no orderable plan for this account.");
        }
        return $plans;
    }

    /**
     * An operation that needs only the order: suspend, unsuspend, terminate, renew.
     *
     * @param array<string, mixed> $fields
     */
    private function change(string $name, array $fields = [], ?string $idempotencyKey = null): string
    {
        $product = $this->product();
        $operation = $this->operation($product, $name);
        $this->calls->run($name, $product, $this->service($product, $operation, ['order_id' => $this->orderId($product)] + $fields), $idempotencyKey);
        return 'success';
    }

    /** configoption1, checked against the provider's products. */
    private function product(): string
    {
        $product = $this->service->product();
        $provider = $this->calls->server->provider;
        if (!in_array($product, $this->catalog->products($provider), true)) {
            throw new ModuleError("The Product setting `{$product}` is not a product of {$provider} in this hostprov build; choose one of " . implode(', ', $this->catalog->orderableProducts($provider)) . ' in Module Settings.');
        }
        return $product;
    }

    /**
     * The product's operation; when it has none, the library says so in its own words (and
     * nothing is sent).
     */
    private function operation(string $product, string $name): Operation
    {
        $operation = $this->catalog->operation($this->calls->server->provider, $product, $name);
        if ($operation === null) {
            $this->calls->run($name, $product, []);
            throw new ModuleError("hostprov cannot {$name} a {$product} service.");
        }
        return $operation;
    }

    /**
     * The order id: stored with the service, else found by the service's domain (and stored).
     */
    private function orderId(string $product): string
    {
        $stored = $this->service->property(WhmcsService::ORDER_ID);
        if ($stored !== null) {
            return $stored;
        }
        $details = $this->catalog->operation($this->calls->server->provider, $product, 'details');
        $domain = $this->service->domain();
        if ($details === null || !$details->takes('domain') || $domain === '') {
            throw new ModuleError("This service has no Order ID stored and a {$product} order cannot be found by domain: enter the provider's order id in the service's Order ID field.");
        }
        try {
            $found = $this->calls->run('details', $product, ['domain' => $domain]);
        } catch (HostProvException $e) {
            if ($e->getErrorCode() !== 'not_found') {
                throw $e;
            }
            throw new ModuleError("This service has no Order ID stored and {$this->calls->server->name()} has no {$product} order for {$domain}: enter the provider's order id in the service's Order ID field.");
        }
        $orderId = $found['order_id'] ?? null;
        if (!is_string($orderId) || $orderId === '') {
            throw new ModuleError("The provider found an order for {$domain} but gave no order id: enter it in the service's Order ID field.");
        }
        $this->service->saveProperty(WhmcsService::ORDER_ID, $orderId);
        return $orderId;
    }

    /** @return array<string, mixed> the details envelope, or an empty one when the product has no details */
    private function details(string $product, string $orderId): array
    {
        if ($this->catalog->operation($this->calls->server->provider, $product, 'details') === null) {
            return ['order_id' => $orderId, 'status' => null, 'data' => []];
        }
        return $this->calls->run('details', $product, ['order_id' => $orderId]);
    }

    /** The order's status, or null when the product cannot report it. */
    private function status(string $product, string $orderId): ?string
    {
        $status = $this->details($product, $orderId)['status'] ?? null;
        return is_string($status) ? $status : null;
    }

    /**
     * The `service` object for $operation: what WHMCS knows of the service, cut to the fields
     * the catalog says the operation reads, with a readable error for any it needs and lacks.
     *
     * @param array<string, mixed> $fields fields set by the caller (order_id, reason, client_ip)
     * @param bool                 $signUp whether a missing customer may be signed up
     * @return array<string, mixed>
     */
    private function service(string $product, Operation $operation, array $fields, bool $signUp = false): array
    {
        // Only what the operation reads is looked at: a bad Service options line must not stop a termination.
        $takesOptions = $operation->optionsRequired !== [] || $operation->optionsOptional !== [];
        $options = $takesOptions ? $this->service->options($product, $this->catalog->options($this->calls->server->provider, $product)) : [];
        $service = $fields + [
            'domain' => $operation->takes('domain') ? $this->service->domain() : null,
            'months' => $operation->takes('months') ? $this->service->months() : null,
        ];
        $plan = $this->service->plan();
        $planOption = null;
        if ($plan !== '') {
            if ($operation->takes('new_plan_id')) {
                $service['new_plan_id'] = $plan;
            } elseif ($operation->takes('plan_id')) {
                $service['plan_id'] = $plan;
            } elseif ($operation->takesOption('product')) {
                // Licences are ordered by version, which their plans list as the plan id.
                $planOption = 'product';
                $options['product'] ??= $plan;
            }
        }
        $service['options'] = $options;
        $service = $operation->select(array_filter($service, static fn (mixed $v): bool => $v !== null && $v !== ''));

        foreach (array_diff($operation->required, ['customer_id']) as $field) {
            if (!array_key_exists($field, $service)) {
                $source = self::SOURCES[$field] ?? "the service's {$field}";
                throw new ModuleError("To {$operation->name} a {$product} service, hostprov needs `{$field}` from {$source}, which is empty.");
            }
        }
        foreach ($operation->optionsRequired as $option) {
            if (!array_key_exists($option, $service['options'] ?? [])) {
                $source = $option === $planOption
                    ? self::SOURCES['plan_id']
                    : "a line {$option}=… in the Service options setting of Module Settings, or a custom field or configurable option named {$option}";
                throw new ModuleError("To {$operation->name} a {$product} service, hostprov needs the option `{$option}` from {$source}.");
            }
        }
        // Last, as it may sign a customer up: only once everything else is known to be there.
        $customer = !$operation->takes('customer_id') ? null : (in_array('customer_id', $operation->required, true)
            ? (new Customer($this->calls, $this->catalog, $this->service))->id($signUp)
            : $this->service->property(Customer::field($this->calls->server)));
        return $customer === null ? $service : ['customer_id' => $customer] + $service;
    }

    private function serviceKey(string $action): string
    {
        return $this->calls->idempotencyKey("service-{$this->service->id()}", $action);
    }
}
