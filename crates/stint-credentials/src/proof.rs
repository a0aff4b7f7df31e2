//! Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C
//! "Data Integrity EdDSA Cryptosuites v1.0", section 3.3).

use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::keys::IssuerKey;
use crate::rdf::{self, Loader};

pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// Why a credential does not verify, in words a person can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("the file is not a credential: {0}")]
    Malformed(String),
    #[error("the proof is not an eddsa-rdfc-2022 Data Integrity proof: {0}")]
    Unsupported(String),
    #[error("the signing key {0} is not one the issuer has published")]
    UnknownKey(String),
    #[error(
        "the signature does not match: the credential was changed after it was signed, or signed by another key"
    )]
    BadSignature,
}

fn hash(doc: &Value, loader: Loader) -> Result<[u8; 32], String> {
    let canonical = rdf::canonical_with(doc, loader).map_err(|e| e.to_string())?;
    Ok(Sha256::digest(canonical.as_bytes()).into())
}

/// The bytes signed: SHA-256 of the canonical proof options, then of the
/// canonical document.
fn hash_data(unsecured: &Value, options: &Value, loader: Loader) -> Result<Vec<u8>, String> {
    let mut data = hash(options, loader)?.to_vec();
    data.extend_from_slice(&hash(unsecured, loader)?);
    Ok(data)
}

/// Adds a proof to `unsecured` (which must not have one), signed by `key`
/// as `verification_method`, created at `created` (an XML Schema dateTime).
pub fn sign(
    unsecured: &Value,
    key: &IssuerKey,
    verification_method: &str,
    created: &str,
) -> Result<Value, String> {
    sign_with(
        unsecured,
        key,
        verification_method,
        created,
        crate::contexts::embedded,
    )
}

pub fn sign_with(
    unsecured: &Value,
    key: &IssuerKey,
    verification_method: &str,
    created: &str,
    loader: Loader,
) -> Result<Value, String> {
    let Some(doc) = unsecured.as_object() else {
        return Err("a credential is a JSON object".into());
    };
    if doc.contains_key("proof") {
        return Err("the document already has a proof".into());
    }
    let mut options = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    });
    options["@context"] = doc.get("@context").cloned().unwrap_or(Value::Null);
    let signature = key.sign(&hash_data(unsecured, &options, loader)?);
    let mut proof = options;
    if let Some(p) = proof.as_object_mut() {
        p.remove("@context");
        p.insert(
            "proofValue".into(),
            Value::String(format!("z{}", bs58::encode(signature).into_string())),
        );
    }
    let mut secured = doc.clone();
    secured.insert("proof".into(), proof);
    Ok(Value::Object(secured))
}

/// What a valid proof says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub verification_method: String,
    pub created: Option<String>,
}

/// Checks the proof of `secured`. `key_for` maps the proof's verification
/// method to the issuer's published key, or `None` if the issuer has not
/// published it.
pub fn verify(
    secured: &Value,
    key_for: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<Verified, VerifyError> {
    verify_with(secured, key_for, crate::contexts::embedded)
}

pub fn verify_with(
    secured: &Value,
    key_for: impl Fn(&str) -> Option<VerifyingKey>,
    loader: Loader,
) -> Result<Verified, VerifyError> {
    let malformed = |m: &str| VerifyError::Malformed(m.into());
    let doc = secured
        .as_object()
        .ok_or_else(|| malformed("expected a JSON object"))?;
    let proof = match doc.get("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(_)) => {
            return Err(VerifyError::Unsupported(
                "several proofs (a proof set) are not supported".into(),
            ));
        }
        _ => return Err(malformed("it has no proof")),
    };
    let text = |k: &str| proof.get(k).and_then(Value::as_str);
    if text("type") != Some("DataIntegrityProof") || text("cryptosuite") != Some(CRYPTOSUITE) {
        return Err(VerifyError::Unsupported(format!(
            "type {:?}, cryptosuite {:?}",
            text("type").unwrap_or("none"),
            text("cryptosuite").unwrap_or("none")
        )));
    }
    if text("proofPurpose") != Some("assertionMethod") {
        return Err(VerifyError::Unsupported(
            "the proof purpose is not assertionMethod".into(),
        ));
    }
    let method = text("verificationMethod").ok_or_else(|| malformed("no verificationMethod"))?;
    let value = text("proofValue")
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or_else(|| malformed("the proofValue is not a base58btc Ed25519 signature"))?;
    let key = key_for(method).ok_or_else(|| VerifyError::UnknownKey(method.into()))?;

    let mut unsecured: Map<String, Value> = doc.clone();
    unsecured.remove("proof");
    let mut options: Map<String, Value> = proof.clone();
    options.remove("proofValue");
    options.insert(
        "@context".into(),
        doc.get("@context").cloned().unwrap_or(Value::Null),
    );
    let data = hash_data(&Value::Object(unsecured), &Value::Object(options), loader)
        .map_err(VerifyError::Malformed)?;
    key.verify_strict(&data, &Signature::from_bytes(&value))
        .map_err(|_| VerifyError::BadSignature)?;
    Ok(Verified {
        verification_method: method.into(),
        created: text("created").map(str::to_string),
    })
}
