//! Files a student delivers with a submission: which kinds are accepted, how
//! large, and how an uploaded name becomes a safe one.
//!
//! A file is accepted only when its extension is on the list *and* its bytes
//! look like that kind (a PDF starts with `%PDF-`, an Office document is a
//! ZIP, text is UTF-8), so a renamed executable or HTML page is refused. The
//! stored name keeps only letters, digits and `._-` plus spaces, so it is safe
//! in a `Content-Disposition` header and on any file system; the bytes are
//! stored under a random key, never under this name.

use crate::{FieldError, FieldErrors};

/// Largest single file.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest total of one submission's files.
pub const MAX_TOTAL_BYTES: usize = 25 * 1024 * 1024;
/// Most files in one submission.
pub const MAX_FILES: usize = 5;
/// Longest stored name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// How the bytes of an accepted kind must begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// ZIP container: Office Open XML, OpenDocument, plain ZIP.
    Zip,
    /// UTF-8 text without NUL bytes.
    Text,
}

/// Accepted kinds: extension, the content type served on download, and the
/// signature the bytes must have.
const KINDS: &[(&str, &str, Signature)] = &[
    ("pdf", "application/pdf", Signature::Pdf),
    ("png", "image/png", Signature::Png),
    ("jpg", "image/jpeg", Signature::Jpeg),
    ("jpeg", "image/jpeg", Signature::Jpeg),
    ("gif", "image/gif", Signature::Gif),
    ("webp", "image/webp", Signature::Webp),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Signature::Zip,
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Signature::Zip,
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Signature::Zip,
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        Signature::Zip,
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        Signature::Zip,
    ),
    (
        "odp",
        "application/vnd.oasis.opendocument.presentation",
        Signature::Zip,
    ),
    ("zip", "application/zip", Signature::Zip),
    ("csv", "text/csv; charset=utf-8", Signature::Text),
    ("txt", "text/plain; charset=utf-8", Signature::Text),
    ("md", "text/markdown; charset=utf-8", Signature::Text),
    ("json", "application/json", Signature::Text),
];

/// The extensions accepted, for messages and the file input's `accept`.
pub fn accepted_extensions() -> Vec<&'static str> {
    KINDS.iter().map(|(e, _, _)| *e).collect()
}

fn looks_like(sig: Signature, bytes: &[u8]) -> bool {
    match sig {
        Signature::Pdf => bytes.starts_with(b"%PDF-"),
        Signature::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        Signature::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        Signature::Gif => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        Signature::Webp => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        Signature::Zip => bytes.starts_with(b"PK\x03\x04"),
        Signature::Text => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
    }
}

/// An uploaded file that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// The safe name to show and to offer on download.
    pub name: String,
    pub content_type: &'static str,
    pub size: usize,
}

/// A safe version of an uploaded file name: the last path component, with
/// anything but letters, digits, space, `.`, `-` and `_` replaced by `_`, no
/// leading dots, at most 100 characters (the extension kept).
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::new();
    let mut last_us = false;
    for c in base.trim().chars() {
        let keep = c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ');
        let c = if keep && !c.is_control() { c } else { '_' };
        if c == '_' && last_us {
            continue;
        }
        last_us = c == '_';
        out.push(c);
    }
    let out = out.trim_start_matches(['.', ' ']).trim_end().to_string();
    if out.chars().count() <= MAX_NAME_CHARS {
        return out;
    }
    match out.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => {
            let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
            format!("{}.{ext}", stem.chars().take(keep).collect::<String>())
        }
        _ => out.chars().take(MAX_NAME_CHARS).collect(),
    }
}

/// Checks one uploaded file: its name, kind, size and that its bytes match
/// its extension.
pub fn check_file(raw_name: &str, bytes: &[u8]) -> Result<CheckedFile, FieldError> {
    let name = sanitize_name(raw_name);
    let shown = if name.is_empty() { "The file" } else { &name };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type, sig)) = KINDS.iter().find(|(e, _, _)| *e == ext) else {
        return Err(FieldError::new(
            "files",
            format!(
                "{shown} is not an accepted kind of file. Upload one of: {}.",
                accepted_extensions().join(", ")
            ),
        ));
    };
    if bytes.is_empty() {
        return Err(FieldError::new("files", format!("{shown} is empty.")));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(
            "files",
            format!(
                "{shown} is {}; a file may be at most {}.",
                human_size(bytes.len()),
                human_size(MAX_FILE_BYTES)
            ),
        ));
    }
    if !looks_like(*sig, bytes) {
        return Err(FieldError::new(
            "files",
            format!(
                "{shown} does not look like a .{ext} file. Check it opens, then upload it again."
            ),
        ));
    }
    Ok(CheckedFile {
        name,
        content_type,
        size: bytes.len(),
    })
}

/// Checks a submission's files together: each one, their number and their
/// total size. Returns the checked files in the order given.
pub fn check_files(files: &[(String, Vec<u8>)]) -> Result<Vec<CheckedFile>, FieldErrors> {
    let mut e = FieldErrors::new();
    if files.len() > MAX_FILES {
        e.add("files", format!("Attach at most {MAX_FILES} files."));
        return Err(e);
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    if total > MAX_TOTAL_BYTES {
        e.add(
            "files",
            format!(
                "The files add up to {}; one submission may carry at most {}. Share larger work as a link.",
                human_size(total),
                human_size(MAX_TOTAL_BYTES)
            ),
        );
        return Err(e);
    }
    let checked: Vec<CheckedFile> = files
        .iter()
        .filter_map(|(n, b)| e.take(check_file(n, b)))
        .collect();
    e.into_result().map(|()| checked)
}

/// "2.4 MB", "830 KB", "12 bytes".
pub fn human_size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        let mb = b / (KB * KB);
        if mb.fract() == 0.0 {
            format!("{mb:.0} MB")
        } else {
            format!("{mb:.1} MB")
        }
    } else if b >= KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(sanitize_name("report.pdf"), "report.pdf");
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(
            sanitize_name("C:\\Users\\me\\Final v2.docx"),
            "Final v2.docx"
        );
        assert_eq!(sanitize_name(".hidden.txt"), "hidden.txt");
        assert_eq!(sanitize_name("a\"b;c\r\n.csv"), "a_b_c_.csv");
        assert_eq!(sanitize_name("résumé.pdf"), "résumé.pdf");
        let long = format!("{}.xlsx", "x".repeat(300));
        let s = sanitize_name(&long);
        assert_eq!(s.chars().count(), 100);
        assert!(s.ends_with(".xlsx"));
    }

    #[test]
    fn kinds_are_checked_by_their_bytes() {
        assert_eq!(
            check_file("r.pdf", b"%PDF-1.7 ...").map(|f| f.content_type),
            Ok("application/pdf")
        );
        assert!(check_file("r.pdf", b"<html><script>").is_err());
        assert!(check_file("x.docx", b"PK\x03\x04rest").is_ok());
        assert!(
            check_file("x.docx", b"MZ\x90\x00").is_err(),
            "an executable renamed"
        );
        assert!(check_file("data.csv", "a,b\n1,2\n".as_bytes()).is_ok());
        assert!(
            check_file("data.csv", b"a,\x00b").is_err(),
            "binary as text"
        );
        assert!(
            check_file("page.html", b"<html>").is_err(),
            "not on the list"
        );
        assert!(check_file("noext", b"hello").is_err());
        assert!(check_file("empty.txt", b"").is_err());
        assert!(check_file("UPPER.PDF", b"%PDF-1.4").is_ok());
    }

    #[test]
    fn sizes_and_counts_are_bounded() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let e = check_file("big.txt", &big).err().map(|e| e.message);
        assert!(e.is_some_and(|m| m.contains("at most 10 MB")));
        let six: Vec<(String, Vec<u8>)> = (0..6)
            .map(|i| (format!("{i}.txt"), b"x".to_vec()))
            .collect();
        assert!(check_files(&six).is_err());
        let three = vec![(String::from("a.txt"), vec![b'a'; 9 * 1024 * 1024]); 3];
        assert!(check_files(&three).is_err(), "27 MiB in total");
        let ok = vec![(String::from("a.txt"), b"hello".to_vec())];
        assert_eq!(check_files(&ok).map(|v| v.len()), Ok(1));
    }

    proptest! {
        #[test]
        fn sanitized_names_are_always_safe(raw in ".{0,300}") {
            let s = sanitize_name(&raw);
            prop_assert!(s.chars().count() <= MAX_NAME_CHARS);
            prop_assert!(!s.starts_with('.'));
            prop_assert!(s.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ')));
            prop_assert!(!s.contains('/') && !s.contains('\\') && !s.contains('"'));
        }
    }
}
