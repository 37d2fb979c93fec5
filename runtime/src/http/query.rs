//! Encoding of path segments, OData literals and query options.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Error;

/// Characters left as they are in a path segment: RFC 3986 unreserved characters, plus the
/// sub-delimiters OData function calls are written with (`(`, `)`, `'`, `=`, `,`). Everything
/// else (`/`, `?`, `#`, `%`, spaces, control characters) is percent-encoded, so a value
/// can't add a segment, a query or a fragment. `.` is unreserved and stays as it is, which is
/// why [`path_segment`] refuses the values that would be dot segments.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'(')
    .remove(b')')
    .remove(b'\'')
    .remove(b'=')
    .remove(b',');

/// Characters left as they are in a query value: unreserved characters and the ones OData
/// expressions use that are safe in a query (`$`, `(`, `)`, `'`, `,`, `/`, `:`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b'\'')
    .remove(b',')
    .remove(b'/')
    .remove(b':');

/// Encodes a value to stand as one path segment, or [`Error::InvalidKey`] when no encoding
/// can make it one.
///
/// An empty value would address the collection instead of an item (`…/decisions/`), and
/// `.` or `..` would be removed by URL parsing, moving the request up the path. Percent
/// escapes don't help: WHATWG URL parsing, as in `reqwest::Url`, reads `%2E` and `%2e` as
/// a dot too. So these values are refused, not encoded. Every other value is safe: `%` is
/// itself encoded, so no escape in the input survives to be read as a dot.
pub fn path_segment(value: &str) -> Result<String, Error> {
    let encoded = utf8_percent_encode(value, SEGMENT).to_string();
    if encoded.is_empty() || is_dot_segment(&encoded) {
        return Err(Error::InvalidKey {
            value: value.to_owned(),
        });
    }
    Ok(encoded)
}

/// True for a segment that URL parsing reads as `.` or `..`, in any spelling (`%2e`,
/// `.%2E`, ...).
fn is_dot_segment(encoded: &str) -> bool {
    let lowered = encoded.to_ascii_lowercase().replace("%2e", ".");
    lowered == "." || lowered == ".."
}

/// An OData string literal: the value in single quotes, with each `'` doubled.
pub fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Query options in the order they were set, encoded when the URL is built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// No options.
    pub fn new() -> Self {
        Query::default()
    }

    /// Sets an option, replacing an earlier value of the same name.
    pub fn set(&mut self, name: &'static str, value: String) {
        match self.pairs.iter_mut().find(|(key, _)| *key == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name, value)),
        }
    }

    /// True when no option is set.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `?name=value&...`, or nothing when no option is set.
    pub fn to_query_string(&self) -> String {
        let mut text = String::new();
        for (index, (name, value)) in self.pairs.iter().enumerate() {
            text.push(if index == 0 { '?' } else { '&' });
            text.push_str(&utf8_percent_encode(name, QUERY_VALUE).to_string());
            text.push('=');
            text.push_str(&utf8_percent_encode(value, QUERY_VALUE).to_string());
        }
        text
    }
}

/// Matches a documented request path against a path template, segment by segment, and
/// returns the values of its placeholders in order (percent-decoded; a quoted OData string
/// has its doubled `'` undone). `None` when the path does not fit the template.
pub fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let template_segments: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let path_segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if template_segments.len() != path_segments.len() {
        return None;
    }
    let mut values = Vec::new();
    for (pattern, actual) in template_segments.iter().zip(&path_segments) {
        let actual = percent_encoding::percent_decode_str(actual)
            .decode_utf8()
            .ok()?;
        match_segment(pattern, &actual, &mut values)?;
    }
    Some(values)
}

/// Matches one segment: literal text must be equal, each `{name}` takes the text up to the
/// literal that follows it.
fn match_segment(pattern: &str, actual: &str, values: &mut Vec<String>) -> Option<()> {
    let mut rest = actual;
    let mut pattern_rest = pattern;
    while let Some(open) = pattern_rest.find('{') {
        let literal_before = &pattern_rest[..open];
        rest = rest.strip_prefix(literal_before)?;
        let close = pattern_rest[open..].find('}')? + open;
        pattern_rest = &pattern_rest[close + 1..];
        let literal_after = pattern_rest.split('{').next().unwrap_or("");
        let end = if literal_after.is_empty() {
            rest.len()
        } else {
            rest.find(literal_after)?
        };
        let value = &rest[..end];
        // Inside quotes the value is an OData string, whose `'` are written doubled.
        let quoted = literal_before.ends_with('\'');
        values.push(if quoted {
            value.replace("''", "'")
        } else {
            value.to_owned()
        });
        rest = &rest[end..];
    }
    (rest == pattern_rest).then_some(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn documented_paths_match_templates() {
        let template = "/a/{id}/f(on='{on}')/$count";
        assert_eq!(
            match_template(template, "/a/x%2Fy/f(on='o''k')/$count"),
            Some(vec!["x/y".to_owned(), "o'k".to_owned()])
        );
        assert_eq!(match_template(template, "/a/x/g(on='r')/$count"), None);
        assert_eq!(match_template("/a/b", "/a/b/c"), None);
        assert_eq!(
            match_template("/a/resetDecisions", "/a/resetDecisions"),
            Some(vec![])
        );
    }

    use super::*;

    fn segment(value: &str) -> String {
        path_segment(value).unwrap_or_else(|e| panic!("{value:?}: {e}"))
    }

    #[test]
    fn ids_cannot_change_the_path() {
        assert_eq!(segment("a/b?c#d%e"), "a%2Fb%3Fc%23d%25e");
        assert_eq!(segment("8d035c9d-798d-47fa"), "8d035c9d-798d-47fa");
        assert_eq!(segment("a b"), "a%20b");
        assert_eq!(segment("a\tb\n"), "a%09b%0A");
        // Escapes in the input are encoded, so they can't turn into dots.
        assert_eq!(segment("%2e%2E"), "%252e%252E");
        assert_eq!(segment("..."), "...");
        assert_eq!(segment(".a"), ".a");
    }

    #[test]
    fn keys_that_would_be_dot_segments_or_nothing_are_refused() {
        for value in ["", ".", ".."] {
            match path_segment(value) {
                Err(Error::InvalidKey { value: kept }) => assert_eq!(kept, value),
                other => panic!("{value:?} gave {other:?}"),
            }
        }
        for spelling in ["%2e", "%2E", ".%2e", "%2E.", "%2e%2E"] {
            assert!(is_dot_segment(spelling), "{spelling}");
        }
        assert!(!is_dot_segment("%252e") && !is_dot_segment("..."));
    }

    #[test]
    fn odata_strings_double_quotes() {
        assert_eq!(odata_string("reviewer"), "'reviewer'");
        assert_eq!(odata_string("o'brien"), "'o''brien'");
        assert_eq!(
            segment(&format!("f(on={})", odata_string("a'b/c"))),
            "f(on='a''b%2Fc')"
        );
    }

    #[test]
    fn query_options_are_encoded_in_order() {
        let mut query = Query::new();
        query.set("$filter", "decision eq 'Approve' & x".to_owned());
        query.set("$top", "10".to_owned());
        query.set("$expand", "instance($expand=definition)".to_owned());
        query.set("$top", "5".to_owned());
        assert_eq!(
            query.to_query_string(),
            "?$filter=decision%20eq%20'Approve'%20%26%20x&$top=5&$expand=instance($expand%3Ddefinition)"
        );
        assert_eq!(Query::new().to_query_string(), "");
    }
}
