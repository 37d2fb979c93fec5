//! Hand-written support for the generated Microsoft Graph models.
//!
//! The generated crates stay small and readable because the parts that are the same for
//! every type live here:
//!
//! - [`Nullable`]: a property that can be absent, `null`, or hold a value. Graph uses an
//!   explicit `null` in PATCH bodies to clear a property, so the three states must stay apart.
//! - [`DateTime`], [`Date`], [`Duration`], [`Uuid`]: the OData formats. Each is checked when it
//!   is decoded and keeps the text it was given, so a payload is written back exactly as read.
//! - [`Flags`]: the value of an enum marked `x-ms-enum-flags`, a comma-separated member list.
//! - [`de`] and [`ser`]: the small pieces the generated `Deserialize`/`Serialize` impls call.
//!   Generated types decode their fields by hand instead of with `#[serde(flatten)]`, which
//!   buffers every object and is slower than decoding into `serde_json::Value`.

#![deny(missing_docs)]

pub mod de;
mod flags;
mod formats;
pub mod http;
mod nullable;
/// Test tooling for the project's examples check (the schema tables generated crates
/// carry behind their own `conformance` feature); not part of the runtime's API.
#[cfg(feature = "conformance")]
pub mod schema;
pub mod ser;
mod unknown;

/// What [`operation_builder!`] expands to refers to, so that generated crates need no
/// dependency of their own for it. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde::de::DeserializeOwned;
}

pub use flags::Flags;
pub use formats::{Date, DateTime, Duration, FormatError, Uuid};
pub use graph_derive::Model;
pub use nullable::Nullable;
/// Any JSON value: the type of a property or a response whose schema doesn't say what it
/// holds.
pub use serde_json::Value as JsonValue;
pub use unknown::{AdditionalProperties, RawJson};
