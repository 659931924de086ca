//! `saring`: the command-line front of the saring library.
//!
//! - `saring clean INPUT... -o OUT` runs the line cleaner over any input (txt, JSONL[.gz|.zst], Parquet)
//!   and writes records, rejected records, quarantined records and `stats.json`.
//! - `saring explain FILE` prints every input line with its verdict and reason: the cleaner's, or,
//!   with the stage options of `clean` (`--lang --spam --quality`), the last stage's that judged it.
//! - `saring count INPUT...` only reads, decompresses and parses: the floor a cleaning run is measured
//!   against in the benchmarks.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use saring::clean::{CleanConfig, LineCleaner};
use saring::io::input::{collect_inputs, InputOptions, InputSet, RawRecord, RecordStream};
use saring::io::output::{open_sink, JsonlSink, OutputTarget, Sink};
use saring::io::{Compression, Format};
use saring::rules::Rules;
use saring::run::{run, Progress, QuarantineSink, RunOptions, Sinks, Stats};
use saring::{LineJudgement, Outcome, Pipeline, Quarantined, Stage, Verdict};

mod progress;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (include/mimalloc.h of the
/// libmimalloc-sys 0.1.49 pinned in Cargo.lock; the crate names only some options).
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

/// No transparent huge pages for this process. Where the kernel grants them on request (`madvise`
/// mode, as on the benchmark machine; mimalloc asks for them), the first touch of any byte of a
/// 2 MiB region zeroes all of it: in profiles of `saring clean --lang` the kernel's page clearing
/// was 22% of the samples, and `--lang` took 845 ms of CPU against 703 ms without huge pages. The
/// per-thread word caches and the batches touch their memory sparsely, so the huge pages bought
/// nothing back. mimalloc's own option (`MIMALLOC_ALLOW_THP=0`) is read before `main` runs, and
/// setting it here is too late for the memory it has already reserved; the process-wide switch
/// also covers that memory.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and touches no memory of ours; it
    // fails harmlessly (ignored) on kernels without it.
    unsafe {
        let (disable, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, disable, unused, unused, unused);
    }
}

/// `saring dedup` returns freed memory to the OS after 10 ms instead of mimalloc v3's 1 s (10 s
/// inside its arenas). Dedup promises a memory budget (`--memory`), and with the default delay peak
/// RSS counts several generations of freed batches: 91-120 MiB against 57-61 MiB with 10 ms on
/// `saring dedup` of the 100 MB benchmark corpus, at the same speed. The other commands keep the
/// default: HTML extraction allocates and frees a tree per page, and re-faulting purged pages (2 MiB
/// at a time where transparent huge pages are on) made it 15-30% slower on the AEB pages.
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn purge_freed_memory_promptly() {
    // SAFETY: sets one integer option, which mimalloc reads when it next purges.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, 10) };
}

#[derive(Parser)]
#[command(
    name = "saring",
    version,
    about = "Refine crawled web text into a clean, explained pretraining corpus."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean documents: keep the article, lift title/date/caption/tags/related into metadata, drop the rest.
    Clean(CleanArgs),
    /// Print every input line with its verdict (keep, drop, metadata) and reason; for HTML input,
    /// first every block of the page that extraction left out, with the reason. With the stage
    /// options of `clean` (--lang, --spam, --quality, ...), each line shows the verdict of the last
    /// stage that judged it.
    Explain(ExplainArgs),
    /// Convert records between formats (txt, JSONL, Parquet) without judging them.
    Convert(ConvertArgs),
    /// Deduplicate a corpus: exact documents, lines repeated across a site or the corpus, MinHash-LSH
    /// near duplicates. Reads the input twice.
    Dedup(DedupArgs),
    /// Identify the language of each document (or of each line of plain text files with --per-line).
    Lid(LidArgs),
    /// Read, decompress and parse the input without judging it; print the record counts.
    Count(CountArgs),
    /// Print the words and sentence count datatrove's spaCy tokenizer would give each input line
    /// (a JSON string per line on stdin). For checking tokenizer parity.
    #[command(hide = true)]
    Tokenize(TokenizeArgs),
    /// Extract the main text of HTML pages listed as `id<TAB>path` (plain or .gz), timing only the
    /// extraction (pages are read into memory first). Prints `{"id", "text", ...}` lines; for
    /// bench/extract_bench.py.
    #[command(hide = true)]
    ExtractPages(ExtractPagesArgs),
}

#[derive(Args)]
struct ExtractPagesArgs {
    /// File of `id<TAB>path` lines.
    list: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Extract every page this many times (timing only; the output is written once).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
}

#[derive(Args)]
struct TokenizeArgs {
    /// spaCy language of the rules: en, id, ms.
    #[arg(long, default_value = "en")]
    lang: String,
}

#[derive(Args, Clone)]
struct InputArgs {
    /// Input files or directories (read recursively): .txt, .jsonl[.gz|.zst], .parquet,
    /// .warc[.gz|.zst|.lz4], .warc.wet.gz, .arc[.gz], .html[.gz].
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Field (JSONL) or column (Parquet) holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Field or column holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// Read every input as this format instead of telling it by extension: txt, jsonl, parquet,
    /// warc, arc, html.
    #[arg(long)]
    format: Option<String>,
    /// Records (JSONL lines, text files) larger than this many bytes are quarantined.
    #[arg(long, default_value_t = 64 << 20)]
    max_record_bytes: usize,
}

impl InputArgs {
    fn options(&self) -> Result<InputOptions> {
        let format = match &self.format {
            Some(f) => Some(Format::parse(f).with_context(|| {
                format!("--format {f}: use txt, jsonl, parquet, warc, arc or html")
            })?),
            None => None,
        };
        Ok(InputOptions {
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            format,
            compression: None,
            max_record_bytes: self.max_record_bytes,
        })
    }
}

#[derive(Args, Clone)]
struct RuleArgs {
    /// Load rule files (*.toml) from this directory instead of the embedded ones.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Do not judge paragraphs by lexical cohesion (no `off-topic`).
    #[arg(long)]
    no_off_topic: bool,
    /// Do not judge short query-like lines (no `seo-keywords`).
    #[arg(long)]
    no_seo_keywords: bool,
    /// Lift the title into metadata only, not as the first line of the text.
    #[arg(long)]
    no_title_in_text: bool,
    /// Keep the dateline prefix (`JATIMTIMES - `) in the first paragraph.
    #[arg(long)]
    keep_dateline: bool,
}

impl RuleArgs {
    fn cleaner(&self) -> Result<LineCleaner> {
        let rules = match &self.rules {
            Some(dir) => Rules::from_dir(dir)?,
            None => Rules::embedded()?,
        };
        let config = CleanConfig {
            off_topic: !self.no_off_topic,
            seo_keywords: !self.no_seo_keywords,
            keep_title: !self.no_title_in_text,
            strip_dateline: !self.keep_dateline,
            ..CleanConfig::default()
        };
        Ok(LineCleaner::new(Arc::new(rules), config))
    }
}

#[derive(Args)]
struct CleanArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    stages: StageArgs,
}

/// The stages after the line cleaner, shared by `clean` and `explain`.
#[derive(Args)]
struct StageArgs {
    /// Label every cleaned document with `metadata.language` and `language_score` (fastText lid176
    /// plus the Indonesian/Malay/local-language step), and `languages` for mixed documents.
    #[arg(long)]
    lang: bool,
    /// Remove Indonesian gambling-spam (`gambling-spam`) and adult-promotion (`adult`) lines, drop
    /// documents that are mostly such lines, and drop spun text (`spun-text`, the `nan`-for-`yang`
    /// article spinner).
    #[arg(long)]
    spam: bool,
    /// Skip the line cleaner (run only the other stages asked for, e.g. --spam on comments).
    #[arg(long)]
    no_clean: bool,
    /// Keep only documents in these languages (comma-separated codes, e.g. `id,ms`); implies --lang.
    /// Others are dropped as `unwanted-language`, and those scoring below --min-language-score as
    /// `low-language-score`.
    #[arg(long, value_delimiter = ',')]
    languages: Option<Vec<String>>,
    /// With --languages: the lowest `language_score` kept (datatrove's LanguageFilter default,
    /// 0.65). Short informal Indonesian often scores lower: lid176 is unsure of it and the family
    /// step's score is lid176's probability on the whole family.
    #[arg(long, default_value_t = 0.65, value_parser = parse_score, requires = "languages")]
    min_language_score: f32,
    /// Run datatrove's heuristic quality filters (Gopher repetition, Gopher quality, C4, FineWeb)
    /// after language ID. Drops name the filter (`drop_stage`) and datatrove's reason (`drop_reason`).
    #[arg(long)]
    quality: bool,
    /// Thresholds for --quality: `auto` picks FineWeb-2's configuration for each document's
    /// `metadata.language` (set by --lang or present in the input; datatrove's defaults for other
    /// languages); or a shipped name (default, eng_Latn, ind_Latn, zsm_Latn, jav_Latn, sun_Latn,
    /// min_Latn) or a TOML file in the same format (see crates/saring/rules/quality/).
    #[arg(long, default_value = "auto")]
    quality_config: String,
    /// Run only these quality filters, in this order, instead of the configuration's list
    /// (comma-separated: gopher_repetition, gopher_quality, c4_quality, fineweb_quality). Implies --quality.
    #[arg(long, value_delimiter = ',')]
    filters: Option<Vec<String>>,
    /// Store every value the quality filters measured in `metadata.quality_signals`.
    #[arg(long)]
    signals: bool,
}

#[derive(Args)]
struct ConvertArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct DedupArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Clean every document with the line cleaner before deduplicating it (the rule options below apply).
    #[arg(long)]
    clean: bool,
    #[command(flatten)]
    rules: RuleArgs,
    /// Skip exact-duplicate detection.
    #[arg(long)]
    no_exact: bool,
    /// Skip MinHash near-duplicate detection.
    #[arg(long)]
    no_near: bool,
    /// Skip repeated-line removal.
    #[arg(long)]
    no_lines: bool,
    /// Words per MinHash shingle.
    #[arg(long, default_value_t = 5)]
    ngram: usize,
    /// LSH bands.
    #[arg(long, default_value_t = 14)]
    bands: usize,
    /// Rows (hash values) per band.
    #[arg(long, default_value_t = 8)]
    rows: usize,
    /// A line in at least this many duplicate clusters of one site (group) is removed.
    #[arg(long, default_value_t = 3)]
    line_min_docs_group: u32,
    /// A line in at least this many duplicate clusters of the corpus is removed.
    #[arg(long, default_value_t = 100)]
    line_min_docs: u32,
    /// Metadata field naming a document's group (default: registered domain of `url`, else the input
    /// file's folder).
    #[arg(long)]
    group_field: Option<String>,
    /// Verify LSH candidate pairs by their true Jaccard similarity of shingle sets, keeping pairs at or
    /// above this value (e.g. 0.7); costs one more pass over the input. Off by default (as datatrove).
    #[arg(long)]
    verify_jaccard: Option<f64>,
    /// Memory for dedup's sorted indexes (e.g. 512M, 4G); beyond it they spill to --tmp-dir.
    #[arg(long, default_value = "1G")]
    memory: String,
    /// Where spill files go (default: the system temp directory).
    #[arg(long)]
    tmp_dir: Option<PathBuf>,
}

fn parse_bytes(s: &str) -> Result<usize> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = match t.chars().last() {
        Some('K') => (&t[..t.len() - 1], 1usize << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        Some('T') => (&t[..t.len() - 1], 1 << 40),
        _ => (t.as_str(), 1),
    };
    let value: f64 = num
        .trim_end_matches('I')
        .trim_end_matches('B')
        .parse()
        .with_context(|| format!("--memory {s}: use a size like 512M or 4G"))?;
    Ok((value * mult as f64) as usize)
}

#[derive(Args)]
struct LidArgs {
    /// Text files (one sentence per line with --per-line) or any saring input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Treat every line of a text file as one text.
    #[arg(long)]
    per_line: bool,
    /// Print lid176's own top label too (without the Indonesian/Malay/local-language step).
    #[arg(long)]
    raw: bool,
    /// Only lid176's top label (no Indonesian/Malay/local-language step): for comparisons and timing.
    #[arg(long)]
    lid176_only: bool,
}

#[derive(Args)]
struct OutputArgs {
    /// Output: `-` (JSONL on stdout), FILE.jsonl[.gz|.zst], FILE.parquet, or a directory of shards.
    #[arg(short, long)]
    output: String,
    /// Write dropped documents here (same formats as --output), with metadata.drop_reason.
    #[arg(long)]
    rejected: Option<String>,
    /// Write quarantined records (unreadable input) here as JSONL; default DIR/quarantine.jsonl for a
    /// directory output.
    #[arg(long)]
    quarantine: Option<PathBuf>,
    /// Write the run's stats.json here (a directory output always gets DIR/stats.json).
    #[arg(long)]
    stats: Option<PathBuf>,
    /// Worker threads (0 = all cores).
    #[arg(short, long, default_value_t = 0)]
    threads: usize,
    /// Kept documents per shard of a directory output.
    #[arg(long, default_value_t = 100_000)]
    docs_per_shard: u64,
    /// Records per batch (memory is bounded by a few batches; 256 measured best for speed and memory).
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
}

#[derive(Args)]
struct ExplainArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    rules: RuleArgs,
    /// The stages to run after the cleaner, as for `clean` (--lang, --spam, --quality, ...): each
    /// line then shows the verdict of the last stage that judged it.
    #[command(flatten)]
    stages: StageArgs,
    /// One JSON object per line: {"id", "line", "text", "verdict", "reason", "field"} (and "rule",
    /// the evidence, for a spam line; "trimmed" for a cut; "drop_stage" and "drop_reason" when the
    /// document was dropped); for the blocks of an HTML page that extraction left out, "block" and
    /// "element" instead of "line".
    #[arg(long)]
    json: bool,
    /// Colour the terminal output: auto, always, never.
    #[arg(long, default_value = "auto")]
    color: String,
}

/// The blocks of an HTML page that extraction left out, before the line decisions: one line each
/// (`html` in the line column), or one JSON object each with `"block"` instead of `"line"`. A related
/// link goes to `metadata.related`, everything else is dropped.
fn explain_left_out(
    out: &mut impl Write,
    id: &str,
    blocks: &[saring::extract::RemovedBlock],
    json: bool,
    color: bool,
) -> std::io::Result<()> {
    for (i, block) in blocks.iter().enumerate() {
        let (verdict, field) = match block.reason {
            "related-link" => ("metadata", Some("related")),
            _ => ("drop", None),
        };
        if json {
            let obj = serde_json::json!({
                "id": id, "block": i + 1, "element": block.element, "text": block.text,
                "verdict": verdict, "reason": block.reason, "field": field, "stage": "extract",
            });
            writeln!(out, "{obj}")?;
            continue;
        }
        let (on, off) = if color {
            ("\x1b[31m", "\x1b[0m")
        } else {
            ("", "")
        };
        let why = match field {
            Some(f) => format!("{} → {f}", block.reason),
            None => block.reason.to_string(),
        };
        let flat = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = flat.chars().take(100).collect();
        let ellipsis = if flat.chars().count() > 100 {
            "…"
        } else {
            ""
        };
        writeln!(
            out,
            "{on}html {verdict:<8} {why:<28} <{}> {shown}{ellipsis}{off}",
            block.element
        )?;
    }
    Ok(())
}

#[derive(Args)]
struct CountArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(short, long, default_value_t = 0)]
    threads: usize,
}

fn main() {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Convert(args) => execute(&args.input, Pipeline::new(), &args.output),
        Command::Dedup(args) => dedup(args),
        Command::Lid(args) => lid(args),
        Command::Explain(args) => explain(args),
        Command::Count(args) => count(args),
        Command::Tokenize(args) => tokenize(args),
        Command::ExtractPages(args) => extract_pages(args),
    };
    if let Err(e) = result {
        // A closed stdout (`saring clean ... | head`) is not an error worth a message.
        if e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        }) {
            std::process::exit(0);
        }
        eprintln!("saring: error: {e:#}");
        std::process::exit(1);
    }
}

fn inputs(args: &InputArgs) -> Result<(InputSet, InputOptions)> {
    let options = args.options()?;
    let set = collect_inputs(&args.inputs, &options)?;
    for skipped in &set.skipped {
        eprintln!(
            "saring: skipping {} (unknown format; pass --format to read it)",
            skipped.display()
        );
    }
    if set.files.is_empty() {
        bail!("no input files found in {:?}", args.inputs);
    }
    Ok((set, options))
}

fn report_quarantine(q: &Quarantined, shown: &mut usize) {
    if *shown < 10 {
        eprintln!("saring: quarantined: {}", q.error);
    } else if *shown == 10 {
        eprintln!("saring: more records quarantined; see the quarantine file or stats");
    }
    *shown += 1;
}

/// A language score threshold: a number from 0 to 1.
fn parse_score(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(score) if (0.0..=1.0).contains(&score) => Ok(score),
        _ => Err(format!(
            "{text:?} is not a score: give a number from 0 to 1, e.g. 0.5"
        )),
    }
}

fn clean(args: CleanArgs) -> Result<()> {
    let pipeline = pipeline(&args.rules, &args.stages)?;
    execute(&args.input, pipeline, &args.output)
}

/// The cleaner (unless `--no-clean`), then the stages asked for, in their order.
fn pipeline(rules: &RuleArgs, args: &StageArgs) -> Result<Pipeline> {
    let mut pipeline = Pipeline::new();
    if !args.no_clean {
        pipeline.push(Box::new(rules.cleaner()?));
    }
    let mut lid = None;
    if args.lang || args.languages.is_some() {
        let model = Arc::new(saring::lang::LanguageId::embedded()?);
        let mut stage =
            saring::lang::LanguageStage::new(Arc::clone(&model), args.languages.clone());
        stage.min_score = args.min_language_score;
        pipeline = pipeline.with(stage);
        lid = Some(model);
    }
    // After language ID, so that spun-text knows a Minangkabau text (where `nan` is ordinary) and
    // a spam line on a page of another language can be labelled itself.
    if args.spam {
        let mut stage = saring::quality::SpamStage::all_embedded().map_err(anyhow::Error::msg)?;
        if let Some(lid) = lid {
            stage = stage.with_line_language(lid);
        }
        pipeline.push(Box::new(stage));
    }
    if args.quality || args.filters.is_some() {
        if args.quality_config == "auto" && !(args.lang || args.languages.is_some()) {
            eprintln!(
                "saring: note: --quality-config auto picks thresholds by metadata.language; documents \
                 without one are judged with datatrove's English defaults. Add --lang to label them."
            );
        }
        pipeline.push(Box::new(quality_stage(args)?));
    }
    Ok(pipeline)
}

fn quality_stage(args: &StageArgs) -> Result<saring::quality::filters::HeuristicFilterStage> {
    use saring::quality::config::{FilterKind, QualityConfig};
    use saring::quality::filters::{ConfigChoice, HeuristicFilterStage};
    let choice = if args.quality_config == "auto" {
        ConfigChoice::ByLanguage {
            fallback: QualityConfig::embedded("default")?,
        }
    } else {
        ConfigChoice::Fixed(QualityConfig::load(&args.quality_config)?)
    };
    let only = match &args.filters {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|n| {
                    FilterKind::parse(n).with_context(|| {
                        format!(
                            "unknown quality filter {n:?}: use gopher_repetition, gopher_quality, \
                             c4_quality or fineweb_quality"
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    Ok(HeuristicFilterStage::new(choice, only, args.signals)?)
}

/// The hidden `tokenize` command: one JSON object per input line, `{"words": [...], "sentences": n}`.
fn tokenize(args: TokenizeArgs) -> Result<()> {
    use std::io::{BufRead, Write};
    let tokenizer = saring::quality::tokenize::for_language(&args.lang);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let text: String =
            serde_json::from_str(&line?).context("each input line must be a JSON string")?;
        let record = serde_json::json!({
            "words": tokenizer.words(&text),
            "sentences": tokenizer.sentence_count(&text),
        });
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn extract_pages(args: ExtractPagesArgs) -> Result<()> {
    use rayon::prelude::*;
    use std::io::{Read, Write};
    let list = std::fs::read_to_string(&args.list)
        .with_context(|| format!("reading the page list {}", args.list.display()))?;
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (id, path) = line
            .split_once('\t')
            .with_context(|| format!("page list lines are `id<TAB>path`, got {line:?}"))?;
        let mut bytes = Vec::new();
        let file = std::fs::File::open(path).with_context(|| format!("opening {path}"))?;
        if path.ends_with(".gz") {
            flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)?;
        } else {
            std::io::BufReader::new(file).read_to_end(&mut bytes)?;
        }
        pages.push((id.to_string(), bytes));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()?;
    let extract = |bytes: &[u8]| {
        let decoded = saring::extract::decode(bytes, None, None);
        saring::extract::extract_html(&decoded.text)
    };
    let start = std::time::Instant::now();
    let mut results = Vec::new();
    for _ in 0..args.repeat.max(1) {
        results = pool.install(|| {
            pages
                .par_iter()
                .map(|(_, b)| extract(b))
                .collect::<Vec<_>>()
        });
    }
    let seconds = start.elapsed().as_secs_f64();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for ((id, _), page) in pages.iter().zip(&results) {
        let mut record = page.metadata();
        record.insert("id".into(), serde_json::json!(id));
        record.insert("text".into(), serde_json::json!(page.text));
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    let runs = (pages.len() * args.repeat.max(1)) as f64;
    let mb =
        pages.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 * args.repeat.max(1) as f64 / 1e6;
    eprintln!(
        "{{\"pages\": {}, \"seconds\": {seconds:.4}, \"pages_per_s\": {:.1}, \"mb_per_s\": {:.1}, \"threads\": {}}}",
        pages.len(),
        runs / seconds,
        mb / seconds,
        pool.current_num_threads()
    );
    Ok(())
}

/// Read, run the pipeline, write: `clean` and `convert`.
fn execute(input: &InputArgs, pipeline: Pipeline, args: &OutputArgs) -> Result<()> {
    execute_with(input, pipeline, args, None)
}

/// Two passes: fingerprint everything, plan, then apply the plan while writing.
fn dedup(args: DedupArgs) -> Result<()> {
    use saring::dedup::{minhash::MinHashConfig, DedupApply, DedupConfig, DedupScan};
    purge_freed_memory_promptly();
    if args.input.inputs.iter().any(|p| p.as_os_str() == "-") {
        bail!("dedup reads its input twice: give files or directories, not stdin");
    }
    let config = DedupConfig {
        exact: !args.no_exact,
        near: !args.no_near,
        lines: !args.no_lines,
        minhash: MinHashConfig {
            ngram: args.ngram,
            bands: args.bands,
            rows: args.rows,
            ..MinHashConfig::default()
        },
        line_min_docs_in_group: args.line_min_docs_group,
        line_min_docs_global: args.line_min_docs,
        group_field: args.group_field.clone(),
        memory_bytes: parse_bytes(&args.memory)?,
        spill_dir: args.tmp_dir.clone().unwrap_or_else(std::env::temp_dir),
        ..DedupConfig::default()
    };
    let cleaner = || -> Result<Option<LineCleaner>> {
        if args.clean {
            Ok(Some(args.rules.cleaner()?))
        } else {
            Ok(None)
        }
    };

    // Pass 1: fingerprints. Nothing is written.
    let started = Instant::now();
    let scan = read_only_pass(&args, DedupScan::new(config)?, cleaner()?)?;
    let plan = match args.verify_jaccard {
        None => scan.into_plan()?,
        Some(threshold) => {
            // Extra pass: shingle sets of the documents in candidate pairs, then true Jaccard.
            let mut candidates = scan.into_candidates()?;
            let collector = read_only_pass(&args, candidates.collector(), cleaner()?)?;
            candidates.verify(collector, threshold);
            candidates.into_plan()?
        }
    };
    let plan_stats = serde_json::to_value(&plan.stats)?;
    eprintln!(
        "saring: dedup plan in {:.2}s: {} clusters, {} exact and {} near duplicates, {} repeated lines per site, {} corpus-wide",
        started.elapsed().as_secs_f64(),
        plan.stats.clusters,
        plan.stats.exact_duplicates,
        plan.stats.near_duplicates,
        plan.stats.repeated_lines_in_group,
        plan.stats.repeated_lines_global
    );

    // Pass 2: apply and write.
    let mut pipeline = Pipeline::new();
    if let Some(c) = cleaner()? {
        pipeline.push(Box::new(c));
    }
    pipeline.push(Box::new(DedupApply::new(Arc::new(plan))));
    execute_with(&args.input, pipeline, &args.output, Some(plan_stats))
}

/// One pass over the input that only feeds `stage` (after the cleaner, if any) and writes nothing;
/// returns the stage with what it gathered.
fn read_only_pass<S: Stage + 'static>(
    args: &DedupArgs,
    stage: S,
    cleaner: Option<LineCleaner>,
) -> Result<S> {
    let (set, input_options) = inputs(&args.input)?;
    let stage = Arc::new(stage);
    let mut pipeline = Pipeline::new();
    if let Some(c) = cleaner {
        pipeline.push(Box::new(c));
    }
    pipeline.push(Box::new(SharedStage(stage.clone())));
    let progress_counters = Arc::new(Progress::default());
    let bar = progress::start(progress_counters.clone(), set.total_bytes());
    let stream = RecordStream::new(set.files, input_options.clone());
    let sinks = Sinks {
        kept: Box::new(NullSink),
        rejected: None,
        quarantine: None,
    };
    let run_options = RunOptions {
        threads: args.output.threads,
        batch_records: args.output.batch_size,
        ..RunOptions::default()
    };
    let result = run(
        stream,
        &input_options,
        &pipeline,
        sinks,
        &run_options,
        progress_counters,
    );
    if let Some(bar) = bar {
        bar.finish();
    }
    result?;
    drop(pipeline);
    Arc::try_unwrap(stage)
        .map_err(|_| anyhow::anyhow!("a dedup stage is still shared after its pass"))
}

/// A stage shared with the caller (so it can be taken back after the run).
struct SharedStage<S: Stage>(Arc<S>);

impl<S: Stage> Stage for SharedStage<S> {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn process(&self, doc: &mut saring::Document) {
        self.0.process(doc)
    }
    fn process_batch(&self, docs: &mut [saring::Document]) {
        self.0.process_batch(docs)
    }
}

/// Discards records (pass 1 of dedup).
struct NullSink;

impl Sink for NullSink {
    fn write(&mut self, _doc: &saring::Document, _json: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn execute_with(
    input: &InputArgs,
    pipeline: Pipeline,
    args: &OutputArgs,
    dedup_stats: Option<serde_json::Value>,
) -> Result<()> {
    let (set, input_options) = inputs(input)?;
    let target = OutputTarget::parse(&args.output)?;
    let kept = open_sink(&target, "documents", args.docs_per_shard)?;
    let rejected: Option<Box<dyn Sink>> = match &args.rejected {
        Some(spec) => Some(open_sink(
            &OutputTarget::parse(spec)?,
            "rejected",
            args.docs_per_shard,
        )?),
        None => None,
    };
    let quarantine_path = args.quarantine.clone().or_else(|| match &target {
        OutputTarget::Dir(dir) => Some(dir.join("quarantine.jsonl")),
        _ => None,
    });
    let mut quarantine_file: Option<JsonlSink> = None;
    let mut shown = 0usize;
    let qpath = quarantine_path.clone();
    let quarantine: QuarantineSink = Box::new(move |q| {
        report_quarantine(q, &mut shown);
        if let Some(path) = &qpath {
            if quarantine_file.is_none() {
                quarantine_file = Some(JsonlSink::create(path, Compression::None)?);
            }
            let line = serde_json::to_vec(q).map_err(std::io::Error::other)?;
            let sink = quarantine_file.as_mut().expect("opened above");
            sink.write_line(&line)?;
            sink.flush()?;
        }
        Ok(())
    });

    let total_bytes = set.total_bytes();
    let skipped: Vec<String> = set
        .skipped
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let stream = RecordStream::new(set.files, input_options.clone());
    let progress_counters = Arc::new(Progress::default());
    let started = Instant::now();
    let bar = progress::start(progress_counters.clone(), total_bytes);
    let options = RunOptions {
        threads: args.threads,
        batch_records: args.batch_size,
        ..RunOptions::default()
    };
    let result = run(
        stream,
        &input_options,
        &pipeline,
        Sinks {
            kept,
            rejected,
            quarantine: Some(quarantine),
        },
        &options,
        progress_counters.clone(),
    );
    if let Some(bar) = bar {
        bar.finish();
    }
    let mut stats = result?;
    stats.skipped_files = skipped;
    stats.dedup = dedup_stats;
    let stats_json = serde_json::to_string_pretty(&stats)? + "\n";
    if let OutputTarget::Dir(dir) = &target {
        std::fs::write(dir.join("stats.json"), &stats_json)?;
    }
    if let Some(path) = &args.stats {
        std::fs::write(path, &stats_json)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    summary(&stats, started.elapsed(), total_bytes);
    Ok(())
}

fn summary(stats: &Stats, elapsed: Duration, bytes: u64) {
    let secs = elapsed.as_secs_f64().max(1e-6);
    let reasons: Vec<String> = stats
        .drop_reasons
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    eprintln!(
        "saring: read {} = kept {} + dropped {}{} + quarantined {} in {:.2}s ({:.0} docs/s, {:.1} MB/s)",
        stats.read,
        stats.kept,
        stats.dropped,
        if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) },
        stats.quarantined,
        secs,
        stats.read as f64 / secs,
        bytes as f64 / 1e6 / secs,
    );
}

fn count(args: CountArgs) -> Result<()> {
    let (set, options) = inputs(&args.input)?;
    let total_bytes = set.total_bytes();
    let stream = RecordStream::new(set.files, options.clone());
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let (mut docs, mut quarantined, mut chars) = (0u64, 0u64, 0u64);
    let mut batch = Vec::with_capacity(1024);
    let mut flush = |batch: &mut Vec<saring::io::input::RawRecord>| {
        use rayon::prelude::*;
        let parsed: Vec<_> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(|r| r.into_document(&options))
                .collect()
        });
        for p in parsed {
            match p {
                Ok(d) => {
                    docs += 1;
                    chars += d.text.len() as u64;
                }
                Err(_) => quarantined += 1,
            }
        }
    };
    for record in stream {
        batch.push(record);
        if batch.len() >= 1024 {
            flush(&mut batch);
        }
    }
    flush(&mut batch);
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    println!(
        "{}",
        serde_json::json!({"records": docs + quarantined, "documents": docs, "quarantined": quarantined, "text_bytes": chars})
    );
    eprintln!(
        "saring: counted {} records in {:.2}s ({:.0} docs/s, {:.1} MB/s)",
        docs + quarantined,
        secs,
        (docs + quarantined) as f64 / secs,
        total_bytes as f64 / 1e6 / secs
    );
    Ok(())
}

fn lid(args: LidArgs) -> Result<()> {
    use rayon::prelude::*;
    let lid = saring::lang::LanguageId::embedded()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut texts: Vec<(String, String)> = Vec::new();
    if args.per_line {
        for path in &args.inputs {
            let content = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            for (i, line) in content.lines().enumerate() {
                texts.push((format!("{}:{}", path.display(), i + 1), line.to_string()));
            }
        }
    } else {
        let options = InputOptions::default();
        let set = collect_inputs(&args.inputs, &options)?;
        for record in RecordStream::new(set.files, options.clone()) {
            if let Ok(doc) = record.into_document(&options) {
                texts.push((doc.id, doc.text));
            }
        }
    }
    let started = Instant::now();
    let results: Vec<String> = texts
        .par_iter()
        .map(|(id, text)| {
            if args.lid176_only {
                let top = lid.fasttext(text, 1);
                let (language, score) = top.into_iter().next().unwrap_or(("und".into(), 0.0));
                return serde_json::json!({"id": id, "language": language, "score": score})
                    .to_string();
            }
            let p = lid.predict(text);
            let mut obj = serde_json::json!({"id": id, "language": p.language, "score": p.score});
            if args.raw {
                let top = lid.fasttext(text, 1);
                obj["lid176"] = serde_json::json!(top.first().map(|t| t.0.clone()));
            }
            obj.to_string()
        })
        .collect();
    let secs = started.elapsed().as_secs_f64();
    for r in results {
        writeln!(out, "{r}")?;
    }
    out.flush()?;
    eprintln!(
        "saring: identified {} texts in {:.3}s ({:.1} µs per text)",
        texts.len(),
        secs,
        secs * 1e6 / texts.len().max(1) as f64
    );
    Ok(())
}

fn explain(args: ExplainArgs) -> Result<()> {
    let (set, options) = inputs(&args.input)?;
    let pipeline = pipeline(&args.rules, &args.stages)?;
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for record in RecordStream::new(set.files, options.clone()) {
        // HTML pages are extracted with a trace, so the blocks extraction left out are explained too.
        let (document, left_out) = match record {
            RawRecord::Html(page) => {
                let (doc, blocks) = saring::extract::explain_document_from_html(*page);
                (Ok(doc), blocks)
            }
            other => (other.into_document(&options), Vec::new()),
        };
        let mut doc = match document {
            Ok(d) => d,
            Err(q) => {
                if args.json {
                    writeln!(out, "{}", serde_json::json!({"quarantined": q}))?;
                } else {
                    writeln!(out, "# quarantined: {}", q.error)?;
                }
                continue;
            }
        };
        let original = doc.text.clone();
        let mut raw_lines: Vec<&str> = original.split('\n').collect();
        // A final newline does not make an extra (blank) line.
        if raw_lines.len() > 1 && raw_lines.last().is_some_and(|l| l.is_empty()) {
            raw_lines.pop();
        }
        pipeline.process(&mut doc);
        if !args.json {
            let status = match doc.drop_reason() {
                Some(r) => format!("dropped: {r}"),
                None => "kept".to_string(),
            };
            writeln!(out, "# {} ({status})", doc.id)?;
        }
        explain_left_out(&mut out, &doc.id, &left_out, args.json, color)?;
        // Each input line's verdict is the last stage's that judged it: the cleaner judges every
        // line, and the later stages add their removals, numbered as input lines. A line no stage
        // judged (no cleaner) is kept. A field a line was lifted into stays with it (a title that
        // C4 then drops from the text is still the title).
        let mut last: Vec<Option<&LineJudgement>> = vec![None; raw_lines.len()];
        let mut field: Vec<Option<&str>> = vec![None; raw_lines.len()];
        for j in &doc.lines {
            if let Some(i) = j.line.checked_sub(1).filter(|&i| i < last.len()) {
                last[i] = Some(j);
                field[i] = field[i].or(j.field.as_deref());
            }
        }
        let unjudged = LineJudgement {
            line: 0,
            verdict: Verdict::Keep,
            reason: None,
            field: None,
            rule: None,
            trimmed: None,
        };
        for (i, (raw, judged)) in raw_lines.iter().zip(&last).enumerate() {
            let (number, j, field) = (i + 1, judged.unwrap_or(&unjudged), field[i]);
            let text = raw.trim_end_matches('\r');
            let verdict = match j.verdict {
                Verdict::Keep => "keep",
                Verdict::Drop => "drop",
                Verdict::Metadata => "metadata",
            };
            let reason = match j.verdict {
                Verdict::Metadata => j.rule.clone(),
                _ => j.reason.clone(),
            };
            if args.json {
                let mut obj = serde_json::json!({
                    "id": doc.id, "line": number, "text": text, "verdict": verdict, "reason": reason, "field": field,
                });
                // The document's own fate, which its lines may not show (a quality filter or the
                // language filter drops a page whose lines are all kept).
                if let Outcome::Dropped { stage, reason } = &doc.outcome {
                    obj["drop_stage"] = serde_json::json!(stage);
                    obj["drop_reason"] = serde_json::json!(reason);
                }
                if let Some((cut, why)) = &j.trimmed {
                    obj["trimmed"] = serde_json::json!({"text": cut, "reason": why});
                }
                // A spam line's evidence (`keywords=gacor,slot points=4`).
                if let (Verdict::Drop, Some(rule)) = (j.verdict, &j.rule) {
                    obj["rule"] = serde_json::json!(rule);
                }
                writeln!(out, "{obj}")?;
            } else {
                let (on, off) = if !color {
                    ("", "")
                } else {
                    match (j.verdict, text.trim().is_empty()) {
                        (_, true) => ("\x1b[2m", "\x1b[0m"),
                        (Verdict::Keep, _) => ("\x1b[32m", "\x1b[0m"),
                        (Verdict::Drop, _) => ("\x1b[31m", "\x1b[0m"),
                        (Verdict::Metadata, _) => ("\x1b[36m", "\x1b[0m"),
                    }
                };
                let mut why = String::new();
                if let Some(r) = &reason {
                    why.push_str(r);
                }
                if let Some(f) = field {
                    why.push_str(&format!(" → {f}"));
                }
                if let Some((cut, r)) = &j.trimmed {
                    why.push_str(&format!(" (cut {cut:?}: {r})"));
                }
                let shown: String = text.chars().take(100).collect();
                let ellipsis = if text.chars().count() > 100 {
                    "…"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{on}{:>4} {:<8} {:<28} {shown}{ellipsis}{off}",
                    number,
                    verdict,
                    why.trim()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
