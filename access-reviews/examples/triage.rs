//! Triage of one access review instance, through the facade crate alone: lists the decisions
//! not reviewed yet (`$filter`, `$top`), approves them with one `batchRecordDecisions` call,
//! stops the instance, then prints the definition's reviewers and what it reviews.
//!
//! ```sh
//! cargo run -p access-reviews --example triage -- --token TOKEN --definition ID --instance ID
//! ```
//!
//! `batchRecordDecisions` has no decision filter: sent without a principal or a resource, it
//! records the decision on every item of the instance the reviewer may decide, so it suits
//! an instance whose decisions nobody has started. The tests in `tests/triage.rs` run it
//! against a server on 127.0.0.1.

use std::io::{self, Write};
use std::process::ExitCode;

use access_reviews::models::{
    AccessReviewDecisionValue as Decision, AccessReviewInstanceDecisionItem, AnyAccessReviewScope,
    InstancesBatchRecordDecisionsBody,
};
use access_reviews::prelude::*;
use clap::Parser;

/// The command line.
#[derive(Parser)]
#[command(
    about = "Approve an instance's pending decisions in one call, stop it, show its definition"
)]
pub struct Args {
    /// The service root, such as a national cloud's.
    #[arg(long, default_value = access_reviews::client::DEFAULT_BASE_URL)]
    pub base_url: String,
    /// A bearer token for a user who reviews the instance.
    #[arg(long)]
    pub token: String,
    /// The access review schedule definition.
    #[arg(long)]
    pub definition: String,
    /// The instance of that definition.
    #[arg(long)]
    pub instance: String,
    /// Decisions asked for per page.
    #[arg(long, default_value_t = 50)]
    pub top: i64,
    /// The justification recorded with the approvals.
    #[arg(long, default_value = "Access still needed (approved by triage).")]
    pub justification: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    match triage(&args, &mut io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The four steps, each printed to `out`.
pub async fn triage(args: &Args, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(&args.base_url)
        .bearer_token(&args.token)
        .build()?;
    let definition = client.definitions().by_id(&args.definition);
    let instance = definition.instances().by_id(&args.instance);

    // 1. The decisions not reviewed yet, `top` a page, every page.
    let listed: Vec<AccessReviewInstanceDecisionItem> = instance
        .decisions()
        .list()
        .filter("decision eq 'NotReviewed'")
        .top(args.top)
        .stream()
        .try_collect()
        .await?;
    let pending: Vec<_> = listed
        .iter()
        .filter(|d| d.decision == Decision::NotReviewed)
        .collect();
    for item in &pending {
        let who = item
            .principal
            .as_deref()
            .and_then(|p| p.display_name().as_deref());
        writeln!(
            out,
            "pending {} ({})",
            item.id.as_deref().unwrap_or("?"),
            who.unwrap_or("?")
        )?;
    }

    // 2. One call approves them.
    if pending.is_empty() {
        writeln!(out, "nothing to approve")?;
    } else {
        let approval = InstancesBatchRecordDecisionsBody {
            decision: Decision::Approve.into(),
            justification: args.justification.as_str().into(),
            ..Default::default()
        };
        instance.batch_record_decisions(approval).send().await?;
        writeln!(out, "approved {} decision(s)", pending.len())?;
    }

    // 3. Stop the instance.
    instance.stop().send().await?;
    writeln!(out, "stopped instance {}", args.instance)?;

    // 4. Who reviews, and what.
    let series = definition
        .get()
        .select(["displayName", "reviewers", "scope"])
        .send()
        .await?;
    writeln!(
        out,
        "definition {}",
        series.display_name.as_deref().unwrap_or("?")
    )?;
    for reviewer in series.reviewers.as_deref().unwrap_or_default() {
        let query = reviewer.query.as_deref().unwrap_or("?");
        writeln!(
            out,
            "  reviewer {query} ({})",
            reviewer
                .query_type
                .value()
                .map_or("?", |kind| kind.as_str())
        )?;
    }
    match series.scope.as_deref() {
        Some(AnyAccessReviewScope::AccessReviewInactiveUsersQueryScope(scope)) => {
            let inactive = scope.inactive_duration.value().map(ToString::to_string);
            let query = scope.query.as_deref().unwrap_or("?");
            writeln!(
                out,
                "  scope: inactive for {} among {query}",
                inactive.unwrap_or_default()
            )?
        }
        Some(AnyAccessReviewScope::AccessReviewQueryScope(scope)) => {
            let root = scope.query_root.as_deref().unwrap_or("-");
            writeln!(
                out,
                "  scope: query {} (root {root})",
                scope.query.as_deref().unwrap_or("?")
            )?
        }
        Some(AnyAccessReviewScope::PrincipalResourceMembershipsScope(scope)) => {
            let queries = |scopes: &Nullable<Vec<AnyAccessReviewScope>>| -> Vec<String> {
                let all = scopes.as_deref().unwrap_or_default().iter();
                all.filter_map(|s| s.as_access_review_query_scope()?.query.value().cloned())
                    .collect()
            };
            writeln!(
                out,
                "  scope: principals {:?}",
                queries(&scope.principal_scopes)
            )?;
            writeln!(
                out,
                "  scope: resources {:?}",
                queries(&scope.resource_scopes)
            )?
        }
        Some(other) => writeln!(
            out,
            "  scope: {}",
            other.odata_type().as_deref().unwrap_or("?")
        )?,
        None => writeln!(out, "  scope: not given")?,
    }
    Ok(())
}
