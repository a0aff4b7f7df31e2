//! Submissions sent as `multipart/form-data` (the workspace form, and the
//! API when files come along), and the response that hands a delivered file
//! back to one of the two sides.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use stint_domain::engagement::SubmissionForm;
use stint_domain::upload::{MAX_FILES, MAX_TOTAL_BYTES, human_size};
use stint_store::SubmissionFile;

use crate::error::AppError;

/// A submission as sent: the note and links, and each file's name and bytes.
#[derive(Debug, Default)]
pub struct SubmissionUpload {
    pub form: SubmissionForm,
    pub files: Vec<(String, Vec<u8>)>,
}

fn unreadable(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(format!(
            "The upload is larger than {}. Attach fewer or smaller files, or share large work as a link.",
            human_size(MAX_TOTAL_BYTES)
        ))
    } else {
        AppError::invalid(
            "files",
            "The upload could not be read; it may have been cut off. Try again.",
        )
    }
}

/// Reads the fields `note`, `links` (repeated) and `files` (repeated; an
/// empty file input is skipped). Other fields are ignored.
pub async fn read_submission(mut mp: Multipart) -> Result<SubmissionUpload, AppError> {
    let mut out = SubmissionUpload::default();
    while let Some(field) = mp.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "note" => out.form.note = field.text().await.map_err(unreadable)?,
            "links" | "links[]" => out.form.links.push(field.text().await.map_err(unreadable)?),
            "files" | "files[]" | "file" => {
                let file_name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                if out.files.len() == MAX_FILES {
                    return Err(AppError::invalid(
                        "files",
                        format!("Attach at most {MAX_FILES} files."),
                    ));
                }
                out.files.push((file_name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A submission from any of the bodies a client may send: multipart (with
/// files), a urlencoded form, or JSON (`{"note": …, "links": […]}`).
pub async fn read_submission_body<S: Send + Sync>(
    req: axum::extract::Request,
    state: &S,
) -> Result<SubmissionUpload, AppError> {
    use axum::extract::FromRequest;
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::invalid("files", "The upload could not be read. Try again."))?;
        return read_submission(mp).await;
    }
    let bytes = axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|_| AppError::TooLarge("The request is larger than this form accepts.".into()))?;
    let form: SubmissionForm = if ct.starts_with("application/json") {
        serde_json::from_slice(&bytes).map_err(|e| {
            AppError::invalid("body", format!("The JSON body could not be read: {e}."))
        })?
    } else {
        serde_html_form::from_bytes(&bytes)
            .map_err(|e| AppError::invalid("body", format!("The form could not be read ({e}).")))?
    };
    Ok(SubmissionUpload {
        form,
        files: Vec::new(),
    })
}

/// `name` percent-encoded for `filename*=UTF-8''…` (RFC 6266 / 8187).
fn rfc8187(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The file as a download: always an attachment (never rendered in the
/// site's origin), with its checked content type and no caching.
pub fn download(file: &SubmissionFile, bytes: Vec<u8>) -> Response {
    let ascii: String = file
        .name
        .chars()
        .map(|c| if c.is_ascii() && c != '"' { c } else { '_' })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc8187(&file.name)
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_for_the_header() {
        assert_eq!(rfc8187("Final v2.pdf"), "Final%20v2.pdf");
        assert_eq!(rfc8187("résumé.pdf"), "r%C3%A9sum%C3%A9.pdf");
    }
}
