//! The one lenient pre-pass for documented JSON.
//!
//! Documentation pages are written by hand, and their JSON examples carry a small set of
//! recurring defects. Rather than sprinkling ad-hoc fixes over the code that consumes examples,
//! every tolerated defect is repaired here, in one place, and reported as a [`Defect`] so that a
//! golden test can name each defect it accepts instead of skipping an example silently.
//!
//! The parser is a small hand-written recursive-descent JSON reader (rather than serde_json's
//! deserializer) because the repairs need positions and paths, and because duplicate keys must
//! be seen before a map swallows them. Scalars are still decoded by serde_json so that number
//! and escape handling is exactly serde_json's.
//!
//! It stays hand-written on purpose: the lenient readers on crates.io (JSON5, comment- and
//! comma-tolerant parsers) accept more than the docs' defects and say nothing about what they
//! accepted, while this pass must refuse every defect it has no name for and report each
//! repair with its line or JSON path, so that the examples check can print it.

use std::fmt;

use serde_json::{Map, Number, Value};

/// One repair the lenient pre-pass made to a documented JSON example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// A `,` directly before `}` or `]`.
    TrailingComma {
        /// 1-based line of the comma.
        line: usize,
    },
    /// A raw line break, tab or other control character inside a string literal.
    RawControlCharInString {
        /// 1-based line where the character stands.
        line: usize,
        /// The character as it appears in the text.
        character: char,
    },
    /// A `// ...` or `/* ... */` comment.
    Comment {
        /// 1-based line where the comment starts.
        line: usize,
    },
    /// The same key twice in one object; the last value is kept.
    DuplicateKey {
        /// JSON path of the object holding the key (`$.a.b`).
        path: String,
        /// The repeated key.
        key: String,
    },
    /// `"odata.type"` written without its `@`; the key is renamed to `@odata.type`.
    OdataTypeWithoutAt {
        /// JSON path of the key as written.
        path: String,
    },
    /// A bare `...` (or `…`) placeholder standing for omitted members or elements.
    Ellipsis {
        /// 1-based line of the placeholder.
        line: usize,
    },
    /// A single entity wrapped as `{"value": {...}}`; the wrapper is removed.
    ValueWrapper,
}

impl Defect {
    /// Stable kebab-case identifier, used in golden tests and reports.
    pub fn name(&self) -> &'static str {
        match self {
            Defect::TrailingComma { .. } => "trailing-comma",
            Defect::RawControlCharInString { .. } => "raw-control-char-in-string",
            Defect::Comment { .. } => "comment",
            Defect::DuplicateKey { .. } => "duplicate-key",
            Defect::OdataTypeWithoutAt { .. } => "odata-type-without-at",
            Defect::Ellipsis { .. } => "ellipsis",
            Defect::ValueWrapper => "value-wrapper",
        }
    }

    /// Why the example is accepted anyway, in one sentence.
    pub fn reason(&self) -> &'static str {
        match self {
            Defect::TrailingComma { .. } => {
                "a comma before a closing bracket adds no member; dropping it loses nothing"
            }
            Defect::RawControlCharInString { .. } => {
                "the page wrapped or tabbed a long string; line breaks are joined with one \
                 space and other control characters are kept as escapes"
            }
            Defect::Comment { .. } => "comments are commentary for readers and carry no data",
            Defect::DuplicateKey { .. } => {
                "the page repeats a key; like serde_json, the last occurrence wins"
            }
            Defect::OdataTypeWithoutAt { .. } => {
                "`odata.type` is the OData v3 spelling of the `@odata.type` annotation"
            }
            Defect::Ellipsis { .. } => {
                "the page elides content with a placeholder; the elided part is left out"
            }
            Defect::ValueWrapper => {
                "a single entity is shown inside a collection-style `value` wrapper"
            }
        }
    }

    /// Where the defect is, as a line number or JSON path (empty when it concerns the whole
    /// document).
    pub fn location(&self) -> String {
        match self {
            Defect::TrailingComma { line }
            | Defect::RawControlCharInString { line, .. }
            | Defect::Comment { line }
            | Defect::Ellipsis { line } => format!("line {line}"),
            Defect::DuplicateKey { path, key } => child_path(path, key),
            Defect::OdataTypeWithoutAt { path } => path.clone(),
            Defect::ValueWrapper => String::new(),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if location.is_empty() {
            write!(f, "{}: {}", self.name(), self.reason())
        } else {
            write!(f, "{} at {}: {}", self.name(), location, self.reason())
        }
    }
}

/// Parses documented JSON as written, repairing the known documentation defects.
///
/// Returns the value and every repair made, in document order. JSON that no repair fixes is an
/// error carrying the position where the lenient reader gave up and serde_json's own message on
/// the text as written.
pub fn parse_lenient(text: &str) -> Result<(Value, Vec<Defect>), String> {
    let mut reader = Reader::new(text);
    match reader.document() {
        Ok(value) => Ok((value, reader.defects)),
        Err(error) => Err(describe_failure(text, &error)),
    }
}

/// Removes a `{"value": {...}}` wrapper around a single entity.
///
/// Only applies when the caller does not expect a collection and the wrapper holds nothing but
/// `value` (an object) and `@odata.*` annotations; the annotations move onto the entity unless it
/// already has them, because that is where a single-entity response carries them.
pub fn unwrap_value_wrapper(value: Value, expect_collection: bool) -> (Value, Option<Defect>) {
    if expect_collection || !is_single_entity_wrapper(&value) {
        return (value, None);
    }
    let Value::Object(mut wrapper) = value else {
        return (value, None);
    };
    let Some(Value::Object(mut entity)) = wrapper.remove("value") else {
        // Unreachable after the check above; rebuild nothing and report nothing.
        return (Value::Object(wrapper), None);
    };
    for (key, annotation) in wrapper {
        entity.entry(key).or_insert(annotation);
    }
    (Value::Object(entity), Some(Defect::ValueWrapper))
}

fn is_single_entity_wrapper(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    matches!(object.get("value"), Some(Value::Object(_)))
        && object
            .keys()
            .all(|key| key == "value" || key.starts_with("@odata."))
}

/// Path of `key` inside the object at `parent`, in the `$.a.b[1]` notation of the shared docs
/// examples; keys that are not plain identifiers are bracket-quoted to stay unambiguous.
fn child_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", Value::String(key.to_owned()))
    }
}

fn describe_failure(text: &str, error: &ReadError) -> String {
    let (line, column) = line_and_column(text, error.offset);
    let as_written = match serde_json::from_str::<Value>(text) {
        Err(serde_error) => serde_error.to_string(),
        Ok(_) => "no error".to_owned(),
    };
    format!(
        "{} at line {line} column {column} (after lenient repairs); \
         serde_json on the text as written: {as_written}",
        error.message
    )
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[derive(Debug)]
struct ReadError {
    offset: usize,
    message: String,
}

/// What a value position held: a value, or an ellipsis placeholder standing for nothing.
enum Slot {
    Value(Value),
    Elided,
}

struct Reader<'a> {
    text: &'a str,
    offset: usize,
    defects: Vec<Defect>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        // A byte-order mark is an editor artefact, not content.
        let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Reader {
            text,
            offset,
            defects: Vec::new(),
        }
    }

    fn document(&mut self) -> Result<Value, ReadError> {
        self.skip_blanks_and_comments()?;
        let value = match self.slot("$")? {
            Slot::Value(value) => value,
            Slot::Elided => return Err(self.error("the document is only a placeholder")),
        };
        self.skip_blanks_and_comments()?;
        if self.offset < self.text.len() {
            return Err(self.error("unexpected text after the JSON value"));
        }
        Ok(value)
    }

    // ---- low-level cursor ----

    fn rest(&self) -> &'a str {
        &self.text[self.offset..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn line(&self) -> usize {
        line_and_column(self.text, self.offset).0
    }

    fn error(&self, message: &str) -> ReadError {
        ReadError {
            offset: self.offset,
            message: message.to_owned(),
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), ReadError> {
        if self.peek() == Some(wanted) {
            self.offset += wanted.len_utf8();
            Ok(())
        } else {
            Err(self.error(&format!("expected `{wanted}`")))
        }
    }

    /// Skips whitespace and comments, reporting each comment.
    fn skip_blanks_and_comments(&mut self) -> Result<(), ReadError> {
        loop {
            let trimmed = self.rest().trim_start();
            self.offset = self.text.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.defects.push(Defect::Comment { line: self.line() });
                let length = trimmed.find('\n').unwrap_or(trimmed.len());
                self.offset += length;
            } else if let Some(body) = trimmed.strip_prefix("/*") {
                self.defects.push(Defect::Comment { line: self.line() });
                let Some(end) = body.find("*/") else {
                    return Err(self.error("unterminated `/*` comment"));
                };
                self.offset += 2 + end + 2;
            } else {
                return Ok(());
            }
        }
    }

    /// Consumes an ellipsis placeholder if one starts here.
    fn take_ellipsis(&mut self) -> bool {
        for placeholder in ["...", "\u{2026}"] {
            if self.rest().starts_with(placeholder) {
                self.defects.push(Defect::Ellipsis { line: self.line() });
                self.offset += placeholder.len();
                return true;
            }
        }
        false
    }

    // ---- values ----

    fn slot(&mut self, path: &str) -> Result<Slot, ReadError> {
        if self.take_ellipsis() {
            return Ok(Slot::Elided);
        }
        let value = match self.peek() {
            Some('{') => self.object(path)?,
            Some('[') => self.array(path)?,
            Some('"') => Value::String(self.string()?),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number()?,
            Some(_) => self.literal()?,
            None => return Err(self.error("unexpected end of text, expected a value")),
        };
        Ok(Slot::Value(value))
    }

    fn object(&mut self, path: &str) -> Result<Value, ReadError> {
        self.expect('{')?;
        let mut members = Map::new();
        loop {
            self.skip_blanks_and_comments()?;
            match self.peek() {
                Some('}') => {
                    self.offset += 1;
                    return Ok(Value::Object(members));
                }
                Some('"') => self.member(path, &mut members)?,
                _ if self.take_ellipsis() => {}
                _ => return Err(self.error("expected a quoted key or `}`")),
            }
            if self.separator_closes('}')? {
                return Ok(Value::Object(members));
            }
        }
    }

    /// Reads `"key": value` into `members`, applying the key-level repairs.
    fn member(&mut self, path: &str, members: &mut Map<String, Value>) -> Result<(), ReadError> {
        let mut key = self.string()?;
        self.skip_blanks_and_comments()?;
        self.expect(':')?;
        self.skip_blanks_and_comments()?;
        if key == "odata.type" {
            self.defects.push(Defect::OdataTypeWithoutAt {
                path: child_path(path, &key),
            });
            key = "@odata.type".to_owned();
        }
        let Slot::Value(value) = self.slot(&child_path(path, &key))? else {
            // `"key": ...` says the value was elided: there is nothing to keep.
            return Ok(());
        };
        if members.contains_key(&key) {
            self.defects.push(Defect::DuplicateKey {
                path: path.to_owned(),
                key: key.clone(),
            });
        }
        members.insert(key, value);
        Ok(())
    }

    fn array(&mut self, path: &str) -> Result<Value, ReadError> {
        self.expect('[')?;
        let mut elements = Vec::new();
        loop {
            self.skip_blanks_and_comments()?;
            if self.peek() == Some(']') {
                self.offset += 1;
                return Ok(Value::Array(elements));
            }
            let element_path = format!("{path}[{}]", elements.len());
            if let Slot::Value(value) = self.slot(&element_path)? {
                elements.push(value);
            }
            if self.separator_closes(']')? {
                return Ok(Value::Array(elements));
            }
        }
    }

    /// After a member or element: consumes `,` or the closing bracket. Returns true when the
    /// container is closed, repairing a trailing comma on the way.
    fn separator_closes(&mut self, closer: char) -> Result<bool, ReadError> {
        self.skip_blanks_and_comments()?;
        match self.peek() {
            Some(c) if c == closer => {
                self.offset += 1;
                Ok(true)
            }
            Some(',') => {
                let comma_line = self.line();
                self.offset += 1;
                self.skip_blanks_and_comments()?;
                if self.peek() == Some(closer) {
                    self.defects
                        .push(Defect::TrailingComma { line: comma_line });
                    self.offset += 1;
                    return Ok(true);
                }
                Ok(false)
            }
            _ => Err(self.error(&format!("expected `,` or `{closer}`"))),
        }
    }

    /// Reads a string literal, escaping raw control characters before serde_json decodes it.
    fn string(&mut self) -> Result<String, ReadError> {
        let start = self.offset;
        self.expect('"')?;
        let mut literal = String::from('"');
        let mut first_control: Option<(usize, char)> = None;
        let mut escaped = false;
        loop {
            let Some(c) = self.peek() else {
                self.offset = start;
                return Err(self.error("unterminated string"));
            };
            let at = self.offset;
            self.offset += c.len_utf8();
            if escaped {
                escaped = false;
                literal.push(c);
                continue;
            }
            match c {
                '"' => break,
                '\\' => {
                    escaped = true;
                    literal.push(c);
                }
                '\r' | '\n' => {
                    first_control.get_or_insert((at, c));
                    self.join_wrapped_line(&mut literal, c);
                }
                c if (c as u32) < 0x20 => {
                    first_control.get_or_insert((at, c));
                    literal.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => literal.push(c),
            }
        }
        literal.push('"');
        if let Some((at, character)) = first_control {
            let line = line_and_column(self.text, at).0;
            self.defects
                .push(Defect::RawControlCharInString { line, character });
        }
        serde_json::from_str::<String>(&literal).map_err(|e| ReadError {
            offset: start,
            message: format!("invalid string literal: {e}"),
        })
    }

    /// A raw line break inside a string is the page wrapping a long value: the break and the
    /// indentation around it become one space.
    fn join_wrapped_line(&mut self, literal: &mut String, break_char: char) {
        if break_char == '\r' && self.peek() == Some('\n') {
            self.offset += 1;
        }
        let kept = literal.trim_end_matches([' ', '\t']).len();
        literal.truncate(kept);
        let continuation = self.rest().trim_start_matches([' ', '\t']);
        self.offset = self.text.len() - continuation.len();
        literal.push(' ');
    }

    fn number(&mut self) -> Result<Value, ReadError> {
        let rest = self.rest();
        let length = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        let number = serde_json::from_str::<Number>(&rest[..length])
            .map_err(|e| self.error(&format!("invalid number: {e}")))?;
        self.offset += length;
        Ok(Value::Number(number))
    }

    fn literal(&mut self) -> Result<Value, ReadError> {
        for (word, value) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("null", Value::Null),
        ] {
            if self.rest().starts_with(word) {
                self.offset += word.len();
                return Ok(value);
            }
        }
        Err(self.error("expected a value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn names(defects: &[Defect]) -> Vec<&'static str> {
        defects.iter().map(Defect::name).collect()
    }

    #[test]
    fn valid_json_has_no_defects() {
        let (value, defects) = parse_lenient(r#"{"a": [1, 2.5, -3e2, true, null, "x\"y"]}"#)
            .expect("valid JSON parses");
        assert_eq!(value, json!({"a": [1, 2.5, -300.0, true, null, "x\"y"]}));
        assert!(defects.is_empty());
    }

    #[test]
    fn agrees_with_serde_json_on_valid_input() {
        let text = r#" { "s": "\u00e9\n\t", "n": 12345678901234567890, "o": {"k": [ {} , [] ]} } "#;
        let strict: Value = serde_json::from_str(text).expect("valid");
        assert_eq!(parse_lenient(text).expect("valid").0, strict);
    }

    #[test]
    fn trailing_commas_are_dropped_and_reported() {
        let text = "{\n  \"decision\": \"Approve\",\n  \"list\": [1, 2,],\n}";
        let (value, defects) = parse_lenient(text).expect("repairable");
        assert_eq!(value, json!({"decision": "Approve", "list": [1, 2]}));
        assert_eq!(
            defects,
            vec![
                Defect::TrailingComma { line: 3 },
                Defect::TrailingComma { line: 3 }
            ]
        );
    }

    #[test]
    fn wrapped_string_is_joined_with_one_space() {
        let text = "{\"q\": \"country eq   \n        'USA'\", \"t\": \"a\tb\"}";
        let (value, defects) = parse_lenient(text).expect("repairable");
        assert_eq!(value, json!({"q": "country eq 'USA'", "t": "a\tb"}));
        assert_eq!(
            defects,
            vec![
                Defect::RawControlCharInString {
                    line: 1,
                    character: '\n'
                },
                Defect::RawControlCharInString {
                    line: 2,
                    character: '\t'
                },
            ]
        );
        assert!(defects
            .iter()
            .all(|d| d.name() == "raw-control-char-in-string"));
    }

    #[test]
    fn comments_are_skipped_but_not_inside_strings() {
        let text = "{\n // note\n \"url\": \"https://x/y\", /* more */ \"n\": 1\n}";
        let (value, defects) = parse_lenient(text).expect("repairable");
        assert_eq!(value, json!({"url": "https://x/y", "n": 1}));
        assert_eq!(names(&defects), ["comment", "comment"]);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_name_the_path() {
        let text = r#"{"value": [{}, {"by": {"name": "", "name": "guest"}}]}"#;
        let (value, defects) = parse_lenient(text).expect("repairable");
        assert_eq!(value["value"][1]["by"]["name"], "guest");
        assert_eq!(
            defects,
            vec![Defect::DuplicateKey {
                path: "$.value[1].by".into(),
                key: "name".into()
            }]
        );
        assert_eq!(defects[0].location(), "$.value[1].by.name");
        // Same winner as serde_json itself.
        let strict: Value = serde_json::from_str(text).expect("serde accepts duplicates");
        assert_eq!(value, strict);
    }

    #[test]
    fn odata_type_without_at_is_renamed() {
        let (value, defects) =
            parse_lenient(r##"{"p": {"odata.type": "#microsoft.graph.user"}}"##).expect("ok");
        assert_eq!(
            value,
            json!({"p": {"@odata.type": "#microsoft.graph.user"}})
        );
        assert_eq!(
            defects,
            vec![Defect::OdataTypeWithoutAt {
                path: r#"$.p["odata.type"]"#.into()
            }]
        );
    }

    #[test]
    fn ellipsis_placeholders_are_left_out() {
        let text = "{\"a\": [1, ..., 2], ..., \"b\": ..., \"c\": {\u{2026}}}";
        let (value, defects) = parse_lenient(text).expect("repairable");
        assert_eq!(value, json!({"a": [1, 2], "c": {}}));
        assert_eq!(names(&defects), ["ellipsis"; 4]);
        // Dots inside a string are data, not a placeholder.
        let (value, defects) = parse_lenient(r#"{"sig": "..."}"#).expect("valid");
        assert_eq!(value, json!({"sig": "..."}));
        assert!(defects.is_empty());
    }

    #[test]
    fn unrepairable_json_reports_position_and_serde_message() {
        let error = parse_lenient("{\n  \"a\": 1,\n  b: 2\n}").expect_err("unquoted key");
        assert!(error.contains("line 3 column 3"), "{error}");
        assert!(
            error.contains(
                "serde_json on the text as written: key must be a string at line 3 column 3"
            ),
            "{error}"
        );
        assert!(parse_lenient("{\"a\": 1} trailing").is_err());
        assert!(parse_lenient("{\"a\": \"open").is_err());
        assert!(parse_lenient("").is_err());
    }

    #[test]
    fn value_wrapper_is_unwrapped_only_for_single_entities() {
        let wrapped = json!({"@odata.context": "ctx", "value": {"id": "1"}});
        let (value, defect) = unwrap_value_wrapper(wrapped.clone(), false);
        assert_eq!(value, json!({"@odata.context": "ctx", "id": "1"}));
        assert_eq!(defect, Some(Defect::ValueWrapper));

        let (value, defect) = unwrap_value_wrapper(wrapped.clone(), true);
        assert_eq!((value, defect), (wrapped, None));

        let collection = json!({"value": [{"id": "1"}]});
        assert_eq!(unwrap_value_wrapper(collection.clone(), false).1, None);
        let with_other_members = json!({"value": {"id": "1"}, "id": "2"});
        assert_eq!(unwrap_value_wrapper(with_other_members, false).1, None);
    }

    #[test]
    fn every_defect_has_a_stable_name_and_a_reason() {
        let all = [
            Defect::TrailingComma { line: 1 },
            Defect::RawControlCharInString {
                line: 1,
                character: '\n',
            },
            Defect::Comment { line: 1 },
            Defect::DuplicateKey {
                path: "$".into(),
                key: "k".into(),
            },
            Defect::OdataTypeWithoutAt { path: "$".into() },
            Defect::Ellipsis { line: 1 },
            Defect::ValueWrapper,
        ];
        for defect in &all {
            assert!(defect
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(!defect.reason().is_empty());
            assert!(defect.to_string().starts_with(defect.name()));
        }
    }

    /// Every `.json` file below `dir` that is not a `.meta.json`, in name order.
    fn json_files_under(dir: &Path) -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(|entry| entry.expect("readable dir"))
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|path| {
                let name = path.to_string_lossy();
                name.ends_with(".json") && !name.ends_with(".meta.json")
            })
            .collect()
    }

    /// Every documented example body in the shared docs examples parses leniently. Collection
    /// expectations come from the meta annotation, so the value-wrapper repair is exercised too.
    #[test]
    fn every_shared_docs_example_parses_leniently() {
        let Some(root) = crate::shared_path("graph/docs-examples") else {
            return;
        };
        let examples = crate::layout::load_examples(&root).expect("layout loads");
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut failures = Vec::new();
        let mut parsed = 0;
        for example in &examples {
            let Some(text) = &example.json_text else {
                continue;
            };
            let label = format!(
                "{}/{}-{}",
                example.dir.display(),
                example.index,
                example.kind.as_str()
            );
            match parse_lenient(text) {
                Ok((value, mut defects)) => {
                    parsed += 1;
                    let expect_collection = example
                        .meta
                        .odata_type
                        .as_deref()
                        .is_some_and(|t| t.starts_with("Collection("))
                        || example.meta.is_collection == Some(true);
                    let (_, wrapper) = unwrap_value_wrapper(value, expect_collection);
                    defects.extend(wrapper);
                    for defect in &defects {
                        *counts.entry(defect.name()).or_default() += 1;
                        println!("{label}: {defect}");
                    }
                }
                Err(error) => failures.push(format!("{label}: {error}")),
            }
        }
        // Also catch JSON bodies that the layout did not attach to an example.
        let all_json = json_files_under(&root);
        let loose: Vec<_> = all_json
            .iter()
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                name.split_once('-')
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
            })
            .collect();
        assert_eq!(
            loose.len(),
            parsed,
            "every <n>-<kind>.json belongs to an example"
        );
        println!("\nparsed {parsed} documented JSON bodies\n| defect | count |\n|---|---|");
        for (name, count) in &counts {
            println!("| {name} | {count} |");
        }
        assert!(
            failures.is_empty(),
            "unparseable examples:\n{}",
            failures.join("\n")
        );
    }
}
