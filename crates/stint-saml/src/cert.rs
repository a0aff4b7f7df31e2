//! The identity provider's certificate, as its metadata or its admin
//! gives it (PEM, or the bare base64 of `<ds:X509Certificate>`): only its
//! public key is used, to check signatures. Its own validity dates are not
//! enforced, as is common for SAML: the configured certificate is the
//! trust anchor, replaced by the organization's owner.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::SamlError;

/// RSA (PKCS #1 v1.5) or ECDSA P-256 public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub(crate) key: PublicKey,
    der: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// The RSAPublicKey structure (PKCS #1).
    Rsa(Vec<u8>),
    /// The uncompressed point.
    EcP256(Vec<u8>),
}

const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const P256_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// One DER element: (tag, contents, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

impl Certificate {
    /// Reads a PEM certificate or the base64 of its DER.
    pub fn parse(text: &str) -> Result<Certificate, SamlError> {
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| SamlError::Certificate("it is not PEM or base64".into()))?;
        let key = Self::public_key(&der).ok_or_else(|| {
            SamlError::Certificate(
                "it is not an X.509 certificate with an RSA or ECDSA P-256 key".into(),
            )
        })?;
        Ok(Certificate { key, der })
    }

    fn public_key(der: &[u8]) -> Option<PublicKey> {
        let (0x30, cert, _) = tlv(der)? else {
            return None;
        };
        let (0x30, tbs, _) = tlv(cert)? else {
            return None;
        };
        let mut rest = tbs;
        // [0] version, if there.
        if rest.first() == Some(&0xa0) {
            rest = tlv(rest)?.2;
        }
        // serialNumber, signature, issuer, validity, subject.
        for _ in 0..5 {
            rest = tlv(rest)?.2;
        }
        let (0x30, spki, _) = tlv(rest)? else {
            return None;
        };
        let (0x30, alg, after) = tlv(spki)? else {
            return None;
        };
        let (0x03, bits, _) = tlv(after)? else {
            return None;
        };
        let (&unused, key) = bits.split_first()?;
        if unused != 0 {
            return None;
        }
        let (0x06, oid, params) = tlv(alg)? else {
            return None;
        };
        if oid == RSA_OID {
            Some(PublicKey::Rsa(key.to_vec()))
        } else if oid == EC_OID && tlv(params).is_some_and(|(t, c, _)| t == 0x06 && c == P256_OID) {
            Some(PublicKey::EcP256(key.to_vec()))
        } else {
            None
        }
    }

    /// The certificate's DER, for Stint's metadata and comparisons.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 of the DER, in hex with colons, as admins compare it.
    pub fn fingerprint(&self) -> String {
        ring::digest::digest(&ring::digest::SHA256, &self.der)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }
}
