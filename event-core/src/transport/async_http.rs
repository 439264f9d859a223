//! The async HTTP transport, on `reqwest` with rustls (ring) and the Mozilla roots.

use std::sync::Arc;

use super::config::{
    ConfigError, HttpConfig, Redactor, Route, USER_AGENT, certificate_problem, classify,
};
use super::{AsyncTransport, Request, TransportError};

/// The largest response body read (error bodies are truncated further before use).
const MAX_RESPONSE: usize = 64 * 1024;

/// Sends requests to the Data Pipelines API over HTTPS from async code (tokio).
///
/// The same requests as [`HttpTransport`](super::HttpTransport): Basic auth, JSON,
/// `User-Agent`, `X-Strict-Mode: 1` unless turned off. TLS is rustls with the ring
/// provider (no C toolchain needed) and the Mozilla roots of `webpki-roots`; certificates
/// are always verified, and one that does not verify fails the attempt at once
/// ([`TransportError::Certificate`], not retried). A loopback endpoint is reached
/// directly, never through a proxy; others through the proxy of [`HttpConfig::proxy`].
///
/// ```no_run
/// use event_core::transport::{ApiKey, AsyncHttpTransport, HttpConfig, Region};
///
/// let key = ApiKey::new(std::env::var("CUSTOMERIO_API_KEY")?)?;
/// let transport = AsyncHttpTransport::new(HttpConfig::new(key, Region::Eu))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AsyncHttpTransport {
    client: reqwest::Client,
    config: Arc<HttpConfig>,
    auth: Arc<str>,
    redactor: Arc<Redactor>,
}

impl std::fmt::Debug for AsyncHttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncHttpTransport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AsyncHttpTransport {
    /// A transport with `config`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the TLS or HTTP client cannot be set up.
    pub fn new(config: HttpConfig) -> Result<AsyncHttpTransport, ConfigError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| ConfigError::new(format!("could not set up TLS: {error}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let builder = reqwest::Client::builder();
        // Left alone, reqwest reads the environment's proxy variables itself.
        let builder = match config.route() {
            Route::Direct => builder.no_proxy(),
            Route::Environment => builder,
            Route::Through(url) => builder.proxy(
                reqwest::Proxy::all(url.expose_secret())
                    .map_err(|_| ConfigError::new(format!("the proxy URL {url} is not usable")))?,
            ),
        };
        let client = builder
            .tls_backend_preconfigured(tls)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| {
                ConfigError::new(format!("could not set up the HTTP client: {error}"))
            })?;
        let auth = Arc::from(config.api_key.basic_auth());
        let redactor = Arc::new(Redactor::new(&config.api_key));
        Ok(AsyncHttpTransport {
            client,
            config: Arc::new(config),
            auth,
            redactor,
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    async fn send_once(&self, request: Request<'_>) -> Result<(), TransportError> {
        let url = self.config.base_url.endpoint_url(request.endpoint);
        let mut builder = self
            .client
            .post(url)
            .header("Authorization", &*self.auth)
            .header("Content-Type", "application/json")
            .body(request.body.to_vec());
        if self.config.strict {
            builder = builder.header("X-Strict-Mode", "1");
        }
        let response = builder
            .send()
            .await
            .map_err(|error| network_error(error, &self.redactor))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        // Read even a success's body (`{}`), so the connection goes back to the pool.
        let body = read_limited(response).await;
        classify(status, retry_after.as_deref(), &body, &self.redactor)
    }
}

async fn read_limited(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_RESPONSE.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() >= MAX_RESPONSE {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => {
                body.extend_from_slice(format!("(body cut short: {error})").as_bytes());
                break;
            }
        }
    }
    body
}

impl AsyncTransport for AsyncHttpTransport {
    fn send(
        &self,
        request: Request<'_>,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        self.send_once(request)
    }
}

fn network_error(error: reqwest::Error, redactor: &Redactor) -> TransportError {
    if let Some(problem) = certificate_problem(&error) {
        return TransportError::Certificate(redactor.kept(problem.as_bytes()));
    }
    if error.is_timeout() {
        return TransportError::Timeout;
    }
    // Walk the sources: reqwest's own message is terse ("error sending request").
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    TransportError::Network(redactor.kept(message.as_bytes()))
}
