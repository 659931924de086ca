//! Tests of the datatrove heuristic filters on pages written for them. Expected reasons were
//! checked against datatrove 0.10.1; `bench/parity.py` compares the two on 7,010 real documents.

use serde_json::Value;

use super::config::{FilterKind, QualityConfig};
use super::filters::{ConfigChoice, HeuristicFilterStage};
use crate::document::{Document, Provenance};
use crate::stage::Stage;

fn judge(config: &str, filters: &[FilterKind], text: &str) -> Document {
    let stage = HeuristicFilterStage::new(
        ConfigChoice::Fixed(QualityConfig::embedded(config).unwrap()),
        Some(filters.to_vec()),
        true,
    )
    .unwrap();
    let mut doc = Document::new("t", text, Provenance::file("t.txt"));
    stage.process(&mut doc);
    doc
}

fn reason(doc: &Document) -> Option<&str> {
    doc.drop_reason()
}

/// An English paragraph of ordinary prose, about 70 words, every sentence different.
const PROSE: &str = "The harbour was quiet when the first boats came back with the morning catch. \
Fishermen unloaded crates of mackerel and sardines while gulls circled over the pier. \
A woman from the cooperative checked each crate and wrote the weight into a notebook. \
By nine the market stalls were open, and buyers from the town argued about prices. \
Later the wind turned, and the older men said that a storm would reach the coast before night.";

/// An Indonesian paragraph of ordinary prose with FineWeb-2's ind_Latn stop words.
const PROSA: &str = "Pasar ikan di pelabuhan itu mulai ramai sejak subuh ketika perahu pertama merapat. \
Para nelayan menurunkan peti berisi ikan kembung dan sarden, sementara burung camar berputar di atas dermaga. \
Seorang petugas koperasi memeriksa setiap peti dan mencatat beratnya dalam buku yang sudah lusuh. \
Menjelang pukul sembilan, lapak-lapak di pasar dibuka dan pembeli dari kota menawar harga dengan gigih. \
Sore harinya angin berbalik arah, dan para nelayan tua mengatakan badai akan tiba sebelum malam.";

#[test]
fn ordinary_prose_passes_every_filter() {
    let all = FilterKind::ALL;
    let doc = judge("default", &all, PROSE);
    assert!(doc.is_kept(), "{:?}", doc.drop_reason());
    let doc = judge("ind_Latn", &all, PROSA);
    assert!(doc.is_kept(), "{:?}", doc.drop_reason());
}

#[test]
fn english_stop_words_reject_indonesian_and_fineweb2_thresholds_do_not() {
    let gq = [FilterKind::GopherQuality];
    assert_eq!(
        reason(&judge("default", &gq, PROSA)),
        Some("gopher_enough_stop_words")
    );
    assert!(judge("ind_Latn", &gq, PROSA).is_kept());
}

#[test]
fn gopher_quality_reasons() {
    let gq = [FilterKind::GopherQuality];
    assert_eq!(
        reason(&judge(
            "default",
            &gq,
            "The boats came back with the catch."
        )),
        Some("gopher_short_doc")
    );
    let hashes = format!("{PROSE} {}", "#tag ".repeat(12));
    assert_eq!(
        reason(&judge("default", &gq, &hashes)),
        Some("gopher_too_many_hashes")
    );
    let bullets: String = PROSE.split(". ").map(|s| format!("- {s}.\n")).collect();
    assert_eq!(
        reason(&judge("default", &gq, &bullets)),
        Some("gopher_too_many_bullets")
    );
    let numbers = format!("{PROSE} {}", "12 34 56 78 90 ".repeat(20));
    assert_eq!(
        reason(&judge("default", &gq, &numbers)),
        Some("gopher_below_alpha_threshold")
    );
    // Stop words are matched case-sensitively: capitalised "The" and "And" do not count.
    let shouting = PROSE
        .replace("the", "THE")
        .replace("and", "AND")
        .replace(" of ", " OF ");
    let shouting = shouting.replace(" to ", " TO ").replace(" with ", " WITH ");
    assert_eq!(
        reason(&judge("default", &gq, &shouting)),
        Some("gopher_enough_stop_words")
    );
}

#[test]
fn gopher_repetition_reasons() {
    let rep = [FilterKind::GopherRepetition];
    let lines =
        format!("{PROSE}\nShare this story\nShare this story\nShare this story\nShare this story");
    assert_eq!(
        reason(&judge("default", &rep, &lines)),
        Some("dup_line_frac")
    );
    let paragraphs = format!("{PROSE}\n\n{PROSE}");
    assert_eq!(
        reason(&judge("default", &rep, &paragraphs)),
        Some("dup_para_frac")
    );
    let chant = "buy now buy now buy now buy now buy now buy now buy now buy now";
    assert_eq!(reason(&judge("default", &rep, chant)), Some("top_2_gram"));
    // FineWeb-2 switches the paragraph checks off; the repeated paragraph is still a repeated line.
    let doc = judge("ind_Latn", &rep, &format!("{PROSA}\n\n{PROSA}"));
    assert_eq!(reason(&doc), Some("dup_line_frac"));
    // A single sentence is its own most frequent bigram (datatrove counts even a count of one).
    assert_eq!(
        reason(&judge("default", &rep, "Too short.")),
        Some("top_2_gram")
    );
    assert!(judge("default", &rep, PROSE).is_kept());
}

#[test]
fn c4_removes_lines_and_explains_them() {
    let c4 = [FilterKind::C4Quality];
    let page = format!(
        "Share\n{PROSE}\nPlease enable JavaScript to view the comments powered by a partner.\n\
         This site uses cookies to improve your experience, as we explain below.\nRead more"
    );
    let doc = judge("default", &c4, &page);
    assert!(doc.is_kept(), "{:?}", doc.drop_reason());
    assert_eq!(doc.text, PROSE);
    let removed: Vec<&str> = doc.metadata["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        removed,
        [
            "c4-no_terminal_punc",
            "c4-javascript",
            "c4-policy",
            "c4-no_terminal_punc"
        ]
    );
    assert_eq!(
        reason(&judge("default", &c4, "Only one sentence here.")),
        Some("too_few_sentences")
    );
    let code = format!(
        "{PROSE}\nPlease enable JavaScript to view the comments.\nfunction f() {{ return 1; }} is a small function.\nThe end."
    );
    let dropped = judge("default", &c4, &code);
    assert_eq!(reason(&dropped), Some("curly_bracket"));
    // The dropped page lists what C4 removed before the drop and the line that dropped it.
    let listed: Vec<(u64, &str)> = dropped.metadata["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [(2, "c4-javascript"), (3, "c4-curly_bracket")]);
    let short = judge("default", &c4, "Only one sentence here.\nA title");
    assert_eq!(reason(&short), Some("too_few_sentences"));
    assert_eq!(short.metadata["removed"][0]["text"], "A title");
}

/// A kept line that holds only citations is blank once they are cut, and the strip of the joined
/// text takes it off: the lines after it keep their input numbers (FineWeb's English C4 does not
/// check punctuation, so the line is kept).
#[test]
fn c4_lines_keep_their_input_numbers_when_a_blank_kept_line_is_stripped() {
    let page = format!("[1] [2] [3]\n{PROSE}\nNo full stop here but words enough");
    let doc = judge("eng_Latn", &[FilterKind::C4Quality], &page);
    assert!(doc.is_kept(), "{:?}", doc.drop_reason());
    assert!(doc.text.starts_with("The harbour"), "{:?}", doc.text);
    assert_eq!((doc.input_line(0), doc.input_line(1)), (2, 3));
}

#[test]
fn fineweb_reasons() {
    let fw = [FilterKind::FinewebQuality];
    let menu = "Home\nNews\nSport\nWeather\nContact us\nAbout";
    assert_eq!(
        reason(&judge("default", &fw, menu)),
        Some("line_punct_ratio")
    );
    let short: String = PROSE
        .split(". ")
        .map(|s| format!("{}.\n", &s[..20.min(s.len())]))
        .collect();
    assert_eq!(
        reason(&judge("default", &fw, &short)),
        Some("short_line_ratio")
    );
    let dup =
        format!("{PROSE}\nSubscribe to our newsletter today.\nSubscribe to our newsletter today.");
    assert_eq!(reason(&judge("default", &fw, &dup)), Some("char_dup_ratio"));
    // FineWeb-2 allows ten times more duplicated characters (0.1 instead of 0.01).
    let dup_id = format!("{PROSA}\nBaca juga berita lainnya.\nBaca juga berita lainnya.");
    assert!(judge("ind_Latn", &fw, &dup_id).is_kept());
}

#[test]
fn signals_hold_every_measure_and_do_not_change_the_decision() {
    let doc = judge("default", &[FilterKind::GopherQuality], "Too short.");
    assert_eq!(reason(&doc), Some("gopher_short_doc"));
    // Measured past the first failed check, but the first failure stays the reason.
    let signals = &doc.metadata["quality_signals"]["gopher_quality"];
    assert_eq!(signals["n_non_symbol_words"], Value::from(2.0));
    assert_eq!(signals["avg_word_length"], Value::from(4.0));
    assert!(signals["stop_words"].is_number());
    assert_eq!(doc.metadata["quality_config"], Value::from("default"));
    let stage = HeuristicFilterStage::new(
        ConfigChoice::Fixed(QualityConfig::embedded("default").unwrap()),
        Some(vec![FilterKind::GopherQuality]),
        false,
    )
    .unwrap();
    let mut quiet = Document::new("t", "Too short.", Provenance::file("t.txt"));
    stage.process(&mut quiet);
    assert_eq!(quiet.drop_reason(), Some("gopher_short_doc"));
    assert!(!quiet.metadata.contains_key("quality_signals"));
}

#[test]
fn configuration_follows_the_detected_language() {
    let stage = HeuristicFilterStage::new(
        ConfigChoice::ByLanguage {
            fallback: QualityConfig::embedded("default").unwrap(),
        },
        None,
        true,
    )
    .unwrap();
    for (language, expected) in [
        ("id", "ind_Latn"),
        ("ms", "zsm_Latn"),
        ("jv", "jav_Latn"),
        ("su", "sun_Latn"),
        ("en", "eng_Latn"),
        ("fr", "default"),
        ("ind", "ind_Latn"),
        ("min", "min_Latn"),
    ] {
        let mut doc = Document::new("t", PROSA, Provenance::file("t.txt"));
        doc.metadata
            .insert("language".into(), Value::from(language));
        stage.process(&mut doc);
        assert_eq!(
            doc.metadata["quality_config"],
            Value::from(expected),
            "{language}"
        );
    }
}

#[test]
fn c4_counts_sentences_from_the_page_tokens_as_from_each_line() {
    // After Gopher, C4 cuts each kept line's tokens out of the page's instead of tokenizing the
    // line; the sentence and word counts must be those of the line alone. The page mixes double
    // spaces (whitespace tokens), abbreviations and emoticons (special cases), a citation that C4
    // removes (that line is tokenized on its own) and lines that C4 drops.
    let page = "Dr. Smith arrived at 9 a.m. and said: \"It works!\"  Then he left.\n\
                The results [12] were clear. Everyone agreed :) and went home.\n\
                short line\n\
                Menjelang pukul 12.000 orang datang, kupu-kupu terbang...  Lalu hujan turun.\n\
                \u{2028}  It's 5 o'clock; we're done?! Yes.  \n\
                Sapi-sapi itu makan rumput. Jl. Merdeka ramai sekali hari ini.";
    let page = format!("{page}\n{PROSE}\n{PROSA}");
    for config in ["default", "ind_Latn", "zsm_Latn"] {
        let c4_alone = judge(config, &[FilterKind::C4Quality], &page);
        let after_gopher = judge(
            config,
            &[FilterKind::GopherQuality, FilterKind::C4Quality],
            &page,
        );
        let c4_signals = |doc: &Document| doc.metadata["quality_signals"]["c4_quality"].clone();
        assert_eq!(c4_signals(&c4_alone), c4_signals(&after_gopher), "{config}");
        assert!(c4_signals(&c4_alone)["sentences"].as_f64().unwrap() >= 10.0);
        assert_eq!(c4_alone.text, after_gopher.text, "{config}");
    }
}
