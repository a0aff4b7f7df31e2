//! SAML 2.0 Web Browser SSO for Stint as a service provider, without I/O:
//! the IdP's certificate ([`Certificate`]), and its Response checked and
//! read ([`read_response`]): a signature by that certificate over the
//! Response or the Assertion (XML-DSig with exclusive canonicalization,
//! [`c14n`], written here over roxmltree, SHA-256/512, RSA or ECDSA
//! P-256; SHA-1 and other transforms refused), the issuer, the audience
//! (Stint's entity ID), the recipient (Stint's assertion consumer
//! service), the validity window with two minutes' skew, and the request
//! it answers. Replays are the caller's to refuse, by the assertion ID
//! this returns until its expiry. Also: Stint's metadata, the
//! AuthnRequest (HTTP-Redirect binding), reading an IdP's metadata, and a
//! test IdP (feature `testing`).

pub mod c14n;
pub mod cert;
pub mod dsig;
pub mod request;
pub mod response;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use cert::Certificate;
pub use request::{AuthnRequest, IdpMetadata, authn_request, idp_metadata, sp_metadata};
pub use response::{Expect, Login, check_xml, read_response};

/// Why a Response was refused; `code` is stable for pages and the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlError {
    #[error("The identity provider's answer could not be read: {0}.")]
    Malformed(String),
    #[error("The identity provider did not sign the person in ({0}).")]
    Status(String),
    #[error("The answer is not signed; Stint needs the assertion or the response signed.")]
    Unsigned,
    #[error("The signature does not hold: {0}.")]
    Signature(String),
    #[error("The signed content was changed after it was signed (its digest differs).")]
    Digest,
    #[error("The answer uses an algorithm Stint does not accept: {0}.")]
    Algorithm(String),
    #[error("The certificate cannot be used: {0}.")]
    Certificate(String),
    #[error("The answer comes from {0}, not the configured identity provider.")]
    Issuer(String),
    #[error("The assertion is not meant for Stint (its audience is not {0}).")]
    Audience(String),
    #[error("The assertion has expired.")]
    Expired,
    #[error("The assertion is not valid yet; check the identity provider's clock.")]
    NotYetValid,
    #[error("The answer is addressed to {0}, not Stint's sign-in address.")]
    Recipient(String),
    #[error("The answer is for another sign-in than this one.")]
    InResponseTo,
    #[error("The assertion is encrypted; Stint takes signed, unencrypted assertions over HTTPS.")]
    Encrypted,
    #[error("The assertion names nobody Stint can sign in.")]
    NoSubject,
}

impl SamlError {
    pub fn code(&self) -> &'static str {
        match self {
            SamlError::Malformed(_) => "saml_malformed",
            SamlError::Status(_) => "saml_status",
            SamlError::Unsigned => "saml_unsigned",
            SamlError::Signature(_) => "saml_signature",
            SamlError::Digest => "saml_digest",
            SamlError::Algorithm(_) => "saml_algorithm",
            SamlError::Certificate(_) => "saml_certificate",
            SamlError::Issuer(_) => "saml_issuer",
            SamlError::Audience(_) => "saml_audience",
            SamlError::Expired => "saml_expired",
            SamlError::NotYetValid => "saml_not_yet_valid",
            SamlError::Recipient(_) => "saml_recipient",
            SamlError::InResponseTo => "saml_in_response_to",
            SamlError::Encrypted => "saml_encrypted",
            SamlError::NoSubject => "saml_no_subject",
        }
    }
}
