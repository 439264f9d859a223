//! Checking one payload: parse it as the call its `"type"` names, validate it, and
//! measure it.

use event_core::calls::AnyCall;
use event_core::client::ClientBuilder;
use event_core::ecommerce::EcommerceEvent;
use event_core::spec::{self, JsonType, PropertySpec};
use event_core::{ReadOptions, Track, Validate, ValidationErrors, WriteError};
use serde_json::{Map, Value};

/// One thing wrong with a payload: where (a wire path, possibly empty) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path of the field, such as `properties.products[0].price`; empty for the
    /// payload as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn whole(message: impl Into<String>) -> Problem {
        Problem {
            path: String::new(),
            message: message.into(),
        }
    }

    /// One problem per validation error, at its wire path.
    pub fn invalid(errors: &ValidationErrors) -> Vec<Problem> {
        errors
            .iter()
            .map(|error| Problem {
                path: error.path().to_owned(),
                message: error.message().to_owned(),
            })
            .collect()
    }

    /// An event of `bytes` once serialized, over the limit of `max`.
    pub fn too_large(bytes: usize, max: usize) -> Problem {
        Problem::whole(format!(
            "the event is {bytes} bytes once serialized, over the API's limit of {max} bytes per event"
        ))
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// How strict the checks are.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    /// The tracking plan every line must also follow (`--plan`), loaded once for the
    /// whole run.
    pub plan: Option<&'static Plan>,
    /// Accept the event names Customer.io acts on (`User Deleted`, ...).
    pub allow_reserved: bool,
    /// Accept names that almost are ecommerce events (`Product List Veiwed`) as custom
    /// events.
    pub allow_near_miss_names: bool,
}

impl Rules {
    /// The reader's options for these rules: the library's verdict is the command's.
    fn read_options(self) -> ReadOptions {
        ReadOptions::new()
            .allow_reserved(self.allow_reserved)
            .allow_near_miss_names(self.allow_near_miss_names)
    }
}

/// Parses `bytes` as one call (track, identify, group, page, screen or alias, by its
/// `"type"`) and checks it as the client would before sending.
///
/// A call other than track gets its own rules (its ids, `groupId`, `previousId`,
/// `traits` or `properties` an object, ...) and the envelope's. For a track call, known ecommerce events are read into their typed structs and validated; any other
/// event gets the envelope checks of the parse (`type`, `event`, `userId` or
/// `anonymousId`, `messageId`, `timestamp`, `context`, `integrations`). The event name is
/// checked as the reader checks it (near misses and reserved names refused unless the
/// rules allow them). Every problem is reported, not only the first: a payload that does
/// not parse is checked property by property against the spec.
pub fn check(bytes: &[u8], rules: Rules) -> Result<AnyCall, Vec<Problem>> {
    if let Err(error) = std::str::from_utf8(bytes) {
        return Err(vec![Problem::whole(format!(
            "not valid UTF-8 (bad byte at offset {})",
            error.valid_up_to()
        ))]);
    }
    let built_in = check_built_in(bytes, rules);
    let Some(plan) = rules.plan else {
        return built_in;
    };
    let planned = plan.problems(bytes);
    match built_in {
        Ok(call) if planned.is_empty() => Ok(call),
        Ok(_) => Err(planned),
        Err(mut problems) => {
            for problem in planned {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
            Err(problems)
        }
    }
}

/// The built-in checks of [`check`].
fn check_built_in(bytes: &[u8], rules: Rules) -> Result<AnyCall, Vec<Problem>> {
    match AnyCall::from_json_with(bytes, rules.read_options()) {
        Ok(call) => match call.validate() {
            Ok(()) => Ok(call),
            Err(errors) => Err(Problem::invalid(&errors)),
        },
        Err(error) if is_track(bytes) => Err(every_problem(bytes, rules, error)),
        Err(error) => Err(every_call_problem(bytes, rules, &error)),
    }
}

/// Whether `bytes` holds a track call: its `"type"` is `"track"`, or it has none and
/// has an `"event"` (or it is not an object the other calls could read).
fn is_track(bytes: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(payload)) => match payload.get("type") {
            Some(kind) => kind == "track",
            None => payload.contains_key("event"),
        },
        _ => true,
    }
}

/// Every problem of a call other than track that the reader refused with `first`: the
/// field at fault is left out and the rest read again, until it reads or the problem is
/// not one field's.
fn every_call_problem(bytes: &[u8], rules: Rules, first: &event_core::ParseError) -> Vec<Problem> {
    let mut problems = vec![parse_problem(bytes, first)];
    let Ok(Value::Object(mut payload)) = serde_json::from_slice::<Value>(bytes) else {
        return problems;
    };
    // Each round removes one top-level field: the rounds are bounded by their number.
    while let Some(last) = problems.last() {
        let field = last
            .path
            .split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_owned();
        if field.is_empty() || field == "type" || payload.remove(&field).is_none() {
            break;
        }
        let Ok(json) = serde_json::to_vec(&payload) else {
            break;
        };
        match AnyCall::from_json_with(&json, rules.read_options()) {
            Ok(call) => {
                if let Err(errors) = call.validate() {
                    problems.extend(Problem::invalid(&errors));
                }
                break;
            }
            Err(error) => {
                let problem = parse_problem(&json, &error);
                if problems.contains(&problem) {
                    break;
                }
                problems.push(problem);
            }
        }
    }
    problems
}

/// Every problem of a payload the reader refused with `first`.
fn every_problem(bytes: &[u8], rules: Rules, first: event_core::ParseError) -> Vec<Problem> {
    let first = parse_problem(bytes, &first);
    let Ok(Value::Object(mut payload)) = serde_json::from_slice::<Value>(bytes) else {
        return vec![first];
    };
    let mut problems = Vec::new();
    // The name first; the rest is then read as if the name were allowed.
    let name = payload
        .get("event")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Err(error) = rules.read_options().check_event_name(name) {
        let hint = if error.is_reserved() {
            ". If that is what you mean, pass --allow-reserved"
        } else {
            " If the name is deliberate, pass --allow-near-miss-names"
        };
        problems.push(Problem {
            path: "event".to_owned(),
            message: format!("{}{hint}", error.reason()),
        });
    }
    // Properties of the wrong JSON type are reported and left out, so that the rest
    // can be read and validated.
    if let (Some(event), Some(Value::Object(properties))) =
        (spec::event(name), payload.get_mut("properties"))
    {
        strip_wrong_types(properties, event.properties, "properties", &mut problems);
    }
    let stripped = !problems.is_empty();
    let everything = ReadOptions::new()
        .allow_reserved(true)
        .allow_near_miss_names(true);
    let rest = serde_json::to_vec(&payload)
        .ok()
        .map(|json| everything.from_json::<Track<EcommerceEvent>>(&json));
    match rest {
        Some(Ok(track)) => {
            if let Err(errors) = track.validate() {
                problems.extend(Problem::invalid(&errors));
            }
        }
        Some(Err(error)) => problems.push(parse_problem(bytes, &error)),
        None => {}
    }
    if !stripped && problems.is_empty() {
        // Something the parsed value no longer shows (a key twice in an object).
        problems.push(first);
    }
    problems
}

/// The problem a parse error describes, telling broken JSON from a JSON value that is
/// not a valid payload.
fn parse_problem(bytes: &[u8], error: &event_core::ParseError) -> Problem {
    let syntax = serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .err()
        .filter(|error| error.is_syntax() || error.is_eof());
    let message = match syntax {
        Some(syntax) => {
            let text = syntax.to_string();
            let position = format!(" at line {} column {}", syntax.line(), syntax.column());
            let text = text.strip_suffix(&position).unwrap_or(&text);
            format!("not valid JSON: {text} (column {})", syntax.column())
        }
        None => error.message().to_owned(),
    };
    // serde_path_to_error writes `?` for a position it cannot name.
    let path = match error.path() {
        "?" => String::new(),
        path => path.to_owned(),
    };
    Problem { path, message }
}

/// Reports each of `known` in `object` whose value is not of its spec type, and
/// removes it (a list of products keeps its places: a product that is not an object
/// becomes `{}`).
fn strip_wrong_types(
    object: &mut Map<String, Value>,
    known: &[PropertySpec],
    path: &str,
    problems: &mut Vec<Problem>,
) {
    for property in known {
        let Some(value) = object.get_mut(property.name) else {
            continue;
        };
        let at = format!("{path}.{}", property.name);
        let fits = match (property.json_type, &mut *value) {
            (_, Value::Null) => true,
            (JsonType::String, value) => value.is_string(),
            (JsonType::Number, value) => value.is_number(),
            (JsonType::ProductArray, Value::Array(products)) => {
                for (index, product) in products.iter_mut().enumerate() {
                    let at = format!("{at}[{index}]");
                    match product {
                        Value::Object(product) => {
                            strip_wrong_types(product, spec::PRODUCT_PROPERTIES, &at, problems);
                        }
                        other => {
                            problems.push(wrong_type(&at, "a product object", other));
                            *other = Value::Object(Map::new());
                        }
                    }
                }
                true
            }
            (JsonType::FilterArray | JsonType::SortArray, Value::Array(items)) => {
                let mut fits = true;
                for (index, item) in items.iter().enumerate() {
                    let is_text = |key| item.get(key).is_some_and(Value::is_string);
                    if !(item.is_object() && is_text("type") && is_text("value")) {
                        let expected = "an object {\"type\": string, \"value\": string}";
                        problems.push(wrong_type(&format!("{at}[{index}]"), expected, item));
                        fits = false;
                    }
                }
                fits
            }
            _ => false,
        };
        if !fits {
            if !matches!(
                property.json_type,
                JsonType::FilterArray | JsonType::SortArray
            ) || !value.is_array()
            {
                let expected = match property.json_type {
                    JsonType::String => "a string",
                    JsonType::Number => "a number",
                    JsonType::ProductArray => "an array of products",
                    JsonType::FilterArray | JsonType::SortArray => "an array of objects",
                };
                problems.push(wrong_type(&at, expected, value));
            }
            object.remove(property.name);
        }
    }
}

fn wrong_type(path: &str, expected: &str, found: &Value) -> Problem {
    let found = match found {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => format!("boolean `{value}`"),
        Value::Number(value) => format!("number {value}"),
        Value::String(value) => format!("string {value:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    Problem {
        path: path.to_owned(),
        message: format!("invalid type: {found}, expected {expected} (the spec's type)"),
    }
}

/// Checks that `call`, serialized, fits the API's limit per event. (`send` leaves this
/// to the client, which serializes each event once and refuses one too large.)
pub fn check_size(call: &AnyCall) -> Result<(), Vec<Problem>> {
    // Written as the client writes it, refusing what JSON cannot carry.
    let mut json = Vec::new();
    event_core::write_json(&mut json, call).map_err(|error| match error {
        WriteError::Invalid(error) => vec![Problem {
            path: error.path().to_owned(),
            message: error.message().to_owned(),
        }],
        other => vec![Problem::whole(other.to_string())],
    })?;
    let size = json.len();
    let max = ClientBuilder::DEFAULT_MAX_ITEM_BYTES;
    if size > max {
        return Err(vec![Problem::too_large(size, max)]);
    }
    Ok(())
}

/// A tracking plan (`--plan FILE`), in the layout of Segment Protocols' tracking plans
/// that `event_core::plan::Plan` writes: each event's JSON Schema, compiled once by
/// boon, a JSON Schema validator.
pub struct Plan {
    schemas: boon::Schemas,
    events: Vec<(String, boon::SchemaIndex)>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field(
                "events",
                &self.events.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// Reads and compiles the plan at `path`.
    ///
    /// # Errors
    ///
    /// A message naming the file and what is wrong with it.
    pub fn load(path: &std::path::Path) -> Result<Plan, String> {
        let shown = path.display();
        let bytes = std::fs::read(path)
            .map_err(|error| format!("cannot read the plan {shown}: {error}"))?;
        let document: Value = serde_json::from_slice(&bytes)
            .map_err(|error| format!("the plan {shown} is not valid JSON: {error}"))?;
        let Some(events) = document.pointer("/rules/events").and_then(Value::as_array) else {
            return Err(format!(
                "the plan {shown} has no array `rules.events`: write it as {{\"rules\": {{\"events\": [{{\"name\": \"...\", \"rules\": {{...}}}}]}}}}"
            ));
        };
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        // Formats (email, uri, date-time) are checked, not only noted.
        compiler.enable_format_assertions();
        let mut names = Vec::new();
        for (index, event) in events.iter().enumerate() {
            let Some(name) = event.get("name").and_then(Value::as_str) else {
                return Err(format!(
                    "the plan {shown}: rules.events[{index}] has no string `name`"
                ));
            };
            let rules = event
                .get("rules")
                .cloned()
                .unwrap_or_else(|| serde_json::json!({}));
            let url = format!("urn:cio-events:plan:{index}");
            let invalid = |error: boon::CompileError| {
                format!(
                    "the plan {shown}: the schema of {name:?} (rules.events[{index}].rules) is not valid JSON Schema: {error}"
                )
            };
            compiler.add_resource(&url, rules).map_err(invalid)?;
            let schema = compiler.compile(&url, &mut schemas).map_err(invalid)?;
            names.push((name.to_owned(), schema));
        }
        Ok(Plan {
            schemas,
            events: names,
        })
    }

    /// Every way the payload `bytes` breaks the plan: an event the plan lacks, or each
    /// error of its schema, at its path. A plan lists track events: other calls are
    /// not its to check.
    fn problems(&self, bytes: &[u8]) -> Vec<Problem> {
        let Ok(payload) = serde_json::from_slice::<Value>(bytes) else {
            // The built-in checks report broken JSON.
            return Vec::new();
        };
        if payload.get("type").is_some_and(|kind| kind != "track") {
            return Vec::new();
        }
        let Some(name) = payload.get("event").and_then(Value::as_str) else {
            return Vec::new();
        };
        let Some((_, schema)) = self.events.iter().find(|(planned, _)| planned == name) else {
            let names = self.events.iter().map(|(planned, _)| planned.as_str());
            let hint = match spec::suggest::closest(name, names) {
                Some(candidate) => format!(": did you mean {candidate:?}?"),
                None => String::new(),
            };
            return vec![Problem {
                path: "event".to_owned(),
                message: format!("the event {name:?} is not in the tracking plan{hint}"),
            }];
        };
        let mut problems = Vec::new();
        if let Err(error) = self.schemas.validate(&payload, *schema) {
            leaves(&error, &mut problems);
        }
        problems
    }
}

/// The innermost errors of a validation error, each as a problem at its path.
fn leaves(error: &boon::ValidationError<'_, '_>, problems: &mut Vec<Problem>) {
    if !error.causes.is_empty() {
        for cause in &error.causes {
            leaves(cause, problems);
        }
        return;
    }
    let mut path = String::new();
    for token in &error.instance_location.tokens {
        match token {
            boon::InstanceToken::Prop(name) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            boon::InstanceToken::Item(index) => path.push_str(&format!("[{index}]")),
        }
    }
    // A missing property is reported at the property, as the other checks do.
    if let boon::ErrorKind::Required { want } = &error.kind {
        for name in want {
            let at = if path.is_empty() {
                (*name).to_owned()
            } else {
                format!("{path}.{name}")
            };
            problems.push(Problem {
                path: at,
                message: "the tracking plan requires this property, and it is missing".to_owned(),
            });
        }
        return;
    }
    problems.push(Problem {
        path,
        message: format!("does not follow the tracking plan: {}", error.kind),
    });
}
