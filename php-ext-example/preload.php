<?php

declare(strict_types=1);

/*
 * opcache.preload script for PHP-FPM: compiles the client class and loads the hostprov
 * declarations and library once, when the server starts, instead of on every request.
 *
 * php.ini, when the PHP-FPM master runs as an ordinary user:
 *
 *     opcache.enable=1
 *     opcache.preload=/path/to/php-ext-example/preload.php
 *     ffi.enable=preload
 *
 * When the master runs as root, opcache.preload_user is mandatory, preloading then happens in
 * a child process, and PHP refuses FFI::load() there. Let the FFI extension load the header
 * itself instead; this script then finds the scope already loaded and only compiles the class:
 *
 *     opcache.preload_user=www-data
 *     ffi.preload=/path/to/php-ext-example/hostprov-ffi.h
 *
 * Then, in each request:
 *
 *     $hostprov = \HostProv\Client::fromScope();   // the scope "hostprov" named in hostprov-ffi.h
 *
 * hostprov-ffi.h names the library as FFI_LIB "libhostprov.so"; see its comment for where the
 * dynamic loader looks for it.
 */

require_once __DIR__ . '/src/HostProv.php';

try {
    // Already loaded when php.ini names the header in ffi.preload (see above).
    FFI::scope('hostprov');
} catch (FFI\Exception) {
    FFI::load(__DIR__ . '/hostprov-ffi.h');
}
