//! Where in the wire payload a value sits, built on the stack while validating.

use std::fmt;

/// The location of a value in the wire payload, such as `properties.products[2].price`.
///
/// A `FieldPath` is a chain of borrowed links on the stack: building one while
/// validation walks an event allocates nothing. It becomes a `String` only when an
/// error is recorded.
#[derive(Clone, Copy)]
pub struct FieldPath<'a> {
    link: Link<'a>,
}

#[derive(Clone, Copy)]
enum Link<'a> {
    Root,
    Field(&'a FieldPath<'a>, &'static str),
    Index(&'a FieldPath<'a>, usize),
    Key(&'a FieldPath<'a>, &'a dyn fmt::Display),
}

impl<'a> FieldPath<'a> {
    /// The empty path: the value being validated itself.
    pub const ROOT: FieldPath<'static> = FieldPath { link: Link::Root };

    /// The path of the wire field `name` inside this one.
    pub fn field(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath {
            link: Link::Field(self, name),
        }
    }

    /// The path of element `index` of the sequence at this path.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            link: Link::Index(self, index),
        }
    }

    /// The path of the map entry `key` inside this one.
    pub fn key(&'a self, key: &'a dyn fmt::Display) -> FieldPath<'a> {
        FieldPath {
            link: Link::Key(self, key),
        }
    }

    /// Whether this is the empty root path.
    pub fn is_root(&self) -> bool {
        matches!(self.link, Link::Root)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.link {
            Link::Root => Ok(()),
            Link::Field(parent, name) => {
                parent.fmt(f)?;
                if !parent.is_root() {
                    f.write_str(".")?;
                }
                f.write_str(name)
            }
            Link::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Link::Key(parent, key) => {
                let key = key.to_string();
                let simple = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if simple {
                    parent.fmt(f)?;
                    if !parent.is_root() {
                        f.write_str(".")?;
                    }
                    f.write_str(&key)
                } else {
                    write!(f, "{parent}[{key:?}]")
                }
            }
        }
    }
}

impl fmt::Debug for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fields_indexes_and_keys() {
        let root = FieldPath::ROOT;
        let properties = root.field("properties");
        let products = properties.field("products");
        let third = products.index(2);
        let price = third.field("price");
        assert_eq!(price.to_string(), "properties.products[2].price");

        let odd_key = "a key";
        let entry = properties.key(&odd_key);
        assert_eq!(entry.to_string(), "properties[\"a key\"]");
        let plain_key = "Mixpanel";
        assert_eq!(
            properties.key(&plain_key).to_string(),
            "properties.Mixpanel"
        );
        assert_eq!(root.index(0).to_string(), "[0]");
    }
}
