//! Tracking plans written out of the code: every schema is a valid draft-07 schema to
//! an independent validator (boon), accepts the event's own serialized payload, and
//! the plan of the ecommerce catalogue accepts every ecommerce fixture.

use event_core::SemanticEvent;
use event_core::ecommerce::{CartViewed, OrderCompleted, Product};
use event_core::plan::Plan;
use serde::Serialize;
use serde_json::{Value, json};

/// Compiles `schema` with boon and validates `instance` against it.
fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("urn:event-schema", schema.clone())
        .map_err(|error| format!("{error:#}"))?;
    let index = compiler
        .compile("urn:event-schema", &mut schemas)
        .map_err(|error| format!("the schema does not compile: {error:#}"))?;
    schemas
        .validate(instance, index)
        .map_err(|error| format!("{error:#}"))
}

fn call<E: SemanticEvent + Serialize>(event: &E) -> Value {
    json!({"type": "track", "event": E::EVENT_NAME, "userId": "u-1", "properties": event})
}

/// A visitor finished signing up.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Signup Completed")]
struct SignupCompleted {
    /// The plan chosen.
    #[semantic_event(non_empty)]
    plan: String,
    #[semantic_event(email)]
    email: Option<String>,
    #[semantic_event(range(min = 0, max = 120))]
    age: Option<u32>,
    #[serde(rename = "referralCodes")]
    #[semantic_event(length(max = 3))]
    referral_codes: Vec<String>,
    #[semantic_event(currency)]
    currency: String,
    newsletter: bool,
    first_items: Vec<Product>,
}

fn signup() -> SignupCompleted {
    SignupCompleted {
        plan: "pro".into(),
        email: None,
        age: Some(33),
        referral_codes: vec!["A".into()],
        currency: "EUR".into(),
        newsletter: true,
        first_items: vec![Product::new("p-1", "Monopoly", 18.99)],
    }
}

#[test]
fn a_derived_schema_says_what_the_struct_says() {
    let schema = SignupCompleted::json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let properties = &schema["properties"]["properties"];
    assert_eq!(
        properties["required"],
        json!([
            "plan",
            "referralCodes",
            "currency",
            "newsletter",
            "first_items"
        ])
    );
    let p = &properties["properties"];
    assert_eq!(
        p["plan"],
        json!({"type": "string", "minLength": 1, "description": "The plan chosen."})
    );
    assert_eq!(
        p["email"],
        json!({"type": ["string", "null"], "format": "email"})
    );
    assert_eq!(
        p["age"],
        json!({"type": ["integer", "null"], "minimum": 0, "maximum": 120})
    );
    assert_eq!(
        p["referralCodes"],
        json!({"type": "array", "items": {"type": "string"}, "maxItems": 3})
    );
    assert_eq!(
        p["currency"],
        json!({"type": "string", "pattern": "^[A-Z]{3}$"})
    );
    assert_eq!(p["newsletter"], json!({"type": "boolean"}));
    assert_eq!(
        p["first_items"]["items"]["properties"]["price"]["type"],
        json!(["number", "null"])
    );
}

#[test]
fn a_schema_accepts_its_own_payload_and_refuses_a_broken_one() {
    let schema = SignupCompleted::json_schema();
    validate(&schema, &call(&signup())).unwrap();
    let mut broken = call(&signup());
    broken["properties"]["age"] = json!(200);
    broken["properties"]["currency"] = json!("euro");
    broken["properties"]["email"] = json!("not an address");
    broken["properties"].as_object_mut().unwrap().remove("plan");
    let error = validate(&schema, &broken).unwrap_err();
    for part in [
        "/properties/age",
        "/properties/currency",
        "/properties/email",
        "plan",
    ] {
        assert!(error.contains(part), "{part} missing from {error}");
    }
}

#[test]
fn every_catalogue_schema_compiles_and_accepts_its_default_payload() {
    let plan = Plan::ecommerce().to_json();
    let events = plan["rules"]["events"].as_array().unwrap();
    assert_eq!(events.len(), 28);
    for event in events {
        assert_eq!(event["version"], 1);
        let name = event["name"].as_str().unwrap();
        let empty = json!({"type": "track", "event": name, "userId": "u", "properties": {}});
        validate(&event["rules"], &empty).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
    let cart = CartViewed {
        cart_id: Some("c-1".into()),
        products: Some(vec![Product::new("p-1", "Monopoly", 18.99)]),
        ..CartViewed::default()
    };
    validate(&CartViewed::json_schema(), &call(&cart)).unwrap();
    let order = OrderCompleted {
        order_id: Some("o-1".into()),
        revenue: Some(10.5),
        currency: Some("USD".into()),
        ..OrderCompleted::default()
    };
    validate(&OrderCompleted::json_schema(), &call(&order)).unwrap();
}

#[test]
fn the_catalogue_plan_accepts_every_ecommerce_fixture() {
    let plan = Plan::ecommerce().to_json();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ecommerce");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let payload: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let name = payload["event"].as_str().unwrap();
        let event = plan["rules"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|event| event["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in the plan"));
        validate(&event["rules"], &payload)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        seen += 1;
    }
    assert_eq!(seen, 28);
}

#[test]
fn a_plan_names_its_events_once_each() {
    let plan = Plan::named("Shop")
        .event::<OrderCompleted>()
        .event::<SignupCompleted>()
        .event::<OrderCompleted>();
    assert_eq!(
        plan.event_names().collect::<Vec<_>>(),
        ["Order Completed", "Signup Completed"]
    );
    assert_eq!(plan.to_json()["display_name"], "Shop");
}

/// The events of the round trip, defined once: `from_code` exports them, `read_back`
/// derives them again checked against the exported file.
macro_rules! round_trip_events {
    ($($plan:tt)?) => {
        use event_core::ecommerce::Product;
        use event_core::{SemanticEvent, Validate};
        use serde::Serialize;

        /// Where a reader came from.
        #[derive(Serialize, Validate)]
        pub struct Referrer {
            pub host: String,
            pub campaign: Option<String>,
        }

        /// A visitor finished signing up.
        #[derive(Serialize, SemanticEvent)]
        #[semantic_event(name = "Signup Completed" $(, plan = $plan)?)]
        pub struct SignupCompleted {
            /// The plan chosen.
            #[semantic_event(non_empty)]
            pub plan: String,
            #[semantic_event(email)]
            pub email: Option<String>,
            #[semantic_event(range(min = 0, max = 120))]
            pub age: Option<u32>,
            pub newsletter: bool,
        }

        /// A customer bought a bundle.
        #[derive(Serialize, SemanticEvent)]
        #[serde(rename_all = "camelCase")]
        #[semantic_event(name = "Bundle Purchased" $(, plan = $plan)?)]
        pub struct BundlePurchased {
            pub bundle_id: String,
            #[semantic_event(required)]
            pub total_price: Option<f64>,
            #[semantic_event(length(min = 1))]
            pub items: Vec<Product>,
            pub tags: Vec<String>,
        }

        /// A reader finished an article.
        #[derive(Serialize, SemanticEvent)]
        #[semantic_event(name = "Article Read" $(, plan = $plan)?)]
        pub struct ArticleRead {
            pub article_id: String,
            pub referrer: Option<Referrer>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub read_seconds: Option<f64>,
        }

        /// The plan of these events.
        pub fn plan() -> event_core::plan::Plan {
            event_core::plan::Plan::named("Round trip")
                .event::<SignupCompleted>()
                .event::<BundlePurchased>()
                .event::<ArticleRead>()
        }
    };
}

mod from_code {
    round_trip_events!();
}

mod read_back {
    round_trip_events!("fixtures/plans/round-trip.json");
}

const ROUND_TRIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/plans/round-trip.json"
);

/// The file the derive of `read_back` checks its structs against is the plan the same
/// structs export (`UPDATE_PLANS=1` rewrites it); that `read_back` compiles is the
/// round trip.
#[test]
fn a_plan_exported_from_code_accepts_the_same_structs() {
    let exported = from_code::plan().to_json_pretty();
    if std::env::var_os("UPDATE_PLANS").is_some() {
        std::fs::write(ROUND_TRIP, &exported).unwrap();
    }
    let stored = std::fs::read_to_string(ROUND_TRIP).unwrap();
    assert_eq!(
        stored, exported,
        "the exported plan changed: run with UPDATE_PLANS=1"
    );
    assert_eq!(read_back::plan().to_json_pretty(), exported);
    let article = read_back::ArticleRead {
        article_id: "a-1".into(),
        referrer: Some(read_back::Referrer {
            host: "example.com".into(),
            campaign: None,
        }),
        read_seconds: None,
    };
    let event = &read_back::plan().to_json()["rules"]["events"][2];
    validate(&event["rules"], &call(&article)).unwrap();
}
