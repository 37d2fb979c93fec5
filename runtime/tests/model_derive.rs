//! `#[derive(Model)]` on a struct written the way the generator writes one.

use graph_runtime::{AdditionalProperties, Model, Nullable};
use serde_json::json;

#[derive(Clone, Debug, PartialEq, Model)]
#[model(schema = "test.widget", discriminator = "@odata.type")]
struct Widget {
    #[model(json = "@odata.type")]
    odata_type: Nullable<String>,
    #[model(json = "name", required)]
    name: String,
    #[model(json = "owner", required, nullable)]
    owner: Option<String>,
    /// Named like the decoder's own variables, which must not get in the way.
    #[model(json = "key")]
    key: Nullable<i64>,
    #[model(json = "map")]
    map: Nullable<Vec<String>>,
    additional_properties: AdditionalProperties,
}

fn decode(value: serde_json::Value) -> Result<Widget, String> {
    serde_json::from_str(&value.to_string()).map_err(|e| e.to_string())
}

#[test]
fn absent_null_and_values_stay_apart_through_a_round_trip() {
    let text = r#"{"name":"w","owner":null,"key":null,"extra":{"b":1,"a":[true]}}"#;
    let widget: Widget = serde_json::from_str(text).unwrap();
    assert_eq!(widget.name, "w");
    assert_eq!(widget.owner, None);
    assert_eq!(widget.key, Nullable::Null);
    assert_eq!(widget.map, Nullable::Absent);
    assert_eq!(widget.odata_type, Nullable::Absent);
    assert_eq!(widget.additional_properties.len(), 1);
    assert_eq!(serde_json::to_string(&widget).unwrap(), text);
}

#[test]
fn every_property_decodes_into_its_field() {
    let widget = decode(json!({
        "@odata.type": "#test.widget", "name": "w", "owner": "o", "key": 7, "map": ["a"]
    }))
    .unwrap();
    assert_eq!(
        widget.odata_type,
        Nullable::Value("#test.widget".to_owned())
    );
    assert_eq!(widget.owner.as_deref(), Some("o"));
    assert_eq!(widget.key, Nullable::Value(7));
    assert_eq!(widget.map, Nullable::Value(vec!["a".to_owned()]));
    assert!(widget.additional_properties.is_empty());
}

#[test]
fn a_missing_required_property_or_a_repeated_key_is_an_error() {
    let missing = decode(json!({"owner": null})).unwrap_err();
    assert!(missing.contains("name"), "{missing}");
    let missing_nullable = decode(json!({"name": "w"})).unwrap_err();
    assert!(missing_nullable.contains("owner"), "{missing_nullable}");
    let repeated = serde_json::from_str::<Widget>(r#"{"name":"a","owner":null,"name":"b"}"#)
        .unwrap_err()
        .to_string();
    assert!(repeated.contains("name"), "{repeated}");
    let wrong_type = decode(json!({"name": 1, "owner": null})).unwrap_err();
    assert!(!wrong_type.is_empty());
}

#[test]
fn the_discriminator_read_by_a_parent_fills_its_field() {
    use graph_runtime::de::FromMap as _;
    let text = r#"{"name":"w","owner":null}"#;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    struct Seed;
    impl<'de> serde::de::Visitor<'de> for Seed {
        type Value = Widget;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a widget")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Widget, A::Error> {
            Widget::from_map(map, Nullable::Value("#test.widget".to_owned()))
        }
    }
    let widget = serde::Deserializer::deserialize_map(&mut deserializer, Seed).unwrap();
    assert_eq!(
        widget.odata_type,
        Nullable::Value("#test.widget".to_owned())
    );
    assert_eq!(
        <Widget as graph_runtime::de::FromMap>::EXPECTING,
        "an object of schema test.widget"
    );
}
