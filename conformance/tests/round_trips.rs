//! Decoding and encoding the generated v1.0 models loses nothing: absent, `null` and a value
//! stay apart on every property, numbers in unknown properties keep their digits, and a
//! duplicated key is refused the same way whichever decode path an object takes.
//!
//! The last test is a property test with a fixed seed: random objects shaped by the schema
//! table (known and unknown properties, nulls, derived types named first or last, numbers
//! beyond `f64`) must satisfy, whenever they decode, decode → encode = input (as JSON, with
//! numbers compared by their text) and decode → encode → decode = decode.

use std::collections::BTreeMap;

use access_reviews_models::{
    schema, AccessReviewInstanceDecisionItem, AccessReviewInstanceDecisionItemCollectionResponse,
    AccessReviewScheduleDefinition, AnyAccessReviewScope, AnyIdentity,
};
use graph_runtime::http::{decode_json, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

/// A JSON value for comparison: objects by key, and scalars by their text, so that `1.0`
/// and `1`, or two numbers that round to the same `f64`, are told apart.
#[derive(Debug, PartialEq)]
enum Canon {
    Object(BTreeMap<String, Canon>),
    Array(Vec<Canon>),
    String(String),
    Other(String),
}

fn canon(text: &str) -> Canon {
    let text = text.trim();
    match text.as_bytes().first() {
        Some(b'{') => {
            let entries: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).unwrap();
            Canon::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canon(v.get())))
                    .collect(),
            )
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap();
            Canon::Array(items.iter().map(|v| canon(v.get())).collect())
        }
        Some(b'"') => Canon::String(serde_json::from_str(text).unwrap()),
        _ => Canon::Other(text.to_owned()),
    }
}

/// Decodes `text` as `T`, encodes it, and checks the two round-trip properties.
fn assert_lossless<T>(text: &str) -> Result<T, serde_json::Error>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_str(text)?;
    let encoded = serde_json::to_string(&decoded).unwrap();
    assert_eq!(
        canon(&encoded),
        canon(text),
        "encoded {encoded}\nfrom {text}"
    );
    let again: T = serde_json::from_str(&encoded).unwrap();
    assert_eq!(again, decoded, "re-decoding {encoded}");
    Ok(decoded)
}

#[test]
fn explicit_nulls_survive_on_collections_and_non_nullable_properties() {
    assert_lossless::<AccessReviewScheduleDefinition>(
        r#"{"id": null, "@odata.type": null, "fallbackReviewers": null, "reviewers": null,
            "instances": null, "stages": null, "backupReviewers": [], "displayName": "D"}"#,
    )
    .unwrap();
    assert_lossless::<AccessReviewInstanceDecisionItemCollectionResponse>(
        r#"{"value": null, "@odata.nextLink": null}"#,
    )
    .unwrap();
    // On a polymorphic value, a null type name comes first, the fast path.
    assert_lossless::<AnyIdentity>(r#"{"@odata.type": null, "id": "u1"}"#).unwrap();
    assert_lossless::<AnyIdentity>(r#"{"id": "u1", "@odata.type": null}"#).unwrap();
}

#[test]
fn numbers_in_unknown_properties_keep_their_digits() {
    let text = r##"{"@odata.type": "#microsoft.graph.userIdentity", "id": "u",
        "big": 123456789012345678901234567890, "small": -0.1000000000000000000000000001,
        "exp": 1E+400, "one": 1.0, "nested": {"n": [18446744073709551616, 2.50]}}"##;
    assert_lossless::<AnyIdentity>(text).unwrap();
    // The same when the type name comes last, which re-reads the object once decoded.
    let last = r##"{"id": "u", "big": 123456789012345678901234567890, "one": 1.0,
        "@odata.type": "#microsoft.graph.userIdentity"}"##;
    let decoded = assert_lossless::<AnyIdentity>(last).unwrap();
    assert!(
        matches!(decoded, AnyIdentity::UserIdentity(_)),
        "{decoded:?}"
    );
}

#[test]
fn a_duplicated_key_is_refused_on_every_decode_path() {
    let user = "#microsoft.graph.userIdentity";
    let app = "#microsoft.graph.servicePrincipalIdentity";
    let cases = [
        // The type named first (fast path), then again.
        format!(r#"{{"@odata.type": "{user}", "id": "x", "@odata.type": "{app}"}}"#),
        // The type named after another property (watched path), twice.
        format!(r#"{{"id": "x", "@odata.type": "{user}", "@odata.type": "{app}"}}"#),
        // A known property twice, on both paths.
        format!(r#"{{"@odata.type": "{user}", "id": "x", "id": "y"}}"#),
        r#"{"id": "x", "displayName": "a", "id": "y"}"#.to_owned(),
        // An unknown property twice.
        r#"{"id": "x", "extra": 1, "extra": 2}"#.to_owned(),
    ];
    for text in &cases {
        let from_text = serde_json::from_str::<AnyIdentity>(text);
        assert!(from_text.is_err(), "{text} decoded as {from_text:?}");
        let error = from_text.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("duplicate"), "{text}: {error}");
        let from_reader = serde_json::from_reader::<_, AnyIdentity>(text.as_bytes());
        assert!(from_reader.is_err(), "{text} decoded from a reader");
    }
}

#[test]
fn a_byte_order_mark_before_a_body_is_skipped() {
    let body = b"\xef\xbb\xbf{\"value\": [{\"id\": \"d1\"}]}".to_vec();
    let page: AccessReviewInstanceDecisionItemCollectionResponse =
        decode_json(&Response::new(200, vec![], body)).unwrap();
    let encoded = serde_json::to_value(&page).unwrap();
    assert_eq!(encoded["value"][0]["id"], "d1");
}

/// A small, fixed-seed generator (xorshift64*), so the property test sees the same inputs
/// on every run and machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Scalars the models accept somewhere: texts, dates in OData's form, durations, numbers,
/// booleans.
const SCALARS: &[&str] = &[
    r#""text""#,
    r#""2024-05-06T07:08:09.123Z""#,
    r#""2024-05-06""#,
    r#""P14D""#,
    r#""e\u00e9\"q""#,
    "true",
    "7",
    "null",
];

/// Values for properties the schema doesn't name, numbers the `f64` type can't hold among
/// them.
const UNKNOWN: &[&str] = &[
    "123456789012345678901234567890",
    "-0.1000000000000000000000000001",
    "1.0",
    "1e400",
    r#"{"deep": [1, {"x": null}], "n": 2.50}"#,
    r#"["a", null, false]"#,
    "null",
];

/// A random object of schema `name`: some of its properties (values of their own type,
/// mostly, and sometimes of the wrong one), some unknown ones, and sometimes a type name,
/// written first or last.
fn random_object(random: &mut Random, name: &str, depth: usize) -> String {
    let Some(info) = schema::type_info(name) else {
        return "{}".to_owned();
    };
    let mut entries = Vec::new();
    for property in info.properties {
        if property.name == "@odata.type" || !random.chance(40) {
            continue;
        }
        let value = if random.chance(10) {
            "null".to_owned()
        } else if property.collection {
            let count = random.below(3);
            let items: Vec<String> = (0..count)
                .map(|_| random_value(random, property.type_name, depth))
                .collect();
            format!("[{}]", items.join(","))
        } else {
            random_value(random, property.type_name, depth)
        };
        entries.push(format!("{:?}:{value}", property.name));
    }
    for index in 0..random.below(3) {
        entries.push(format!(
            "\"unknown{index}@odata.context\":{}",
            random.pick(UNKNOWN)
        ));
    }
    if random.chance(60) {
        let tag = match random.below(info.derived.len() + 2) {
            0 => "null".to_owned(),
            n if n <= info.derived.len() => format!("\"#{}\"", info.derived[n - 1]),
            _ => format!("\"#{name}\""),
        };
        let entry = format!("\"@odata.type\":{tag}");
        if random.chance(50) {
            entries.insert(0, entry);
        } else {
            entries.push(entry);
        }
    }
    format!("{{{}}}", entries.join(","))
}

fn random_value(random: &mut Random, type_name: Option<&str>, depth: usize) -> String {
    let Some(type_name) = type_name else {
        return (*random.pick(SCALARS)).to_owned();
    };
    let Some(info) = schema::type_info(type_name) else {
        return (*random.pick(SCALARS)).to_owned();
    };
    match info.kind {
        graph_runtime::schema::SchemaKind::Enum
            if !info.members.is_empty() && random.chance(80) =>
        {
            format!("{:?}", random.pick(info.members))
        }
        graph_runtime::schema::SchemaKind::Enum => "\"notAMember\"".to_owned(),
        _ if depth == 0 => "{}".to_owned(),
        _ => random_object(random, type_name, depth - 1),
    }
}

#[test]
fn random_objects_round_trip_exactly_whenever_they_decode() {
    let mut random = Random(0x5eed_1234_abcd_0001);
    let mut decoded = 0usize;
    let mut refused = 0usize;
    const CASES: usize = 600;
    for _ in 0..CASES {
        let results = [
            assert_lossless::<AccessReviewInstanceDecisionItem>(&random_object(
                &mut random,
                "microsoft.graph.accessReviewInstanceDecisionItem",
                2,
            ))
            .map(drop),
            assert_lossless::<AccessReviewScheduleDefinition>(&random_object(
                &mut random,
                "microsoft.graph.accessReviewScheduleDefinition",
                2,
            ))
            .map(drop),
            assert_lossless::<AnyAccessReviewScope>(&random_object(
                &mut random,
                "microsoft.graph.accessReviewScope",
                1,
            ))
            .map(drop),
        ];
        for result in results {
            match result {
                Ok(()) => decoded += 1,
                Err(_) => refused += 1,
            }
        }
    }
    eprintln!("{decoded} inputs decoded and round-tripped, {refused} refused");
    // The generator must produce enough valid inputs for the property to mean something.
    assert!(
        decoded >= CASES / 2,
        "only {decoded} of {} inputs decoded ({refused} refused)",
        decoded + refused
    );
}
