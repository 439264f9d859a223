//! What the HTTP transports share: where to send ([`Region`], [`BaseUrl`]), the
//! [`ApiKey`], the [`HttpConfig`], and how a response becomes a [`TransportError`].

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use base64::Engine as _;

use super::{Endpoint, TransportError};

/// How many bytes of a server's error body are kept in errors and logs.
pub const MAX_ERROR_BODY: usize = 512;

/// The `User-Agent` every HTTP request carries: `event-core/<version>`.
pub const USER_AGENT: &str = concat!("event-core/", env!("CARGO_PKG_VERSION"));

/// Which Customer.io data centre receives the events.
///
/// Data sent to the wrong region can be answered 200 and dropped, so there is no
/// default: choose the one your workspace lives in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// The United States: `https://cdp.customer.io`.
    Us,
    /// The European Union: `https://cdp-eu.customer.io`.
    Eu,
    /// Any other base URL: a proxy, or a test server.
    Custom(BaseUrl),
}

impl Region {
    /// The base URL of the region, without a trailing slash.
    ///
    /// ```
    /// use event_core::transport::Region;
    /// assert_eq!(Region::Eu.base_url().as_str(), "https://cdp-eu.customer.io");
    /// ```
    pub fn base_url(&self) -> BaseUrl {
        match self {
            Region::Us => BaseUrl {
                url: "https://cdp.customer.io".to_owned(),
            },
            Region::Eu => BaseUrl {
                url: "https://cdp-eu.customer.io".to_owned(),
            },
            Region::Custom(url) => url.clone(),
        }
    }

    /// Reads `us` or `eu` (any case), or an `http(s)://` base URL.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the text is neither a region nor an acceptable URL.
    pub fn parse(text: &str) -> Result<Region, ConfigError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "us" => Ok(Region::Us),
            "eu" => Ok(Region::Eu),
            _ if text.contains("://") => BaseUrl::parse(text).map(Region::Custom),
            _ => Err(ConfigError::new(format!(
                "unknown region {:?}: expected \"us\", \"eu\" or a base URL",
                truncate(text, 64)
            ))),
        }
    }
}

impl From<BaseUrl> for Region {
    fn from(url: BaseUrl) -> Region {
        Region::Custom(url)
    }
}

/// A checked base URL: `https://...`, or `http://` to a loopback host only
/// (127.0.0.0/8, `::1`, `localhost`), so that an API key never crosses a network in clear.
///
/// ```
/// use event_core::transport::BaseUrl;
/// assert!(BaseUrl::parse("https://proxy.example.com/cio").is_ok());
/// assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
/// assert!(BaseUrl::parse("http://[::1]:8080/").is_ok());
/// assert!(BaseUrl::parse("http://cdp.customer.io").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    url: String,
}

impl BaseUrl {
    /// Checks and keeps `url`, dropping any trailing `/`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the scheme is not `http` or `https`, the host is missing,
    /// the URL carries credentials, a query or a fragment, or it is plain `http://` to a
    /// host that is not loopback.
    pub fn parse(url: &str) -> Result<BaseUrl, ConfigError> {
        let url = url.trim();
        let shown = truncate(url, 128);
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            ConfigError::new(format!(
                "base URL {shown:?} has no scheme: start it with https://"
            ))
        })?;
        let secure = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => {
                return Err(ConfigError::new(format!(
                    "base URL {shown:?} must start with https:// (or http:// to a loopback host)"
                )));
            }
        };
        if rest.contains(['?', '#']) {
            return Err(ConfigError::new(format!(
                "base URL {shown:?} must not carry a query or a fragment"
            )));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.contains('@') {
            // Never echo credentials back.
            return Err(ConfigError::new(
                "the base URL must not carry credentials: give the API key separately".to_owned(),
            ));
        }
        let host = host_of(authority);
        if host.is_empty() {
            return Err(ConfigError::new(format!("base URL {shown:?} has no host")));
        }
        if !secure && !is_loopback(host) {
            return Err(ConfigError::new(format!(
                "refusing plain http:// to {host:?}: the API key would cross the network \
                 unencrypted; use https:// (http:// is allowed only to 127.0.0.0/8, ::1 or localhost)"
            )));
        }
        Ok(BaseUrl {
            url: url.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The full URL of `endpoint`, such as `https://cdp.customer.io/v1/batch`.
    pub fn endpoint_url(&self, endpoint: Endpoint) -> String {
        format!("{}{}", self.url, endpoint.path())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = ConfigError;

    fn from_str(url: &str) -> Result<BaseUrl, ConfigError> {
        BaseUrl::parse(url)
    }
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), without brackets.
fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// A Customer.io Data Pipelines API key.
///
/// It never shows itself: `Debug` prints `ApiKey(<redacted>)` and there is no
/// `Display`, so it cannot end up in a log line or an error message by accident.
///
/// ```
/// use event_core::transport::ApiKey;
/// let key = ApiKey::new("cio_secret").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    key: String,
}

impl ApiKey {
    /// Wraps `key`, trimmed.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the key is empty or holds control characters or a `:`.
    pub fn new(key: impl Into<String>) -> Result<ApiKey, ConfigError> {
        let key = key.into().trim().to_owned();
        if key.is_empty() {
            return Err(ConfigError::new("the API key is empty".to_owned()));
        }
        if key.chars().any(|c| c.is_control() || c == ':') {
            return Err(ConfigError::new(
                "the API key holds a control character or a ':'; copy it again from Customer.io"
                    .to_owned(),
            ));
        }
        Ok(ApiKey { key })
    }

    /// The secret itself. Handle with care: never log it.
    pub fn expose_secret(&self) -> &str {
        &self.key
    }

    /// The `Authorization` header value: `Basic base64("KEY:")`.
    pub(crate) fn basic_auth(&self) -> String {
        let mut credentials = String::with_capacity(self.key.len() + 1);
        credentials.push_str(&self.key);
        credentials.push(':');
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        )
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// A configuration that cannot work: a bad URL, an empty key, a TLS set-up failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: String) -> ConfigError {
        ConfigError { message }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Settings of the HTTP transports.
///
/// Defaults: strict mode on, 10 s to connect, 30 s for a whole request.
///
/// ```
/// use event_core::transport::{ApiKey, HttpConfig, Region};
/// use std::time::Duration;
///
/// let config = HttpConfig::new(ApiKey::new("key").unwrap(), Region::Eu)
///     .strict(false)
///     .timeout(Duration::from_secs(10));
/// assert!(!config.is_strict());
/// assert!(!format!("{config:?}").contains("key\""));
/// ```
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub(crate) api_key: ApiKey,
    pub(crate) base_url: BaseUrl,
    pub(crate) strict: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
}

impl HttpConfig {
    /// The default time allowed to open a connection: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default time allowed for a whole request, connection included: 30 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Sends with `api_key` to `region`, with the defaults.
    pub fn new(api_key: ApiKey, region: impl Into<Region>) -> HttpConfig {
        HttpConfig {
            api_key,
            base_url: region.into().base_url(),
            strict: true,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// Whether to send `X-Strict-Mode: 1` (the default), so that the server answers a
    /// bad payload with 400 and a bad key with 401 instead of a 200 that drops it.
    pub fn strict(mut self, strict: bool) -> HttpConfig {
        self.strict = strict;
        self
    }

    /// The time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> HttpConfig {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request, from connecting to the end of the response.
    pub fn timeout(mut self, timeout: Duration) -> HttpConfig {
        self.timeout = timeout;
        self
    }

    /// Whether strict mode is on.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Where the requests go.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }
}

/// Turns a response into the outcome of the attempt.
pub(crate) fn classify(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
) -> Result<(), TransportError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = truncated_body(body);
    match status {
        400 | 413 => Err(TransportError::Rejected {
            messages: error_messages(body),
            body: text,
        }),
        401 | 403 => Err(TransportError::Unauthorized { status, body: text }),
        408 | 429 | 500..=599 => Err(TransportError::Status {
            status,
            retry_after: retry_after.and_then(crate::transport::retry::parse_retry_after),
            body: text,
        }),
        _ => Err(TransportError::UnexpectedStatus { status, body: text }),
    }
}

/// At most [`MAX_ERROR_BODY`] bytes of `body`, cut on a character boundary.
pub(crate) fn truncated_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.len() <= MAX_ERROR_BODY {
        return text.to_owned();
    }
    let mut end = MAX_ERROR_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The server's messages: `{"meta":{"errors":[...]}}`, else `{"code":..,"message":..}`
/// (or `{"error": ...}`), else none (the caller keeps the raw body).
pub(crate) fn error_messages(body: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let as_text = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => truncate(text, MAX_ERROR_BODY).to_owned(),
        other => truncate(&other.to_string(), MAX_ERROR_BODY).to_owned(),
    };
    if let Some(errors) = value
        .pointer("/meta/errors")
        .and_then(|errors| errors.as_array())
    {
        // Keep the messages within one error body's budget, saying how many were left out.
        let mut kept = Vec::new();
        let mut budget = MAX_ERROR_BODY;
        for (index, error) in errors.iter().enumerate() {
            let text = as_text(error);
            if text.len() > budget && !kept.is_empty() {
                kept.push(format!("… and {} more", errors.len() - index));
                break;
            }
            budget = budget.saturating_sub(text.len());
            kept.push(text);
        }
        return kept;
    }
    if let Some(message) = value.get("message") {
        return match value.get("code") {
            Some(code) => vec![format!("{}: {}", as_text(code), as_text(message))],
            None => vec![as_text(message)],
        };
    }
    if let Some(error) = value.get("error") {
        return vec![as_text(error)];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_rules() {
        assert!(BaseUrl::parse("http://localhost:1").is_ok());
        assert!(BaseUrl::parse("http://127.5.0.1").is_ok());
        assert!(BaseUrl::parse("http://[::1]/x/").is_ok());
        assert!(BaseUrl::parse("http://10.0.0.1").is_err());
        assert!(BaseUrl::parse("http://localhost.evil.com").is_err());
        assert!(BaseUrl::parse("http://127.0.0.1@evil.com").is_err());
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert_eq!(
            BaseUrl::parse("https://a.b/c/")
                .map(|u| u.endpoint_url(Endpoint::Batch))
                .ok(),
            Some("https://a.b/c/v1/batch".to_owned())
        );
    }

    #[test]
    fn messages() {
        assert_eq!(
            error_messages(br#"{"meta":{"errors":["a","b"]}}"#),
            ["a", "b"]
        );
        assert_eq!(
            error_messages(br#"{"code":"invalid","message":"bad"}"#),
            ["invalid: bad"]
        );
        assert!(error_messages(b"oops").is_empty());
        let long = vec![b'x'; 2000];
        assert!(truncated_body(&long).len() < 600);
    }

    #[test]
    fn auth_header() {
        let key = ApiKey::new("abc").ok();
        assert_eq!(
            key.map(|k| k.basic_auth()),
            Some("Basic YWJjOg==".to_owned())
        );
    }
}
