//! Where the journal file lives: one path per process, the same for every worker of a panel that
//! runs as one user with one environment.
//!
//! In order: the path set by [`use_path`]; `HOSTPROV_JOURNAL`; `$XDG_STATE_HOME/hostprov/`;
//! `$HOME/.local/state/hostprov/`; a directory of the system's temporary directory owned by this
//! user (`hostprov-<uid>`). The first two are taken as given (an error if they cannot be used);
//! of the others, the first whose directory exists or can be created, writable by this user, wins.
//! A PHP-FPM worker often has no writable home (and a private, wiped `/tmp` under systemd), which
//! is why the README tells panels to set `HOSTPROV_JOURNAL`.

use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// The environment variable that chooses the journal file.
pub const ENV_VAR: &str = "HOSTPROV_JOURNAL";
/// The file's name inside the default directories.
const FILE_NAME: &str = "journal.sqlite3";

static CHOSEN: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Chooses the journal file for this whole process, ahead of `HOSTPROV_JOURNAL` (`None` goes
/// back to the environment). Meant for programs that embed the library in Rust and for test
/// suites, which give each process a journal of its own. Connections already open move to the
/// new file on their next use.
pub fn use_path(path: Option<PathBuf>) {
    *CHOSEN.write().unwrap_or_else(|p| p.into_inner()) = path;
}

/// The journal file this process uses now, its directory created if need be; or a sentence
/// saying why there is none.
pub fn resolve() -> Result<PathBuf, String> {
    if let Some(chosen) = CHOSEN.read().unwrap_or_else(|p| p.into_inner()).clone() {
        return given(chosen, "the path chosen by the program");
    }
    if let Some(value) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        return given(PathBuf::from(value), ENV_VAR);
    }
    let home_state = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state"));
    let candidates = [std::env::var_os("XDG_STATE_HOME").map(PathBuf::from), home_state];
    for base in candidates.into_iter().flatten().filter(|b| b.is_absolute()) {
        let dir = base.join("hostprov");
        if create_private_dir(&dir).is_ok() && writable(&dir) {
            return Ok(dir.join(FILE_NAME));
        }
    }
    let dir = std::env::temp_dir().join(format!("hostprov-{}", effective_uid()));
    create_private_dir(&dir).map_err(|e| format!("no writable directory for it: {e}"))?;
    owned_by_us(&dir)?;
    Ok(dir.join(FILE_NAME))
}

/// A path the program or the administrator named: used as it is, never replaced by a default.
/// It must be absolute, or workers started in different directories would keep different files.
fn given(path: PathBuf, source: &str) -> Result<PathBuf, String> {
    if !path.is_absolute() {
        return Err(format!("{source} must be an absolute path"));
    }
    if let Some(dir) = path.parent() {
        if !dir.is_dir() {
            create_private_dir(dir).map_err(|e| format!("its directory cannot be created: {e}"))?;
        }
    }
    Ok(path)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: a valid NUL-terminated path; access() only reads it.
    unsafe { libc::access(c_path.as_ptr(), libc::W_OK) == 0 }
}

/// In a shared temporary directory, someone else could have created our directory first (or a
/// link in its place) to read or plant a journal: only our own, real directory will do.
fn owned_by_us(dir: &Path) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    if !meta.is_dir() || meta.uid() != effective_uid() {
        return Err(format!("{} is not a directory owned by this user", dir.display()));
    }
    Ok(())
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}
