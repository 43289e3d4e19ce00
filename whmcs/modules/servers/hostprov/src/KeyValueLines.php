<?php

declare(strict_types=1);

namespace HostProv\Whmcs;

/** `key=value` lines, the way the server's Access Hash and the Service options setting hold settings. */
final class KeyValueLines
{
    /**
     * Blank lines and lines starting with `#` are skipped; a later line wins over an earlier one.
     *
     * @param string $setting where the text comes from, for the message ("the server's Access Hash")
     * @return array<string, string>
     * @throws ModuleError naming the line that is not key=value
     */
    public static function parse(string $text, string $setting): array
    {
        $values = [];
        foreach (preg_split('/\R/', $text) ?: [] as $number => $line) {
            $line = trim($line);
            if ($line === '' || str_starts_with($line, '#')) {
                continue;
            }
            $parts = array_map('trim', explode('=', $line, 2));
            if (count($parts) !== 2 || $parts[0] === '') {
                throw new ModuleError('Line ' . ($number + 1) . " of {$setting} is not a key=value line.");
            }
            $values[$parts[0]] = $parts[1];
        }
        return $values;
    }
}
