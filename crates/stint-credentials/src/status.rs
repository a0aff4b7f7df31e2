//! Bitstring Status Lists (W3C "Bitstring Status List v1.0"): one bit per
//! credential, index 0 the leftmost bit of the first byte, GZIP-compressed
//! and base64url-encoded (no padding) with the multibase prefix `u`.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// Every list holds this many entries (16 KB), the specification's
/// minimum, so a list does not reveal how many credentials it covers.
pub const LIST_SIZE: usize = 131_072;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StatusError {
    #[error("the status list is not a multibase base64url string")]
    Encoding,
    #[error("the status list does not decompress")]
    Compression,
    #[error("index {0} is outside the status list")]
    OutOfRange(usize),
}

/// The encoded list with the bits at `set` on.
pub fn encode(set: impl IntoIterator<Item = usize>) -> Result<String, StatusError> {
    let mut bits = vec![0u8; LIST_SIZE / 8];
    for i in set {
        let byte = bits.get_mut(i / 8).ok_or(StatusError::OutOfRange(i))?;
        *byte |= 0x80 >> (i % 8);
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&bits).map_err(|_| StatusError::Compression)?;
    let zipped = gz.finish().map_err(|_| StatusError::Compression)?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(zipped)))
}

/// Whether the bit at `index` is on.
pub fn is_set(encoded: &str, index: usize) -> Result<bool, StatusError> {
    let b64 = encoded.strip_prefix('u').ok_or(StatusError::Encoding)?;
    let zipped = URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|_| StatusError::Encoding)?;
    let mut bits = Vec::new();
    // Bounded: a list is 16 KB; a "zip bomb" stops at 1 MB.
    GzDecoder::new(zipped.as_slice())
        .take(1 << 20)
        .read_to_end(&mut bits)
        .map_err(|_| StatusError::Compression)?;
    let byte = bits.get(index / 8).ok_or(StatusError::OutOfRange(index))?;
    Ok(byte & (0x80 >> (index % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_leftmost_first() {
        let list = encode([0, 7, 8, 131_071]).unwrap_or_default();
        for (i, on) in [
            (0, true),
            (1, false),
            (7, true),
            (8, true),
            (9, false),
            (131_071, true),
        ] {
            assert_eq!(is_set(&list, i), Ok(on), "bit {i}");
        }
        assert_eq!(
            is_set(&list, LIST_SIZE),
            Err(StatusError::OutOfRange(LIST_SIZE))
        );
        assert_eq!(encode([LIST_SIZE]), Err(StatusError::OutOfRange(LIST_SIZE)));
        assert_eq!(is_set("not multibase", 0), Err(StatusError::Encoding));
        // The specification's example: an empty 16 KB list compresses to
        // a short string.
        assert!(encode([]).unwrap_or_default().len() < 200);
    }
}
