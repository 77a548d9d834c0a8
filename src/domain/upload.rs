//! Which files may be attached to a transfer case: at most [`MAX_BYTES`], and only PDF, Word
//! (DOCX), OpenDocument text (ODT), PNG or JPEG — recognised by the name's extension *and* by
//! the file's first bytes, so a renamed executable is refused. Pure: the caller has the bytes.

use super::FieldError;

/// The largest file accepted: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// What the allow-list says in messages.
pub const ALLOWED: &str = "PDF, Word (.docx), OpenDocument text (.odt), PNG or JPEG";

/// A file that passed the checks: its tidied name and content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Checks one uploaded file; the error names `field`.
pub fn check(field: &str, file_name: &str, bytes: &[u8]) -> Result<Accepted, FieldError> {
    let name = tidy_name(file_name);
    if name.is_empty() || bytes.is_empty() {
        return Err(FieldError::new(field, "Select a file to upload"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(FieldError::new(
            field,
            "The file is larger than 10 MB: the largest allowed is 10 MB",
        ));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (content_type, looks_right) = match ext.as_str() {
        "pdf" => ("application/pdf", bytes.starts_with(b"%PDF-")),
        "png" => ("image/png", bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => ("image/jpeg", bytes.starts_with(&[0xFF, 0xD8, 0xFF])),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            is_zip(bytes) && contains(bytes, b"word/"),
        ),
        "odt" => (
            "application/vnd.oasis.opendocument.text",
            // ODF puts an uncompressed `mimetype` entry first in the archive.
            is_zip(bytes)
                && contains(
                    &bytes[..bytes.len().min(200)],
                    b"application/vnd.oasis.opendocument.text",
                ),
        ),
        _ => {
            return Err(FieldError::new(
                field,
                format!("The file must be a {ALLOWED}"),
            ));
        }
    };
    if !looks_right {
        return Err(FieldError::new(
            field,
            format!(
                "The file is not a real .{ext} file: its contents do not match its name. It must be a {ALLOWED}"
            ),
        ));
    }
    Ok(Accepted {
        file_name: name,
        content_type,
    })
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The last path segment of an uploaded name, without control characters or quotes, at most
/// 200 characters (keeping the extension).
pub fn tidy_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '`'))
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.chars().count() <= 200 {
        return clean;
    }
    let ext: String = clean
        .rsplit_once('.')
        .map(|(_, e)| e.chars().take(10).collect())
        .unwrap_or_default();
    let stem: String = clean.chars().take(188).collect();
    format!("{stem}.{ext}")
}

/// "2.4 MB", "820 KB", "12 bytes".
pub fn size_words(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_and_contents_must_agree() {
        assert_eq!(
            check("f", "plan.PDF", b"%PDF-1.7 ...")
                .unwrap()
                .content_type,
            "application/pdf"
        );
        assert!(check("f", "photo.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]).is_ok());
        assert!(check("f", "x.png", b"\x89PNG\r\n\x1a\n....").is_ok());
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert!(check("f", "bid.odt", &odt).is_ok());
        assert!(
            check(
                "f",
                "bid.docx",
                b"PK\x03\x04....[Content_Types].xml word/document.xml"
            )
            .is_ok()
        );
        // Renamed or wrong files.
        assert!(check("f", "virus.pdf", b"MZ\x90\x00").is_err());
        assert!(check("f", "bid.docx", &odt).is_err());
        assert!(check("f", "run.exe", b"MZ").is_err());
        assert!(check("f", "noext", b"%PDF-").is_err());
        let big = vec![b'%'; MAX_BYTES + 1];
        let err = check("f", "big.pdf", &big).unwrap_err();
        assert!(err.message.contains("10 MB"), "{}", err.message);
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(tidy_name("C:\\Users\\me\\plan.pdf"), "plan.pdf");
        assert_eq!(tidy_name("../../etc/passwd"), "passwd");
        assert_eq!(tidy_name("a\"b<c>.pdf"), "abc.pdf");
        assert!(tidy_name(&format!("{}.pdf", "x".repeat(400))).ends_with(".pdf"));
    }
}
