//! Works through the decisions a reviewer owes on one access review instance:
//! lists them (every page), approves the first one not reviewed yet, then resets the
//! instance's decisions, printing each step.
//!
//! ```sh
//! cargo run --example review -- --token TOKEN --definition ID --instance ID
//! ```

use access_reviews_models::{
    AccessReviewInstanceDecisionItem,
    AccessReviewInstanceDecisionItemFilterByCurrentUserOptions as On, AnyIdentity,
};
use access_reviews_requests::Api as _;
use clap::Parser;
use futures::TryStreamExt;
use graph_client::Client;
use graph_runtime::Nullable;

#[derive(Parser)]
#[command(
    about = "Approve the first pending access review decision, then reset the instance's decisions"
)]
struct Args {
    /// The service root, such as a national cloud's or the beta endpoint.
    #[arg(long, default_value = graph_client::DEFAULT_BASE_URL)]
    base_url: String,
    /// A bearer token for a user who reviews the instance.
    #[arg(long)]
    token: String,
    /// The access review schedule definition.
    #[arg(long)]
    definition: String,
    /// The instance of that definition.
    #[arg(long)]
    instance: String,
    /// The justification recorded with the approval.
    #[arg(
        long,
        default_value = "Access still needed (approved by the review example)."
    )]
    justification: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = Client::builder()
        .base_url(&args.base_url)
        .bearer_token(args.token.clone())
        .build()?;
    let instance = client
        .definitions()
        .by_id(&args.definition)
        .instances()
        .by_id(&args.instance);

    // Every decision this reviewer owes on the instance, following @odata.nextLink.
    let decisions: Vec<AccessReviewInstanceDecisionItem> = instance
        .decisions()
        .filter_by_current_user(On::Reviewer)
        .stream()
        .try_collect()
        .await?;
    println!(
        "{} decision(s) for you on instance {}:",
        decisions.len(),
        args.instance
    );
    for item in &decisions {
        println!(
            "  {}  {:<12} {}",
            item.id.as_deref().unwrap_or("?"),
            item.decision.value().map(String::as_str).unwrap_or("-"),
            principal_name(item)
        );
    }

    let pending = decisions
        .iter()
        .find(|item| item.decision.value().map(String::as_str) == Some("NotReviewed"));
    match pending.and_then(|item| item.id.as_deref()) {
        Some(id) => {
            let approval = AccessReviewInstanceDecisionItem {
                decision: Nullable::Value("Approve".to_owned()),
                justification: Nullable::Value(args.justification.clone()),
                ..Default::default()
            };
            instance
                .decisions()
                .by_id(id)
                .update(approval)
                .send()
                .await?;
            println!("approved decision {id}");
        }
        None => println!("no decision is waiting for review"),
    }

    instance.reset_decisions().send().await?;
    println!("reset the decisions of instance {}", args.instance);
    Ok(())
}

/// Who the decision is about, as well as the payload says it.
fn principal_name(item: &AccessReviewInstanceDecisionItem) -> String {
    match item.principal.value() {
        Some(AnyIdentity::UserIdentity(user)) => user
            .user_principal_name
            .value()
            .or(user.display_name.value())
            .cloned()
            .unwrap_or_default(),
        Some(AnyIdentity::ServicePrincipalIdentity(app)) => {
            format!(
                "app {}",
                app.app_id.value().map(String::as_str).unwrap_or("?")
            )
        }
        Some(other) => format!("{other:?}").chars().take(60).collect(),
        None => String::new(),
    }
}
