//! Triage of one access review instance, through the facade crate alone: lists the decisions
//! not reviewed yet (`$filter`, `$top`), approves them with one `batchRecordDecisions` call,
//! stops the instance, then prints the definition's reviewers and what it reviews.
//!
//! ```sh
//! GRAPH_TOKEN=eyJ0eXAi... cargo run -p access-reviews --example triage -- --definition ID --instance ID
//! cargo run -p access-reviews --features azure-identity --example triage -- \
//!     --auth azure-cli --definition ID --instance ID
//! ```
//!
//! `--auth` says where the access token comes from, and every secret is read from the
//! environment, never from the command line (where other users of the machine, and the
//! shell's history, would see it):
//!
//! | `--auth` | reads | needs |
//! |---|---|---|
//! | `token` (default) | `GRAPH_TOKEN`, a bearer token got elsewhere | |
//! | `azure-cli` | the account `az login` signed in (`AZURE_TENANT_ID` optional) | `--features azure-identity` |
//! | `client-secret` | `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET` | `--features azure-identity` |
//! | `managed-identity` | the machine's identity (`AZURE_CLIENT_ID` picks a user-assigned one) | `--features azure-identity` |
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
use clap::{Parser, ValueEnum};

/// Where the access token comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Auth {
    /// A bearer token in `GRAPH_TOKEN`.
    Token,
    /// The Azure CLI's signed-in account (`az login`).
    AzureCli,
    /// An app registration's client secret: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
    /// `AZURE_CLIENT_SECRET`.
    ClientSecret,
    /// The managed identity of the machine (`AZURE_CLIENT_ID` for a user-assigned one).
    ManagedIdentity,
}

/// The command line.
#[derive(Parser)]
#[command(
    about = "Approve an instance's pending decisions in one call, stop it, show its definition"
)]
pub struct Args {
    /// The service root, such as a national cloud's.
    #[arg(long, default_value = access_reviews::client::DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Where the access token comes from; secrets are read from the environment.
    #[arg(long, value_enum, default_value_t = Auth::Token)]
    pub auth: Auth,
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
    let client = match connect(&args, &|name| std::env::var(name).ok()) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    match triage(&client, &args, &mut io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The client for `args.base_url`, authenticated as `args.auth` says, with what it needs
/// read through `env` (the process environment, in `main`).
pub fn connect(
    args: &Args,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Client, Box<dyn std::error::Error>> {
    let auth_name = args
        .auth
        .to_possible_value()
        .map_or_else(String::new, |value| value.get_name().to_owned());
    let required =
        |name: &str| env(name).ok_or_else(|| format!("--auth {auth_name} needs {name} set"));
    let builder = Client::builder().base_url(&args.base_url);
    let builder = match args.auth {
        Auth::Token => builder.bearer_token(required("GRAPH_TOKEN")?),
        #[cfg(feature = "azure-identity")]
        auth => builder.token_credential(credential(auth, env, &required)?),
        #[cfg(not(feature = "azure-identity"))]
        _ => {
            return Err(format!(
                "--auth {auth_name} takes an Azure Identity credential: run with --features azure-identity"
            )
            .into())
        }
    };
    Ok(builder.build()?)
}

/// The Azure Identity credential for `auth` (anything but `Auth::Token`).
#[cfg(feature = "azure-identity")]
fn credential(
    auth: Auth,
    env: &dyn Fn(&str) -> Option<String>,
    required: &dyn Fn(&str) -> Result<String, String>,
) -> Result<std::sync::Arc<dyn access_reviews::azure::TokenCredential>, Box<dyn std::error::Error>>
{
    use access_reviews::azure_identity::{
        AzureCliCredential, AzureCliCredentialOptions, ClientSecretCredential,
        ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId,
    };
    Ok(match auth {
        Auth::AzureCli => AzureCliCredential::new(Some(AzureCliCredentialOptions {
            tenant_id: env("AZURE_TENANT_ID"),
            ..Default::default()
        }))?,
        Auth::ClientSecret => ClientSecretCredential::new(
            &required("AZURE_TENANT_ID")?,
            required("AZURE_CLIENT_ID")?,
            required("AZURE_CLIENT_SECRET")?.into(),
            None,
        )?,
        Auth::ManagedIdentity => {
            ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
                user_assigned_id: env("AZURE_CLIENT_ID").map(UserAssignedId::ClientId),
                ..Default::default()
            }))?
        }
        Auth::Token => return Err("a bearer token is not an Azure credential".into()),
    })
}

/// The four steps, each printed to `out`.
pub async fn triage(
    client: &Client,
    args: &Args,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
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
