//! An Open Badges 3.0 credential and a status list, signed and verified
//! with the embedded contexts only.

use stint_credentials::badge::{self, Claim, Issuer};
use stint_credentials::keys::{IssuerKey, decode_public};
use stint_credentials::{VerifyError, proof, rdf, status};

fn claim() -> Claim {
    Claim {
        id: "https://stint.example/credentials/3f2a".into(),
        valid_from: "2026-11-26T10:00:00Z".into(),
        student_name: "Asha Rao".into(),
        student_email: "asha.rao@dit.example.ac.in".into(),
        salt: "c2FsdA".into(),
        project_url: "https://stint.example/projects/1".into(),
        title: "Analyse 500 customer survey responses".into(),
        summary: "Code open-ended answers into themes.".into(),
        criteria: "- Every response carries one theme\n- Tables match the raw data".into(),
        category: "Data analysis".into(),
        skills: vec![(
            "Spreadsheets".into(),
            "https://stint.example/projects?skill=spreadsheets".into(),
        )],
        employer_name: "BrightLeaf Analytics".into(),
        employer_url: "https://stint.example/organizations/1".into(),
        hours: 20,
        started: "2026-11-01".into(),
        ended: "2026-11-20".into(),
        outcomes: vec![("500".into(), "survey responses coded".into())],
        evidence_url: "https://stint.example/portfolio/7".into(),
        status_list: "https://stint.example/credentials/status/1".into(),
        status_index: 4242,
    }
}

#[test]
fn an_achievement_credential_signs_and_verifies_offline() {
    let key = IssuerKey::generate().unwrap_or_else(|e| panic!("{e}"));
    let issuer = Issuer::for_base_url("Stint", "https://stint.example");
    let unsigned = badge::achievement_credential(&issuer, &claim());
    let canon = rdf::canonical(&unsigned).unwrap_or_else(|e| panic!("{e}"));
    // The OB 3.0 terms expand to the OB vocabulary, not to "issuer-dependent".
    assert!(
        canon.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential>")
    );
    assert!(canon.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>"));
    assert!(!canon.contains("issuer-dependent"), "{canon}");
    let method = issuer.method(&key.public_multibase());
    let signed = proof::sign(&unsigned, &key, &method, "2026-11-26T10:00:00Z")
        .unwrap_or_else(|e| panic!("{e}"));
    let public = decode_public(&key.public_multibase()).ok();
    let by_method = |m: &str| if m == method { public } else { None };
    let ok = proof::verify(&signed, by_method);
    assert!(ok.is_ok(), "{ok:?}");

    let mut changed = signed.clone();
    changed["credentialSubject"]["result"][1]["value"] = "5000".into();
    assert_eq!(
        proof::verify(&changed, by_method),
        Err(VerifyError::BadSignature)
    );
    let mut renamed = signed.clone();
    renamed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into();
    assert_eq!(
        proof::verify(&renamed, by_method),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn a_status_list_credential_carries_the_revoked_bits() {
    let key = IssuerKey::generate().unwrap_or_else(|e| panic!("{e}"));
    let issuer = Issuer::for_base_url("Stint", "https://stint.example");
    let url = "https://stint.example/credentials/status/1";
    let list = status::encode([4242]).unwrap_or_default();
    let unsigned = badge::status_list_credential(&issuer, url, &list, "2026-11-26T10:00:00Z");
    let method = issuer.method(&key.public_multibase());
    let signed = proof::sign(&unsigned, &key, &method, "2026-11-26T10:00:00Z")
        .unwrap_or_else(|e| panic!("{e}"));
    let public = decode_public(&key.public_multibase()).ok();
    assert!(proof::verify(&signed, |_| public).is_ok());
    let encoded = signed["credentialSubject"]["encodedList"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(status::is_set(encoded, 4242), Ok(true));
    assert_eq!(status::is_set(encoded, 4243), Ok(false));
}
