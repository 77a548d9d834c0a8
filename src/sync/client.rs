//! The one HTTP client Junction reads other people's data with: `junction sync` and
//! `junction import … URL`. rustls, bounded time per request, and optional headers sent with
//! every request (an API's credential), marked sensitive so they never reach a log or an
//! error message.

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

/// The HTTP client syncs and URL imports read with.
pub struct Client {
    http: reqwest::Client,
    /// Whether requests carry a credential, so a refusal can say which case it is.
    authenticated: bool,
}

/// A body read whole, with the media type the server gave it.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

impl Client {
    /// A client sending no extra headers.
    pub fn new() -> anyhow::Result<Client> {
        Client::with_headers(HeaderMap::new())
    }

    /// A client sending `headers` with every request. Their values are marked sensitive.
    pub fn with_headers(mut headers: HeaderMap) -> anyhow::Result<Client> {
        for value in headers.values_mut() {
            value.set_sensitive(true);
        }
        let authenticated = !headers.is_empty();
        Ok(Client {
            http: reqwest::Client::builder()
                .user_agent(concat!("junction/", env!("CARGO_PKG_VERSION")))
                .default_headers(headers)
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(120))
                .build()?,
            authenticated,
        })
    }

    /// GETs `url` and reads its body as JSON; any status but 2xx is an error naming the URL.
    pub async fn json(&self, url: &str) -> anyhow::Result<Value> {
        let fetched = self.get(url, "application/json").await?;
        serde_json::from_slice(&fetched.bytes)
            .map_err(|e| anyhow::anyhow!("GET {url}: the answer is not JSON ({e})"))
    }

    /// GETs `url` and reads its body whole. An unreachable host, a status other than 2xx and
    /// a body cut short are errors naming the URL (never the headers sent).
    pub async fn get(&self, url: &str, accept: &str) -> anyhow::Result<Fetched> {
        self.fetch(url, accept, false)
            .await?
            .ok_or_else(|| anyhow::anyhow!("GET {url}: the server answered 404 Not Found"))
    }

    /// As [`Client::get`], but a 404 is `None`: for files that may or may not be there.
    pub async fn get_optional(&self, url: &str, accept: &str) -> anyhow::Result<Option<Fetched>> {
        self.fetch(url, accept, true).await
    }

    async fn fetch(
        &self,
        url: &str,
        accept: &str,
        missing_is_none: bool,
    ) -> anyhow::Result<Option<Fetched>> {
        let response = self
            .http
            .get(url)
            .header(ACCEPT, accept)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("GET {url}: could not reach it ({})", cause(&e)))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            if self.authenticated {
                bail!("GET {url}: the server refused the credential ({status})");
            }
            bail!(
                "GET {url}: the server asks for a credential ({status}): pass --token-env VAR or --header"
            );
        }
        if missing_is_none && status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            bail!("GET {url}: the server answered {status}");
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| anyhow::anyhow!("GET {url}: {}", cause(&e)))?;
        Ok(Some(Fetched {
            bytes: bytes.to_vec(),
            content_type,
        }))
    }
}

/// The innermost cause of a request error ("Connection refused"), which says more than
/// reqwest's outer "error sending request".
fn cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// Headers from `Name: value` strings and a bearer token read from an environment variable.
/// Errors name the header or the variable, never a value.
pub fn headers(raw: &[String], token_env: Option<&str>) -> anyhow::Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for h in raw {
        let (name, value) = h
            .split_once(':')
            .with_context(|| "a --header is written 'Name: value'".to_owned())?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .with_context(|| format!("'{}' is not a header name", name.trim()))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| anyhow::anyhow!("the value of --header {name} is not a valid header"))?;
        map.append(name, value);
    }
    if let Some(var) = token_env {
        let token = std::env::var(var)
            .map_err(|_| anyhow::anyhow!("--token-env {var}: the variable is not set"))?;
        let token = token.trim();
        if token.is_empty() {
            bail!("--token-env {var}: the variable is empty");
        }
        let value = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| anyhow::anyhow!("--token-env {var}: not usable in a header"))?;
        map.insert(reqwest::header::AUTHORIZATION, value);
    }
    Ok(map)
}
