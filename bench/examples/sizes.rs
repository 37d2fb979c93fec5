//! Prints the in-memory size of the values a decoded page of decisions is made of.
//! `cargo run -p bench --example sizes`
use access_reviews_models as m;
use std::mem::size_of;

fn main() {
    let rows = [
        (
            "AccessReviewInstanceDecisionItem",
            size_of::<m::AccessReviewInstanceDecisionItem>(),
        ),
        (
            "AccessReviewInstanceDecisionItemCollectionResponse",
            size_of::<m::AccessReviewInstanceDecisionItemCollectionResponse>(),
        ),
        ("AnyIdentity", size_of::<m::AnyIdentity>()),
        (
            "AnyAccessReviewInstanceDecisionItemResource",
            size_of::<m::AnyAccessReviewInstanceDecisionItemResource>(),
        ),
        ("AnyGovernanceInsight", size_of::<m::AnyGovernanceInsight>()),
        ("UserIdentity", size_of::<m::UserIdentity>()),
        (
            "Nullable<DateTime>",
            size_of::<graph_runtime::Nullable<graph_runtime::DateTime>>(),
        ),
        (
            "Nullable<String>",
            size_of::<graph_runtime::Nullable<String>>(),
        ),
        (
            "AdditionalProperties",
            size_of::<graph_runtime::AdditionalProperties>(),
        ),
    ];
    for (name, size) in rows {
        println!("{size:>6}  {name}");
    }
}
