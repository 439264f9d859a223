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

    /// Whether the host is loopback (127.0.0.0/8, `::1`, `localhost`): such an endpoint
    /// is always reached directly, never through a proxy.
    pub fn is_loopback(&self) -> bool {
        let rest = self.url.split_once("://").map_or("", |(_, rest)| rest);
        is_loopback(host_of(rest.split('/').next().unwrap_or_default()))
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

/// Whether the HTTP transports go through a proxy to reach a remote endpoint.
///
/// A loopback endpoint (`http://127.0.0.1:...`, `localhost`, `::1`) is always reached
/// directly, whatever this says or the environment holds: through a proxy, a plain
/// `http://` request, API key included, would leave the machine in clear.
///
/// ```
/// use event_core::transport::{ApiKey, HttpConfig, Proxy, ProxyUrl, Region};
///
/// let proxy = ProxyUrl::parse("http://proxy.internal:3128")?;
/// let config = HttpConfig::new(ApiKey::new("key")?, Region::Us).proxy(Proxy::Url(proxy));
/// # Ok::<(), event_core::transport::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Proxy {
    /// The proxy the environment names, if any (the default): `HTTPS_PROXY` or
    /// `ALL_PROXY` (or their lower-case forms; the blocking transport also takes
    /// `HTTP_PROXY`), except for hosts in `NO_PROXY`.
    #[default]
    FromEnvironment,
    /// No proxy, whatever the environment says.
    None,
    /// This proxy, whatever the environment says. The request's TLS is tunnelled through
    /// it (`CONNECT`), so the proxy never sees the key.
    Url(ProxyUrl),
}

/// A checked proxy URL: `http://host:port` or `https://host:port`, with optional
/// `user:password@` credentials. `Debug` and `Display` never show the credentials.
///
/// ```
/// use event_core::transport::ProxyUrl;
/// let proxy = ProxyUrl::parse("http://me:secret@proxy.internal:3128").unwrap();
/// assert_eq!(proxy.to_string(), "http://<redacted>@proxy.internal:3128");
/// assert!(ProxyUrl::parse("socks5://proxy.internal:1080").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProxyUrl {
    url: String,
}

impl ProxyUrl {
    /// Checks and keeps `url`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the scheme is not `http` or `https`, the host is missing, or
    /// the URL has a path, a query or a fragment.
    pub fn parse(url: &str) -> Result<ProxyUrl, ConfigError> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            ConfigError::new(
                "the proxy URL has no scheme: start it with http:// or https://".to_owned(),
            )
        })?;
        let shown = ProxyUrl {
            url: url.to_owned(),
        }
        .to_string();
        let shown = truncate(&shown, 128);
        if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            return Err(ConfigError::new(format!(
                "proxy URL {shown:?} must start with http:// or https://"
            )));
        }
        if rest.contains(['/', '?', '#']) {
            return Err(ConfigError::new(format!(
                "proxy URL {shown:?} must be only a scheme, a host and a port"
            )));
        }
        let authority = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
        if host_of(authority).is_empty() {
            return Err(ConfigError::new(format!("proxy URL {shown:?} has no host")));
        }
        Ok(ProxyUrl {
            url: url.to_owned(),
        })
    }

    /// The URL, credentials included. Handle with care: never log it.
    pub fn expose_secret(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.url.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((_, host)) => write!(f, "{scheme}://<redacted>@{host}"),
                None => f.write_str(&self.url),
            },
            None => f.write_str(&self.url),
        }
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({self})")
    }
}

/// How a transport reaches the endpoint, the proxy setting and the endpoint together.
pub(crate) enum Route<'a> {
    /// No proxy at all.
    Direct,
    /// The proxy the environment names, as the HTTP library reads it.
    Environment,
    /// This proxy.
    Through(&'a ProxyUrl),
}

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
    pub(crate) proxy: Proxy,
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
            proxy: Proxy::FromEnvironment,
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

    /// Whether and through what proxy to reach the endpoint (by default, the one the
    /// environment names). A loopback endpoint is always reached directly, whatever this
    /// says, so that a plain `http://` request and its key never leave the machine.
    pub fn proxy(mut self, proxy: Proxy) -> HttpConfig {
        self.proxy = proxy;
        self
    }

    /// The proxy setting (see [`HttpConfig::proxy`]).
    pub fn proxy_setting(&self) -> &Proxy {
        &self.proxy
    }

    /// How the transports reach the endpoint: a loopback endpoint directly, always.
    pub(crate) fn route(&self) -> Route<'_> {
        if self.base_url.is_loopback() {
            return Route::Direct;
        }
        match &self.proxy {
            Proxy::FromEnvironment => Route::Environment,
            Proxy::None => Route::Direct,
            Proxy::Url(url) => Route::Through(url),
        }
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

/// Turns a response into the outcome of the attempt. Whatever of the body is kept has
/// the key blotted out by `redactor`: a server or proxy may echo the request's headers.
pub(crate) fn classify(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    redactor: &Redactor,
) -> Result<(), TransportError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = redactor.kept(body);
    match status {
        400 | 413 => Err(TransportError::Rejected {
            status,
            messages: error_messages(body, redactor),
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

/// What stands in for a secret in kept text.
const REDACTED: &str = "<redacted>";

/// Blots the API key out of text that came from elsewhere (error bodies, error
/// messages): the key itself, its `Authorization` value in every form a body may echo it,
/// and any `Basic <token>` credential at all.
#[derive(Clone)]
pub(crate) struct Redactor {
    /// The forms of the key, longest first, so that none is left half-replaced.
    forms: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(key: &ApiKey) -> Redactor {
        let key = key.expose_secret();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
        let json = serde_json::to_string(key).unwrap_or_default();
        let mut forms = vec![
            key.to_owned(),
            json.trim_matches('"').to_owned(),
            token.trim_end_matches('=').to_owned(),
            // JSON may write `/` as `\/`.
            token.trim_end_matches('=').replace('/', "\\/"),
            token,
        ];
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        forms.dedup();
        forms.retain(|form| !form.is_empty());
        Redactor { forms }
    }

    /// `text` with every credential blotted out.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = redact_basic_credentials(text);
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), REDACTED);
            }
        }
        text
    }

    /// `body`, redacted, then cut to at most [`MAX_ERROR_BODY`] bytes: redacting first
    /// leaves no half of a key at the cut.
    pub(crate) fn kept(&self, body: &[u8]) -> String {
        let redacted = self.redact(&String::from_utf8_lossy(body));
        let text = redacted.trim();
        if text.len() <= MAX_ERROR_BODY {
            return text.to_owned();
        }
        format!(
            "{}… ({} bytes in all)",
            truncate(text, MAX_ERROR_BODY),
            body.len()
        )
    }
}

/// Replaces the token of every `Basic <token>` (any case, 8 characters or more of
/// base64) with [`REDACTED`].
fn redact_basic_credentials(text: &str) -> String {
    const SCHEME: &[u8] = b"basic";
    let bytes = text.as_bytes();
    let is_token = |byte: u8| byte.is_ascii_alphanumeric() || b"+/=_-\\".contains(&byte);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at + SCHEME.len() <= bytes.len() {
        if !bytes[at..at + SCHEME.len()].eq_ignore_ascii_case(SCHEME) {
            at += 1;
            continue;
        }
        let mut end = at + SCHEME.len();
        let spaces = end;
        while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
            end += 1;
        }
        let token = end;
        while end < bytes.len() && is_token(bytes[end]) {
            end += 1;
        }
        // Every byte matched is ASCII, so these are character boundaries.
        if token > spaces && end - token >= 8 {
            out.push_str(&text[copied..token]);
            out.push_str(REDACTED);
            copied = end;
        }
        at = end.max(at + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// The certificate problem anywhere in `error`'s chain of sources, if that is what made
/// the connection fail. `io::Error` hides what it wraps from `source()`, so it is opened
/// by hand.
#[cfg(any(feature = "http", feature = "async"))]
pub(crate) fn certificate_problem(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(rustls::Error::InvalidCertificate(problem)) =
            error.downcast_ref::<rustls::Error>()
        {
            return Some(format!("invalid peer certificate: {problem}"));
        }
        if let Some(inner) = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| certificate_problem(inner))
        {
            return Some(inner);
        }
        current = error.source();
    }
    None
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
pub(crate) fn error_messages(body: &[u8], redactor: &Redactor) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let as_text = |value: &serde_json::Value| {
        let text = match value {
            serde_json::Value::String(text) => redactor.redact(text),
            other => redactor.redact(&other.to_string()),
        };
        truncate(&text, MAX_ERROR_BODY).to_owned()
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

    fn redactor(key: &str) -> Redactor {
        Redactor::new(&ApiKey::new(key).expect("a key"))
    }

    #[test]
    fn messages() {
        let redactor = redactor("abc");
        assert_eq!(
            error_messages(br#"{"meta":{"errors":["a","b"]}}"#, &redactor),
            ["a", "b"]
        );
        assert_eq!(
            error_messages(br#"{"code":"invalid","message":"bad"}"#, &redactor),
            ["invalid: bad"]
        );
        assert!(error_messages(b"oops", &redactor).is_empty());
        let long = vec![b'x'; 2000];
        assert!(redactor.kept(&long).len() < 600);
    }

    #[test]
    fn every_form_of_the_key_is_redacted() {
        let key = "k\"y?>~~";
        let redactor = redactor(key);
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
        let json = serde_json::json!({ "key": key, "auth": format!("Basic {token}") });
        for text in [
            format!("echo: {key}!"),
            format!("authorization: {token}"),
            format!("authorization: {}", token.trim_end_matches('=')),
            json.to_string(),
            format!("AUTHORIZATION: basic\t{token}"),
            "Authorization: Basic c29tZW9uZS1lbHNlOg==".to_owned(),
        ] {
            let redacted = redactor.redact(&text);
            assert!(!redacted.contains(key), "{redacted}");
            assert!(
                !redacted.contains(token.trim_end_matches('=')),
                "{redacted}"
            );
            assert!(!redacted.contains("c29tZW9uZS1lbHNlOg"), "{redacted}");
            assert!(redacted.contains(REDACTED), "{redacted}");
        }
        // A key at the cut of a long body is redacted before the cut, not half kept.
        let body = format!("{}{key}", "x".repeat(MAX_ERROR_BODY - 3));
        assert!(!redactor.kept(body.as_bytes()).contains("k\"y"));
        // Ordinary words stay.
        assert_eq!(redactor.redact("basic auth failed"), "basic auth failed");
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
