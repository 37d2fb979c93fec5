//! Progress for long runs: a spinner on stderr that appears only once a run has taken
//! [`DELAY`], so the usual sub-second codegen of our own spec prints nothing extra and
//! pays only for a counter. indicatif draws nothing when stderr is not a terminal, so CI
//! logs and pipes stay free of escape codes.

use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes unseen before its spinner appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// How often the spinner redraws once shown.
const TICK: Duration = Duration::from_millis(120);

/// A count of things done (files generated, ...) with a phase, shown on stderr after
/// [`DELAY`]. Dropping it clears the spinner.
pub struct Progress {
    bar: ProgressBar,
    /// Dropped (or sent to) when the run ends, which tells the timer thread not to show.
    done: Option<mpsc::Sender<()>>,
    timer: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// A hidden spinner counting `unit`s (`"files"`), starting in `phase`; a thread shows it
    /// after [`DELAY`] unless the run has ended by then.
    pub fn start(unit: &str, phase: &'static str) -> Self {
        let template = format!("{{spinner}} {{prefix}}: {{msg}}, {{pos}} {unit} ({{elapsed}})");
        Self::with_template("codegen", &template, phase)
    }

    /// A hidden spinner for a run that has no count to show, only that it is still going
    /// (`trim: reading and trimming FILE (3s)`); shown after [`DELAY`] like the other.
    pub fn spinner(command: &'static str, phase: &str) -> Self {
        Self::with_template(command, "{spinner} {prefix}: {msg} ({elapsed})", phase)
    }

    fn with_template(command: &'static str, template: &str, phase: &str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        // The templates are ours and fixed; a bad one would only lose the styling.
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_prefix(command);
        bar.set_message(phase.to_owned());
        let (done, ended) = mpsc::channel::<()>();
        let shown = bar.clone();
        let timer = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = ended.recv_timeout(DELAY) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        Progress {
            bar,
            done: Some(done),
            timer: Some(timer),
        }
    }

    /// One more thing done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// A new phase (`"writing"`), shown beside the count.
    pub fn phase(&self, phase: &'static str) {
        self.bar.set_message(phase);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Tell the timer the run is over, and wait for it, so the spinner can't appear
        // after it was cleared.
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
        self.bar.finish_and_clear();
    }
}
