//! Responses signed by an independent implementation (`xml-crypto`, see
//! `fixtures/README.md`): accepted as made, refused when anything the
//! profile checks is off.

use chrono::{DateTime, Utc};
use stint_saml::{Certificate, Expect, Login, SamlError, check_xml, read_response};

const ASSERTION_SIGNED: &str = include_str!("fixtures/assertion_signed.xml");
const RESPONSE_SIGNED: &str = include_str!("fixtures/response_signed.xml");

fn cert(name: &str) -> Certificate {
    let text = match name {
        "idp" => include_str!("fixtures/idp.crt"),
        _ => include_str!("fixtures/other.crt"),
    };
    Certificate::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn at(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn check(xml: &str, f: impl FnOnce(&mut Expect<'_>)) -> Result<Login, SamlError> {
    check_by(xml, &cert("idp"), f)
}

fn check_by(
    xml: &str,
    c: &Certificate,
    f: impl FnOnce(&mut Expect<'_>),
) -> Result<Login, SamlError> {
    let mut e = Expect {
        idp_entity_id: "https://idp.uni.example/saml",
        certificate: c,
        sp_entity_id: "https://stint.example/sso/saml/metadata",
        acs_url: "https://stint.example/sso/saml/acs",
        request_id: Some("_req1"),
        now: at("2026-11-29T10:01:00Z"),
    };
    f(&mut e);
    check_xml(xml, &e)
}

#[test]
fn a_signed_assertion_or_response_signs_the_person_in() {
    for xml in [ASSERTION_SIGNED, RESPONSE_SIGNED] {
        let login = check(xml, |_| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(login.name_id, "ada@uni.example");
        assert_eq!(login.email.as_deref(), Some("ada@uni.example"));
        assert_eq!(login.name.as_deref(), Some("Ada & Lovelace"));
        assert_eq!(login.assertion_id, "_assert1");
        assert_eq!(login.not_on_or_after, at("2026-11-29T10:05:00Z"));
    }
    // As the browser posts it: base64, possibly wrapped.
    use base64::Engine;
    let posted = base64::engine::general_purpose::STANDARD.encode(ASSERTION_SIGNED);
    let wrapped: String = posted
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n");
    let c = cert("idp");
    let e = Expect {
        idp_entity_id: "https://idp.uni.example/saml",
        certificate: &c,
        sp_entity_id: "https://stint.example/sso/saml/metadata",
        acs_url: "https://stint.example/sso/saml/acs",
        request_id: Some("_req1"),
        now: at("2026-11-29T10:01:00Z"),
    };
    assert!(read_response(&wrapped, &e).is_ok());
    assert_eq!(
        read_response("not base64!", &e).map_err(|e| e.code()),
        Err("saml_malformed")
    );
}

#[test]
fn each_check_refuses_what_does_not_match() {
    let code = |r: Result<Login, SamlError>| r.map(|_| "accepted").unwrap_or_else(|e| e.code());
    for xml in [ASSERTION_SIGNED, RESPONSE_SIGNED] {
        let other = cert("other");
        assert_eq!(code(check_by(xml, &other, |_| {})), "saml_signature");
        assert_eq!(
            code(check(xml, |e| e.sp_entity_id = "https://else.example/metadata")),
            "saml_audience"
        );
        assert_eq!(
            code(check(xml, |e| e.now = at("2026-11-29T10:08:00Z"))),
            "saml_expired"
        );
        // Within the two minutes' skew, still good.
        assert_eq!(
            code(check(xml, |e| e.now = at("2026-11-29T10:06:00Z"))),
            "accepted"
        );
        assert_eq!(
            code(check(xml, |e| e.now = at("2026-11-29T09:50:00Z"))),
            "saml_not_yet_valid"
        );
        assert_eq!(
            code(check(xml, |e| e.acs_url = "https://stint.example/other")),
            "saml_recipient"
        );
        assert_eq!(
            code(check(xml, |e| e.request_id = Some("_req2"))),
            "saml_in_response_to"
        );
        // IdP-initiated: an answer to a request Stint did not make.
        assert_eq!(
            code(check(xml, |e| e.request_id = None)),
            "saml_in_response_to"
        );
        assert_eq!(
            code(check(xml, |e| e.idp_entity_id = "https://idp.elsewhere.example")),
            "saml_issuer"
        );
        // The person changed after signing.
        let forged = xml.replace(
            ">ada@uni.example</saml:NameID>",
            ">eve@uni.example</saml:NameID>",
        );
        assert_eq!(code(check(&forged, |_| {})), "saml_digest");
        // The signature value itself changed.
        let start = xml.find("<SignatureValue>").unwrap_or(0) + "<SignatureValue>".len();
        let mut bad = xml.to_string();
        let flip = if &xml[start..start + 1] == "A" {
            "B"
        } else {
            "A"
        };
        bad.replace_range(start..start + 1, flip);
        assert_eq!(code(check(&bad, |_| {})), "saml_signature");
    }
    // No signature at all.
    let sig_start = ASSERTION_SIGNED.find("<Signature").unwrap_or(0);
    let sig_end = ASSERTION_SIGNED.find("</Signature>").unwrap_or(0) + "</Signature>".len();
    let mut unsigned = ASSERTION_SIGNED.to_string();
    unsigned.replace_range(sig_start..sig_end, "");
    assert_eq!(code(check(&unsigned, |_| {})), "saml_unsigned");
}

#[test]
fn wrapping_and_unsafe_documents_are_refused() {
    let code = |r: Result<Login, SamlError>| r.map(|_| "accepted").unwrap_or_else(|e| e.code());
    // A second assertion beside the signed one.
    let a_start = ASSERTION_SIGNED.find("<saml:Assertion").unwrap_or(0);
    let evil = ASSERTION_SIGNED[a_start..]
        .replace(">ada@uni.example<", ">eve@uni.example<")
        .replace("</samlp:Response>", "");
    let two = ASSERTION_SIGNED.replace("</samlp:Response>", &format!("{evil}</samlp:Response>"));
    assert_eq!(code(check(&two, |_| {})), "saml_malformed");
    // The signed element's ID given to another element too.
    let dup = ASSERTION_SIGNED.replace(
        "<samlp:Status>",
        "<samlp:Extensions ID=\"_assert1\"/><samlp:Status>",
    );
    assert_eq!(code(check(&dup, |_| {})), "saml_malformed");
    // A document type declaration (entity expansion) is not parsed.
    let dtd = format!("<!DOCTYPE r [<!ENTITY x \"y\">]>{ASSERTION_SIGNED}");
    assert_eq!(code(check(&dtd, |_| {})), "saml_malformed");
    // A failed sign-in at the IdP.
    let failed = ASSERTION_SIGNED.replace("status:Success", "status:Responder");
    assert_eq!(code(check(&failed, |_| {})), "saml_status");
}

#[test]
fn certificates_are_read_from_pem_or_base64() {
    let pem = include_str!("fixtures/idp.crt");
    let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let a = Certificate::parse(pem).unwrap_or_else(|e| panic!("{e}"));
    let b = Certificate::parse(&bare).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    assert_eq!(a.fingerprint().len(), 32 * 3 - 1);
    assert_eq!(
        Certificate::parse("not a certificate").map_err(|e| e.code()),
        Err("saml_certificate")
    );
    assert_eq!(
        Certificate::parse("aGVsbG8=").map_err(|e| e.code()),
        Err("saml_certificate")
    );
}
