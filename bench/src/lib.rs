//! Fixtures shared by the benchmarks in `benches/` and the tests below.
//!
//! - [`decisions_page`] builds, deterministically, one page of a List decisions response
//!   (`GET .../accessReviews/definitions/{id}/instances/{id}/decisions`) with
//!   [`PAGE_SIZE`] items, shaped like the examples in the Graph documentation.
//! - [`NaivePage`] and the structs it holds are the baseline decoder: plain
//!   `#[derive(Deserialize)]` structs with the same properties as owned strings, no map of
//!   unknown properties and no polymorphism (unknown properties are skipped).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;

/// Number of decision items on a page: Graph's default page size for this API.
pub const PAGE_SIZE: usize = 100;

const INSTANCE_ID: &str = "8d035c9d-798d-47fa-beb4-f986a4b8126f";
const DEFINITION_ID: &str = "2dca8959-b716-4b4c-a93d-a535c01eb6e0";
const NIL_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Decision values, in the order items take them: half the page is `NotReviewed`.
const DECISIONS: [&str; 8] = [
    "NotReviewed",
    "Approve",
    "NotReviewed",
    "Deny",
    "NotReviewed",
    "DontKnow",
    "NotReviewed",
    "Approve",
];

const RECOMMENDATIONS: [&str; 3] = ["Approve", "Deny", "NoInfoAvailable"];

const PEOPLE: [(&str, &str); 6] = [
    ("Adele Vance", "AdeleV@contoso.com"),
    ("Diego Siciliani", "DiegoS@contoso.com"),
    ("Johanna Lorenz", "JohannaL@contoso.com"),
    ("Megan Bowen", "MeganB@contoso.com"),
    ("Lee Gu", "LeeG@contoso.com"),
    ("guest example", "guest@guest.com"),
];

/// A small fixed-seed generator (SplitMix64), so that ids look random but every run builds
/// the same bytes.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A version-4-shaped GUID in the lower-case form Graph writes.
    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// A UTC timestamp with milliseconds, as Graph writes them, `n` minutes into March 2024.
fn timestamp(n: usize, millis: usize) -> String {
    let day = 1 + (n / (24 * 60)) % 28;
    let hour = (n / 60) % 24;
    let minute = n % 60;
    format!(
        "2024-03-{day:02}T{hour:02}:{minute:02}:{:02}.{millis:03}Z",
        n % 60
    )
}

/// A JSON tree whose objects keep their keys in the order written, whatever features
/// `serde_json` is built with, so the page has the key order of a real response.
enum Json {
    Null,
    Number(u64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Number(n) => serializer.serialize_u64(*n),
            Json::String(text) => serializer.serialize_str(text),
            Json::Array(items) => serializer.collect_seq(items),
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

fn text(text: impl Into<String>) -> Json {
    Json::String(text.into())
}

fn user(id: &str, name: &str, upn: &str) -> Json {
    Json::Object(vec![
        ("id", text(id)),
        ("displayName", text(name)),
        ("userPrincipalName", text(upn)),
    ])
}

/// One page of a List decisions response as compact JSON bytes, keys in the order Graph
/// writes them.
///
/// Every item has the properties of the documented example, in the documented order;
/// `NotReviewed` items (half the page) have a `null` `reviewedDateTime` and a nil
/// `reviewedBy`, decided ones a timestamp and a reviewer, and a third of those were
/// applied. `principal` is a user identity with `@odata.type` first. Every tenth item's
/// resource is an Azure role (`@odata.type` first, with a `scope`); the others are groups
/// without `@odata.type`, as in the documentation. Every fifth item carries an
/// `insights@odata.context` annotation, a property the schema does not name.
pub fn decisions_page() -> Vec<u8> {
    let mut rng = SplitMix64(0x5eed_0a11_ce55_2024);
    let groups: Vec<(String, String)> = ["Alpha", "Bravo", "Delta", "Echo"]
        .iter()
        .map(|name| (rng.guid(), format!("Project {name} members")))
        .collect();
    let reviewer = rng.guid();
    let role_id = rng.guid();
    let subscription_id = rng.guid();
    let context = format!(
        "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/accessReviews/definitions('{DEFINITION_ID}')/instances('{INSTANCE_ID}')/decisions"
    );
    let items = (0..PAGE_SIZE)
        .map(|i| {
            let id = rng.guid();
            let principal_id = rng.guid();
            let (name, upn) = PEOPLE[i % PEOPLE.len()];
            let decision = DECISIONS[i % DECISIONS.len()];
            let reviewed = decision != "NotReviewed";
            let applied = reviewed && i % 3 == 0;
            let azure_role = i % 10 == 9;
            let (group_id, group_name) = &groups[i % groups.len()];
            let reviewed_by = if reviewed {
                user(&reviewer, "Megan Bowen", "MeganB@contoso.com")
            } else {
                user(NIL_ID, "", "")
            };
            let applied_by = if applied {
                user(&reviewer, "Megan Bowen", "MeganB@contoso.com")
            } else {
                user(NIL_ID, "", "")
            };
            let principal = Json::Object(vec![
                ("@odata.type", text("#microsoft.graph.userIdentity")),
                ("id", text(principal_id.as_str())),
                ("displayName", text(name)),
                ("userPrincipalName", text(upn)),
            ]);
            let resource = if azure_role {
                Json::Object(vec![
                    (
                        "@odata.type",
                        text("#microsoft.graph.accessReviewInstanceDecisionItemAzureRoleResource"),
                    ),
                    ("id", text(role_id.as_str())),
                    ("displayName", text("Privileged Role Administrator")),
                    ("type", text("azureRole")),
                    (
                        "scope",
                        Json::Object(vec![
                            ("id", text(subscription_id.as_str())),
                            ("displayName", text("Contoso Production")),
                            ("type", text("subscription")),
                        ]),
                    ),
                ])
            } else {
                Json::Object(vec![
                    ("id", text(group_id.as_str())),
                    ("displayName", text(group_name.as_str())),
                    ("type", text("group")),
                ])
            };
            let mut item = vec![
                ("id", text(id.as_str())),
                ("accessReviewId", text(INSTANCE_ID)),
                (
                    "reviewedDateTime",
                    if reviewed {
                        text(timestamp(17 * i, 7 * i % 1000))
                    } else {
                        Json::Null
                    },
                ),
                ("decision", text(decision)),
                (
                    "justification",
                    text(if reviewed {
                        "Still works on this project."
                    } else {
                        ""
                    }),
                ),
                (
                    "appliedDateTime",
                    if applied {
                        text(timestamp(17 * i + 90, 3 * i % 1000))
                    } else {
                        Json::Null
                    },
                ),
                (
                    "applyResult",
                    text(if applied {
                        "AppliedSuccessfully"
                    } else {
                        "New"
                    }),
                ),
                (
                    "recommendation",
                    text(RECOMMENDATIONS[i % RECOMMENDATIONS.len()]),
                ),
                (
                    "principalLink",
                    text(format!(
                        "https://graph.microsoft.com/v1.0/users/{principal_id}"
                    )),
                ),
                (
                    "resourceLink",
                    if azure_role {
                        Json::Null
                    } else {
                        text(format!(
                            "https://graph.microsoft.com/v1.0/groups/{group_id}"
                        ))
                    },
                ),
                ("resource", resource),
                ("reviewedBy", reviewed_by),
                ("appliedBy", applied_by),
                ("principal", principal),
            ];
            if i % 5 == 4 {
                item.push((
                    "insights@odata.context",
                    text(format!("{context}('{id}')/insights")),
                ));
            }
            Json::Object(item)
        })
        .collect();
    let page = Json::Object(vec![
        ("@odata.context", text(context.as_str())),
        ("@odata.count", Json::Number(PAGE_SIZE as u64)),
        (
            "@odata.nextLink",
            text(format!(
                "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/{DEFINITION_ID}/instances/{INSTANCE_ID}/decisions?$skip={PAGE_SIZE}"
            )),
        ),
        ("value", Json::Array(items)),
    ]);
    serde_json::to_vec(&page).expect("the page encodes")
}

/// Baseline decoder for a page: `@odata.context`, `@odata.count`, `@odata.nextLink`, `value`.
#[derive(Debug, Deserialize)]
pub struct NaivePage {
    /// `@odata.context`.
    #[serde(rename = "@odata.context")]
    pub odata_context: Option<String>,
    /// `@odata.count`.
    #[serde(rename = "@odata.count")]
    pub odata_count: Option<i64>,
    /// `@odata.nextLink`.
    #[serde(rename = "@odata.nextLink")]
    pub odata_next_link: Option<String>,
    /// The decision items.
    pub value: Vec<NaiveDecisionItem>,
}

/// Baseline decoder for one decision item: the documented properties as owned strings.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaiveDecisionItem {
    /// `id`.
    pub id: Option<String>,
    /// `accessReviewId`.
    pub access_review_id: Option<String>,
    /// `reviewedDateTime`, unparsed.
    pub reviewed_date_time: Option<String>,
    /// `decision`.
    pub decision: Option<String>,
    /// `justification`.
    pub justification: Option<String>,
    /// `appliedDateTime`, unparsed.
    pub applied_date_time: Option<String>,
    /// `applyResult`.
    pub apply_result: Option<String>,
    /// `recommendation`.
    pub recommendation: Option<String>,
    /// `principalLink`.
    pub principal_link: Option<String>,
    /// `resourceLink`.
    pub resource_link: Option<String>,
    /// `reviewedBy`.
    pub reviewed_by: Option<NaiveUser>,
    /// `appliedBy`.
    pub applied_by: Option<NaiveUser>,
    /// `principal`.
    pub principal: Option<NaivePrincipal>,
    /// `resource`.
    pub resource: Option<NaiveResource>,
}

/// Baseline decoder for `reviewedBy` / `appliedBy`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaiveUser {
    /// `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `userPrincipalName`.
    pub user_principal_name: Option<String>,
}

/// Baseline decoder for `principal`: `@odata.type` is kept as a plain string, not used to
/// choose a type.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaivePrincipal {
    /// `@odata.type`.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `userPrincipalName`.
    pub user_principal_name: Option<String>,
}

/// Baseline decoder for `resource` (and an Azure role's `scope`): one struct for every kind
/// of resource, `@odata.type` kept as a plain string.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaiveResource {
    /// `@odata.type`.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// `scope`, on Azure role resources.
    pub scope: Option<Box<NaiveResource>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use access_reviews_models::{
        AccessReviewInstanceDecisionItemCollectionResponse,
        AnyAccessReviewInstanceDecisionItemResource, AnyIdentity,
    };
    use serde::de::IgnoredAny;

    use serde_json::Value;

    #[test]
    fn page_is_deterministic_and_shaped_as_documented() {
        let page = decisions_page();
        assert_eq!(page, decisions_page());
        let value: Value = serde_json::from_slice(&page).unwrap();
        let items = value["value"].as_array().unwrap();
        assert_eq!(items.len(), PAGE_SIZE);
        let not_reviewed = items
            .iter()
            .filter(|item| item["decision"] == "NotReviewed")
            .count();
        assert_eq!(not_reviewed, PAGE_SIZE / 2);
        for item in items {
            assert_eq!(
                item["reviewedDateTime"].is_null(),
                item["decision"] == "NotReviewed"
            );
        }
    }

    #[test]
    fn page_decodes_with_all_four_decoders() {
        let page = decisions_page();

        let generated: AccessReviewInstanceDecisionItemCollectionResponse =
            serde_json::from_slice(&page).unwrap();
        let items = generated.value.value().unwrap();
        assert_eq!(items.len(), PAGE_SIZE);
        assert!(items.iter().all(|item| matches!(
            item.principal.as_deref(),
            Some(AnyIdentity::UserIdentity(_))
        )));
        let azure_roles = items
            .iter()
            .filter(|item| {
                matches!(
                    item.resource.as_deref(),
                    Some(AnyAccessReviewInstanceDecisionItemResource::AccessReviewInstanceDecisionItemAzureRoleResource(_))
                )
            })
            .count();
        assert_eq!(azure_roles, PAGE_SIZE / 10);
        let annotated = items
            .iter()
            .filter(|item| {
                item.additional_properties
                    .contains_key("insights@odata.context")
            })
            .count();
        assert_eq!(annotated, PAGE_SIZE / 5);

        let value: Value = serde_json::from_slice(&page).unwrap();
        assert_eq!(serde_json::to_value(&generated).unwrap(), value);

        let naive: NaivePage = serde_json::from_slice(&page).unwrap();
        assert_eq!(naive.value.len(), PAGE_SIZE);
        assert_eq!(naive.odata_count, Some(PAGE_SIZE as i64));
        assert_eq!(
            naive.value[9]
                .resource
                .as_ref()
                .unwrap()
                .scope
                .as_ref()
                .unwrap()
                .type_
                .as_deref(),
            Some("subscription")
        );

        serde_json::from_slice::<IgnoredAny>(&page).unwrap();
    }
}
