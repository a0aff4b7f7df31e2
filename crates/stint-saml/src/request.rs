//! What Stint sends: its service provider metadata, and the AuthnRequest
//! that sends a person to their IdP (HTTP-Redirect binding, unsigned; the
//! answer comes back by HTTP-POST to the assertion consumer service).

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use roxmltree::Document;

use crate::{Certificate, SamlError};

const METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// Text escaped for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Stint's metadata for one organization: its entity ID and where the IdP
/// posts its answers.
pub fn sp_metadata(entity_id: &str, acs_url: &str, org_name: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="{METADATA}" entityID="{entity}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="{POST}" Location="{acs}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="en">Stint for {org}</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="en">Stint for {org}</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="en">{entity}</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>
"#,
        entity = escape(entity_id),
        acs = escape(acs_url),
        org = escape(org_name),
    )
}

/// An AuthnRequest: its ID (the Response must answer it) and the address
/// to send the browser to.
pub struct AuthnRequest {
    pub id: String,
    pub redirect_url: String,
}

/// `id` must be an XML ID (it is prefixed with `_`); `relay_state` comes
/// back with the answer.
pub fn authn_request(
    idp_sso_url: &str,
    sp_entity_id: &str,
    acs_url: &str,
    id: &str,
    relay_state: &str,
    now: DateTime<Utc>,
) -> Result<AuthnRequest, SamlError> {
    let id = format!("_{id}");
    let xml = format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="{POST}"><saml:Issuer>{issuer}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#,
        id = escape(&id),
        now = now.to_rfc3339_opts(SecondsFormat::Secs, true),
        dest = escape(idp_sso_url),
        acs = escape(acs_url),
        issuer = escape(sp_entity_id),
    );
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(xml.as_bytes())
        .and_then(|_| z.finish())
        .map(|deflated| STANDARD.encode(deflated))
        .map_err(|e| SamlError::Malformed(format!("the request could not be made ({e})")))
        .and_then(|request| {
            let mut url = url::Url::parse(idp_sso_url).map_err(|_| {
                SamlError::Malformed("the identity provider's sign-in address is not a URL".into())
            })?;
            url.query_pairs_mut()
                .append_pair("SAMLRequest", &request)
                .append_pair("RelayState", relay_state);
            Ok(AuthnRequest {
                id,
                redirect_url: url.to_string(),
            })
        })
}

/// What an IdP's metadata says Stint needs: its entity ID, its sign-in
/// address (HTTP-Redirect binding) and its signing certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpMetadata {
    pub entity_id: String,
    pub sso_url: String,
    pub certificate: String,
}

/// Reads an IdP's metadata document (an `EntityDescriptor`, or the first
/// with an IdP role in an `EntitiesDescriptor`).
pub fn idp_metadata(xml: &str) -> Result<IdpMetadata, SamlError> {
    let doc = Document::parse(xml.trim_start_matches('\u{feff}')).map_err(|e| {
        SamlError::Malformed(format!("the metadata is not XML Stint accepts ({e})"))
    })?;
    let is = |n: &roxmltree::Node, name: &str| {
        n.is_element() && n.tag_name().namespace() == Some(METADATA) && n.tag_name().name() == name
    };
    let idp = doc
        .descendants()
        .find(|n| is(n, "IDPSSODescriptor"))
        .ok_or_else(|| {
            SamlError::Malformed("the metadata describes no identity provider".into())
        })?;
    let entity_id = idp
        .parent_element()
        .filter(|p| is(p, "EntityDescriptor"))
        .and_then(|p| p.attribute("entityID"))
        .ok_or_else(|| SamlError::Malformed("the metadata has no entityID".into()))?
        .to_string();
    let sso_url = idp
        .children()
        .find(|c| is(c, "SingleSignOnService") && c.attribute("Binding") == Some(REDIRECT))
        .and_then(|c| c.attribute("Location"))
        .ok_or_else(|| {
            SamlError::Malformed(
                "the identity provider offers no sign-in address with the HTTP-Redirect binding"
                    .into(),
            )
        })?
        .to_string();
    let certificate = idp
        .children()
        .filter(|c| is(c, "KeyDescriptor") && c.attribute("use") != Some("encryption"))
        .flat_map(|k| k.descendants())
        .find(|n| n.is_element() && n.tag_name().name() == "X509Certificate")
        .and_then(|n| n.text())
        .map(|t| t.split_whitespace().collect::<String>())
        .ok_or_else(|| SamlError::Malformed("the metadata has no signing certificate".into()))?;
    Certificate::parse(&certificate)?;
    Ok(IdpMetadata {
        entity_id,
        sso_url,
        certificate,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_request_travels_deflated_in_the_address() {
        let r = authn_request(
            "https://idp.example/sso?tenant=1",
            "https://stint.example/sso/saml/7",
            "https://stint.example/sso/saml/acs",
            "abc",
            "state&1",
            Utc::now(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.id, "_abc");
        let url = url::Url::parse(&r.redirect_url).unwrap_or_else(|e| panic!("{e}"));
        let q: std::collections::HashMap<_, _> = url.query_pairs().collect();
        assert_eq!(q.get("tenant").map(|v| v.as_ref()), Some("1"));
        assert_eq!(q.get("RelayState").map(|v| v.as_ref()), Some("state&1"));
        let raw = STANDARD
            .decode(
                q.get("SAMLRequest")
                    .map(|v| v.as_bytes())
                    .unwrap_or_default(),
            )
            .unwrap_or_default();
        let mut xml = String::new();
        flate2::read::DeflateDecoder::new(raw.as_slice())
            .read_to_string(&mut xml)
            .unwrap_or_else(|e| panic!("{e}"));
        let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
        let root = doc.root_element();
        assert_eq!(root.attribute("ID"), Some("_abc"));
        assert_eq!(
            root.attribute("AssertionConsumerServiceURL"),
            Some("https://stint.example/sso/saml/acs")
        );
    }

    #[test]
    fn metadata_is_written_and_read() {
        let sp = sp_metadata(
            "https://stint.example/sso/saml/7",
            "https://stint.example/sso/saml/acs",
            "A & B",
        );
        let doc = Document::parse(&sp).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc.root_element().attribute("entityID"),
            Some("https://stint.example/sso/saml/7")
        );
        assert!(sp.contains("Stint for A &amp; B"));

        let cert: String = include_str!("../tests/fixtures/idp.crt")
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let idp = format!(
            r#"<EntityDescriptor xmlns="{METADATA}" entityID="https://idp.uni.example/saml"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>
{cert}
</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="{POST}" Location="https://idp.uni.example/post"/><SingleSignOnService Binding="{REDIRECT}" Location="https://idp.uni.example/redirect"/></IDPSSODescriptor></EntityDescriptor>"#
        );
        let m = idp_metadata(&idp).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.entity_id, "https://idp.uni.example/saml");
        assert_eq!(m.sso_url, "https://idp.uni.example/redirect");
        assert_eq!(m.certificate, cert);
        assert!(idp_metadata("<x/>").is_err());
        assert!(idp_metadata(&idp.replace(REDIRECT, POST)).is_err());
    }
}
