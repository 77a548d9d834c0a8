//! Static files (the stylesheet, the map script and the search-as-you-type script), embedded in the binary and served under
//! fingerprinted names (`/static/junction.3f9a1c2b7d.css`) with a one-year immutable cache, so
//! a new release's files are fetched at once and old ones never are again. The plain names
//! still answer, with `no-cache`, for anyone who links to them.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    hashed: String,
    body: &'static [u8],
    mime: &'static str,
}

const FILES: [(&str, &[u8], &str); 3] = [
    (
        "junction.css",
        include_bytes!("../../static/junction.css"),
        "text/css; charset=utf-8",
    ),
    (
        "map.js",
        include_bytes!("../../static/map.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "suggest.js",
        include_bytes!("../../static/suggest.js"),
        "text/javascript; charset=utf-8",
    ),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, body, mime)| {
            let digest = Sha256::digest(body);
            let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
                None => format!("{name}.{hex}"),
            };
            Asset {
                name,
                hashed,
                body,
                mime,
            }
        })
        .collect()
});

/// The URL of a static file under its fingerprinted name.
pub fn url(name: &str) -> String {
    ASSETS.iter().find(|a| a.name == name).map_or_else(
        || format!("/static/{name}"),
        |a| format!("/static/{}", a.hashed),
    )
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let found = ASSETS.iter().find_map(|a| {
        if a.hashed == file {
            Some((a, "public, max-age=31536000, immutable"))
        } else if a.name == file {
            Some((a, "no-cache"))
        } else {
            None
        }
    });
    match found {
        Some((asset, cache)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(asset.mime)),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            asset.body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
