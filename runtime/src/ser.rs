//! Encoding support called by the generated `Serialize` impls.

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::Nullable;

/// A property value that may be left out of the payload.
pub trait Presence {
    /// True when the property should be written.
    fn is_present(&self) -> bool;
}

impl<T> Presence for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> Presence for Nullable<T> {
    fn is_present(&self) -> bool {
        !self.is_absent()
    }
}

/// Writes `key: value` when the value is present.
pub fn optional_entry<M, T>(map: &mut M, key: &'static str, value: &T) -> Result<(), M::Error>
where
    M: SerializeMap,
    T: Presence + Serialize,
{
    if value.is_present() {
        map.serialize_entry(key, value)?;
    }
    Ok(())
}
