//! HTTPS for the sandbox: a certificate authority made at start and a server certificate it signs
//! for the loopback names, so that a client can be tested with real certificate checks.
//!
//! A CA rather than one self-signed certificate because webpki, which rustls verifies with,
//! does not accept an end-entity certificate as its own trust anchor. The keys live only in
//! memory; clients are given the CA certificate (PEM) to trust.

use std::io;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use time::{Duration, OffsetDateTime};
use tokio_rustls::TlsAcceptor;

use crate::state::random_hex;

/// The names the server certificate is valid for: every way a client reaches loopback.
pub const SERVER_NAMES: [&str; 3] = ["127.0.0.1", "::1", "localhost"];

/// How long the certificates are valid, from a day before the start (a little clock skew is
/// forgiven).
const VALIDITY_DAYS: i64 = 365;

/// What a TLS sandbox serves with, and what its clients must trust.
pub struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_cert_pem: String,
}

impl Tls {
    /// A fresh CA and server certificate, each with its own new key.
    pub fn generate() -> io::Result<Tls> {
        let ca_key = KeyPair::generate().map_err(other)?;
        let ca_params = authority_params();
        let ca_cert = ca_params.self_signed(&ca_key).map_err(other)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().map_err(other)?;
        let server_cert = server_params()?.signed_by(&server_key, &issuer).map_err(other)?;

        let chain = vec![server_cert.der().clone(), CertificateDer::from(ca_cert.der().to_vec())];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(other)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(other)?;
        // The server speaks HTTP/1.1 only; saying so lets a client that offers h2 fall back.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls { acceptor: TlsAcceptor::from(Arc::new(config)), ca_cert_pem: ca_cert.pem() })
    }
}

fn authority_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    // A name of its own, so that one sandbox's CA is never mistaken for another's issuer.
    params.distinguished_name.push(DnType::CommonName, format!("hostprov-sandbox test CA {}", random_hex(12)));
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    validity(&mut params);
    params
}

fn server_params() -> io::Result<CertificateParams> {
    let mut params = CertificateParams::new(SERVER_NAMES.map(String::from).to_vec()).map_err(other)?;
    params.distinguished_name.push(DnType::CommonName, "hostprov-sandbox");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    validity(&mut params);
    Ok(params)
}

fn validity(params: &mut CertificateParams) {
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(VALIDITY_DAYS);
}

fn other(error: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::other(error)
}
