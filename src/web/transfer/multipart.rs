//! Reading a `multipart/form-data` body (a form with a file), small and strict: the whole body
//! is already in memory under a size limit, parts are split on the boundary, and each part's
//! `Content-Disposition` gives its field name and, for a file, its file name. Written here
//! rather than adding a multipart crate for two upload forms.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, header};

/// One part of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Bigger than the limit: the file is too large.
    TooLarge,
    /// Not a multipart form, or broken.
    Malformed,
}

/// The parts of a form.
#[derive(Debug, Default)]
pub struct Parts(pub Vec<Part>);

impl Parts {
    /// A text field's value.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|p| p.name == name && p.file_name.is_none())
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    }

    /// The file sent in `name`, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&Part> {
        self.0
            .iter()
            .find(|p| p.name == name && p.file_name.is_some())
    }
}

/// Reads the body (at most `limit` bytes) and splits it into parts.
pub async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Parts, Refused> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(boundary)
        .ok_or(Refused::Malformed)?;
    let bytes = to_bytes(body, limit).await.map_err(|_| Refused::TooLarge)?;
    parse(&bytes, &boundary).ok_or(Refused::Malformed)
}

fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 200)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| haystack[i..].starts_with(needle))
}

/// Splits `body` on `--boundary`; `None` when it is not a well-formed form.
pub fn parse(body: &[u8], boundary: &str) -> Option<Parts> {
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(Parts(parts));
        }
        at += crlf(&body[at..])?;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let data_start = head_end + 4;
        let data_end = find(body, &next_delimiter, data_start)?;
        let (name, file_name) = disposition(head)?;
        parts.push(Part {
            name,
            file_name,
            data: body[data_start..data_end].to_vec(),
        });
        at = data_end + next_delimiter.len();
        if parts.len() > 50 {
            return None;
        }
    }
}

fn crlf(rest: &[u8]) -> Option<usize> {
    rest.starts_with(b"\r\n").then_some(2)
}

/// The `name` and `filename` of a part's `Content-Disposition: form-data` header.
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find(|l| {
        l.split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    let (_, value) = line.split_once(':')?;
    let mut name = None;
    let mut file_name = None;
    for param in value.split(';').skip(1) {
        let Some((k, v)) = param.trim().split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_owned();
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => file_name = Some(v),
            _ => {}
        }
    }
    Some((name?, file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files_are_read() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"plan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\nbinary\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts.text("csrf_token").as_deref(), Some("abc"));
        let f = parts.file("document").unwrap();
        assert_eq!(f.file_name.as_deref(), Some("plan.pdf"));
        assert_eq!(f.data, b"%PDF-1.4\r\n\r\nbinary");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert!(boundary("application/x-www-form-urlencoded").is_none());
        assert!(parse(b"--XyZ\r\nbroken", "XyZ").is_none());
    }
}
