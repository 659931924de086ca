//! A progress bar on stderr for runs longer than a second: docs/s, MB/s and, when the input size is
//! known, an ETA. Silent when stderr is not a terminal (logs and pipes stay clean).

use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use saring::run::Progress;

pub struct Bar {
    bar: ProgressBar,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

/// Start the progress display (None when stderr is not a terminal).
pub fn start(counters: Arc<Progress>, total_bytes: u64) -> Option<Bar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total_bytes.max(1)), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}",
        )
        .expect("valid template"),
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (b, s) = (bar.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let started = Instant::now();
        let mut shown = false;
        while !s.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
            let elapsed = started.elapsed();
            if !shown && elapsed >= Duration::from_secs(1) {
                b.set_draw_target(ProgressDrawTarget::stderr());
                shown = true;
            }
            let records = counters.records.load(Ordering::Relaxed);
            let bytes = counters.input_bytes.load(Ordering::Relaxed);
            let secs = elapsed.as_secs_f64().max(1e-3);
            b.set_position(bytes);
            b.set_message(format!(
                "{records} docs, {:.0} docs/s, {:.1} MB/s",
                records as f64 / secs,
                bytes as f64 / 1e6 / secs
            ));
        }
    });
    Some(Bar {
        bar,
        stop,
        thread: Some(thread),
    })
}
