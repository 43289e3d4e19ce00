//! State that a forked child must not inherit: HTTP connections (whose sockets, and TLS
//! sessions, the parent goes on using), locks (which another thread of the parent may have held
//! at the fork) and fetches in flight (whose answer goes to the parent).
//!
//! PHP's `pcntl_fork` and Python's `os.fork` copy the process with only the forking thread.
//! Each [`PerProcess`] value remembers which process made it; the first use in a child makes a
//! fresh one and abandons the inherited copy without touching it: not locked, not dropped
//! (dropping it could take a lock another thread held at the fork). What is abandoned is one
//! copy per fork, already in the child's memory.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

/// Which process, and which fork of it, a value belongs to. The process id alone could
/// repeat (a grandchild may get the id of a grandparent that has exited); the fork count,
/// raised in every child by a `pthread_atfork` handler, cannot.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Epoch {
    pid: u32,
    forks: u64,
}

static FORKS: AtomicU64 = AtomicU64::new(0);
static HANDLER_REGISTERED: AtomicBool = AtomicBool::new(false);

extern "C" fn count_fork_in_child() {
    FORKS.fetch_add(1, Ordering::SeqCst);
}

impl Epoch {
    /// The calling process and fork.
    pub fn now() -> Epoch {
        // Not a `Once`: one left half-run by another thread at a fork would block the child.
        if !HANDLER_REGISTERED.swap(true, Ordering::SeqCst) {
            // SAFETY: the handler only touches an atomic. glibc unregisters it if the library
            // is unloaded.
            unsafe { libc::pthread_atfork(None, None, Some(count_fork_in_child)) };
        }
        Epoch { pid: std::process::id(), forks: FORKS.load(Ordering::SeqCst) }
    }
}

struct Owned<T> {
    epoch: Epoch,
    value: T,
}

/// A process-wide value that each process (parent or forked child) makes for itself.
pub struct PerProcess<T: 'static> {
    current: AtomicPtr<Owned<T>>,
    make: fn() -> T,
}

impl<T: Send + Sync + 'static> PerProcess<T> {
    pub const fn new(make: fn() -> T) -> Self {
        PerProcess { current: AtomicPtr::new(std::ptr::null_mut()), make }
    }

    /// This process's value, made on first use.
    pub fn get(&'static self) -> &'static T {
        let now = Epoch::now();
        loop {
            let seen = self.current.load(Ordering::Acquire);
            // SAFETY: a published value is never freed (see below), so the pointer stays valid.
            if let Some(owned) = unsafe { seen.as_ref() } {
                if owned.epoch == now {
                    return &owned.value;
                }
            }
            let fresh = Box::into_raw(Box::new(Owned { epoch: now, value: (self.make)() }));
            match self.current.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
                // The value replaced (if any) is the parent's: abandoned, never freed.
                // SAFETY: `fresh` is now published and, like every published value, never freed.
                Ok(_) => return unsafe { &(*fresh).value },
                // Another thread of this process published first: use its value.
                // SAFETY: `fresh` was never published; this thread still owns it.
                Err(_) => drop(unsafe { Box::from_raw(fresh) }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static MADE: AtomicUsize = AtomicUsize::new(0);
    static COUNTER: PerProcess<AtomicUsize> = PerProcess::new(|| {
        MADE.fetch_add(1, Ordering::SeqCst);
        AtomicUsize::new(0)
    });

    #[test]
    fn one_value_per_process_whatever_the_threads() {
        let threads: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(|| {
                    let value = COUNTER.get();
                    value.fetch_add(1, Ordering::SeqCst);
                    value as *const AtomicUsize as usize
                })
            })
            .collect();
        let seen: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(seen.iter().all(|&address| address == seen[0]), "every thread uses the one published value");
        assert_eq!(COUNTER.get().load(Ordering::SeqCst), 8);
        // Threads racing on first use may each make a value; only one is ever published.
        assert!((1..=8).contains(&MADE.load(Ordering::SeqCst)));
    }
}
