//! Where a provider's host is. ureq asks for every request, even one sent on a connection
//! already open; its own resolver would look the name up each time, on a thread of its own.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::cache::BoundedCache;

/// An address as written, or a name's addresses, looked up (within the call's deadline) at
/// most once a minute per client.
pub struct Addresses {
    known: Mutex<BoundedCache<(String, u16), (Instant, ResolvedSocketAddrs)>>,
}

impl Default for Addresses {
    fn default() -> Self {
        Addresses { known: Mutex::new(BoundedCache::new(MAX_NAMES, usize::MAX)) }
    }
}

impl fmt::Debug for Addresses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Addresses")
    }
}

/// How long a looked-up address is used before it is looked up again (curl's default).
const ADDRESS_TTL: Duration = Duration::from_secs(60);
/// Names whose addresses one thread remembers.
const MAX_NAMES: usize = 32;

impl Resolver for Addresses {
    fn resolve(&self, uri: &Uri, config: &ureq::config::Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
        let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("http") { 80 } else { 443 });
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut addresses = self.empty();
            addresses.push(SocketAddr::new(ip, port));
            return Ok(addresses);
        }
        let key = (host.to_ascii_lowercase(), port);
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((looked_up, addresses)) = known.get(&key) {
            if looked_up.elapsed() < ADDRESS_TTL {
                return Ok(addresses.clone());
            }
        }
        drop(known);
        let addresses = DefaultResolver::default().resolve(uri, config, timeout)?;
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        drop(known.insert(key, (Instant::now(), addresses.clone()), 1));
        Ok(addresses)
    }
}
