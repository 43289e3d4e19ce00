<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

use HostProv\Client;

/**
 * Finds and loads libhostprov.so, once per PHP process, and says in one sentence what to fix
 * when it cannot: WHMCS shows that sentence as the module's error and in Test Connection.
 */
final class Library
{
    private static ?Client $client = null;

    /** HOSTPROV_LIB when set, else `lib/libhostprov.so` in the module folder. */
    public static function path(): string
    {
        $fromEnv = getenv('HOSTPROV_LIB');
        return is_string($fromEnv) && $fromEnv !== '' ? $fromEnv : dirname(__DIR__) . '/lib/libhostprov.so';
    }

    /** @throws ModuleError when FFI is off or the library is missing or unusable */
    public static function client(): Client
    {
        return self::$client ??= self::load();
    }

    private static function load(): Client
    {
        if (!extension_loaded('ffi')) {
            throw new ModuleError('The PHP FFI extension is not loaded in the PHP that runs WHMCS: install it and set extension=ffi and ffi.enable=true in php.ini.');
        }
        $enable = strtolower(trim((string) ini_get('ffi.enable')));
        if (in_array($enable, ['0', 'false', 'off', 'no', ''], true)) {
            throw new ModuleError('PHP FFI is switched off (ffi.enable is off) in the PHP that runs WHMCS: set ffi.enable=true in php.ini.');
        }
        try {
            // Declarations preloaded at server start (ffi.preload or opcache.preload) are the
            // only way when ffi.enable=preload, and the cheapest way otherwise.
            return Client::fromScope();
        } catch (\RuntimeException) {
        }
        if ($enable === 'preload' && PHP_SAPI !== 'cli') {
            throw new ModuleError('PHP FFI is limited to preloading (ffi.enable=preload) and the hostprov declarations are not preloaded: set ffi.enable=true in php.ini, or preload them as the hostprov README shows.');
        }
        $path = self::path();
        if (!is_file($path)) {
            throw new ModuleError("The hostprov library is missing: there is no file {$path}. Copy libhostprov.so there, or set the HOSTPROV_LIB environment variable to its path.");
        }
        try {
            return new Client($path, dirname(__DIR__) . '/hostprov.h');
        } catch (\RuntimeException $e) {
            // The client's message names the library and says what went wrong.
            throw new ModuleError($e->getMessage(), 0, $e);
        }
    }
}
