//! OpenAPI to Rust generator.
