//! Every attribute of `#[derive(SemanticEvent)]`, `#[derive(Validate)]` and
//! `#[derive(Traits)]`.
//!
//! This module holds no items: it is the reference of `#[semantic_event(...)]`, the
//! one attribute the derives read, on the struct and on its fields. Several keys
//! can share one attribute (`#[semantic_event(required, non_empty)]`) or be spread
//! over several attributes. A mistake in an attribute is a compile error that points
//! at the offending token and says how to fix it; all the mistakes of one struct are
//! reported together.
//!
//! # On the struct
//!
//! ## `name = "..."`
//!
//! The event name, sent as the payload's `"event"`. Required by
//! `#[derive(SemanticEvent)]`, refused by `#[derive(Validate)]` (a validated type that
//! is not an event). It must not be empty or padded with whitespace.
//!
//! ```
//! use event_core::SemanticEvent;
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Order Completed")]
//! struct OrderCompleted {
//!     order_id: String,
//!     total: Option<f64>,
//! }
//!
//! assert_eq!(OrderCompleted::EVENT_NAME, "Order Completed");
//! ```
//!
//! When the name is one of the 28 ecommerce semantic events (see
//! [`spec::EVENTS`](crate::spec::EVENTS)), the struct must follow that event's
//! specification: every serialized field must be one of its properties, with a Rust
//! type that produces the property's JSON type.
//!
//! ```compile_fail
//! use event_core::SemanticEvent;
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Product Viewed")]
//! struct ProductViewed {
//!     prodcut_id: String, // error: did you mean `product_id`?
//!     price: String,      // error: the spec types `price` as a number
//! }
//! ```
//!
//! A name that is almost a known event ("Product List Veiwed", "order completed",
//! "Order  Completed") is refused as a likely typo, and so is a name Customer.io
//! reserves for its own meaning (`User Deleted` deletes the person):
//!
//! ```compile_fail
//! use event_core::SemanticEvent;
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Product List Veiwed")] // error: did you mean "Product List Viewed"?
//! struct ListViewed {
//!     list_id: String,
//! }
//! ```
//!
//! ## `custom`
//!
//! Confirms a deliberately unusual name: a near miss of a known event, or a reserved
//! name. It also turns the specification checks off, even for a known event's name.
//!
//! ```
//! use event_core::SemanticEvent;
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "User Deleted", custom)]
//! struct UserDeleted {}
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Order Completed", custom)]
//! struct LegacyOrder {
//!     order_number: u64, // not a spec property, accepted because of `custom`
//! }
//!
//! assert_eq!(UserDeleted::EVENT_NAME, "User Deleted");
//! ```
//!
//! ## `plan = "..."`
//!
//! Checks the struct against an event of your tracking plan: a JSON file in the layout
//! of Segment Protocols' tracking plans, as [`Plan`](crate::plan::Plan) writes it,
//! whose path is relative to the directory of the crate's `Cargo.toml`. The crate is
//! rebuilt when the file changes. The checks are those of an ecommerce event, whose
//! spec is the built-in plan:
//!
//! - the event name must be in the plan (the nearest names are suggested);
//! - every serialized field must be a property of the event, after serde's renames
//!   (did you mean ...?), unless marked `#[semantic_event(custom)]`, which a plan with
//!   `"additionalProperties": false` refuses too;
//! - each field's type must produce the property's JSON type (`string`, `number`,
//!   `integer`, `boolean`, `object`, `array` and the type of its items), through the
//!   traits of [`spec`](crate::spec);
//! - a property the plan requires must be a field that is always written: not an
//!   `Option` (unless marked `required`), not skipped by `skip_serializing_if`.
//!
//! The plan may use these JSON Schema keywords: `type`, `properties`, `required`,
//! `items` (one schema), `additionalProperties`, and, checked only at run time by
//! `cio-events validate --plan`, `enum`, `const`, `format`, `pattern`, `minimum`,
//! `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`,
//! `maxLength`, `minItems`, `maxItems`, `uniqueItems`, `minProperties`,
//! `maxProperties`, plus the annotations `$schema`, `$id`, `$comment`, `title`,
//! `description`, `default`, `examples`, `readOnly`, `writeOnly`. Any other keyword
//! (`oneOf`, `$ref`, ...) is a compile error that names it.
//!
//! ```ignore
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Signup Completed", plan = "tracking-plan.json")]
//! struct SignupCompleted {
//!     plan: String,          // required by the plan: not an Option
//!     email: Option<String>,
//! }
//! ```
//!
//! ## `product`, `filter`, `sort`
//!
//! On a `#[derive(Validate)]` struct: the struct is an item of an event's `products`,
//! `filters` or `sorts`, checked as an event is. Every serialized field (after serde's
//! `rename` and `rename_all`; `skip` and `flatten` fields are exempt) must be one of the
//! object's properties, [`spec::PRODUCT_PROPERTIES`](crate::spec::PRODUCT_PROPERTIES)
//! for a product, `type` and `value` (both strings) for a filter or a sort, with a Rust
//! type that produces its JSON type; a property of your own is marked
//! `#[semantic_event(custom)]`. The derive then implements
//! [`spec::ProductObject`](crate::spec::ProductObject) (or `FilterObject`,
//! `SortObject`), which an event's `products` (`filters`, `sorts`) requires of its
//! items. Those traits cannot be implemented by hand; to put a type the derive cannot
//! check in an event, wrap it in [`spec::Unchecked`](crate::spec::Unchecked).
//!
//! ```
//! use event_core::{SemanticEvent, Validate};
//!
//! #[derive(serde::Serialize, Validate)]
//! #[semantic_event(product)]
//! struct Shoe {
//!     product_id: String,
//!     price: f64,
//!     #[semantic_event(custom)]
//!     shoe_size: u8,
//! }
//!
//! #[derive(serde::Serialize, Validate)]
//! #[semantic_event(filter)]
//! struct Facet {
//!     r#type: &'static str,
//!     value: String,
//! }
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Product List Filtered")]
//! struct ShoesFiltered {
//!     products: Vec<Shoe>,
//!     filters: Vec<Facet>,
//! }
//! # let _ = ShoesFiltered { products: vec![], filters: vec![Facet { r#type: "size", value: "42".into() }] };
//! ```
//!
//! ```compile_fail
//! use event_core::Validate;
//!
//! #[derive(serde::Serialize, Validate)]
//! #[semantic_event(product)]
//! struct Shoe {
//!     prodcut_id: String, // error: did you mean `product_id`?
//!     price: String,      // error: the spec types `price` as a number
//! }
//! ```
//!
//! ```compile_fail
//! #[derive(serde::Serialize, event_core::Validate)]
//! struct Shoe {
//!     product_id: String,
//! }
//!
//! // error: `Shoe` is not a checked product object: add `#[semantic_event(product)]`
//! impl event_core::spec::ProductObject for Shoe {}
//! ```
//!
//! ## `#[derive(Traits)]` and `group`
//!
//! `#[derive(Traits)]` defines the traits of an identify call: a person's attributes.
//! It takes no `name`; it implements [`Validate`](crate::Validate) and
//! [`PersonTraits`](crate::calls::PersonTraits) after checking each serialized field
//! (its name after serde's `rename` and `rename_all`; `skip` and `flatten` exempt)
//! against the reserved traits of a person ([`spec::PERSON_TRAITS`](crate::spec::PERSON_TRAITS):
//! the Segment Spec's `email`, `firstName`, `createdAt`, ... and Customer.io's
//! `created_at`, `unsubscribed`, ...):
//!
//! - a reserved trait must have a Rust type that produces its JSON type (`created_at` an
//!   integer of Unix seconds, `createdAt` an ISO-8601 string, `address` an object);
//! - a name that is almost a reserved trait, but for case or separators (`firstname`
//!   or `FirstName` for `firstName`) or by a typo (`emial`), is a compile error naming
//!   the reserved trait; mark the field `custom` when the name is deliberate;
//! - any other name is a trait of the application's own, the snake_case form of a
//!   reserved trait included (`first_name`, as Customer.io writes its attributes, is an
//!   attribute apart from `firstName`);
//! - the reserved `email` trait is validated by the `email` rule, without writing it.
//!
//! `group` on the struct checks it against the reserved traits of a group instead
//! ([`spec::GROUP_TRAITS`](crate::spec::GROUP_TRAITS): `name`, `employees`, `industry`,
//! `plan`, ...), and implements [`GroupTraits`](crate::calls::GroupTraits).
//!
//! ```
//! use event_core::{Traits, Validate};
//!
//! #[derive(serde::Serialize, Traits)]
//! #[serde(rename_all = "camelCase")]
//! struct Person {
//!     email: String,
//!     first_name: String,
//!     #[serde(rename = "created_at")]
//!     created: i64,
//!     #[semantic_event(custom)]
//!     first_order: Option<String>,
//!     favourite_colour: String,
//! }
//!
//! #[derive(serde::Serialize, Traits)]
//! #[semantic_event(group)]
//! struct Company {
//!     name: String,
//!     employees: u32,
//! }
//!
//! let person = Person {
//!     email: "ada@example".into(),
//!     first_name: "Ada".into(),
//!     created: 1_700_000_000,
//!     first_order: None,
//!     favourite_colour: "green".into(),
//! };
//! let errors = person.validate().unwrap_err();
//! assert_eq!(errors.iter().map(|e| e.path()).collect::<Vec<_>>(), ["email"]);
//! # let _ = Company { name: "Initech".into(), employees: 120 };
//! ```
//!
//! ```compile_fail
//! #[derive(serde::Serialize, event_core::Traits)]
//! struct Person {
//!     emial: String, // error: did you mean `email`?
//! }
//! ```
//!
//! ```compile_fail
//! #[derive(serde::Serialize, event_core::Traits)]
//! struct Person {
//!     created_at: String, // error: does not serialize to a JSON integer
//! }
//! ```
//!
//! ## `crate = "path"`
//!
//! Where the generated code finds `event_core`, for crates that use it through a
//! re-export. The default is `::event_core`. Every derive accepts it.
//!
//! ```
//! mod reexport {
//!     pub mod event_core {
//!         pub use ::event_core::*;
//!     }
//! }
//!
//! use reexport::event_core::Validate;
//!
//! #[derive(serde::Serialize, reexport::event_core::SemanticEvent)]
//! #[semantic_event(name = "Cart Viewed", crate = "reexport::event_core")]
//! struct CartViewed {
//!     cart_id: String,
//! }
//!
//! assert!(CartViewed { cart_id: "c-1".into() }.validate().is_ok());
//! ```
//!
//! # On fields
//!
//! Each rule records a [`ValidationError`](crate::ValidationError) at the field's
//! wire path, such as `properties.products[2].price`. Every rule but `required`
//! passes a field that is `None`. A rule that visibly cannot fit the field's type
//! (`range` on a `String`, `length` on a number, `required` on a field that is not an
//! `Option`) is a compile error.
//!
//! ## `required`
//!
//! An `Option` field must be `Some`.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Signup {
//!     #[semantic_event(required)]
//!     email: Option<String>,
//! }
//!
//! let errors = Signup { email: None }.validate().unwrap_err();
//! assert_eq!(errors.to_string(), "email: is required");
//! ```
//!
//! ```compile_fail
//! #[derive(event_core::Validate)]
//! struct Signup {
//!     #[semantic_event(required)] // error: `String` is always present
//!     email: String,
//! }
//! ```
//!
//! ## `non_empty`
//!
//! A string or a collection must not be empty.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Search {
//!     #[semantic_event(non_empty)]
//!     query: String,
//!     #[semantic_event(non_empty)]
//!     filters: Vec<String>,
//! }
//!
//! let errors = Search { query: String::new(), filters: vec![] }.validate().unwrap_err();
//! assert_eq!(errors.to_string(), "query: must not be empty\nfilters: must not be empty");
//! ```
//!
//! ## `length(min = N, max = N)`
//!
//! The length of a string (in characters) or a collection (in items) must be within
//! the bounds, both inclusive. At least one bound is needed, and `min` must not be
//! above `max`.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Review {
//!     #[semantic_event(length(min = 10, max = 500))]
//!     review_body: String,
//!     #[semantic_event(length(max = 3))]
//!     tags: Option<Vec<String>>,
//! }
//!
//! let review = Review { review_body: "Too short".into(), tags: None };
//! assert_eq!(review.validate().unwrap_err().to_string(), "review_body: length must be between 10 and 500, found 9");
//! ```
//!
//! ```compile_fail
//! #[derive(event_core::Validate)]
//! struct Review {
//!     #[semantic_event(length(min = 500, max = 10))] // error: `min` above `max`
//!     review_body: String,
//! }
//! ```
//!
//! ## `range(min = X, max = Y)`
//!
//! A number must be within the bounds, both inclusive. Bounds are integer or float
//! literals, negative ones too; at least one is needed. NaN is outside every range.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Line {
//!     #[semantic_event(range(min = 0))]
//!     price: f64,
//!     #[semantic_event(range(min = 1, max = 99))]
//!     quantity: u32,
//!     #[semantic_event(range(min = -1.5, max = 1.5))]
//!     adjustment: Option<f32>,
//! }
//!
//! let line = Line { price: -1.0, quantity: 100, adjustment: None };
//! assert_eq!(
//!     line.validate().unwrap_err().to_string(),
//!     "price: must be at least 0, found -1\nquantity: must be between 1 and 99, found 100"
//! );
//! ```
//!
//! ```compile_fail
//! #[derive(event_core::Validate)]
//! struct Line {
//!     #[semantic_event(range(max = 10))] // error: `range` compares numbers; use `length`
//!     sku: String,
//! }
//! ```
//!
//! ## `url`
//!
//! A string must be an absolute URL, such as `https://example.com/item`.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Link {
//!     #[semantic_event(url)]
//!     image_url: Option<String>,
//! }
//!
//! assert!(Link { image_url: Some("https://example.com/1.jpg".into()) }.validate().is_ok());
//! assert!(Link { image_url: Some("example.com/1.jpg".into()) }.validate().is_err());
//! ```
//!
//! ## `email`
//!
//! A string must look like an email address, `name@example.com`.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Share {
//!     #[semantic_event(email)]
//!     recipient: String,
//! }
//!
//! assert!(Share { recipient: "ana@example.com".into() }.validate().is_ok());
//! assert!(Share { recipient: "ana".into() }.validate().is_err());
//! ```
//!
//! ## `currency`
//!
//! A string must be an ISO-4217 currency code in upper case, such as `USD`.
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Money {
//!     #[semantic_event(currency)]
//!     currency: Option<String>,
//! }
//!
//! let errors = Money { currency: Some("usd".into()) }.validate().unwrap_err();
//! assert_eq!(errors.to_string(), "currency: must be an ISO-4217 currency code in upper case: \"USD\"");
//! ```
//!
//! ## `custom = path::to::function`
//!
//! A rule of the application's own: a function
//! `fn(&FieldType) -> Result<(), event_core::validate::CustomError>`. The path may
//! also be written in a string, `custom = "path::to::function"`.
//!
//! ```
//! use event_core::Validate;
//! use event_core::validate::CustomError;
//!
//! fn even(value: &u32) -> Result<(), CustomError> {
//!     if value % 2 == 0 { Ok(()) } else { Err(CustomError::new("even", "must be even")) }
//! }
//!
//! #[derive(Validate)]
//! struct Pairs {
//!     #[semantic_event(custom = even)]
//!     count: u32,
//! }
//!
//! let errors = Pairs { count: 3 }.validate().unwrap_err();
//! assert_eq!(errors.to_string(), "count: must be even");
//! assert_eq!(errors.as_slice()[0].code().as_str(), "even");
//! ```
//!
//! ## `custom`
//!
//! Alone on a field, `custom` marks a property of the application's own, one the
//! ecommerce specification does not define: the derive then does not require it to
//! be one of the event's (or the product, filter or sort object's) properties. (Additional properties are allowed on the wire.)
//! On a `#[derive(Traits)]` field, it makes a name close to a reserved trait deliberate
//! (`firstname` beside `firstName`), and the field is then not checked as that trait.
//!
//! ```
//! use event_core::SemanticEvent;
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Order Completed")]
//! struct OrderCompleted {
//!     order_id: String,
//!     #[semantic_event(custom, non_empty)]
//!     gift_message: String,
//! }
//! # assert_eq!(OrderCompleted::EVENT_NAME, "Order Completed");
//! ```
//!
//! ## `skip`
//!
//! No validation of this field at all, not even the always-on checks below. (The
//! specification checks still apply: the field is still sent.)
//!
//! ```
//! use event_core::Validate;
//!
//! #[derive(Validate)]
//! struct Raw {
//!     #[semantic_event(skip)]
//!     ratio: f64,
//! }
//!
//! assert!(Raw { ratio: f64::NAN }.validate().is_ok());
//! ```
//!
//! # Always on
//!
//! Without any attribute, every field whose type implements
//! [`Validate`](crate::Validate) is validated too, also inside `Option`, `Vec`,
//! slices, arrays, `Box`, `Rc`, `Arc` and maps; and every `f32`/`f64` must be finite,
//! because `serde_json` writes NaN and infinity as `null` and a price would silently
//! vanish.
//!
//! ```
//! use event_core::{SemanticEvent, Validate};
//!
//! #[derive(serde::Serialize, Validate)]
//! #[semantic_event(product)]
//! struct Item {
//!     #[semantic_event(non_empty)]
//!     product_id: String,
//!     price: Option<f64>,
//! }
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Cart Viewed")]
//! struct CartViewed {
//!     products: Vec<Item>,
//! }
//!
//! let cart = CartViewed {
//!     products: vec![
//!         Item { product_id: "a".into(), price: Some(1.0) },
//!         Item { product_id: String::new(), price: Some(f64::NAN) },
//!     ],
//! };
//! assert_eq!(
//!     cart.validate().unwrap_err().to_string(),
//!     "properties.products[1].product_id: must not be empty\nproperties.products[1].price: must be a finite number"
//! );
//! ```
//!
//! # serde's attributes
//!
//! The derives read serde's own attributes so that checks and error paths speak wire
//! names: `rename = "x"` and `rename(serialize = "x")`, `rename_all = "..."` on the
//! struct (every serde rule: `lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`,
//! `snake_case`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`),
//! `flatten` (the field's entries join the parent's: exempt from the property check,
//! validated at the parent's path), `skip` and `skip_serializing` (never sent: not
//! validated, not checked), and `with` / `serialize_with` (the JSON type is the
//! function's business: no type check). Raw identifiers lose their `r#`: `r#type` is
//! the property `type`. Every other serde attribute is ignored.
//!
//! ```
//! use event_core::{SemanticEvent, Validate};
//!
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[serde(rename_all = "camelCase")]
//! #[semantic_event(name = "Newsletter Subscribed")]
//! struct Subscribed {
//!     #[semantic_event(email)]
//!     email_address: String,
//!     #[semantic_event(non_empty)]
//!     r#type: String,
//!     #[serde(flatten)]
//!     extra: serde_json::Map<String, serde_json::Value>,
//! }
//!
//! let event = Subscribed { email_address: "nope".into(), r#type: String::new(), extra: Default::default() };
//! assert_eq!(
//!     event.validate().unwrap_err().to_string(),
//!     "properties.emailAddress: must be an email address such as \"name@example.com\"\nproperties.type: must not be empty"
//! );
//! ```
