//! XML Signature as SAML profiles it (SAML 2.0 Core §5): an enveloped
//! `<ds:Signature>` child of the element it signs, one Reference to that
//! element's ID, exclusive canonicalization, SHA-256 or SHA-512 digests,
//! RSA or ECDSA signatures. Anything else is refused, including SHA-1,
//! so a signature is either fully understood or not accepted.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::Node;

use crate::SamlError;
use crate::c14n::canonicalize;
use crate::cert::{Certificate, PublicKey};

pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| {
        c.is_element() && c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name
    })
}

/// The signature directly inside `node`, if it has one.
pub fn signature_of<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    child(node, DSIG, "Signature")
}

fn algorithm<'a>(node: Option<Node<'a, '_>>) -> &'a str {
    node.and_then(|n| n.attribute("Algorithm")).unwrap_or("")
}

/// The PrefixList of an `ec:InclusiveNamespaces` inside `node`.
fn prefixes(node: Node<'_, '_>) -> Vec<String> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
        .and_then(|n| n.attribute("PrefixList"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn b64(text: &str) -> Result<Vec<u8>, SamlError> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(clean.as_bytes())
        .map_err(|_| SamlError::Malformed("a signature value is not base64".into()))
}

/// Checks that `target` carries a valid enveloped signature by `cert`
/// over exactly itself. Its ID must be unique in the document, so a
/// second element cannot pass for the signed one.
pub fn verify(target: Node<'_, '_>, cert: &Certificate) -> Result<(), SamlError> {
    let id = target
        .attribute("ID")
        .ok_or_else(|| SamlError::Malformed("the signed element has no ID".into()))?;
    let same_id = target
        .document()
        .descendants()
        .filter(|n| n.is_element() && n.attribute("ID") == Some(id))
        .count();
    if same_id != 1 {
        return Err(SamlError::Malformed(format!(
            "the ID {id} appears {same_id} times"
        )));
    }
    let sig = signature_of(target).ok_or(SamlError::Unsigned)?;
    let signed_info = child(sig, DSIG, "SignedInfo")
        .ok_or_else(|| SamlError::Malformed("the signature has no SignedInfo".into()))?;
    let c14n_method = child(signed_info, DSIG, "CanonicalizationMethod");
    if algorithm(c14n_method) != EXC_C14N {
        return Err(SamlError::Algorithm(format!(
            "canonicalization {}",
            algorithm(c14n_method)
        )));
    }
    let sig_alg = algorithm(child(signed_info, DSIG, "SignatureMethod"));
    let references: Vec<Node> = signed_info
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Reference")
        .collect();
    let [reference] = references.as_slice() else {
        return Err(SamlError::Malformed(format!(
            "the signature has {} references; SAML signs one element",
            references.len()
        )));
    };
    if reference.attribute("URI") != Some(&format!("#{id}")) {
        return Err(SamlError::Signature(
            "the signature refers to another element than the one it is in".into(),
        ));
    }
    let mut inclusive = Vec::new();
    let mut enveloped = false;
    if let Some(transforms) = child(*reference, DSIG, "Transforms") {
        for t in transforms.children().filter(|c| c.is_element()) {
            match t.attribute("Algorithm").unwrap_or("") {
                ENVELOPED => enveloped = true,
                EXC_C14N => inclusive = prefixes(t),
                other => return Err(SamlError::Algorithm(format!("transform {other}"))),
            }
        }
    }
    if !enveloped {
        return Err(SamlError::Algorithm(
            "the signature is not an enveloped one".into(),
        ));
    }
    let digest_alg = match algorithm(child(*reference, DSIG, "DigestMethod")) {
        "http://www.w3.org/2001/04/xmlenc#sha256" => &ring::digest::SHA256,
        "http://www.w3.org/2001/04/xmlenc#sha512" => &ring::digest::SHA512,
        other => return Err(SamlError::Algorithm(format!("digest {other}"))),
    };
    let expected = b64(child(*reference, DSIG, "DigestValue")
        .and_then(|d| d.text())
        .unwrap_or(""))?;
    let canonical = canonicalize(target, Some(sig.id()), &inclusive);
    let digest = ring::digest::digest(digest_alg, canonical.as_bytes());
    if digest.as_ref() != expected.as_slice() {
        return Err(SamlError::Digest);
    }
    let signed = canonicalize(
        signed_info,
        None,
        &c14n_method.map(prefixes).unwrap_or_default(),
    );
    let value = b64(child(sig, DSIG, "SignatureValue")
        .and_then(|v| v.text())
        .unwrap_or(""))?;
    use ring::signature::{self as s, VerificationAlgorithm};
    let alg: &'static dyn VerificationAlgorithm = match (sig_alg, &cert.key) {
        ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", PublicKey::Rsa(_)) => {
            &s::RSA_PKCS1_2048_8192_SHA256
        }
        ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", PublicKey::Rsa(_)) => {
            &s::RSA_PKCS1_2048_8192_SHA512
        }
        ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", PublicKey::EcP256(_)) => {
            &s::ECDSA_P256_SHA256_FIXED
        }
        (other, _) => {
            return Err(SamlError::Algorithm(format!(
                "signature {other} with this certificate's key"
            )));
        }
    };
    let key = match &cert.key {
        PublicKey::Rsa(k) | PublicKey::EcP256(k) => k,
    };
    s::UnparsedPublicKey::new(alg, key)
        .verify(signed.as_bytes(), &value)
        .map_err(|_| {
            SamlError::Signature("it was not made by the configured certificate's key".into())
        })
}
