//! Whom the library trusts: the system's roots, and an account's own (`account.ca_cert_pem`).
//!
//! Loading the system's root store takes milliseconds, so it is done at most once per process
//! and only when a certificate needs it: an account's own roots are tried first, and a server
//! they vouch for never loads the system store. Verification can never be switched off.

use std::sync::{Arc, Mutex};

use once_cell::sync::OnceCell;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::cache::BoundedCache;
use crate::per_process::PerProcess;
use crate::response::Error;

/// TLS settings kept for accounts that add trusted roots.
const MAX_CONFIGS_WITH_ROOTS: usize = 8;
/// What the roots of the kept settings may weigh together (DER bytes).
const MAX_ROOTS_BYTES: usize = 4 * 1024 * 1024;

/// A set of trusted roots: each certificate's DER bytes, sorted, without repeats. Two PEM
/// texts that differ only in spacing, order or comments are the same set.
pub type Roots = Vec<Vec<u8>>;

/// The certificates of `account.ca_cert_pem`, normalised (see [`Roots`]).
pub fn roots_of(pem: &str) -> Result<Roots, Error> {
    use rustls_pki_types::pem::PemObject;
    let certs: Result<Vec<_>, _> = rustls_pki_types::CertificateDer::pem_slice_iter(pem.as_bytes()).collect();
    let mut roots: Roots = certs
        .map_err(|_| Error::invalid("The request's account.ca_cert_pem is not a PEM certificate."))?
        .into_iter()
        .map(|cert| cert.to_vec())
        .collect();
    if roots.is_empty() {
        return Err(Error::invalid("The request's account.ca_cert_pem holds no certificate."));
    }
    roots.sort();
    roots.dedup();
    Ok(roots)
}

/// The process's TLS settings; made anew in a forked child like every shared value.
struct Configs {
    system: OnceCell<Result<Arc<rustls_platform_verifier::Verifier>, String>>,
    default: OnceCell<Arc<ClientConfig>>,
    with_roots: Mutex<BoundedCache<Roots, Arc<ClientConfig>>>,
    /// The same, by the PEM text as sent: a panel sends one text on every call, and reading
    /// it costs more than the rest of a call's preparation.
    by_text: Mutex<BoundedCache<String, Arc<ClientConfig>>>,
}

static CONFIGS: PerProcess<Configs> = PerProcess::new(|| Configs {
    system: OnceCell::new(),
    default: OnceCell::new(),
    with_roots: Mutex::new(BoundedCache::new(MAX_CONFIGS_WITH_ROOTS, MAX_ROOTS_BYTES)),
    by_text: Mutex::new(BoundedCache::new(MAX_CONFIGS_WITH_ROOTS, MAX_ROOTS_BYTES)),
});

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The TLS settings for an account: the system's roots, and `ca_cert_pem`'s before them.
pub fn config_for(extra_root_pem: Option<&str>) -> Result<Arc<ClientConfig>, Error> {
    let configs = CONFIGS.get();
    let Some(pem) = extra_root_pem.filter(|p| !p.trim().is_empty()) else {
        return Ok(configs.default.get_or_init(|| build(None)).clone());
    };
    if let Some(config) = configs.by_text.lock().unwrap_or_else(|p| p.into_inner()).get(pem) {
        return Ok(config.clone());
    }
    let config = config_for_roots(configs, roots_of(pem)?)?;
    configs.by_text.lock().unwrap_or_else(|p| p.into_inner()).insert(pem.to_owned(), config.clone(), pem.len());
    Ok(config)
}

fn config_for_roots(configs: &Configs, roots: Roots) -> Result<Arc<ClientConfig>, Error> {
    let mut cache = configs.with_roots.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(config) = cache.get(&roots) {
        return Ok(config.clone());
    }
    let mut store = RootCertStore::empty();
    for der in &roots {
        store
            .add(CertificateDer::from(der.clone()))
            .map_err(|_| Error::invalid("The request's account.ca_cert_pem holds a certificate that cannot be used as a root."))?;
    }
    let own = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider())
        .build()
        .map_err(|_| Error::invalid("The request's account.ca_cert_pem holds no usable root."))?;
    let config = build(Some(own));
    let bytes = roots.iter().map(Vec::len).sum();
    cache.insert(roots, config.clone(), bytes);
    Ok(config)
}

fn build(own: Option<Arc<WebPkiServerVerifier>>) -> Arc<ClientConfig> {
    let provider = provider();
    let verifier = Arc::new(Trust { own, provider: provider.clone() });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Arc::new(config)
}

/// The system's roots, loaded on first need, once per process.
fn system() -> Result<Arc<rustls_platform_verifier::Verifier>, rustls::Error> {
    CONFIGS
        .get()
        .system
        .get_or_init(|| rustls_platform_verifier::Verifier::new(provider()).map(Arc::new).map_err(|e| e.to_string()))
        .clone()
        .map_err(rustls::Error::General)
}

/// Full WebPKI verification against an account's own roots, then the system's.
#[derive(Debug)]
struct Trust {
    own: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Trust {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let by_own = self.own.as_ref().map(|own| own.verify_server_cert(end_entity, intermediates, server_name, ocsp, now));
        if let Some(Ok(verified)) = by_own {
            return Ok(verified);
        }
        match (system(), by_own) {
            (Ok(system), _) => system.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
            (Err(_), Some(Err(refused))) => Err(refused),
            (Err(unavailable), _) => Err(unavailable),
        }
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_roots_in_another_spelling_share_one_config() {
        let ca = rcgen::generate_simple_self_signed(vec!["ca.example".into()]).unwrap().cert.pem();
        let first = config_for(Some(&ca)).unwrap();
        let respaced = format!("\n\n{}   \n", ca.replace('\n', "\r\n"));
        assert!(Arc::ptr_eq(&first, &config_for(Some(&respaced)).unwrap()));
        assert!(Arc::ptr_eq(&config_for(None).unwrap(), &config_for(Some("  ")).unwrap()));
        assert_eq!(config_for(Some("not a pem")).unwrap_err().code, crate::ErrorCode::InvalidRequest);
    }
}
