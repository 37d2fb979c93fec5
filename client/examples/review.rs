//! Works through the decisions a reviewer owes on one access review instance:
//! lists them (every page), approves the first one not reviewed yet, then resets the
//! instance's decisions, printing each step.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run --example review -- --definition ID --instance ID
//! ```
//!
//! The access token is read from `GRAPH_TOKEN`, never from the command line, where other
//! users of the machine could see it (for Azure Identity sign-in, see the facade's `triage`
//! example).
//!
//! It exits with 0 when every step succeeded, 1 after printing the error when one failed
//! (a Graph error, a transport failure, a refused redirect: whatever `graph_client` says),
//! and 2 when the arguments are wrong. The fault-matrix tests (`client/tests/faults.rs`)
//! drive it through [`cli`] against servers on 127.0.0.1.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use access_reviews::models::{
    AccessReviewDecisionValue, AccessReviewInstanceDecisionItem,
    AccessReviewInstanceDecisionItemFilterByCurrentUserOptions as On, AnyIdentity,
};
use access_reviews::prelude::*;
use clap::Parser;

/// The command line.
#[derive(Parser)]
#[command(
    about = "Approve the first pending access review decision, then reset the instance's decisions"
)]
pub struct Args {
    /// The service root, such as a national cloud's or the beta endpoint.
    #[arg(long, default_value = access_reviews::client::DEFAULT_BASE_URL)]
    base_url: String,
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

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let token = std::env::var("GRAPH_TOKEN").ok();
    runtime.block_on(cli(
        std::env::args_os(),
        token,
        &mut io::stdout(),
        &mut io::stderr(),
    ))
}

/// The whole program, on these arguments (the program name first), the token from
/// `GRAPH_TOKEN`, and outputs: parses them, runs [`review`], and prints its error, if any,
/// to `err`.
pub async fn cli<I, T>(
    argv: I,
    token: Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = match Args::try_parse_from(argv) {
        Ok(args) => args,
        Err(usage) => {
            // `--help` goes to stdout with status 0, a usage error to stderr with 2.
            let text = usage.render().to_string();
            let shown = if usage.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            let code = u8::try_from(usage.exit_code()).unwrap_or(2);
            return match shown {
                Ok(()) => ExitCode::from(code),
                Err(_) => ExitCode::FAILURE,
            };
        }
    };
    let Some(token) = token else {
        let _ = writeln!(
            err,
            "error: set GRAPH_TOKEN to a bearer token for a reviewer"
        );
        return ExitCode::from(2);
    };
    match review(&args, &token, out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Nothing is left to report to if stderr is gone.
            let _ = writeln!(err, "error: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Why the program stopped.
#[derive(Debug)]
pub enum Failure {
    /// A Graph call failed: the client's typed error.
    Graph(Error),
    /// The output could not be written.
    Output(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Graph(error) => write!(f, "{error}"),
            Failure::Output(error) => write!(f, "cannot write the output: {error}"),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Graph(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

/// The steps: list the reviewer's decisions (every page), approve the first one not
/// reviewed yet, reset the instance's decisions; each one printed to `out`.
pub async fn review(args: &Args, token: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let client = Client::builder()
        .base_url(&args.base_url)
        .bearer_token(token)
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
    writeln!(
        out,
        "{} decision(s) for you on instance {}:",
        decisions.len(),
        args.instance
    )?;
    for item in &decisions {
        writeln!(
            out,
            "  {}  {:<12} {}",
            item.id.as_deref().unwrap_or("?"),
            item.decision
                .value()
                .map_or("-", |decision| decision.as_str()),
            principal_name(item)
        )?;
    }

    match decisions
        .iter()
        .find(|item| item.decision == AccessReviewDecisionValue::NotReviewed)
    {
        Some(pending) => {
            let approval = AccessReviewInstanceDecisionItem {
                decision: AccessReviewDecisionValue::Approve.into(),
                justification: args.justification.as_str().into(),
                ..Default::default()
            };
            // An item without an id is Error::InvalidKey here, not a PATCH to `decisions/`.
            let decision = instance.decisions().by_id(pending);
            decision.update(approval).send().await?;
            writeln!(
                out,
                "approved decision {}",
                pending.id.as_deref().unwrap_or("?")
            )?;
        }
        None => writeln!(out, "no decision is waiting for review")?,
    }

    instance.reset_decisions().send().await?;
    writeln!(out, "reset the decisions of instance {}", args.instance)?;
    Ok(())
}

/// Who the decision is about, as well as the payload says it.
fn principal_name(item: &AccessReviewInstanceDecisionItem) -> String {
    match item.principal.as_deref() {
        Some(AnyIdentity::UserIdentity(user)) => user
            .user_principal_name
            .value()
            .or(user.display_name.value())
            .cloned()
            .unwrap_or_default(),
        Some(AnyIdentity::ServicePrincipalIdentity(app)) => {
            format!("app {}", app.app_id.as_deref().unwrap_or("?"))
        }
        Some(other) => format!("{other:?}").chars().take(60).collect(),
        None => String::new(),
    }
}
