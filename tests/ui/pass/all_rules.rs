//! Every rule at run time, with multiple attributes and comma lists.

#![deny(missing_docs, warnings)]

//! A crate that denies warnings and missing docs compiles the derive's output.

use event_core::validate::{CustomError, ErrorCode};
use event_core::{SemanticEvent, Validate};
use serde::Serialize;

fn even(value: &u32) -> Result<(), CustomError> {
    if value % 2 == 0 {
        Ok(())
    } else {
        Err(CustomError::new("even", "must be even"))
    }
}

mod rules {
    pub fn short(value: &Option<String>) -> Result<(), event_core::validate::CustomError> {
        match value {
            Some(text) if text.len() > 3 => {
                Err(event_core::validate::CustomError::new("short", "too long"))
            }
            _ => Ok(()),
        }
    }
}

/// A documented event.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Account Created")]
pub struct AccountCreated {
    /// Required.
    #[semantic_event(required)]
    #[semantic_event(non_empty, length(min = 2, max = 5))]
    pub nickname: Option<String>,
    /// Email.
    #[semantic_event(email)]
    pub email: String,
    /// Homepage.
    #[semantic_event(url)]
    pub homepage: Option<String>,
    /// Currency.
    #[semantic_event(currency)]
    pub currency: &'static str,
    /// Range with floats and negatives.
    #[semantic_event(range(min = -1.5, max = 2.5))]
    pub score: f32,
    /// Range with an upper bound only.
    #[semantic_event(range(max = 10))]
    pub level: i64,
    /// Custom function.
    #[semantic_event(custom = even)]
    pub lucky: u32,
    /// Custom function by path in a string.
    #[semantic_event(custom = "rules::short")]
    pub code: Option<String>,
}

fn main() {
    let good = AccountCreated {
        nickname: Some("ana".into()),
        email: "ana@example.com".into(),
        homepage: Some("https://example.com".into()),
        currency: "EUR",
        score: 0.0,
        level: 1,
        lucky: 2,
        code: None,
    };
    assert!(good.validate().is_ok());

    let bad = AccountCreated {
        nickname: None,
        email: "ana".into(),
        homepage: Some("example.com".into()),
        currency: "euro",
        score: -2.0,
        level: 11,
        lucky: 3,
        code: Some("abcd".into()),
    };
    let errors = bad.validate().unwrap_err();
    let codes: Vec<(&str, ErrorCode)> = errors
        .iter()
        .map(|error| (error.path(), error.code()))
        .collect();
    assert_eq!(
        codes,
        [
            ("properties.nickname", ErrorCode::Required),
            ("properties.email", ErrorCode::Email),
            ("properties.homepage", ErrorCode::Url),
            ("properties.currency", ErrorCode::Currency),
            ("properties.score", ErrorCode::Range),
            ("properties.level", ErrorCode::Range),
            ("properties.lucky", ErrorCode::Custom("even")),
            ("properties.code", ErrorCode::Custom("short")),
        ]
    );
    let empty = AccountCreated {
        nickname: Some(String::new()),
        ..good
    };
    let errors = empty.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.nickname: must not be empty\nproperties.nickname: length must be between 2 and 5, found 0"
    );
}
