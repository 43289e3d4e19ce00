<?php

declare(strict_types=1);

// Run by abi_test.php in a PHP process of its own, with LD_LIBRARY_PATH naming the build directory.

$ffi = FFI::load(__DIR__ . '/../../hostprov-ffi.h');
echo $ffi->hostprov_version(), "\n";
