//! The JSON-LD contexts Stint's credentials use, compiled in: issuing and
//! verifying never fetch anything. Any other context URL is refused.

pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

const VC_V2_DOC: &str = include_str!("../contexts/credentials-v2.jsonld");
const OB_V3_DOC: &str = include_str!("../contexts/ob-v3p0-context-3.0.3.json");

/// The embedded context document for `url`, if it is one Stint knows.
pub fn embedded(url: &str) -> Option<&'static str> {
    match url {
        VC_V2 => Some(VC_V2_DOC),
        OB_V3 => Some(OB_V3_DOC),
        _ => None,
    }
}
