//! Reads the derive's input into syn's [`DeriveInput`], exactly as `DeriveInput`'s own
//! parser does, with a quicker road for the field types most events use.
//!
//! Cargo builds proc macros unoptimized in the dev profile, where syn's type parser
//! (which tries every kind of type before settling on a path) was most of the cost of
//! reading a struct, and a crate defining many events pays it for every field. A field
//! whose type is a plain name, optionally with one plain type argument, nested
//! (`String`, `Option<f64>`, `Vec<Option<String>>`), is read here token by token; any
//! other field, and any input that is not a struct with named fields, goes to syn, so
//! errors and every other syntax are syn's.

use proc_macro2::TokenTree;
use syn::buffer::Cursor;
use syn::parse::discouraged::Speculative as _;
use syn::parse::{ParseStream, Result};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, Attribute, Data, DataStruct, DeriveInput, Field,
    FieldModifiers, Fields, FieldsNamed, GenericArgument, Generics, Ident, Path, PathArguments,
    PathSegment, Token, Type, TypePath, Visibility, braced,
};

/// Parses a `DeriveInput`, for `syn::parse_macro_input!(input with derive_input)`.
pub fn derive_input(input: ParseStream) -> Result<DeriveInput> {
    let fork = input.fork();
    if let Ok(derive_input) = struct_with_named_fields(&fork) {
        input.advance_to(&fork);
        return Ok(derive_input);
    }
    // Anything else, errors included, as syn reads it.
    input.parse()
}

/// `struct Name<..> where .. { fields }`, as `DeriveInput::parse` reads it; an error
/// for anything else (the caller then lets syn read the input).
fn struct_with_named_fields(input: ParseStream) -> Result<DeriveInput> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let struct_token: Token![struct] = input.parse()?;
    let ident: Ident = input.parse()?;
    let mut generics: Generics = input.parse()?;
    if input.peek(Token![where]) {
        generics.where_clause = Some(input.parse()?);
    }
    let content;
    let brace_token = braced!(content in input);
    let mut named = Punctuated::new();
    while !content.is_empty() {
        named.push_value(content.call(field)?);
        if content.is_empty() {
            break;
        }
        named.push_punct(content.parse::<Token![,]>()?);
    }
    Ok(DeriveInput {
        attrs,
        vis,
        ident,
        generics,
        data: Data::Struct(DataStruct {
            struct_token,
            fields: Fields::Named(FieldsNamed { brace_token, named }),
            semi_token: None,
        }),
    })
}

/// One named field: the quick road when its type allows, else `Field::parse_named`.
fn field(input: ParseStream) -> Result<Field> {
    let fork = input.fork();
    if let Ok(Some(field)) = quick_field(&fork) {
        input.advance_to(&fork);
        return Ok(field);
    }
    Field::parse_named(input)
}

fn quick_field(input: ParseStream) -> Result<Option<Field>> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let ident: Ident = input.parse()?;
    let colon_token: Token![:] = input.parse()?;
    let ty = input.step(|cursor| match plain_type(*cursor) {
        // The type must end the field: a default value (`= ..`) or anything else is syn's.
        Some((ty, rest)) if rest.eof() || is_punct(rest, ',') => Ok((Some(ty), rest)),
        _ => Ok((None, *cursor)),
    })?;
    let Some(ty) = ty else {
        return Ok(None);
    };
    Ok(Some(Field {
        attrs,
        vis,
        modifiers: FieldModifiers::default(),
        ident: Some(ident),
        colon_token: Some(colon_token),
        ty,
        default: None,
    }))
}

/// `Name` or `Name<T>` where `T` is one again, as syn's `Type::Path`, and the cursor
/// after it. `None` for anything else, such as paths with `::`, references, tuples,
/// lifetimes, several arguments, keywords (`dyn`, `impl`, `Self`, ...) or tokens
/// from a macro's `$t:ty` (a group without delimiters, which syn keeps as a group).
fn plain_type(cursor: Cursor) -> Option<(Type, Cursor)> {
    let (TokenTree::Ident(ident), rest) = cursor.token_tree()? else {
        return None;
    };
    if is_keyword(&ident.to_string()) {
        return None;
    }
    let (arguments, rest) = match rest.token_tree() {
        Some((TokenTree::Punct(lt), inner)) if lt.as_char() == '<' => {
            let (argument, after) = plain_type(inner)?;
            let (TokenTree::Punct(gt), after) = after.token_tree()? else {
                return None;
            };
            if gt.as_char() != '>' {
                return None;
            }
            let mut args = Punctuated::new();
            args.push_value(GenericArgument::Type(argument));
            let arguments = AngleBracketedGenericArguments {
                colon2_token: None,
                lt_token: Token![<](lt.span()),
                args,
                gt_token: Token![>](gt.span()),
            };
            (PathArguments::AngleBracketed(arguments), after)
        }
        _ => (PathArguments::None, rest),
    };
    let path = Path::from(PathSegment { ident, arguments });
    let ty = TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    };
    Some((Type::Path(ty), rest))
}

fn is_punct(cursor: Cursor, ch: char) -> bool {
    matches!(cursor.token_tree(), Some((TokenTree::Punct(punct), _)) if punct.as_char() == ch)
}

/// The words syn does not read as a plain identifier (its `accept_as_ident`), and
/// those that start other kinds of types.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::Delimiter;
    use quote::ToTokens as _;
    use syn::parse::Parser as _;

    use super::*;

    /// Prints a type with its syn variant, nested: equal output means the same tree.
    fn shape(ty: &Type) -> String {
        match ty {
            Type::Path(path) => {
                let segments: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|segment| {
                        let arguments = match &segment.arguments {
                            PathArguments::None => String::new(),
                            PathArguments::AngleBracketed(arguments) => {
                                let args: Vec<String> = arguments
                                    .args
                                    .iter()
                                    .map(|arg| match arg {
                                        GenericArgument::Type(ty) => shape(ty),
                                        other => format!("Other({})", other.to_token_stream()),
                                    })
                                    .collect();
                                format!("<{}>", args.join(","))
                            }
                            PathArguments::Parenthesized(_) => "(..)".to_owned(),
                        };
                        format!("{}{arguments}", segment.ident)
                    })
                    .collect();
                format!(
                    "Path(qself={},{}{})",
                    path.qself.is_some(),
                    if path.path.leading_colon.is_some() {
                        "::"
                    } else {
                        ""
                    },
                    segments.join("::")
                )
            }
            other => format!("Other({})", other.to_token_stream()),
        }
    }

    fn same_as_syn(source: &str) {
        let ours = derive_input.parse_str(source).expect("parses");
        let syns: DeriveInput = syn::parse_str(source).expect("syn parses");
        assert_eq!(
            ours.to_token_stream().to_string(),
            syns.to_token_stream().to_string(),
            "{source}"
        );
        let fields = |input: &DeriveInput| -> Vec<String> {
            match &input.data {
                Data::Struct(data) => data
                    .fields
                    .iter()
                    .map(|field| {
                        format!(
                            "{:?} {} {}",
                            field.ident.as_ref().map(ToString::to_string),
                            shape(&field.ty),
                            field.default.is_some()
                        )
                    })
                    .collect(),
                _ => vec!["not a struct".to_owned()],
            }
        };
        assert_eq!(fields(&ours), fields(&syns), "{source}");
        assert_eq!(
            ours.generics.where_clause.is_some(),
            syns.generics.where_clause.is_some()
        );
    }

    #[test]
    fn reads_what_syn_reads() {
        for source in [
            "struct A;",
            "struct A {}",
            "pub struct A { a: String }",
            "#[x(y = \"z\")] pub(crate) struct A { #[serde(rename = \"b\")] pub a: String, }",
            "struct A { a: Option<f64>, b: Vec<Option<String>>, c: u32, d: bool, }",
            "struct A<'a, T: Clone> where T: Copy { a: &'a str, b: T, c: Vec<T> }",
            "struct A { a: std::string::String, b: ::core::option::Option<u8> }",
            "struct A { a: HashMap<String, f64>, b: Box<dyn Fn(u8) -> u8>, c: [u8; 4] }",
            "struct A { a: (u8, u16), b: Self, c: r#type, d: Option<r#type> }",
            "struct A { a: Vec<Vec<u8>>, b: Option<Vec<Option<f32>>> }",
            "struct A { a: Cow<'static, str>, b: Option<<T as Tr>::X>, c: m!(u8) }",
            "struct A(u8, String);",
            "enum E { A, B(u8) }",
            "union U { a: u8, b: u16 }",
        ] {
            same_as_syn(source);
        }
    }

    #[test]
    fn errors_are_syns() {
        for source in [
            "struct A { a: }",
            "struct A { a: Vec<u8 }",
            "struct A { a u8 }",
            "fn f() {}",
        ] {
            let ours = derive_input.parse_str(source).err().map(|e| e.to_string());
            let syns = syn::parse_str::<DeriveInput>(source)
                .err()
                .map(|e| e.to_string());
            assert!(ours.is_some(), "{source}");
            assert_eq!(ours, syns, "{source}");
        }
    }

    #[test]
    fn a_group_from_a_macro_stays_syns() {
        let inner: proc_macro2::TokenStream = "Option<u8>".parse().expect("tokens");
        let group = proc_macro2::Group::new(Delimiter::None, inner);
        let tokens = quote::quote!(struct A { a: #group });
        let ours = derive_input.parse2(tokens.clone()).expect("parses");
        let syns: DeriveInput = syn::parse2(tokens).expect("syn parses");
        let Data::Struct(ours) = ours.data else {
            panic!("a struct")
        };
        let Data::Struct(syns) = syns.data else {
            panic!("a struct")
        };
        let first = |data: &DataStruct| data.fields.iter().next().map(|field| field.ty.clone());
        assert!(matches!(first(&ours), Some(Type::Group(_))));
        assert!(matches!(first(&syns), Some(Type::Group(_))));
    }
}
