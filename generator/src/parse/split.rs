//! Reading a large YAML document in two halves at once.
//!
//! Parsing is the one step of generation that can't be spread over threads: serde_yaml_ng
//! reads one document on one thread, and on the whole Graph description (22 MB, nine tenths
//! of it `paths`) that takes over a second before anything else can start. So a large
//! document (1 MB or more; the project's own specs are read whole) is cut in two at the
//! path key nearest its middle, the second half is given a stand-in header of its own, both
//! are read at once, and the halves are joined: the same document, since each half holds
//! whole entries, in the same order (tested on the project's specs, and checked on the
//! upstream Graph descriptions).
//!
//! Only a plain layout is cut: every line at column 0 is a comment, a `- ` entry or a
//! `key:` of letters, digits, `$`, `_`, `.` and `-`; `paths:` appears once, its keys two
//! spaces in. Anything else, any key in both halves, or any half that doesn't read (an
//! alias to an anchor in the other half, a multi-document stream), and the caller reads the
//! document whole, as it always has, which gives the located error if there is one.

use openapiv3::OpenAPI;
use serde::Deserialize as _;

/// What the second half starts with: the required fields, so that it reads on its own,
/// then the key its first line belongs under.
const HEADER: &str = "openapi: 3.0.0\ninfo: {title: '', version: ''}\npaths:\n";

/// `text` read in two halves at once; `None` if it can't be cut or a half doesn't read.
pub fn parse_in_two(text: &str) -> Option<OpenAPI> {
    let cut = cut(text)?;
    let (head, tail) = text.split_at(cut.at);
    let tail = format!("{HEADER}{tail}");
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read(&tail));
        (read(head), second.join().ok().flatten())
    });
    join(first?, second?, &cut)
}

fn read(text: &str) -> Option<OpenAPI> {
    OpenAPI::deserialize(serde_yaml_ng::Deserializer::from_str(text)).ok()
}

/// Where to cut, and the top-level keys on either side.
struct Cut {
    /// The byte offset of the line the second half starts with.
    at: usize,
    /// Top-level keys before `paths:` and after its section.
    before: Vec<String>,
    after: Vec<String>,
}

fn cut(text: &str) -> Option<Cut> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    // Whether `paths:` was found, and whether the lines are in its section.
    let mut found_paths = false;
    let mut in_paths = false;
    // Path keys (lines starting with two spaces and `/`) in the section, by offset.
    let mut path_keys = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let first = line.as_bytes().first().copied();
        match first {
            Some(b' ') => {
                if in_paths && line.starts_with("  /") {
                    path_keys.push(start);
                }
                continue;
            }
            Some(b'\n' | b'\r' | b'#') | None => continue,
            Some(b'-') if line.starts_with("- ") || line.trim_end() == "-" => continue,
            _ => {}
        }
        let key = top_level_key(line)?;
        in_paths = false;
        if key == "paths" {
            if found_paths || !line[key.len() + 1..].trim().is_empty() {
                return None;
            }
            found_paths = true;
            in_paths = true;
        } else if found_paths {
            after.push(key.to_owned());
        } else {
            before.push(key.to_owned());
        }
    }
    // The path key nearest the middle of the document, so that the halves take as long;
    // not the first, so that the first half holds a path too.
    let middle = text.len() / 2;
    let at = path_keys
        .iter()
        .skip(1)
        .copied()
        .min_by_key(|&key| key.abs_diff(middle))?;
    Some(Cut { at, before, after })
}

/// The key of a top-level `key:` line, or `None` if the line is anything else.
fn top_level_key(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'$' | b'_' | b'.' | b'-'))
        && !key.starts_with('-');
    let rest = &line[colon + 1..];
    let separated = rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']);
    (plain && separated).then_some(key)
}

/// The document the halves came from.
fn join(mut first: OpenAPI, mut second: OpenAPI, cut: &Cut) -> Option<OpenAPI> {
    let mut seen = std::collections::HashSet::new();
    if !cut
        .before
        .iter()
        .chain(&cut.after)
        .all(|key| seen.insert(key))
    {
        return None;
    }
    let paths = std::mem::take(&mut second.paths);
    if paths
        .paths
        .keys()
        .any(|key| first.paths.paths.contains_key(key))
        || paths
            .extensions
            .keys()
            .any(|key| first.paths.extensions.contains_key(key))
        || second
            .extensions
            .keys()
            .any(|key| first.extensions.contains_key(key))
    {
        return None;
    }
    first.paths.paths.extend(paths.paths);
    first.paths.extensions.extend(paths.extensions);
    for key in &cut.after {
        match key.as_str() {
            "openapi" | "info" => return None,
            "servers" => first.servers = std::mem::take(&mut second.servers),
            "components" => first.components = second.components.take(),
            "security" => first.security = second.security.take(),
            "tags" => first.tags = std::mem::take(&mut second.tags),
            "externalDocs" => first.external_docs = second.external_docs.take(),
            // Extensions are joined below; other keys are not part of the document.
            _ => {}
        }
    }
    first.extensions.extend(second.extensions);
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> OpenAPI {
        read(text).expect("the document reads whole")
    }

    #[test]
    fn the_projects_specs_read_the_same_in_two_halves() {
        for spec in ["v1.0", "beta"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../spec/{spec}/access-reviews.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            let halves = parse_in_two(&text).expect("the spec can be cut");
            assert!(halves == whole(&text), "{spec} reads differently in halves");
        }
    }

    const DOC: &str = "openapi: 3.0.3
info:
  title: T
  version: '1'
servers:
- url: https://example.com/
x-first: 1
paths:
  x-paths: here
  /a:
    get:
      description: a
      responses: {'200': {description: ok}}
  /b:
    get:
      description: |
        b
        b again
      responses: {'200': {description: ok}}
  /c:
    get:
      responses: {'200': {description: ok}}
  /d:
    get:
      responses: {'200': {description: ok}}
components:
  schemas:
    thing: {type: object}
security:
- auth: []
tags:
- name: t
x-last: [1, 2]
";

    #[test]
    fn every_part_of_the_document_comes_through() {
        let halves = parse_in_two(DOC).expect("the document can be cut");
        assert!(halves == whole(DOC));
        assert_eq!(halves.paths.paths.len(), 4);
        assert!(halves.components.is_some() && halves.security.is_some());
        assert_eq!(halves.extensions.len(), 2);
    }

    #[test]
    fn what_cannot_be_cut_safely_is_left_whole() {
        for (what, text) in [
            ("a key repeated", DOC.replace("tags:", "servers:")),
            ("a path in both halves", DOC.replace("  /d:", "  /a:")),
            ("a flow document", format!("{{{}}}", DOC)),
            ("a second document", format!("{DOC}---\nopenapi: 3.0.3\n")),
            ("a quoted top-level key", DOC.replace("tags:", "\"tags\":")),
            (
                "an alias to an anchor in the other half",
                DOC.replace("description: a", "description: &a a").replace(
                    "  /d:\n    get:\n",
                    "  /d:\n    get:\n      description: *a\n",
                ),
            ),
            ("no paths", DOC.replace("paths:", "x-paths:")),
        ] {
            assert!(parse_in_two(&text).is_none(), "{what}");
        }
    }
}
