//! A stand-in for the Customer.io Data Pipelines API, on loopback, for end-to-end tests.
//!
//! Built on `hyper` 1 with `hyper-util`'s tokio glue: hyper is the maintained HTTP
//! implementation under `reqwest` (already in the tree for the async transport), so it
//! adds almost nothing to build, and its low-level `serve_connection` lets a test do what
//! a framework hides: drop a connection before answering (a reset), or answer late.
//!
//! The server runs on its own thread with its own tokio runtime, so blocking tests and
//! `#[tokio::test]`s use it alike. It binds 127.0.0.1 on a free port and stops when
//! dropped.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use serde_json::value::RawValue;

/// The API key the server accepts unless told otherwise.
pub const TEST_API_KEY: &str = "test-key-0123456789";

/// A largest item, in bytes, the server accepts: 32,000 (the stricter reading of 32 KB).
pub const MAX_ITEM_BYTES: usize = 32_000;
/// The largest request body, in bytes, the server accepts: 500,000 (the stricter reading of 500 KB).
pub const MAX_BODY_BYTES: usize = 500_000;

/// A fault the server injects into the next request, instead of (or besides) its normal answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status (such as 500) and an error body; nothing is kept.
    Status(u16),
    /// Answer 429 with this `Retry-After` value (seconds or an HTTP date); nothing is kept.
    TooManyRequests {
        /// The `Retry-After` header value.
        retry_after: String,
    },
    /// Close the connection without answering; nothing is kept.
    Reset,
    /// Handle the request normally (keeping what it accepts), then wait this long before
    /// answering: longer than the client's timeout, the client sees a timeout although the
    /// server kept the events.
    Delay(Duration),
    /// Answer with this status and a body echoing every request header, and the user of
    /// a Basic `Authorization` decoded, as some debugging servers and proxies do; nothing
    /// is kept.
    EchoHeaders(u16),
    /// Answer with this status and this one error message; nothing is kept.
    StatusWith(u16, String),
}

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The API key it accepts.
    pub api_key: String,
    /// Events with this name are refused as invalid (a server-side rule the SDK cannot
    /// know about), to test what happens to one bad event in a batch.
    pub reject_event: Option<String>,
    /// Whether a strict-mode 400 names each refused item by its place in the batch, as
    /// `batch[N]: reason` (the default), or gives the reasons only, naming nothing, as a
    /// server whose messages carry no path would.
    pub name_refused_items: bool,
    /// How long the server waits before answering each request (after handling it): a
    /// round trip over a real network, on loopback. Zero by default.
    pub answer_after: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            api_key: TEST_API_KEY.to_owned(),
            reject_event: None,
            name_refused_items: true,
            answer_after: Duration::ZERO,
        }
    }
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// The path, such as `/v1/batch`.
    pub path: String,
    /// The body size in bytes.
    pub body_len: usize,
    /// The largest item of the body, in bytes, as sent.
    pub max_item_len: usize,
    /// The messageIds of the body's items, in order.
    pub message_ids: Vec<String>,
    /// The status answered (0 for a reset).
    pub status: u16,
    /// Whether `X-Strict-Mode: 1` was sent.
    pub strict: bool,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The raw `Authorization` header.
    pub authorization: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    faults: VecDeque<Fault>,
    requests: Vec<Seen>,
    accepted: Vec<Accepted>,
}

/// A request as kept: its body is read into a [`SeenRequest`] only when a test asks, so
/// the server spends nothing per event on what tests look at afterwards.
#[derive(Debug)]
struct Seen {
    request: SeenRequest,
    body: Bytes,
}

impl Seen {
    fn read(&self) -> SeenRequest {
        let mut request = self.request.clone();
        if let Ok(items) = parse_items(&request.path, &self.body) {
            request.max_item_len = items
                .iter()
                .map(|item| item.raw.get().len())
                .max()
                .unwrap_or(0);
            request.message_ids = items
                .iter()
                .filter_map(|item| text(&item.envelope.as_ref().ok()?.message_id))
                .map(str::to_owned)
                .collect();
        }
        request
    }
}

/// An accepted event: where it is in the body it came in (shared, not copied).
#[derive(Debug)]
struct Accepted {
    body: Bytes,
    raw: std::ops::Range<usize>,
}

impl Accepted {
    fn raw(&self) -> &[u8] {
        self.body.get(self.raw.clone()).unwrap_or_default()
    }
}

/// The envelope fields the server checks, read once per item without building a `Value`.
#[derive(Debug, serde::Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Text<'a>>,
    #[serde(borrow, default)]
    event: Option<Text<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(rename = "groupId", borrow, default)]
    group_id: Option<Text<'a>>,
    #[serde(rename = "previousId", borrow, default)]
    previous_id: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    properties: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    traits: Option<&'a RawValue>,
    #[serde(rename = "userId", borrow, default)]
    user_id: Option<Text<'a>>,
    #[serde(rename = "anonymousId", borrow, default)]
    anonymous_id: Option<Text<'a>>,
    #[serde(rename = "messageId", borrow, default)]
    message_id: Option<Text<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    timestamp: Option<&'a RawValue>,
    #[serde(
        rename = "originalTimestamp",
        borrow,
        default,
        deserialize_with = "present"
    )]
    original_timestamp: Option<&'a RawValue>,
    #[serde(rename = "sentAt", borrow, default, deserialize_with = "present")]
    sent_at: Option<&'a RawValue>,
    #[serde(rename = "receivedAt", borrow, default, deserialize_with = "present")]
    received_at: Option<&'a RawValue>,
}

/// A field that is present, `null` included (`Option` alone reads `null` as absent).
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<&'de RawValue>, D::Error> {
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Checks a date-time as the strict API does: an RFC 3339 string
/// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`; RFC 3339 lets the `T` be a space,
/// and `T` and `Z` be lower case) of the years 0001 to 9999, a
/// real calendar day, no leap second. Written here on its own, not with the library's
/// parser, so that the two can disagree and a test notice.
fn check_date_time(field: &str, raw: &RawValue) -> Result<(), String> {
    let refuse = || {
        format!(
            "{field} must be an RFC 3339 date-time of the years 0001-9999, found {}",
            raw.get()
        )
    };
    let text: String = serde_json::from_str(raw.get()).map_err(|_| refuse())?;
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |n, b| Some(n * 10 + u32::from(b - b'0')))
    };
    let at = |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|b| allowed.contains(b));
    let fields = (|| {
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
            return None;
        }
        let mut rest = 19;
        if at(rest, b".") {
            let count = bytes[rest + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if count == 0 {
                return None;
            }
            rest += 1 + count;
        }
        let zone_ok = if at(rest, b"Zz") {
            rest + 1 == bytes.len()
        } else if at(rest, b"+-") {
            rest + 6 == bytes.len()
                && at(rest + 3, b":")
                && digits(rest + 1..rest + 3)? <= 23
                && digits(rest + 4..rest + 6)? <= 59
        } else {
            false
        };
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        Some(
            zone_ok
                && (1..=9999).contains(&year)
                && (1..=days).contains(&day)
                && hour <= 23
                && minute <= 59
                && second <= 59,
        )
    })();
    if fields == Some(true) {
        Ok(())
    } else {
        Err(refuse())
    }
}

/// A JSON string, borrowed from the body unless it has escapes. serde borrows a `Cow`
/// only as a field of its own: an `Option<Cow<str>>` field would allocate every time.
#[derive(Debug, serde::Deserialize)]
struct Text<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// The text of an optional field.
fn text<'a>(field: &'a Option<Text<'_>>) -> Option<&'a str> {
    field.as_ref().map(|text| &*text.0)
}

struct Inner {
    config: ServerConfig,
    state: Mutex<State>,
    /// Requests being handled now, and the most there ever were at once.
    active: AtomicUsize,
    most_active: AtomicUsize,
}

/// Counts a request as being handled until dropped.
struct Active<'a>(&'a Inner);

impl<'a> Active<'a> {
    fn start(inner: &'a Inner) -> Self {
        let now = inner.active.fetch_add(1, Ordering::SeqCst) + 1;
        inner.most_active.fetch_max(now, Ordering::SeqCst);
        Active(inner)
    }
}

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The running server. Dropping it stops it.
pub struct TestServer {
    addr: SocketAddr,
    inner: Arc<Inner>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the default configuration.
    pub fn start() -> TestServer {
        TestServer::start_with(ServerConfig::default())
    }

    /// Starts a server with `config`.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound: the test cannot run at all then.
    pub fn start_with(config: ServerConfig) -> TestServer {
        let inner = Arc::new(Inner {
            config,
            state: Mutex::new(State::default()),
            active: AtomicUsize::new(0),
            most_active: AtomicUsize::new(0),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server_inner = Arc::clone(&inner);
        let thread = std::thread::Builder::new()
            .name("test-server".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("test server runtime");
                runtime.block_on(serve(listener, server_inner, stopped));
            })
            .expect("test server thread");
        TestServer {
            addr,
            inner,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The base URL to give the client: `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Injects `faults` into the next requests, one each, in order.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.inner.state().faults.extend(faults);
    }

    /// Every request seen, in order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.inner.state().requests.iter().map(Seen::read).collect()
    }

    /// The most requests the server was handling at one time (a request counts from its
    /// arrival until its answer, [`Fault::Delay`] included).
    pub fn most_concurrent_requests(&self) -> usize {
        self.inner.most_active.load(Ordering::SeqCst)
    }

    /// Every event accepted, in order (duplicates included).
    pub fn accepted(&self) -> Vec<Value> {
        self.inner
            .state()
            .accepted
            .iter()
            .filter_map(|event| serde_json::from_slice(event.raw()).ok())
            .collect()
    }

    /// The messageIds of the accepted events, in order (duplicates included).
    pub fn accepted_ids(&self) -> Vec<String> {
        self.inner
            .state()
            .accepted
            .iter()
            .filter_map(|event| serde_json::from_slice::<Envelope<'_>>(event.raw()).ok())
            .filter_map(|envelope| text(&envelope.message_id).map(str::to_owned))
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    inner: Arc<Inner>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let inner = Arc::clone(&inner);
                connections.spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&inner), request));
                    // An error here is a reset we injected, or a client that went away.
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        }
    }
    connections.abort_all();
}

/// An error that makes hyper drop the connection without answering.
#[derive(Debug)]
struct InjectedReset;

impl std::fmt::Display for InjectedReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected connection reset")
    }
}

impl std::error::Error for InjectedReset {}

fn json_response(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

fn errors_body(errors: &[String]) -> String {
    serde_json::json!({ "meta": { "errors": errors } }).to_string()
}

async fn handle(
    inner: Arc<Inner>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    let _active = Active::start(&inner);
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let path = request.uri().path().to_owned();
    let strict = header("x-strict-mode").as_deref() == Some("1");
    let user_agent = header("user-agent");
    let content_type = header("content-type");
    let authorization = header("authorization");
    let echoed = echo_headers(request.headers());
    let body = match Limited::new(request.into_body(), 4 * MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return Ok(json_response(
                400,
                errors_body(&["request body too large".to_owned()]),
            ));
        }
    };

    let fault = inner.state().faults.pop_front();
    let mut seen = SeenRequest {
        path: path.clone(),
        body_len: body.len(),
        max_item_len: 0,
        message_ids: Vec::new(),
        status: 0,
        strict,
        user_agent,
        content_type,
        authorization: authorization.clone(),
    };
    let (status, response_body, retry_after, delay) = match fault {
        Some(Fault::Reset) => {
            inner.state().requests.push(Seen {
                request: seen,
                body,
            });
            return Err(InjectedReset);
        }
        Some(Fault::Status(status)) => (
            status,
            errors_body(&[format!("injected {status}")]),
            None,
            None,
        ),
        Some(Fault::EchoHeaders(status)) => (status, echoed, None, None),
        Some(Fault::StatusWith(status, message)) => (status, errors_body(&[message]), None, None),
        Some(Fault::TooManyRequests { retry_after }) => (
            429,
            errors_body(&["too many requests".to_owned()]),
            Some(retry_after),
            None,
        ),
        Some(Fault::Delay(delay)) => {
            let (status, body) = judge(&inner, strict, authorization.as_deref(), &path, &body);
            (status, body, None, Some(delay))
        }
        None => {
            let (status, body) = judge(&inner, strict, authorization.as_deref(), &path, &body);
            (status, body, None, None)
        }
    };
    seen.status = status;
    inner.state().requests.push(Seen {
        request: seen,
        body,
    });
    let delay = delay.unwrap_or(inner.config.answer_after);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut response = json_response(status, response_body);
    if let Some(retry_after) =
        retry_after.and_then(|value| hyper::header::HeaderValue::from_str(&value).ok())
    {
        response.headers_mut().insert("retry-after", retry_after);
    }
    Ok(response)
}

/// A JSON error body listing every header as `name: value`, then the user of a Basic
/// `Authorization` decoded.
fn echo_headers(headers: &hyper::HeaderMap) -> String {
    let mut lines: Vec<String> = headers
        .iter()
        .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
        .collect();
    let decoded = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|token| base64::engine::general_purpose::STANDARD.decode(token).ok());
    if let Some(decoded) = decoded {
        lines.push(format!(
            "credentials: {}",
            String::from_utf8_lossy(&decoded)
        ));
    }
    errors_body(&lines)
}

/// One item of a body, its envelope read once for every use.
struct Item<'a> {
    raw: &'a RawValue,
    envelope: Result<Envelope<'a>, String>,
}

fn parse_items<'a>(path: &str, body: &'a [u8]) -> Result<Vec<Item<'a>>, String> {
    #[derive(serde::Deserialize)]
    struct Batch<'a> {
        #[serde(borrow)]
        batch: Vec<&'a RawValue>,
    }
    let raws = match path {
        "/v1/batch" => serde_json::from_slice::<Batch<'_>>(body)
            .map(|batch| batch.batch)
            .map_err(|error| format!("the body is not a batch: {error}")),
        "/v1/track" | "/v1/identify" | "/v1/group" | "/v1/page" | "/v1/screen" | "/v1/alias" => {
            serde_json::from_slice::<&RawValue>(body)
                .map(|item| vec![item])
                .map_err(|error| format!("the body is not JSON: {error}"))
        }
        other => Err(format!("unknown path {other}")),
    }?;
    Ok(raws
        .into_iter()
        .map(|raw| Item {
            raw,
            envelope: serde_json::from_str(raw.get()).map_err(|error| error.to_string()),
        })
        .collect())
}

/// Checks auth, limits and payloads; keeps what it accepts. Returns the status and body.
fn judge(
    inner: &Inner,
    strict: bool,
    authorization: Option<&str>,
    path: &str,
    body: &Bytes,
) -> (u16, String) {
    let body_len = body.len();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:", inner.config.api_key))
    );
    if authorization != Some(expected.as_str()) {
        return if strict {
            (
                401,
                errors_body(&["unauthorized: check the API key".to_owned()]),
            )
        } else {
            (200, "{}".to_owned())
        };
    }
    let items = match parse_items(path, body) {
        Ok(items) => items,
        Err(error) => {
            return if strict {
                (400, errors_body(&[error]))
            } else {
                (200, "{}".to_owned())
            };
        }
    };
    if body_len > MAX_BODY_BYTES {
        let error = format!("request body of {body_len} bytes is over {MAX_BODY_BYTES}");
        return if strict {
            (400, errors_body(&[error]))
        } else {
            (200, "{}".to_owned())
        };
    }
    let mut errors = Vec::new();
    let mut good = Vec::new();
    // A single call's path names its type: `/v1/identify` takes identify calls.
    let single = path.strip_prefix("/v1/").filter(|kind| *kind != "batch");
    for (index, item) in items.iter().enumerate() {
        let checked = match (single, &item.envelope) {
            (Some(kind), Ok(envelope)) if text(&envelope.kind).is_some_and(|k| k != kind) => {
                Err(format!("{path} takes \"type\": \"{kind}\" calls only"))
            }
            _ => check_item(inner, item),
        };
        match checked {
            Ok(()) => good.push(Accepted {
                body: body.clone(),
                raw: offset_in(body, item.raw.get()),
            }),
            Err(error) if inner.config.name_refused_items => {
                errors.push(format!("batch[{index}]: {error}"));
            }
            Err(error) => errors.push(error),
        }
    }
    if strict && !errors.is_empty() {
        return (400, errors_body(&errors));
    }
    inner.state().accepted.extend(good);
    (200, "{}".to_owned())
}

/// Where `part`, a slice of `body`, lies in it.
fn offset_in(body: &[u8], part: &str) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(body.as_ptr() as usize);
    start..start + part.len()
}

fn check_item(inner: &Inner, item: &Item<'_>) -> Result<(), String> {
    let len = item.raw.get().len();
    if len > MAX_ITEM_BYTES {
        return Err(format!("item of {len} bytes is over {MAX_ITEM_BYTES}"));
    }
    let envelope = item.envelope.as_ref().map_err(Clone::clone)?;
    let kind = text(&envelope.kind).unwrap_or_default();
    // Blank (empty or only whitespace) counts as missing, as the library counts it.
    let non_empty = |id: &Option<Text<'_>>| text(id).is_some_and(|id| !id.trim().is_empty());
    // An object when present: `null` and other values are refused.
    let object = |field: &str, raw: Option<&RawValue>| match raw {
        Some(raw) if !raw.get().trim_start().starts_with('{') => {
            Err(format!("{field} must be an object, found {}", raw.get()))
        }
        _ => Ok(()),
    };
    let mut event = "";
    match kind {
        "track" => {
            event = text(&envelope.event).unwrap_or_default();
            if event.is_empty() {
                return Err("event must be a non-empty string".to_owned());
            }
            object("properties", envelope.properties)?;
        }
        "identify" => object("traits", envelope.traits)?,
        "group" => {
            if !non_empty(&envelope.group_id) {
                return Err("groupId must be a non-empty string".to_owned());
            }
            object("traits", envelope.traits)?;
        }
        "page" | "screen" => {
            if envelope.name.is_some() && !non_empty(&envelope.name) {
                return Err("name, when present, must be a non-empty string".to_owned());
            }
            object("properties", envelope.properties)?;
        }
        "alias" => {
            if !non_empty(&envelope.user_id) {
                return Err("userId is required: the id the person is known by now".to_owned());
            }
            if !non_empty(&envelope.previous_id) {
                return Err("previousId must be a non-empty string".to_owned());
            }
        }
        other => {
            return Err(format!(
                "type must be one of \"track\", \"identify\", \"group\", \"page\", \
                 \"screen\", \"alias\"; found {other:?}"
            ));
        }
    }
    if !non_empty(&envelope.user_id) && !non_empty(&envelope.anonymous_id) {
        return Err("userId or anonymousId is required".to_owned());
    }
    for (field, id) in [
        ("userId", &envelope.user_id),
        ("anonymousId", &envelope.anonymous_id),
    ] {
        if text(id).is_some() && !non_empty(id) {
            return Err(format!("{field} must not be empty"));
        }
    }
    match text(&envelope.message_id) {
        Some(id) if !id.is_empty() && id.chars().count() <= 100 => {}
        _ => return Err("messageId must be a string of 1 to 100 characters".to_owned()),
    }
    // `timestamp` may be null (the server then uses the receive time); the others,
    // when present, must be date-times.
    if let Some(raw) = envelope.timestamp.filter(|raw| raw.get() != "null") {
        check_date_time("timestamp", raw)?;
    }
    for (field, raw) in [
        ("originalTimestamp", envelope.original_timestamp),
        ("sentAt", envelope.sent_at),
        ("receivedAt", envelope.received_at),
    ] {
        if let Some(raw) = raw {
            check_date_time(field, raw)?;
        }
    }
    if kind == "track" && inner.config.reject_event.as_deref() == Some(event) {
        return Err(format!("event {event:?} is not allowed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_fields_are_read_borrowed_or_unescaped() {
        let body =
            br#"{"batch":[{"type":"track","event":"Say \"Hi\"","userId":"u","messageId":"m1"}]}"#;
        let items = parse_items("/v1/batch", body).expect("a batch");
        let envelope = items[0].envelope.as_ref().expect("an envelope");
        assert_eq!(text(&envelope.event), Some("Say \"Hi\""));
        assert!(matches!(
            envelope.message_id,
            Some(Text(std::borrow::Cow::Borrowed("m1")))
        ));
        assert_eq!(text(&envelope.anonymous_id), None);
    }
}
