//! The W3C test vectors of "Data Integrity EdDSA Cryptosuites v1.0"
//! (w3c/vc-di-eddsa, TestVectors/eddsa-rdfc-2022, commit abb673e): the same
//! key and document must give the same canonical forms, hashes and signature.

use serde_json::Value;
use sha2::{Digest, Sha256};
use stint_credentials::keys::{IssuerKey, decode_public};
use stint_credentials::proof::{self, VerifyError};
use stint_credentials::rdf;

/// The W3C examples context the vectors use, beside the embedded ones.
fn loader(url: &str) -> Option<&'static str> {
    match url {
        "https://www.w3.org/ns/credentials/examples/v2" => {
            Some(r#"{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}"#)
        }
        _ => stint_credentials::contexts::embedded(url),
    }
}

fn vector(name: &str) -> String {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(name: &str) -> Value {
    serde_json::from_str(&vector(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn key() -> IssuerKey {
    let pair = json("keyPair.json");
    IssuerKey::from_secret_multibase(pair["privateKeyMultibase"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn unsigned() -> (Value, Value) {
    let mut signed = json("signedDataInt.json");
    let proof = signed
        .as_object_mut()
        .and_then(|o| o.remove("proof"))
        .unwrap_or_default();
    (signed, proof)
}

#[test]
fn canonical_document_and_proof_match_the_vectors() {
    let (doc, proof) = unsigned();
    let canon = rdf::canonical_with(&doc, loader).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(canon, vector("canonDocDataInt.txt"));
    assert_eq!(
        format!("{:x}", Sha256::digest(canon.as_bytes())),
        vector("docHashDataInt.txt").trim()
    );
    let mut options = proof.clone();
    if let Some(o) = options.as_object_mut() {
        o.remove("proofValue");
        o.insert("@context".into(), doc["@context"].clone());
    }
    let canon = rdf::canonical_with(&options, loader).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(canon, vector("proofCanonDataInt.txt"));
    assert_eq!(
        format!("{:x}", Sha256::digest(canon.as_bytes())),
        vector("proofHashDataInt.txt").trim()
    );
}

#[test]
fn signing_gives_the_vectors_signature_and_it_verifies() {
    let key = key();
    let pair = json("keyPair.json");
    assert_eq!(
        Some(key.public_multibase().as_str()),
        pair["publicKeyMultibase"].as_str()
    );
    let (doc, proof) = unsigned();
    let signed = proof::sign_with(
        &doc,
        &key,
        proof["verificationMethod"].as_str().unwrap_or_default(),
        proof["created"].as_str().unwrap_or_default(),
        loader,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed, json("signedDataInt.json"));
    assert_eq!(
        signed["proof"]["proofValue"].as_str(),
        Some(vector("sigBTC58DataInt.txt").trim())
    );
    let public = decode_public(&key.public_multibase()).ok();
    let ok = proof::verify_with(&signed, |_| public, loader);
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn a_changed_credential_or_an_unknown_key_fails() {
    let signed = json("signedDataInt.json");
    let public = decode_public(&key().public_multibase()).ok();
    let mut changed = signed.clone();
    changed["credentialSubject"]["alumniOf"] = "Another School".into();
    assert_eq!(
        proof::verify_with(&changed, |_| public, loader),
        Err(VerifyError::BadSignature)
    );
    let mut later = signed.clone();
    later["proof"]["created"] = "2024-02-24T23:36:38Z".into();
    assert_eq!(
        proof::verify_with(&later, |_| public, loader),
        Err(VerifyError::BadSignature)
    );
    assert!(matches!(
        proof::verify_with(&signed, |_| None, loader),
        Err(VerifyError::UnknownKey(_))
    ));
    let other = IssuerKey::generate()
        .map(|k| k.public_multibase())
        .unwrap_or_default();
    let other = decode_public(&other).ok();
    assert_eq!(
        proof::verify_with(&signed, |_| other, loader),
        Err(VerifyError::BadSignature)
    );
    // A context Stint does not embed is refused, never fetched.
    assert!(matches!(
        proof::verify(&signed, |_| public),
        Err(VerifyError::Malformed(_))
    ));
}
