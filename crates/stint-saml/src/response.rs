//! The IdP's `<samlp:Response>` as it arrives at Stint's assertion
//! consumer service (HTTP-POST binding), checked as SAML 2.0 Web Browser
//! SSO Profile §4.1.4 requires, and what Stint takes from it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use roxmltree::{Document, Node, ParsingOptions};

use crate::cert::Certificate;
use crate::{SamlError, dsig};

pub const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// The largest Response read (base64 included).
pub const MAX_RESPONSE: usize = 256 * 1024;

/// Clocks of the IdP and Stint may differ by this much.
pub const SKEW: i64 = 120;

/// What the Response must match.
pub struct Expect<'a> {
    /// The IdP's entity ID (its `Issuer`).
    pub idp_entity_id: &'a str,
    pub certificate: &'a Certificate,
    /// Stint's entity ID for this organization (the `Audience`).
    pub sp_entity_id: &'a str,
    /// Stint's assertion consumer service (`Recipient`, `Destination`).
    pub acs_url: &'a str,
    /// The ID of Stint's AuthnRequest, when Stint started the sign-in.
    pub request_id: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// A person the IdP vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// `NameID`: the IdP's name for the person.
    pub name_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The assertion's ID and how long it may be presented: a replay
    /// store keeps it until then.
    pub assertion_id: String,
    pub not_on_or_after: DateTime<Utc>,
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| {
        c.is_element() && c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name
    })
}

fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| {
        c.is_element() && c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name
    })
}

fn time(node: Node<'_, '_>, attr: &str) -> Result<Option<DateTime<Utc>>, SamlError> {
    node.attribute(attr)
        .map(|t| {
            DateTime::parse_from_rfc3339(t.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| SamlError::Malformed(format!("{attr} is not a time: {t}")))
        })
        .transpose()
}

fn text(node: Option<Node<'_, '_>>) -> Option<String> {
    node.and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Reads and checks a base64 `SAMLResponse` as posted by the browser.
pub fn read_response(posted: &str, e: &Expect<'_>) -> Result<Login, SamlError> {
    if posted.len() > MAX_RESPONSE {
        return Err(SamlError::Malformed("the response is too large".into()));
    }
    let clean: String = posted.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(clean.as_bytes())
        .map_err(|_| SamlError::Malformed("SAMLResponse is not base64".into()))?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| SamlError::Malformed("the response is not UTF-8 text".into()))?;
    check_xml(&xml, e)
}

/// Checks a Response given as XML.
pub fn check_xml(xml: &str, e: &Expect<'_>) -> Result<Login, SamlError> {
    let opts = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, opts).map_err(|err| {
        SamlError::Malformed(format!("the response is not XML Stint accepts ({err})"))
    })?;
    let response = doc.root_element();
    if response.tag_name().namespace() != Some(PROTOCOL) || response.tag_name().name() != "Response"
    {
        return Err(SamlError::Malformed(
            "the document is not a SAML Response".into(),
        ));
    }
    if let Some(d) = response.attribute("Destination")
        && d != e.acs_url
    {
        return Err(SamlError::Recipient(d.to_string()));
    }
    check_in_response_to(response.attribute("InResponseTo"), e)?;
    let status = child(response, PROTOCOL, "Status")
        .and_then(|s| child(s, PROTOCOL, "StatusCode"))
        .and_then(|c| c.attribute("Value"))
        .unwrap_or("");
    if status != SUCCESS {
        let message = child(response, PROTOCOL, "Status")
            .and_then(|s| text(child(s, PROTOCOL, "StatusMessage")))
            .unwrap_or_default();
        return Err(SamlError::Status(format!(
            "{}{}",
            status.rsplit(':').next().unwrap_or(status),
            if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            }
        )));
    }
    if child(response, ASSERTION, "EncryptedAssertion").is_some() {
        return Err(SamlError::Encrypted);
    }
    let assertions: Vec<Node> = children(response, ASSERTION, "Assertion").collect();
    let [assertion] = assertions.as_slice() else {
        return Err(SamlError::Malformed(format!(
            "the response holds {} assertions; Stint takes exactly one",
            assertions.len()
        )));
    };
    let assertion = *assertion;
    // Either signature covers the assertion; each present must be valid.
    let response_signed = dsig::signature_of(response).is_some();
    let assertion_signed = dsig::signature_of(assertion).is_some();
    if !response_signed && !assertion_signed {
        return Err(SamlError::Unsigned);
    }
    if response_signed {
        dsig::verify(response, e.certificate)?;
    }
    if assertion_signed {
        dsig::verify(assertion, e.certificate)?;
    }
    for issuer in [
        text(child(response, ASSERTION, "Issuer")),
        text(child(assertion, ASSERTION, "Issuer")),
    ]
    .into_iter()
    .flatten()
    {
        if issuer != e.idp_entity_id {
            return Err(SamlError::Issuer(issuer));
        }
    }
    if text(child(assertion, ASSERTION, "Issuer")).is_none() {
        return Err(SamlError::Malformed("the assertion names no Issuer".into()));
    }
    let skew = Duration::seconds(SKEW);
    let conditions = child(assertion, ASSERTION, "Conditions")
        .ok_or_else(|| SamlError::Malformed("the assertion has no Conditions".into()))?;
    if let Some(nb) = time(conditions, "NotBefore")?
        && e.now + skew < nb
    {
        return Err(SamlError::NotYetValid);
    }
    let mut until = time(conditions, "NotOnOrAfter")?;
    if until.is_some_and(|t| e.now - skew >= t) {
        return Err(SamlError::Expired);
    }
    let restrictions: Vec<Node> = children(conditions, ASSERTION, "AudienceRestriction").collect();
    if restrictions.is_empty()
        || !restrictions.iter().all(|r| {
            children(*r, ASSERTION, "Audience")
                .any(|a| text(Some(a)).as_deref() == Some(e.sp_entity_id))
        })
    {
        return Err(SamlError::Audience(e.sp_entity_id.to_string()));
    }
    let subject = child(assertion, ASSERTION, "Subject").ok_or(SamlError::NoSubject)?;
    let name_id = text(child(subject, ASSERTION, "NameID")).ok_or(SamlError::NoSubject)?;
    // A bearer confirmation for Stint's ACS, in time, for this request.
    let mut confirmed = None;
    for c in children(subject, ASSERTION, "SubjectConfirmation") {
        if c.attribute("Method") != Some(BEARER) {
            continue;
        }
        let Some(data) = child(c, ASSERTION, "SubjectConfirmationData") else {
            continue;
        };
        if data.attribute("Recipient") != Some(e.acs_url) {
            confirmed = Some(Err(SamlError::Recipient(
                data.attribute("Recipient").unwrap_or("none").to_string(),
            )));
            continue;
        }
        if data.attribute("NotBefore").is_some() {
            confirmed = Some(Err(SamlError::Malformed(
                "a bearer confirmation must not have NotBefore".into(),
            )));
            continue;
        }
        let Some(t) = time(data, "NotOnOrAfter")? else {
            confirmed = Some(Err(SamlError::Malformed(
                "the bearer confirmation has no NotOnOrAfter".into(),
            )));
            continue;
        };
        if e.now - skew >= t {
            confirmed = Some(Err(SamlError::Expired));
            continue;
        }
        if let Err(err) = check_in_response_to(data.attribute("InResponseTo"), e) {
            confirmed = Some(Err(err));
            continue;
        }
        until = Some(until.map_or(t, |u| u.min(t)));
        confirmed = Some(Ok(()));
        break;
    }
    confirmed.unwrap_or(Err(SamlError::NoSubject))?;
    let attr = |names: &[&str]| -> Option<String> {
        child(assertion, ASSERTION, "AttributeStatement").and_then(|s| {
            children(s, ASSERTION, "Attribute")
                .find(|a| {
                    a.attribute("Name")
                        .is_some_and(|n| names.iter().any(|x| x.eq_ignore_ascii_case(n)))
                })
                .and_then(|a| text(child(a, ASSERTION, "AttributeValue")))
        })
    };
    let email = attr(&[
        "email",
        "mail",
        "emailAddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ])
    .or_else(|| name_id.contains('@').then(|| name_id.clone()));
    let name = attr(&[
        "displayName",
        "name",
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "cn",
    ])
    .or_else(|| {
        let given = attr(&[
            "givenName",
            "urn:oid:2.5.4.42",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        ]);
        let family = attr(&[
            "sn",
            "surname",
            "urn:oid:2.5.4.4",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        ]);
        let full = [given, family]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        (!full.is_empty()).then_some(full)
    });
    let assertion_id = assertion
        .attribute("ID")
        .ok_or_else(|| SamlError::Malformed("the assertion has no ID".into()))?
        .to_string();
    Ok(Login {
        name_id,
        email,
        name,
        assertion_id,
        not_on_or_after: until.unwrap_or(e.now + Duration::minutes(5)),
    })
}

fn check_in_response_to(got: Option<&str>, e: &Expect<'_>) -> Result<(), SamlError> {
    match (got, e.request_id) {
        (Some(g), Some(want)) if g != want => Err(SamlError::InResponseTo),
        (Some(_), None) => Err(SamlError::InResponseTo),
        _ => Ok(()),
    }
}
