//! Runs the `lingua` crate (lingua-rs) on text files, one sentence per line, for
//! `bench/lid_eval.py`: the peer column of saring's language-ID table, re-run on this machine
//! instead of read from lingua's published report.
//!
//! Usage: `lingua-probe MODE FILE...`, where MODE is
//! * `all`: a detector over all of lingua's languages, high-accuracy mode, preloaded models (what
//!   lingua's published accuracy reports measure); prints the ISO 639-1 code per line (`und` when
//!   lingua declines to decide);
//! * `id-ms`: a detector over Indonesian and Malay only; prints the Malay confidence per line.
//!
//! Output is one JSON object per input file: `{"file": ..., "out": [...], "secs": ...}`, where
//! `secs` is the detection time of that file with models already loaded.

use std::time::Instant;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let files: Vec<String> = args.collect();
    let detector: LanguageDetector = match mode.as_str() {
        "all" => LanguageDetectorBuilder::from_all_languages()
            .with_preloaded_language_models()
            .build(),
        "id-ms" => LanguageDetectorBuilder::from_languages(&[Language::Indonesian, Language::Malay])
            .with_preloaded_language_models()
            .build(),
        _ => {
            eprintln!("usage: lingua-probe all|id-ms FILE...");
            std::process::exit(2);
        }
    };
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
            eprintln!("lingua-probe: cannot read {file}: {e}");
            std::process::exit(1);
        });
        let start = Instant::now();
        // Rust's str::lines, as `saring lid --per-line` splits.
        let out: Vec<serde_json::Value> = text
            .lines()
            .map(|line| match mode.as_str() {
                "all" => detector
                    .detect_language_of(line)
                    .map(|l| l.iso_code_639_1().to_string())
                    .unwrap_or_else(|| "und".to_string())
                    .into(),
                _ => detector
                    .compute_language_confidence(line, Language::Malay)
                    .into(),
            })
            .collect();
        let secs = start.elapsed().as_secs_f64();
        println!("{}", serde_json::json!({"file": file, "out": out, "secs": secs}));
    }
}
