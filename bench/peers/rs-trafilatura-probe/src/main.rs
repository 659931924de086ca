//! Timing probe for the Rust extraction candidates of bench/extract_bench.py.
//!
//! Usage: rs-trafilatura-probe LIST [--repeat R] [--extractor NAME] > OUT.jsonl
//!
//! NAME is `rs-trafilatura` (default: rs-trafilatura 0.2.2, `extract_bytes`, its own charset detection),
//! `trafilatura-rs` (the `trafilatura` 0.6 crate, a port of go-trafilatura, `extract` with default
//! `Options`) or `dom_smoothie` (0.19, Readability.js port, `Readability::new(html, None, None).parse()`,
//! `text_content`). The last two get the page as UTF-8 (lossy), like saring on these UTF-8 sets.
//!
//! LIST holds `id<TAB>path` lines (plain or .gz HTML). Every page is read into memory first; only the
//! extraction is timed, on one thread. Prints `{"id", "text"}` lines to stdout and one timing line to stderr,
//! the same fields as `saring extract-pages`: {"pages","seconds","pages_per_s","mb_per_s","threads"}.
//! A page whose extraction returns Err (or panics) gets empty text and is counted.
use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: rs-trafilatura-probe LIST [--repeat R] [--extractor rs-trafilatura|trafilatura-rs|dom_smoothie]";
    let list = args.get(1).expect(usage);
    let mut repeat = 1usize;
    let mut extractor = "rs-trafilatura".to_string();
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--repeat" => repeat = rest.next().and_then(|r| r.parse().ok()).expect(usage),
            "--extractor" => extractor = rest.next().expect(usage).clone(),
            _ => panic!("{usage}"),
        }
    }
    let extract: fn(&[u8]) -> Result<String, String> = match extractor.as_str() {
        "rs-trafilatura" => |bytes| {
            rs_trafilatura::extract_bytes(bytes)
                .map(|r| r.content_text)
                .map_err(|e| e.to_string())
        },
        "trafilatura-rs" => |bytes| {
            let html = String::from_utf8_lossy(bytes);
            trafilatura::extract(&html, &trafilatura::Options::default())
                .map(|r| r.content_text)
                .map_err(|e| e.to_string())
        },
        "dom_smoothie" => |bytes| {
            let html = String::from_utf8_lossy(bytes);
            dom_smoothie::Readability::new(html.as_ref(), None, None)
                .and_then(|mut r| r.parse())
                .map(|a| a.text_content.to_string())
                .map_err(|e| e.to_string())
        },
        other => panic!("unknown extractor {other}; {usage}"),
    };
    let listing = std::fs::read_to_string(list).unwrap_or_else(|e| panic!("reading {list}: {e}"));
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for line in listing.lines().filter(|l| !l.trim().is_empty()) {
        let (id, path) = line.split_once('\t').expect("page list lines are id<TAB>path");
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("opening {path}: {e}"));
        let mut bytes = Vec::new();
        let read = if path.ends_with(".gz") {
            flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)
        } else {
            std::io::BufReader::new(file).read_to_end(&mut bytes)
        };
        read.unwrap_or_else(|e| panic!("reading {path}: {e}"));
        pages.push((id.to_string(), bytes));
    }

    let (mut texts, mut errors, mut panics) = (Vec::new(), 0usize, 0usize);
    let start = Instant::now();
    for _ in 0..repeat.max(1) {
        (errors, panics) = (0, 0);
        texts = pages
            .iter()
            .map(|(_, bytes)| match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
                Ok(Ok(text)) => text,
                Ok(Err(_)) => {
                    errors += 1;
                    String::new()
                }
                Err(_) => {
                    panics += 1;
                    String::new()
                }
            })
            .collect();
    }
    let seconds = start.elapsed().as_secs_f64();

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for ((id, _), text) in pages.iter().zip(&texts) {
        serde_json::to_writer(&mut out, &serde_json::json!({"id": id, "text": text})).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let runs = (pages.len() * repeat.max(1)) as f64;
    let mb = pages.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 * repeat.max(1) as f64 / 1e6;
    eprintln!(
        "{{\"pages\": {}, \"seconds\": {seconds:.4}, \"pages_per_s\": {:.1}, \"mb_per_s\": {:.1}, \"threads\": 1, \"repeat\": {}, \"errors\": {errors}, \"panics\": {panics}, \"extractor\": \"{extractor}\"}}",
        pages.len(),
        runs / seconds,
        mb / seconds,
        repeat.max(1)
    );
}
