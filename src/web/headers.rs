//! Security headers. Every response gets `X-Content-Type-Options: nosniff`; HTML pages also get
//! a Content-Security-Policy that allows only this site's own scripts, styles, fetches and
//! forms, and images from here and the configured map tile server, plus a Referrer-Policy
//! (`no-referrer` on shortlists, whose link is the key). The pages need nothing more: no inline
//! scripts or styles (JSON-LD is data, not a script), no third-party code.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::Config;

/// The headers, worked out once from the configuration.
#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    pub fn new(config: &Config) -> SecurityHeaders {
        let policy = content_security_policy(config.tiles());
        let csp = HeaderValue::from_str(&policy).unwrap_or_else(|_| {
            // Unreachable: the policy is built from checked ASCII pieces. Stay strict anyway.
            HeaderValue::from_static("default-src 'self'")
        });
        SecurityHeaders { csp }
    }
}

/// The scheme and host of a tile URL template (`https://tile.example.org/{z}/{x}/{y}.png` →
/// `https://tile.example.org`). None for a path on this site (covered by `'self'`) or a host
/// that is itself a template, which a policy cannot name.
fn tile_origin(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plain.then(|| format!("{scheme}://{host}"))
}

/// The policy for HTML pages, with images also allowed from the tile server of `tiles`.
pub fn content_security_policy(tiles: Option<&str>) -> String {
    let img = match tiles.and_then(tile_origin) {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Middleware adding the headers to every response (the app's fallback included).
pub async fn add(State(headers): State<SecurityHeaders>, request: Request, next: Next) -> Response {
    // A shortlist's link is its key; a set-password link's query holds its token; so does a
    // transfer case's private link.
    let shortlist = request.uri().path().starts_with("/shortlist/")
        || request.uri().path().starts_with("/password/")
        || request.uri().path().starts_with("/transfer-cases/");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let out = response.headers_mut();
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if html {
        out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
        out.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static(if shortlist {
                "no-referrer"
            } else {
                "strict-origin-when-cross-origin"
            }),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_come_from_here_and_the_tile_server_only() {
        let p = content_security_policy(Some("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
        assert!(
            p.contains("img-src 'self' https://tile.openstreetmap.org;"),
            "{p}"
        );
        assert!(p.contains("script-src 'self';"));
        let p = content_security_policy(Some("http://127.0.0.1:9/{z}/{x}/{y}.png"));
        assert!(p.contains("img-src 'self' http://127.0.0.1:9;"), "{p}");
        // On this site, or none: 'self' alone.
        for tiles in [Some("/tiles/{z}/{x}/{y}.png"), None] {
            assert!(content_security_policy(tiles).contains("img-src 'self';"));
        }
        // A host that is a template can't be named in a policy; nothing odd gets in.
        assert_eq!(
            tile_origin("https://{s}.tile.example/{z}/{x}/{y}.png"),
            None
        );
        assert_eq!(tile_origin("https://a.example; script-src *"), None);
    }
}
