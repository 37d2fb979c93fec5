//! Rust names for schema names, property names and enum members. Every name is decided here,
//! once, so emitters never invent one.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a name equal to one gets a trailing underscore.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A type, variant or module name can't be empty or start with a digit, and can't be a
/// keyword.
fn make_identifier(candidate: String, fallback: &str) -> String {
    let mut name = if candidate.is_empty() {
        fallback.to_owned()
    } else {
        candidate
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(
            0,
            if fallback.chars().next().is_some_and(char::is_uppercase) {
                "N"
            } else {
                "n"
            },
        );
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Keeps letters and digits, turning everything else into word breaks for heck.
fn words(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `microsoft.graph.accessReviewInstance` -> `AccessReviewInstance` (the last dotted segment).
pub fn type_name_short(schema_key: &str) -> String {
    let last = schema_key.rsplit('.').next().unwrap_or(schema_key);
    make_identifier(words(last).to_upper_camel_case(), "Type")
}

/// `microsoft.graph.security.alert` -> `MicrosoftGraphSecurityAlert`: used when the short
/// names of two schemas collide.
pub fn type_name_long(schema_key: &str) -> String {
    make_identifier(words(schema_key).to_upper_camel_case(), "Type")
}

/// An UpperCamelCase name from free text (inline types, enum variants).
pub fn upper_camel(text: &str, fallback: &str) -> String {
    make_identifier(words(text).to_upper_camel_case(), fallback)
}

/// A snake_case name (fields, modules).
pub fn snake(text: &str, fallback: &str) -> String {
    make_identifier(words(text).to_snake_case(), fallback)
}

/// A set of names in one namespace; `claim` returns the wanted name or, if taken, the
/// first free `name2`, `name3`, ... (with `_` for snake case names).
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// True if `name` is free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Claims `wanted`, or a numbered variant of it.
    pub fn claim(&mut self, wanted: &str) -> String {
        let separator = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        let mut name = wanted.to_owned();
        let mut counter = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{separator}{counter}");
            counter += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_become_identifiers() {
        assert_eq!(snake("@odata.type", "field"), "odata_type");
        assert_eq!(snake("$count", "field"), "count");
        assert_eq!(
            snake("insights@odata.context", "field"),
            "insights_odata_context"
        );
        assert_eq!(snake("type", "field"), "type_");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(snake("2fa", "field"), "n2fa");
        assert_eq!(
            upper_camel("unknownFutureValue", "Value"),
            "UnknownFutureValue"
        );
        assert_eq!(upper_camel("Self", "Value"), "Self_");
        assert_eq!(upper_camel("1x", "Value"), "N1x");
        assert_eq!(
            type_name_short("microsoft.graph.accessReviewInstance"),
            "AccessReviewInstance"
        );
        assert_eq!(
            type_name_long("microsoft.graph.security.alert"),
            "MicrosoftGraphSecurityAlert"
        );
    }

    #[test]
    fn collisions_get_numbers() {
        let mut namespace = Namespace::with_reserved(&["additional_properties"]);
        assert_eq!(namespace.claim("display_name"), "display_name");
        assert_eq!(namespace.claim("display_name"), "display_name_2");
        assert_eq!(
            namespace.claim("additional_properties"),
            "additional_properties_2"
        );
        let mut types = Namespace::default();
        assert_eq!(types.claim("Foo"), "Foo");
        assert_eq!(types.claim("Foo"), "Foo2");
    }
}
