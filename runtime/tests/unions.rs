//! Round trips of union values through the runtime's union helpers. The types below are
//! written as the generator writes them (see the generator's `discriminated_one_of` and
//! `untagged_any_of_with_fallback` snapshots), so these tests check the decoding rules the
//! generated unions rely on: the matching variant, the fallback that keeps raw JSON, and
//! null around a union.

use graph_runtime::{JsonValue, Nullable};
use serde_json::json;

#[derive(Clone, Debug, Default, PartialEq, graph_runtime::Model)]
#[model(schema = "cat")]
pub struct Cat {
    #[model(json = "petType")]
    pub pet_type: Nullable<String>,
    #[model(json = "meows")]
    pub meows: Nullable<bool>,
    pub additional_properties: graph_runtime::AdditionalProperties,
}

#[derive(Clone, Debug, Default, PartialEq, graph_runtime::Model)]
#[model(schema = "dog")]
pub struct Dog {
    #[model(json = "petType")]
    pub pet_type: Nullable<String>,
    #[model(json = "barks")]
    pub barks: Nullable<bool>,
    pub additional_properties: graph_runtime::AdditionalProperties,
}

/// Discriminated by `petType`, with `kitty` mapped to `Cat`.
#[derive(Clone, Debug, PartialEq)]
pub enum Pet {
    Cat(Cat),
    Dog(Dog),
    Other(JsonValue),
}

impl serde::Serialize for Pet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Cat(value) => serde::Serialize::serialize(value, serializer),
            Self::Dog(value) => serde::Serialize::serialize(value, serializer),
            Self::Other(value) => serde::Serialize::serialize(value, serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Pet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <JsonValue as serde::Deserialize>::deserialize(deserializer)?;
        match graph_runtime::de::union_tag(&value, "petType") {
            Some("kitty") => graph_runtime::de::union_variant(value).map(Self::Cat),
            Some("dog") => graph_runtime::de::union_variant(value).map(Self::Dog),
            _ => Ok(Self::Other(value)),
        }
    }
}

/// An object with all-optional fields that keeps unknown properties (it accepts any object).
#[derive(Clone, Debug, Default, PartialEq, graph_runtime::Model)]
#[model(schema = "label")]
pub struct Label {
    #[model(json = "text")]
    pub text: Nullable<String>,
    pub additional_properties: graph_runtime::AdditionalProperties,
}

#[derive(Clone, Debug, PartialEq, graph_runtime::Model)]
#[model(schema = "point")]
pub struct Point {
    #[model(json = "x", required)]
    pub x: f64,
    #[model(json = "y", required)]
    pub y: f64,
    pub additional_properties: graph_runtime::AdditionalProperties,
}

/// Untagged, `Label` listed first.
#[derive(Clone, Debug, PartialEq)]
pub enum Anchor {
    Label(Label),
    Point(Point),
    String(String),
    Other(JsonValue),
}

impl serde::Serialize for Anchor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Label(value) => serde::Serialize::serialize(value, serializer),
            Self::Point(value) => serde::Serialize::serialize(value, serializer),
            Self::String(value) => serde::Serialize::serialize(value, serializer),
            Self::Other(value) => serde::Serialize::serialize(value, serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Anchor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <JsonValue as serde::Deserialize>::deserialize(deserializer)?;
        let mut best = None;
        if let Some(candidate) = graph_runtime::de::union_candidate::<Label>(&value) {
            graph_runtime::de::prefer(
                &mut best,
                candidate.additional_properties.len(),
                Self::Label(candidate),
            );
        }
        if let Some(candidate) = graph_runtime::de::union_candidate::<Point>(&value) {
            graph_runtime::de::prefer(
                &mut best,
                candidate.additional_properties.len(),
                Self::Point(candidate),
            );
        }
        if let Some(candidate) = graph_runtime::de::union_candidate::<String>(&value) {
            graph_runtime::de::prefer(&mut best, 0, Self::String(candidate));
        }
        Ok(best.map_or(Self::Other(value), |(_, chosen)| chosen))
    }
}

#[derive(Clone, Debug, Default, PartialEq, graph_runtime::Model)]
#[model(schema = "holder")]
pub struct Holder {
    #[model(json = "pet")]
    pub pet: Nullable<Pet>,
    #[model(json = "anchor")]
    pub anchor: Nullable<Anchor>,
    pub additional_properties: graph_runtime::AdditionalProperties,
}

/// Decodes `value` as `T`, encodes it back, and checks the JSON is the same.
fn round_trip<T>(value: JsonValue) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, value, "the round trip changed the JSON");
    decoded
}

#[test]
fn a_discriminator_selects_the_variant_and_an_unknown_tag_is_kept_raw() {
    let cat = round_trip::<Pet>(json!({"petType": "kitty", "meows": true, "age": 3}));
    let Pet::Cat(cat) = cat else {
        panic!("kitty is a cat: {cat:?}");
    };
    assert_eq!(cat.meows, true);
    assert!(cat.additional_properties.contains_key("age"));

    assert!(matches!(
        round_trip::<Pet>(json!({"petType": "dog", "barks": false})),
        Pet::Dog(_)
    ));
    // `cat` is mapped as `kitty`, so the schema name alone selects nothing.
    for raw in [
        json!({"petType": "cat", "meows": true}),
        json!({"petType": "parrot", "talks": true}),
        json!({"meows": true}),
        json!("not an object"),
    ] {
        assert_eq!(round_trip::<Pet>(raw.clone()), Pet::Other(raw));
    }
    // A tag that names a variant whose schema the object doesn't fit is an error, not raw.
    assert!(serde_json::from_value::<Pet>(json!({"petType": "dog", "barks": "loud"})).is_err());
}

#[test]
fn untagged_values_take_the_closest_variant_and_the_rest_is_kept_raw() {
    // Label accepts any object, but Point keeps no unknown property for this one: it wins.
    let point = round_trip::<Anchor>(json!({"x": 1.5, "y": 2.5}));
    assert!(
        matches!(point, Anchor::Point(Point { x, .. }) if x == 1.5),
        "{point:?}"
    );
    // Point keeps one unknown property here, Label three.
    assert!(matches!(
        round_trip::<Anchor>(json!({"x": 0.5, "y": 0.25, "z": 3})),
        Anchor::Point(_)
    ));
    assert!(matches!(
        round_trip::<Anchor>(json!({"text": "door"})),
        Anchor::Label(_)
    ));
    // Point can't take this (no `y`), so Label does, keeping what it doesn't declare.
    let label = round_trip::<Anchor>(json!({"x": 0.5, "note": "half"}));
    assert!(
        matches!(&label, Anchor::Label(label) if label.additional_properties.len() == 2),
        "{label:?}"
    );
    // An integer in a number property counts as the same number: the value is a Point, and
    // encodes the number as a float of the same value (as every `f64` property does).
    let integer = serde_json::from_value::<Anchor>(json!({"x": 1, "y": 2})).expect("decodes");
    assert!(matches!(integer, Anchor::Point(Point { x, y, .. }) if x == 1.0 && y == 2.0));
    assert_eq!(
        round_trip::<Anchor>(json!("north door")),
        Anchor::String("north door".to_owned())
    );
    for raw in [json!(42), json!([1, 2]), json!(true)] {
        assert_eq!(round_trip::<Anchor>(raw.clone()), Anchor::Other(raw));
    }
}

#[test]
fn null_around_a_union_stays_null_and_absence_stays_absent() {
    let holder = round_trip::<Holder>(json!({"pet": null, "anchor": {"x": 0.5, "y": 0.5}}));
    assert!(holder.pet.is_null());
    assert!(matches!(holder.anchor.value(), Some(Anchor::Point(_))));
    let holder = round_trip::<Holder>(json!({}));
    assert!(holder.pet.is_absent() && holder.anchor.is_absent());
    let holder = round_trip::<Holder>(json!({"pet": {"petType": "hamster"}, "anchor": null}));
    assert!(matches!(holder.pet.value(), Some(Pet::Other(_))));
    assert!(holder.anchor.is_null());
}
