//! The `context` of a call: where and how the event was collected.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An open map of extra JSON fields, kept as they came.
pub type Extra = Map<String, Value>;

/// The `context` object: typed common fields plus anything else in [`Context::extra`].
///
/// Every field is optional and left out of the JSON when absent.
///
/// ```
/// use event_core::Context;
///
/// let mut context = Context::default();
/// context.ip = Some("203.0.113.7".into());
/// context.extra.insert("additionalProperty".into(), "anything".into());
/// let json = serde_json::to_value(&context).unwrap();
/// assert_eq!(json, serde_json::json!({"ip": "203.0.113.7", "additionalProperty": "anything"}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// The visitor's IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The locale, such as `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The user agent of the browser or app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The channel: `server`, `browser` or `mobile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The time zone, such as `Europe/Berlin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The page the event happened on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<Page>,
    /// The marketing campaign that brought the visitor (UTM parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Campaign>,
    /// The app that sent the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
    /// The device the event happened on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// The operating system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Os>,
    /// The library that sent the event; [`Track::new`](crate::Track::new) fills in this crate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<Library>,
    /// Any other context fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Context {
    /// A context naming this crate as the sending library, and nothing else.
    pub fn with_this_library() -> Self {
        Context {
            library: Some(Library::this_crate()),
            ..Context::default()
        }
    }

    /// Whether nothing at all is set.
    pub fn is_empty(&self) -> bool {
        *self == Context::default()
    }
}

/// `context.page`: the web page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The path, such as `/shoes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The referring URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The query string, such as `?color=red`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// The page title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The full URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Any other page fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `context.campaign`: UTM parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `utm_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// `utm_term`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// `utm_content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Any other campaign fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `context.app`: the sending application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct App {
    /// The app's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The app's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The app's build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// The app's namespace or bundle id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Any other app fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `context.device`: the device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// The device id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The manufacturer, such as `Apple`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// The model, such as `iPhone15,2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The device's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The kind of device, such as `ios` (the JSON field is `type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The advertising id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advertising_id: Option<String>,
    /// Whether ad tracking is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_tracking_enabled: Option<bool>,
    /// The push token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Any other device fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `context.os`: the operating system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Os {
    /// The OS name, such as `iOS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The OS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Any other OS fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `context.library`: the library that sent the event.
///
/// The name and version are `Cow`s so that [`Library::this_crate`], set on every event,
/// costs no allocation; assign a `String` or a `&'static str` with `.into()`.
///
/// ```
/// use event_core::Library;
///
/// let mut library = Library::this_crate();
/// assert_eq!(library.name.as_deref(), Some("event-core"));
/// library.name = Some(format!("{}-wrapper", "my-app").into());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Library {
    /// The library's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Cow<'static, str>>,
    /// The library's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Cow<'static, str>>,
    /// Any other library fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Library {
    /// This crate: `event-core` and its version.
    pub fn this_crate() -> Self {
        Library {
            name: Some(Cow::Borrowed(env!("CARGO_PKG_NAME"))),
            version: Some(Cow::Borrowed(env!("CARGO_PKG_VERSION"))),
            extra: Extra::new(),
        }
    }
}
