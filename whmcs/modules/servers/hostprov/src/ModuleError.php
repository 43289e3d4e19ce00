<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/**
 * A problem the WHMCS admin must fix (a setting, a missing field, the PHP setup), found before
 * or instead of a provider call. Its message is the one sentence WHMCS shows: it names the
 * WHMCS setting to change and never echoes a password.
 */
final class ModuleError extends \RuntimeException
{
}
