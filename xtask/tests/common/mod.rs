//! What several of xtask's integration tests share. Each test file is a crate of its own
//! and includes this module; not every file uses every item.
#![allow(dead_code)]

/// A small spec: one path, two schemas (`gadget` becomes `models/src/gadget.rs`).
pub const TINY: &str = r#"openapi: 3.0.3
info: {title: Tiny, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
components:
  schemas:
    thing:
      type: object
      properties:
        id: {type: string}
    gadget:
      type: object
      properties:
        name: {type: string}
"#;

/// [`TINY`] without `gadget`: a type removed (a breaking change), whose module is no longer
/// generated.
pub fn without_gadget() -> String {
    let cut = TINY.find("    gadget:").expect("TINY has a gadget");
    TINY[..cut].to_owned()
}
