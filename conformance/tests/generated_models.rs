//! Behaviour of the generated v1.0 models crate (generated code is never edited by hand, so
//! its tests live here, in the one crate that links the generated crates).

use access_reviews_models::{
    AccessReviewDecisionValue, AccessReviewHistoryDecisionFilter, AccessReviewInstance,
    AccessReviewInstanceDecisionItem, AnyAccessReviewScope, AnyIdentity, Identity,
};
use graph_runtime::Nullable;
use serde_json::json;

fn decode_item(value: serde_json::Value) -> AccessReviewInstanceDecisionItem {
    serde_json::from_value(value).unwrap()
}

#[test]
fn base_typed_property_decodes_into_the_named_derived_type() {
    let item = decode_item(json!({
        "principal": {"@odata.type": "#microsoft.graph.servicePrincipalIdentity", "id": "p1", "appId": "app-7"}
    }));
    match item.principal.as_deref() {
        Some(AnyIdentity::ServicePrincipalIdentity(principal)) => {
            assert_eq!(principal.app_id.value().map(String::as_str), Some("app-7"));
            assert!(
                principal.additional_properties.is_empty(),
                "appId must be typed, not kept as unknown"
            );
        }
        other => panic!("expected a service principal, got {other:?}"),
    }
}

#[test]
fn discriminator_after_other_properties_still_selects_the_derived_type() {
    let text = r##"{"principal": {"id": "u1", "userPrincipalName": "a@b.c", "@odata.type": "#microsoft.graph.userIdentity"}}"##;
    let item: AccessReviewInstanceDecisionItem = serde_json::from_str(text).unwrap();
    let Some(AnyIdentity::UserIdentity(user)) = item.principal.as_deref() else {
        panic!("expected a user identity, got {:?}", item.principal);
    };
    assert_eq!(
        user.user_principal_name.value().map(String::as_str),
        Some("a@b.c")
    );
    // Written back, the type name comes first and nothing is lost.
    let back = serde_json::to_string(&item.principal).unwrap();
    assert!(
        back.starts_with(r##"{"@odata.type":"#microsoft.graph.userIdentity""##),
        "{back}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&back).unwrap(),
        serde_json::from_str::<serde_json::Value>(text).unwrap()["principal"]
    );
}

#[test]
fn unknown_or_missing_type_name_decodes_as_the_base_keeping_everything() {
    let unknown = json!({"@odata.type": "#microsoft.graph.someFutureIdentity", "id": "x", "futureField": {"a": 1}});
    let decoded: AnyIdentity = serde_json::from_value(unknown.clone()).unwrap();
    let AnyIdentity::Identity(base) = &decoded else {
        panic!("expected the base, got {decoded:?}")
    };
    assert_eq!(
        base.odata_type.as_deref(),
        Some("#microsoft.graph.someFutureIdentity")
    );
    assert_eq!(
        base.additional_properties
            .get("futureField")
            .map(|value| value.to_value().unwrap()),
        Some(json!({"a": 1}))
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), unknown);

    let missing: AnyIdentity =
        serde_json::from_value(json!({"id": "y", "displayName": "Y"})).unwrap();
    assert!(matches!(missing, AnyIdentity::Identity(_)));
}

#[test]
fn two_level_hierarchy_reaches_the_grandchild() {
    let instance: AccessReviewInstance = serde_json::from_value(json!({
        "scope": {"@odata.type": "#microsoft.graph.accessReviewInactiveUsersQueryScope", "query": "/users", "inactiveDuration": "P30D"}
    }))
    .unwrap();
    let Some(AnyAccessReviewScope::AccessReviewInactiveUsersQueryScope(scope)) =
        instance.scope.as_deref()
    else {
        panic!(
            "expected the inactive-users scope, got {:?}",
            instance.scope
        );
    };
    let duration = scope.inactive_duration.value().unwrap();
    assert_eq!(duration.to_time_duration(), Some(time_days(30)));
}

fn time_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}

#[test]
fn absent_null_and_value_stay_apart() {
    let absent = decode_item(json!({"id": "1"}));
    let null = decode_item(json!({"id": "1", "justification": null}));
    let value = decode_item(json!({"id": "1", "justification": "still on the team"}));
    assert_eq!(absent.justification, Nullable::Absent);
    assert_eq!(null.justification, Nullable::Null);
    assert_eq!(
        value.justification,
        Nullable::Value("still on the team".to_owned())
    );
    assert_eq!(serde_json::to_value(&absent).unwrap(), json!({"id": "1"}));
    assert_eq!(
        serde_json::to_value(&null).unwrap(),
        json!({"id": "1", "justification": null})
    );

    // A PATCH body that clears the justification and records a decision.
    let patch = AccessReviewInstanceDecisionItem {
        decision: Nullable::Value(AccessReviewDecisionValue::Deny),
        justification: Nullable::Null,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"decision": "Deny", "justification": null})
    );
}

#[test]
fn enums_keep_values_they_do_not_know() {
    let known: AccessReviewHistoryDecisionFilter =
        serde_json::from_value(json!("approve")).unwrap();
    assert_eq!(known, AccessReviewHistoryDecisionFilter::Approve);
    let future: AccessReviewHistoryDecisionFilter =
        serde_json::from_value(json!("escalated")).unwrap();
    assert_eq!(
        future,
        AccessReviewHistoryDecisionFilter::Other("escalated".to_owned())
    );
    assert_eq!(serde_json::to_value(&future).unwrap(), json!("escalated"));
    let marker: AccessReviewHistoryDecisionFilter =
        serde_json::from_value(json!("unknownFutureValue")).unwrap();
    assert_eq!(
        marker,
        AccessReviewHistoryDecisionFilter::UnknownFutureValue
    );
}

#[test]
fn properties_the_spec_does_not_name_are_kept() {
    let payload = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#decisions/$entity",
        "id": "1",
        "insights@odata.context": "https://example/insights",
        "brandNewField": [1, 2, 3]
    });
    let item = decode_item(payload.clone());
    assert_eq!(item.additional_properties.len(), 3);
    assert_eq!(serde_json::to_value(&item).unwrap(), payload);
}

#[test]
fn bad_payloads_are_errors_not_panics() {
    for bad in [
        r#"{"reviewedDateTime": "yesterday"}"#,
        r#"{"principal": []}"#,
        r#"{"insights": {"not": "an array"}}"#,
        r#"{"id": 5}"#,
        r#"[1, 2]"#,
        r#"{"id": "1""#,
    ] {
        assert!(
            serde_json::from_str::<AccessReviewInstanceDecisionItem>(bad).is_err(),
            "{bad} should be rejected"
        );
    }
}

#[test]
fn an_any_enum_reads_its_shared_properties_and_its_variants_without_a_match() {
    let item = decode_item(json!({
        "principal": {"@odata.type": "#microsoft.graph.servicePrincipalIdentity", "id": "p1", "displayName": "Payroll app", "appId": "app-7"}
    }));
    let principal = item.principal.as_deref().unwrap();
    assert_eq!(principal.display_name().as_deref(), Some("Payroll app"));
    assert_eq!(principal.id().as_deref(), Some("p1"));
    assert!(principal.as_user_identity().is_none());
    let service = principal.as_service_principal_identity().unwrap();
    assert_eq!(service.app_id.as_deref(), Some("app-7"));
    // A type this crate doesn't know decodes as the base, which has the same accessors.
    let unknown = decode_item(json!({
        "principal": {"@odata.type": "#microsoft.graph.someFutureIdentity", "displayName": "x"}
    }));
    let principal = unknown.principal.as_deref().unwrap();
    assert_eq!(principal.display_name().as_deref(), Some("x"));
    assert!(principal.as_identity().is_some());
}

#[test]
fn an_any_enum_converts_to_its_base_view_without_losing_properties() {
    // Decoded from text, so that `2.50` reaches the conversion as written.
    let text = r##"{"@odata.type": "#microsoft.graph.servicePrincipalIdentity", "id": "p1",
        "displayName": "Payroll app", "appId": "app-7", "futureProperty": {"nested": [1, 2.50, null]}}"##;
    let principal: serde_json::Value = serde_json::from_str(text).unwrap();
    let any: AnyIdentity = serde_json::from_str(text).unwrap();
    let base: Identity = any.into();
    assert_eq!(base.display_name.as_deref(), Some("Payroll app"));
    assert_eq!(
        base.odata_type.as_deref(),
        Some("#microsoft.graph.servicePrincipalIdentity")
    );
    // The derived type's own property, and the unknown one, are kept as unknown properties.
    assert_eq!(
        base.additional_properties.get("appId").map(|raw| raw.get()),
        Some("\"app-7\"")
    );
    assert_eq!(
        base.additional_properties
            .get("futureProperty")
            .map(|raw| raw.get()),
        Some(r#"{"nested": [1, 2.50, null]}"#)
    );
    assert_eq!(serde_json::to_value(&base).unwrap(), principal);
    // The base variant converts as it is.
    let plain: AnyIdentity = serde_json::from_value(json!({"displayName": "x"})).unwrap();
    let plain: Identity = plain.into();
    assert_eq!(
        serde_json::to_value(&plain).unwrap(),
        json!({"displayName": "x"})
    );
}
