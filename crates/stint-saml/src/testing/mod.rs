//! A test identity provider (feature `testing`): it answers an
//! AuthnRequest with a Response whose assertion it signs with a throw-away
//! RSA key committed beside this file (never trust its certificate
//! outside tests), and can get each check wrong on purpose. The checks
//! themselves are tested against an independent signer (`xml-crypto`) in
//! this crate's tests; this is for the flows built on them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

use crate::c14n::canonicalize;
use crate::request::escape;

const KEY: &[u8] = include_bytes!("test.pk8");
/// The certificate of the test key, as an admin would paste it.
pub const CERTIFICATE: &str = include_str!("test.crt");

/// What to get wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// For another service provider.
    WrongAudience,
    /// Expired ten minutes ago.
    Expired,
    /// The person changed after signing.
    Tampered,
    /// A signature value that does not verify.
    BadSignature,
    /// No signature at all.
    Unsigned,
    /// Answering another request.
    OtherRequest,
}

/// The person the IdP signs in.
#[derive(Debug, Clone)]
pub struct Person {
    pub name_id: String,
    pub email: String,
    pub name: String,
}

pub struct TestIdp {
    pub entity_id: String,
    pub sso_url: String,
}

impl TestIdp {
    pub fn new(entity_id: &str, sso_url: &str) -> TestIdp {
        TestIdp {
            entity_id: entity_id.into(),
            sso_url: sso_url.into(),
        }
    }

    /// Reads the AuthnRequest Stint sent the browser with: its ID, the
    /// RelayState, and the assertion consumer service it names.
    pub fn read_request(redirect_url: &str) -> Result<(String, String, String), String> {
        use std::io::Read;
        let url = url::Url::parse(redirect_url).map_err(|e| e.to_string())?;
        let get = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
                .ok_or(format!("no {k}"))
        };
        let raw = STANDARD
            .decode(get("SAMLRequest")?.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut xml = String::new();
        flate2::read::DeflateDecoder::new(raw.as_slice())
            .read_to_string(&mut xml)
            .map_err(|e| e.to_string())?;
        let doc = roxmltree::Document::parse(&xml).map_err(|e| e.to_string())?;
        let root = doc.root_element();
        let id = root.attribute("ID").ok_or("no ID")?.to_string();
        let acs = root
            .attribute("AssertionConsumerServiceURL")
            .ok_or("no ACS")?
            .to_string();
        Ok((id, get("RelayState")?, acs))
    }

    /// A base64 Response, as the browser would post it.
    #[allow(clippy::too_many_arguments)]
    pub fn response(
        &self,
        request_id: &str,
        acs_url: &str,
        audience: &str,
        person: &Person,
        assertion_id: &str,
        now: DateTime<Utc>,
        fault: Fault,
    ) -> Result<String, String> {
        let t = |d: DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
        let (issued, until) = if fault == Fault::Expired {
            (now - Duration::minutes(15), now - Duration::minutes(10))
        } else {
            (now, now + Duration::minutes(5))
        };
        let audience = if fault == Fault::WrongAudience {
            "https://elsewhere.example/sp"
        } else {
            audience
        };
        let in_response_to = if fault == Fault::OtherRequest {
            "_another"
        } else {
            request_id
        };
        let issuer = format!("<saml:Issuer>{}</saml:Issuer>", escape(&self.entity_id));
        let assertion = format!(
            r#"<saml:Assertion ID="{aid}" Version="2.0" IssueInstant="{issued}">{issuer}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:persistent">{name_id}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{acs}" InResponseTo="{irt}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{issued}" NotOnOrAfter="{until}"><saml:AudienceRestriction><saml:Audience>{aud}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{issued}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="displayName"><saml:AttributeValue>{name}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"#,
            aid = escape(assertion_id),
            issued = t(issued),
            until = t(until),
            name_id = escape(&person.name_id),
            acs = escape(acs_url),
            irt = escape(in_response_to),
            aud = escape(audience),
            email = escape(&person.email),
            name = escape(&person.name),
        );
        let unsigned = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{aid}" Version="2.0" IssueInstant="{issued}" Destination="{acs}" InResponseTo="{irt}">{issuer}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertion}</samlp:Response>"#,
            aid = escape(assertion_id),
            issued = t(issued),
            acs = escape(acs_url),
            irt = escape(in_response_to),
        );
        let mut xml = if fault == Fault::Unsigned {
            unsigned
        } else {
            sign_assertion(&unsigned, assertion_id, fault == Fault::BadSignature)?
        };
        if fault == Fault::Tampered {
            xml = xml.replacen(
                &format!(">{}</saml:NameID>", escape(&person.name_id)),
                ">someone-else</saml:NameID>",
                1,
            );
        }
        Ok(STANDARD.encode(xml))
    }
}

/// Signs the assertion `id` of a Response: enveloped, exclusive
/// canonicalization, SHA-256, RSA-SHA256, the signature after its Issuer.
fn sign_assertion(response: &str, id: &str, spoil: bool) -> Result<String, String> {
    let doc = roxmltree::Document::parse(response).map_err(|e| e.to_string())?;
    let assertion = doc
        .descendants()
        .find(|n| n.attribute("ID") == Some(id))
        .ok_or("no assertion")?;
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        canonicalize(assertion, None, &[]).as_bytes(),
    );
    let signed_info = format!(
        r##"<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#{id}"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>{digest}</DigestValue></Reference></SignedInfo>"##,
        id = escape(id),
        digest = STANDARD.encode(digest.as_ref()),
    );
    let si = roxmltree::Document::parse(&signed_info).map_err(|e| e.to_string())?;
    let canonical = canonicalize(si.root_element(), None, &[]);
    let key = RsaKeyPair::from_pkcs8(KEY).map_err(|e| e.to_string())?;
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        canonical.as_bytes(),
        &mut sig,
    )
    .map_err(|e| e.to_string())?;
    if spoil {
        sig[0] ^= 1;
    }
    let signature = format!(
        r#"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">{}<SignatureValue>{}</SignatureValue></Signature>"#,
        signed_info.replacen(
            r#"<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">"#,
            "<SignedInfo>",
            1
        ),
        STANDARD.encode(&sig),
    );
    // After the assertion's Issuer (the schema's order).
    let start = response
        .find(&format!(r#"<saml:Assertion ID="{}""#, escape(id)))
        .ok_or("no assertion")?;
    let at = response[start..]
        .find("</saml:Issuer>")
        .map(|i| start + i + "</saml:Issuer>".len())
        .ok_or("no issuer")?;
    let mut out = response.to_string();
    out.insert_str(at, &signature);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Certificate, Expect, read_response};

    #[test]
    fn its_responses_pass_and_its_faults_fail() {
        let idp = TestIdp::new("https://idp.test/saml", "https://idp.test/sso");
        let cert = Certificate::parse(CERTIFICATE).unwrap_or_else(|e| panic!("{e}"));
        let now = Utc::now();
        let person = Person {
            name_id: "p-1".into(),
            email: "ada@uni.example".into(),
            name: "Ada <L>".into(),
        };
        let expect = Expect {
            idp_entity_id: "https://idp.test/saml",
            certificate: &cert,
            sp_entity_id: "https://stint.test/sso/saml/1",
            acs_url: "https://stint.test/sso/saml/acs",
            request_id: Some("_req"),
            now,
        };
        for (fault, code) in [
            (Fault::None, "accepted"),
            (Fault::WrongAudience, "saml_audience"),
            (Fault::Expired, "saml_expired"),
            (Fault::Tampered, "saml_digest"),
            (Fault::BadSignature, "saml_signature"),
            (Fault::Unsigned, "saml_unsigned"),
            (Fault::OtherRequest, "saml_in_response_to"),
        ] {
            let posted = idp
                .response(
                    "_req",
                    expect.acs_url,
                    expect.sp_entity_id,
                    &person,
                    "_a1",
                    now,
                    fault,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let got = read_response(&posted, &expect);
            assert_eq!(
                got.as_ref()
                    .map(|_| "accepted")
                    .unwrap_or_else(|e| e.code()),
                code,
                "{fault:?}"
            );
            if let Ok(l) = got {
                assert_eq!(
                    (l.name_id.as_str(), l.email.as_deref(), l.name.as_deref()),
                    ("p-1", Some("ada@uni.example"), Some("Ada <L>"))
                );
            }
        }
    }
}
