//! What the derive understood of the input: a struct, its attributes and fields.
//!
//! [`parse`](crate::parse) builds the model from syn's syntax tree, recording every
//! malformed attribute in the [`Ctxt`](crate::ctxt::Ctxt); [`check`](crate::check)
//! then checks the model against the field types and the ecommerce spec, and
//! [`emit`](crate::emit) writes the code.

use proc_macro2::Span;
use syn::{Generics, Ident, LitStr, Path, Type};

/// Which derive runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    /// `#[derive(SemanticEvent)]`: an event with a name, plus `Validate`.
    SemanticEvent,
    /// `#[derive(Validate)]`: field rules only.
    Validate,
    /// `#[derive(Traits)]`: the traits of a person (identify) or a group, checked
    /// against the reserved traits, plus `Validate`.
    Traits,
}

impl Derive {
    /// How the user spells it, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Derive::SemanticEvent => "SemanticEvent",
            Derive::Validate => "Validate",
            Derive::Traits => "Traits",
        }
    }

    /// What each field of the struct is on the wire, for messages.
    pub fn each_field_is(self) -> &'static str {
        match self {
            Derive::SemanticEvent | Derive::Validate => "property",
            Derive::Traits => "trait",
        }
    }

    /// What a field becomes, for messages.
    pub fn field_becomes(self) -> &'static str {
        match self {
            Derive::SemanticEvent | Derive::Validate => "a property of the event",
            Derive::Traits => "a trait",
        }
    }

    /// A field name to show in an example.
    pub fn example_field(self) -> &'static str {
        match self {
            Derive::SemanticEvent | Derive::Validate => "list_id",
            Derive::Traits => "email",
        }
    }
}

/// A value together with the span of the token that gave it.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value` written at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// The struct the derive is applied to.
pub struct Container<'a> {
    /// Which derive runs.
    pub derive: Derive,
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its generics, copied onto every impl.
    pub generics: &'a Generics,
    /// `#[semantic_event(...)]` on the struct.
    pub attrs: ContainerAttrs,
    /// `rename_all` from `#[serde(...)]` on the struct.
    pub serde_rename_all: Option<crate::case::RenameRule>,
    /// The named fields, in order.
    pub fields: Vec<Field<'a>>,
    /// Its `///` comments: the description in its schema.
    pub docs: String,
}

/// `#[semantic_event(...)]` on the struct.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `name = "..."`: the literal's value (read once: reading it parses the literal)
    /// and its span.
    pub name: Option<Spanned<String>>,
    /// `plan = "..."`: the tracking plan file the event is checked against, relative to
    /// the crate's manifest directory.
    pub plan: Option<Spanned<String>>,
    /// `custom`: the name is deliberate; no spec checks.
    pub custom: Option<Span>,
    /// `product`, `filter` or `sort` (`#[derive(Validate)]` only): the struct is such an
    /// object, checked against its properties.
    pub object: Option<Spanned<ObjectKind>>,
    /// `group` (`#[derive(Traits)]` only): the traits of a group, not of a person.
    pub group: Option<Span>,
    /// `crate = "path"`: where `event_core` is.
    pub krate: Option<Spanned<Path>>,
    /// Whether an attribute on the struct was malformed (an error is recorded): then
    /// a missing `name` may be a consequence, and is not reported again.
    pub malformed: bool,
}

/// The objects inside events that a `#[derive(Validate)]` struct may declare itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// `product`: an item of `products`.
    Product,
    /// `filter`: an item of `filters`.
    Filter,
    /// `sort`: an item of `sorts`.
    Sort,
}

impl ObjectKind {
    /// Every kind, with its key in `#[semantic_event(...)]`.
    pub const ALL: [(&'static str, ObjectKind); 3] = [
        ("product", ObjectKind::Product),
        ("filter", ObjectKind::Filter),
        ("sort", ObjectKind::Sort),
    ];

    /// The key that declares it.
    pub fn key(self) -> &'static str {
        match self {
            ObjectKind::Product => "product",
            ObjectKind::Filter => "filter",
            ObjectKind::Sort => "sort",
        }
    }

    /// Its properties in the spec.
    pub fn properties(self) -> &'static [event_spec::PropertySpec] {
        match self {
            ObjectKind::Product => event_spec::PRODUCT_PROPERTIES,
            ObjectKind::Filter => event_spec::FILTER_PROPERTIES,
            ObjectKind::Sort => event_spec::SORT_PROPERTIES,
        }
    }

    /// The runtime trait the derive implements, and the trait that seals it.
    pub fn traits(self) -> (&'static str, &'static str) {
        match self {
            ObjectKind::Product => ("ProductObject", "CheckedProduct"),
            ObjectKind::Filter => ("FilterObject", "CheckedFilter"),
            ObjectKind::Sort => ("SortObject", "CheckedSort"),
        }
    }
}

/// Whose traits a `#[derive(Traits)]` struct holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitsOf {
    /// A person's: the `traits` of an identify call.
    Person,
    /// A group's: the `traits` of a group call (`#[semantic_event(group)]`).
    Group,
}

impl TraitsOf {
    /// Its reserved traits in the spec.
    pub fn traits(self) -> &'static [event_spec::TraitSpec] {
        match self {
            TraitsOf::Person => event_spec::PERSON_TRAITS,
            TraitsOf::Group => event_spec::GROUP_TRAITS,
        }
    }

    /// How messages name its reserved traits.
    pub fn what(self) -> &'static str {
        match self {
            TraitsOf::Person => "a person's reserved traits (identify)",
            TraitsOf::Group => "a group's reserved traits",
        }
    }

    /// The runtime marker trait the derive implements, and the trait that seals it.
    pub fn markers(self) -> (&'static str, &'static str) {
        match self {
            TraitsOf::Person => ("PersonTraits", "CheckedPersonTraits"),
            TraitsOf::Group => ("GroupTraits", "CheckedGroupTraits"),
        }
    }
}

impl Container<'_> {
    /// Whose traits the struct holds, for `#[derive(Traits)]`.
    pub fn traits_of(&self) -> Option<TraitsOf> {
        match (self.derive, self.attrs.group) {
            (Derive::Traits, None) => Some(TraitsOf::Person),
            (Derive::Traits, Some(_)) => Some(TraitsOf::Group),
            _ => None,
        }
    }
}

/// One named field.
pub struct Field<'a> {
    /// Its Rust name (may be raw: `r#type`).
    pub ident: &'a Ident,
    /// Its type.
    pub ty: &'a Type,
    /// `#[semantic_event(...)]` on the field.
    pub attrs: FieldAttrs,
    /// What serde's attributes say about it.
    pub serde: SerdeField,
    /// The wire name after serde's `rename` / `rename_all`.
    pub wire_name: String,
    /// Where the wire name comes from: the `rename` literal, or the field's name.
    pub wire_span: Span,
    /// Its `///` comments: the property's description in its schema.
    pub docs: String,
}

impl Field<'_> {
    /// Whether serde writes this field as a key of its own in `properties`.
    pub fn is_serialized(&self) -> bool {
        !self.serde.skip && !self.serde.flatten
    }

    /// Whether validation code is generated for this field.
    pub fn is_validated(&self) -> bool {
        self.attrs.skip.is_none() && !self.serde.skip
    }
}

/// `#[semantic_event(...)]` on a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// The rules, in the order written.
    pub rules: Vec<Rule>,
    /// Bare `custom`: an application property that the spec does not define.
    pub custom: Option<Span>,
    /// `skip`: no validation at all.
    pub skip: Option<Span>,
}

/// A field rule and where it was written (its key).
pub struct Rule {
    /// What to check.
    pub kind: RuleKind,
    /// The span of the rule's key, such as `length` in `length(max = 5)`.
    pub span: Span,
}

/// What a field rule checks.
pub enum RuleKind {
    /// `required`
    Required,
    /// `non_empty`
    NonEmpty,
    /// `length(min = .., max = ..)`
    Length {
        /// Lower bound, inclusive.
        min: Option<Spanned<usize>>,
        /// Upper bound, inclusive.
        max: Option<Spanned<usize>>,
    },
    /// `range(min = .., max = ..)`
    Range {
        /// Lower bound, inclusive.
        min: Option<Spanned<f64>>,
        /// Upper bound, inclusive.
        max: Option<Spanned<f64>>,
    },
    /// `url`
    Url,
    /// `email`
    Email,
    /// `currency`
    Currency,
    /// `custom = path::to::fn`
    Custom(Path),
}

impl RuleKind {
    /// The rule's key as written in the attribute.
    pub fn key(&self) -> &'static str {
        match self {
            RuleKind::Required => "required",
            RuleKind::NonEmpty => "non_empty",
            RuleKind::Length { .. } => "length",
            RuleKind::Range { .. } => "range",
            RuleKind::Url => "url",
            RuleKind::Email => "email",
            RuleKind::Currency => "currency",
            RuleKind::Custom(_) => "custom",
        }
    }
}

/// What serde's own attributes say about a field.
#[derive(Default)]
pub struct SerdeField {
    /// `rename = "x"` or `rename(serialize = "x")`.
    pub rename: Option<LitStr>,
    /// `flatten`: its entries are merged into the parent object.
    pub flatten: bool,
    /// `skip_serializing_if`: sometimes not written.
    pub skip_if: bool,
    /// `skip` or `skip_serializing`: never written.
    pub skip: bool,
    /// `with` or `serialize_with`: the JSON type is whatever that function writes.
    pub with: bool,
}
