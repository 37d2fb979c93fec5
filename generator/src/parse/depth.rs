//! A scan of the document text that finds how deeply its collections nest, before any
//! parser sees it.
//!
//! Why: serde_yaml_ng reads the whole event stream before deserializing, and its scanner
//! slows down with every open flow collection, so a 200 KB document of nested `[` takes over
//! a minute just to be rejected by the deserializer's own recursion limit. This scan is one
//! pass over the bytes and stops at the first place that goes past the limit.
//!
//! For JSON the scan is exact: brackets outside strings. For YAML it is a small lexer that
//! knows enough structure to count what nests (block sequences and mappings by their columns,
//! flow collections by their brackets) and to skip what doesn't (quoted, plain and block
//! scalars, comments). It is meant to agree with the parser on every document a person would
//! write; where it can't tell, it counts less rather than more, so that it never turns away a
//! document the parser would have read: the parser's own limit still applies behind it.

/// Where nesting first went past the limit: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

/// The deepest nesting in JSON text, or where it first exceeds `limit`.
pub fn scan_json(text: &str, limit: usize) -> Result<usize, TooDeep> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Err(position(text, offset));
                }
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
}

/// The deepest nesting in YAML text (as the lexer sees it), or where it first exceeds `limit`.
pub fn scan_yaml(text: &str, limit: usize) -> Result<usize, TooDeep> {
    let text_bytes = text.as_bytes();
    // A byte-order mark is not part of the first line's indentation.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut scanner = YamlScanner {
        limit,
        deepest: 0,
        blocks: Vec::new(),
        flow: 0,
        flow_token_start: true,
        flow_key_column: None,
        quote: None,
        block_scalar_above: None,
        plain_above: None,
        plain_document: false,
    };
    let mut start = bom;
    while start <= text_bytes.len() {
        let end = text_bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text_bytes.len(), |at| start + at);
        let mut line = &text_bytes[start..end];
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        if let Err(at) = scanner.line(line) {
            return Err(position(text, start + at));
        }
        start = end + 1;
    }
    Ok(scanner.deepest)
}

/// Line and column of a byte offset.
fn position(text: &str, offset: usize) -> TooDeep {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    TooDeep {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// A block collection that is open: the column of its entries, and whether it is a sequence.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Block {
    column: usize,
    sequence: bool,
}

/// The lexer's state between lines. Every method that can go past the limit returns the
/// byte offset in the line where it did.
struct YamlScanner {
    limit: usize,
    deepest: usize,
    /// Open block collections, outermost first; columns never decrease along it.
    blocks: Vec<Block>,
    /// How many flow collections (`[`, `{`) are open.
    flow: usize,
    /// Inside flow collections: whether the next character starts a token (so that a quote
    /// there opens a quoted scalar, while one inside `it's` does not).
    flow_token_start: bool,
    /// The column where the outermost open flow collection started in block context, so that
    /// a `: ` after it makes it a mapping key there.
    flow_key_column: Option<usize>,
    /// Inside a quoted scalar that goes on past the end of a line: its quote.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`): lines indented more than this column are its text.
    block_scalar_above: Option<usize>,
    /// After a plain scalar in block context: lines indented more than this column go on with
    /// it (a multi-line plain scalar), whatever they look like.
    plain_above: Option<usize>,
    /// The document is a plain scalar: every line up to the next document goes on with it.
    plain_document: bool,
}

fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// Whether `line[at]` is an indicator followed by white space or the end of the line.
fn indicator_at(line: &[u8], at: usize) -> bool {
    match line.get(at + 1) {
        None => true,
        Some(&next) => is_blank(next),
    }
}

/// The offset just past the closing quote of a quoted scalar whose text starts at `from`, or
/// `None` if it goes on past this line.
fn quoted_end(line: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut at = from;
    while at < line.len() {
        let byte = line[at];
        if quote == b'"' && byte == b'\\' {
            at += 2;
            continue;
        }
        if byte == quote {
            // In single quotes, `''` is an escaped quote.
            if quote == b'\'' && line.get(at + 1) == Some(&b'\'') {
                at += 2;
                continue;
            }
            return Some(at + 1);
        }
        at += 1;
    }
    None
}

fn skip_blanks(line: &[u8], mut at: usize) -> usize {
    while at < line.len() && is_blank(line[at]) {
        at += 1;
    }
    at
}

impl YamlScanner {
    fn depth(&self) -> usize {
        self.blocks.len() + self.flow
    }

    /// Records the depth after opening something at `at`; fails past the limit.
    fn opened(&mut self, at: usize) -> Result<(), usize> {
        let depth = self.depth();
        if depth > self.limit {
            return Err(at);
        }
        self.deepest = self.deepest.max(depth);
        Ok(())
    }

    /// The column of the innermost open block collection (0 at the top).
    fn owner_column(&self) -> usize {
        self.blocks.last().map_or(0, |block| block.column)
    }

    fn line(&mut self, line: &[u8]) -> Result<(), usize> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|&b| is_blank(b));
        if let Some(above) = self.block_scalar_above {
            if blank || indent > above {
                return Ok(());
            }
            self.block_scalar_above = None;
        }
        let mut from = 0;
        if let Some(quote) = self.quote {
            match quoted_end(line, 0, quote) {
                None => return Ok(()),
                Some(end) => {
                    self.quote = None;
                    from = end;
                    if self.flow == 0 {
                        // A multi-line quoted scalar is a value: nothing else on the line nests.
                        return Ok(());
                    }
                    self.flow_token_start = false;
                }
            }
        }
        if self.flow > 0 {
            return match self.flow_scan(line, from)? {
                Some(end) => self.after_flow(line, end),
                None => Ok(()),
            };
        }
        if blank {
            return Ok(());
        }
        let rest = &line[indent..];
        if indent == 0 {
            if rest.starts_with(b"%") {
                return Ok(()); // A directive.
            }
            if (rest.starts_with(b"---") || rest.starts_with(b"...")) && indicator_at(rest, 2) {
                // A new document: nothing is open any more.
                self.blocks.clear();
                self.plain_above = None;
                self.plain_document = false;
                return self.node(line, 3);
            }
        }
        if self.plain_document {
            return Ok(());
        }
        if rest.starts_with(b"#") {
            return Ok(());
        }
        if let Some(above) = self.plain_above {
            if indent > above {
                return Ok(());
            }
            self.plain_above = None;
        }
        while self
            .blocks
            .last()
            .is_some_and(|block| block.column > indent)
        {
            self.blocks.pop();
        }
        self.node(line, indent)
    }

    /// A block sequence entry (`- `) at `column`: continues the sequence there or opens one.
    fn sequence_entry(&mut self, column: usize) -> Result<(), usize> {
        let top = self.blocks.last().copied();
        if top
            == Some(Block {
                column,
                sequence: true,
            })
        {
            return Ok(());
        }
        self.blocks.push(Block {
            column,
            sequence: true,
        });
        self.opened(column)
    }

    /// A mapping key at `column`: continues the mapping there or opens one. A key at the
    /// column of a sequence's dashes ends that sequence (`key:` / `- a` / `next:`).
    fn mapping_key(&mut self, column: usize) -> Result<(), usize> {
        if self.blocks.last().copied()
            == Some(Block {
                column,
                sequence: true,
            })
        {
            self.blocks.pop();
        }
        if self.blocks.last().copied()
            == Some(Block {
                column,
                sequence: false,
            })
        {
            return Ok(());
        }
        self.blocks.push(Block {
            column,
            sequence: false,
        });
        self.opened(column)
    }

    /// Block context from `at` to the end of the line: indicators, then one node.
    fn node(&mut self, line: &[u8], mut at: usize) -> Result<(), usize> {
        loop {
            at = skip_blanks(line, at);
            let Some(&byte) = line.get(at) else {
                return Ok(()); // The value, if any, is on the lines below.
            };
            match byte {
                b'#' => return Ok(()),
                b'-' if indicator_at(line, at) => {
                    self.sequence_entry(at)?;
                    at += 1;
                }
                b'?' if indicator_at(line, at) => {
                    self.mapping_key(at)?;
                    at += 1;
                }
                b':' if indicator_at(line, at) => at += 1,
                b'[' | b'{' => {
                    self.flow_key_column = Some(at);
                    return match self.flow_scan(line, at)? {
                        Some(end) => self.after_flow(line, end),
                        None => Ok(()),
                    };
                }
                b'\'' | b'"' => {
                    let Some(end) = quoted_end(line, at + 1, byte) else {
                        self.quote = Some(byte);
                        return Ok(());
                    };
                    let after = skip_blanks(line, end);
                    if line.get(after) == Some(&b':') && indicator_at(line, after) {
                        self.mapping_key(at)?;
                        at = after + 1;
                    } else {
                        return Ok(());
                    }
                }
                b'|' | b'>' => {
                    self.block_scalar_above = Some(self.owner_column());
                    return Ok(());
                }
                // An anchor or a tag comes before the node it names.
                b'&' | b'!' => {
                    while at < line.len() && !is_blank(line[at]) {
                        at += 1;
                    }
                }
                b'*' => return Ok(()), // An alias.
                _ => match plain_key_end(line, at) {
                    Some(colon) => {
                        self.mapping_key(at)?;
                        at = colon + 1;
                    }
                    None => {
                        if self.blocks.is_empty() {
                            self.plain_document = true;
                        } else {
                            self.plain_above = Some(self.owner_column());
                        }
                        return Ok(());
                    }
                },
            }
        }
    }

    /// What follows a flow collection that closed at `end`, in block context: a `: ` makes
    /// it a mapping key; anything else is a comment or an error the parser will report.
    fn after_flow(&mut self, line: &[u8], end: usize) -> Result<(), usize> {
        let column = self.flow_key_column.take();
        let after = skip_blanks(line, end);
        if line.get(after) == Some(&b':') && indicator_at(line, after) {
            if let Some(column) = column {
                self.mapping_key(column)?;
            }
            return self.node(line, after + 1);
        }
        Ok(())
    }

    /// Flow context from `at`: counts brackets until the outermost collection closes
    /// (returns the offset just past it) or the line ends (`None`).
    fn flow_scan(&mut self, line: &[u8], mut at: usize) -> Result<Option<usize>, usize> {
        while at < line.len() {
            let byte = line[at];
            match byte {
                b'[' | b'{' => {
                    self.flow += 1;
                    self.opened(at)?;
                    self.flow_token_start = true;
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.flow_token_start = false;
                    if self.flow == 0 {
                        self.flow_token_start = true;
                        return Ok(Some(at + 1));
                    }
                }
                b',' | b':' | b'?' => self.flow_token_start = true,
                b'#' if at == 0 || is_blank(line[at - 1]) => return Ok(None),
                b'\'' | b'"' if self.flow_token_start => match quoted_end(line, at + 1, byte) {
                    Some(end) => {
                        self.flow_token_start = false;
                        at = end;
                        continue;
                    }
                    None => {
                        self.quote = Some(byte);
                        return Ok(None);
                    }
                },
                b' ' | b'\t' => {}
                _ => self.flow_token_start = false,
            }
            at += 1;
        }
        Ok(None)
    }
}

/// If the plain scalar starting at `at` is a mapping key, the offset of its `:`. A plain
/// scalar in block context ends at `: ` (a key) or ` #` (a comment).
fn plain_key_end(line: &[u8], at: usize) -> Option<usize> {
    let mut index = at;
    while index < line.len() {
        let byte = line[index];
        if byte == b':' && indicator_at(line, index) {
            return Some(index);
        }
        if byte == b'#' && index > at && is_blank(line[index - 1]) {
            return None;
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth of a parsed YAML value: what the scan must agree with.
    fn value_depth(value: &serde_yaml_ng::Value) -> usize {
        match value {
            serde_yaml_ng::Value::Sequence(items) => {
                1 + items.iter().map(value_depth).max().unwrap_or(0)
            }
            serde_yaml_ng::Value::Mapping(map) => {
                1 + map
                    .iter()
                    .map(|(key, value)| value_depth(key).max(value_depth(value)))
                    .max()
                    .unwrap_or(0)
            }
            serde_yaml_ng::Value::Tagged(tagged) => value_depth(&tagged.value),
            _ => 0,
        }
    }

    fn assert_agrees(text: &str) {
        let value: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"));
        assert_eq!(
            scan_yaml(text, usize::MAX),
            Ok(value_depth(&value)),
            "for:\n{text}"
        );
    }

    #[test]
    fn yaml_scan_agrees_with_the_parser() {
        for text in [
            "a: 1\n",
            "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
            "a:\n- x\n- y\nb: 2\n",
            "a:\n- b:\n  - c:\n    - d\n",
            "- - - a\n- b\n",
            "- a: 1\n  b:\n    - 2\n",
            "a: [1, [2, {b: [3]}]]\n",
            "a: [1,\n  [2,\n   3]]\nb: {c: d}\n",
            "a: see [the docs\nb: 'it''s [ {'\nc: \"q \\\" [\"\n",
            "a: one\n  two [three\n  four\nb: 1\n",
            "a: |\n  [[[\n  {{{\nb: >-\n  - x: [\n",
            "a: 'multi\n  line [ quote'\nb: [\"x\n  ]\", [y]]\n",
            "# [[[\na: 1 # {{{\n",
            "a: &anchor\n  b: 1\nc: *anchor\nd: !!map {e: 1}\n",
            "? complex\n: value\n",
            "{\"a\": {\"b\": [1, 2, {\"c\": \"]]]\"}]}}\n",
            "---\na: [1]\n",
            "a: [it's, {b: c's}]\n",
            "url: http://example.com/a:b\nlist:\n  - x: 1\n    y:\n      - z\n",
            "a:\r\n  b: [1]\r\n",
            "\u{feff}a:\n  b: 1\n",
            "a document that is text\n[not a flow\n{nor this\n",
        ] {
            assert_agrees(text);
        }
    }

    #[test]
    fn a_flow_collection_as_a_key_counts_one_level_less() {
        // The key's brackets are counted before the scan learns it is a key: a bounded
        // undercount, on a construct that OpenAPI documents don't use.
        assert_eq!(scan_yaml("[a, b]: c\n", usize::MAX), Ok(1));
    }

    #[test]
    fn project_specs_scan_as_deep_as_they_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for spec in [
            "spec/v1.0/access-reviews.yaml",
            "spec/beta/access-reviews.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(spec)).expect("the project spec");
            assert_agrees(&text);
        }
    }

    #[test]
    fn json_scan_skips_strings() {
        assert_eq!(
            scan_json(r#"{"a": "[[[\"{{", "b": [[]]}"#, usize::MAX),
            Ok(3)
        );
        assert_eq!(
            scan_json("{\n  \"a\": [[[1]]]}", 3),
            Err(TooDeep {
                line: 2,
                column: 10
            })
        );
    }

    #[test]
    fn yaml_scan_stops_at_the_limit() {
        assert_eq!(
            scan_yaml("a:\n  b: [[1]]\n", 3),
            Err(TooDeep { line: 2, column: 7 })
        );
        assert_eq!(
            scan_yaml("- - - x\n", 2),
            Err(TooDeep { line: 1, column: 5 })
        );
    }
}
