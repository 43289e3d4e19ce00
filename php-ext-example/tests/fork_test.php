<?php

declare(strict_types=1);

/* A cron script that forks workers with pcntl: each child makes its own calls. */

namespace HostProv\Tests;

/**
 * Runs $work in a child made by pcntl_fork and returns its exit code (0 when $work returned
 * true), or -1 when it still ran after 60 seconds and was killed. The child leaves with
 * _exit(): PHP's own exit would run the parent's shutdown functions (stopping the sandbox).
 */
function inForkedChild(callable $work): int
{
    $pid = pcntl_fork();
    check($pid >= 0, 'pcntl_fork');
    if ($pid === 0) {
        $code = 1;
        try {
            $code = $work() === true ? 0 : 1;
        } finally {
            \FFI::cdef('void _exit(int status);')->_exit($code);
        }
    }
    $deadline = microtime(true) + 60;
    while (microtime(true) < $deadline) {
        if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) {
            return pcntl_wexitstatus($status);
        }
        usleep(20_000);
    }
    posix_kill($pid, SIGKILL);
    pcntl_waitpid($pid, $status);
    return -1;
}

function test_a_forked_child_makes_its_own_calls(): void
{
    $request = sandbox()->customerRequest([]);
    $request['options'] = ['timeout_ms' => 10000];
    same(true, client()->testConnection($request)['ok'], 'the parent, before the fork');
    same(0, inForkedChild(fn () => client()->testConnection($request)['ok']), 'the child answered within its deadline');
    same(true, client()->testConnection($request)['ok'], 'the parent, after the fork');
}
