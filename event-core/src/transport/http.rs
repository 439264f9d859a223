//! The blocking HTTP transport, on `ureq` with rustls (ring) and the Mozilla roots.

use std::io;

use super::config::{
    ConfigError, HttpConfig, Redactor, Route, USER_AGENT, certificate_problem, classify,
};
use super::{Request, Transport, TransportError};

/// The largest response body read (error bodies are truncated further before use).
const MAX_RESPONSE: u64 = 64 * 1024;

/// Idle connections kept per host: one per batch sent at once, and room to spare.
const MAX_IDLE_CONNECTIONS: usize = 8;

/// Sends requests to the Data Pipelines API over HTTPS, blocking the calling thread.
///
/// Every request carries Basic auth (the key, an empty password), `Content-Type:
/// application/json`, `User-Agent: event-core/<version>` and, unless turned off,
/// `X-Strict-Mode: 1`. TLS certificates are always verified against the Mozilla root
/// store bundled by `webpki-roots`; there is no switch to turn that off, and a certificate
/// that does not verify fails the attempt at once ([`TransportError::Certificate`], not
/// retried). A loopback endpoint is reached directly, never through a proxy; others
/// through the proxy of [`HttpConfig::proxy`].
///
/// ```no_run
/// use event_core::transport::{ApiKey, HttpConfig, HttpTransport, Region};
///
/// let key = ApiKey::new(std::env::var("CUSTOMERIO_API_KEY")?)?;
/// let transport = HttpTransport::new(HttpConfig::new(key, Region::Us))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HttpTransport {
    agent: ureq::Agent,
    config: HttpConfig,
    auth: String,
    redactor: Redactor,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport with `config`.
    ///
    /// It keeps up to 8 idle connections open, so a client sending up to 8 batches at
    /// once ([`ClientBuilder::concurrent_batches`](crate::client::ClientBuilder::concurrent_batches))
    /// reuses its connections.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the proxy URL is not one the HTTP library accepts.
    pub fn new(config: HttpConfig) -> Result<HttpTransport, ConfigError> {
        let proxy = match config.route() {
            Route::Direct => None,
            Route::Environment => ureq::Proxy::try_from_env(),
            Route::Through(url) => {
                Some(ureq::Proxy::new(url.expose_secret()).map_err(|error| {
                    ConfigError::new(format!("the proxy URL {url} is not usable: {error}"))
                })?)
            }
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(proxy)
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .max_redirects(0)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
            .user_agent(USER_AGENT)
            .build()
            .into();
        let auth = config.api_key.basic_auth();
        let redactor = Redactor::new(&config.api_key);
        Ok(HttpTransport {
            agent,
            config,
            auth,
            redactor,
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }
}

impl Transport for HttpTransport {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        let url = self.config.base_url.endpoint_url(request.endpoint);
        let mut builder = self
            .agent
            .post(&url)
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json");
        if self.config.strict {
            builder = builder.header("X-Strict-Mode", "1");
        }
        let mut response = builder
            .send(request.body)
            .map_err(|error| network_error(error, &self.redactor))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        // Read even a success's body (`{}`): ureq returns a connection to its pool only
        // once the body is read, and reusing it saves a handshake per request. A body
        // that cannot be read still leaves the status to go by.
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE)
            .read_to_vec()
            .unwrap_or_else(|error| format!("(unreadable body: {error})").into_bytes());
        classify(status, retry_after.as_deref(), &body, &self.redactor)
    }
}

fn network_error(error: ureq::Error, redactor: &Redactor) -> TransportError {
    let certificate = match &error {
        ureq::Error::Rustls(tls) => certificate_problem(tls),
        ureq::Error::Io(io) => certificate_problem(io),
        _ => None,
    };
    if let Some(problem) = certificate {
        return TransportError::Certificate(redactor.kept(problem.as_bytes()));
    }
    match error {
        ureq::Error::Timeout(_) => TransportError::Timeout,
        ureq::Error::Io(ref io) if io.kind() == io::ErrorKind::TimedOut => TransportError::Timeout,
        other => TransportError::Network(redactor.kept(other.to_string().as_bytes())),
    }
}
