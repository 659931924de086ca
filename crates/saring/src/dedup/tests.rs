//! Tests of dedup planning and applying: exact and near duplicates, repeated lines per site and
//! globally, survivors independent of input order, and the memory-budget (spilling) path.

use super::*;
use crate::document::Provenance;
use crate::stage::Pipeline;

fn doc(id: &str, url: &str, text: &str) -> Document {
    let mut d = Document::new(id, text, Provenance::file("in.jsonl"));
    d.metadata.insert("url".into(), json!(url));
    d
}

/// Run scan + apply over documents given in this order; return them judged, in the same order.
fn dedup(mut docs: Vec<Document>, config: DedupConfig) -> (Vec<Document>, PlanStats) {
    for (i, d) in docs.iter_mut().enumerate() {
        d.seq = i as u64;
    }
    let scan = DedupScan::new(config).unwrap();
    // Several batches, as the runner sends them.
    for chunk in docs.chunks_mut(3) {
        scan.process_batch(chunk);
    }
    let plan = Arc::new(scan.into_plan().unwrap());
    let stats = plan.stats.clone();
    let pipeline = Pipeline::new().with(DedupApply::new(plan));
    pipeline.process_batch(&mut docs);
    (docs, stats)
}

/// `n` paragraphs of pseudo-random words seeded by `topic`: the same topic gives the same text, two
/// topics share no 5-gram.
fn article(topic: &str, n: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "ba", "ki", "ru", "so", "me", "la", "tu", "pe", "ni", "go", "da", "wi",
    ];
    let mut rng = crate::test_rng::XorShift::new(xxh3_64(topic.as_bytes()) | 1);
    let mut next = move || rng.next_u64();
    (0..n)
        .map(|_| {
            let words: Vec<String> = (0..28)
                .map(|_| {
                    let r = next();
                    (0..2 + (r % 2) as usize)
                        .map(|k| SYLLABLES[((r >> (8 * k + 4)) % 12) as usize])
                        .collect()
                })
                .collect();
            format!("{} {}.", topic, words.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

const BLURB: &str = "Jawa Timur merupakan salah satu provinsi dengan pertumbuhan ekonomi yang cukup pesat di Indonesia. Sektor industri, perdagangan, dan pariwisata menjadi pilar utama perekonomian Jatim.";

fn by_id<'d>(docs: &'d [Document], id: &str) -> &'d Document {
    docs.iter().find(|d| d.id == id).unwrap()
}

#[test]
fn a_site_blurb_leaves_every_page_of_the_site() {
    let docs: Vec<Document> = ["panen", "banjir", "pasar"]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            doc(
                &format!("p{i}"),
                &format!("https://www.jatimtimes.com/baca/{i}"),
                &format!("{}\n\n{BLURB}\n", article(t, 4)),
            )
        })
        .chain([doc(
            "other",
            "https://kompas.com/x",
            &format!("{}\n\n{BLURB}\n", article("sekolah", 4)),
        )])
        .collect();
    let (out, stats) = dedup(docs, DedupConfig::default());
    for id in ["p0", "p1", "p2"] {
        let d = by_id(&out, id);
        assert!(d.is_kept());
        assert!(!d.text.contains("Jawa Timur merupakan"), "{id}");
        assert_eq!(d.text.split("\n\n").count(), 4, "{id}: the article stays");
        let removed = d.metadata["removed"].as_array().unwrap();
        assert_eq!(removed[0]["reason"], json!("repeated-line"));
    }
    // Another site's page shares the blurb once: below both thresholds, it stays there.
    assert!(by_id(&out, "other").text.contains("Jawa Timur merupakan"));
    assert_eq!(stats.repeated_lines_in_group, 1);
}

#[test]
fn exact_and_near_duplicates_keep_one_survivor() {
    let base = article("panen", 12);
    let docs = vec![
        doc("a", "https://a.id/1", &base),
        doc("b", "https://b.id/1", &base.to_uppercase()), // exact after normalisation
        // One paragraph added to twelve: Jaccard about 0.92, and the longest text of the cluster.
        doc(
            "c",
            "https://c.id/1",
            &format!("{base}\n\n{}", article("penutup", 1)),
        ),
        doc("d", "https://d.id/1", &article("banjir", 12)),
    ];
    let (out, stats) = dedup(docs, DedupConfig::default());
    let survivor = by_id(&out, "c"); // the longest text of the cluster
    assert!(survivor.is_kept());
    assert_eq!(survivor.metadata["dup_cluster_size"], json!(3));
    assert_eq!(survivor.metadata["dup_cluster_id"], json!("c"));
    for id in ["a", "b"] {
        let d = by_id(&out, id);
        assert_eq!(d.drop_reason(), Some("near-duplicate"), "{id}");
        assert_eq!(d.metadata["duplicate_of"], json!("c"));
    }
    assert!(by_id(&out, "d").is_kept());
    assert!(by_id(&out, "d").metadata.get("dup_cluster_id").is_none());
    assert_eq!(
        (
            stats.clusters,
            stats.near_duplicates,
            stats.exact_duplicates
        ),
        (1, 2, 0)
    );
}

#[test]
fn exact_duplicates_are_named_as_such() {
    let text = article("pasar", 6);
    let docs = vec![
        doc("x", "https://a.id/1", &text),
        doc("y", "https://b.id/2", &format!("  {text}\n")),
    ];
    let (out, stats) = dedup(docs, DedupConfig::default());
    let dropped: Vec<&Document> = out.iter().filter(|d| !d.is_kept()).collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].drop_reason(), Some("exact-duplicate"));
    assert_eq!(stats.exact_duplicates, 1);
}

#[test]
fn syndicated_copies_are_one_cluster_not_repeated_lines() {
    // The same article on four sites (same domain for three of them): near-dedup keeps one copy whole.
    let body = article("gempa", 8);
    let docs: Vec<Document> = (0..4)
        .map(|i| {
            doc(
                &format!("s{i}"),
                &format!("https://site{}.id/{i}", i.min(1)),
                &body,
            )
        })
        .collect();
    let (out, _) = dedup(
        docs,
        DedupConfig {
            line_min_docs_global: 2,
            ..DedupConfig::default()
        },
    );
    let kept: Vec<&Document> = out.iter().filter(|d| d.is_kept()).collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].text, body, "the survivor keeps every paragraph");
}

#[test]
fn decisions_do_not_depend_on_input_order_or_memory_budget() {
    let mut docs = Vec::new();
    for i in 0..40 {
        let topic = ["panen", "banjir", "pasar", "sekolah", "jalan"][i % 5];
        let mut text = article(topic, 5 + i % 3);
        if i % 4 == 0 {
            text.push_str(&format!("\n\nCatatan redaksi nomor {i}."));
        }
        text.push_str(&format!("\n\n{BLURB}"));
        docs.push(doc(
            &format!("d{i:02}"),
            &format!("https://site{}.id/{i}", i % 3),
            &text,
        ));
    }
    let summary = |docs: Vec<Document>| {
        let mut v: Vec<(String, Option<String>, String, Option<String>)> = docs
            .into_iter()
            .map(|d| {
                (
                    d.id.clone(),
                    d.drop_reason().map(str::to_string),
                    d.text.clone(),
                    d.metadata.get("dup_cluster_id").map(|v| v.to_string()),
                )
            })
            .collect();
        v.sort();
        v
    };
    let forward = summary(dedup(docs.clone(), DedupConfig::default()).0);
    let mut reversed = docs.clone();
    reversed.reverse();
    let backward = summary(dedup(reversed, DedupConfig::default()).0);
    assert_eq!(forward, backward);
    let spill = tempfile::tempdir().unwrap();
    let (tiny_out, stats) = dedup(
        docs,
        DedupConfig {
            memory_bytes: 0,
            spill_dir: spill.path().to_path_buf(),
            ..DedupConfig::default()
        },
    );
    assert!(stats.spill_runs > 0, "a zero budget must spill");
    assert_eq!(summary(tiny_out), forward);
}

#[test]
fn registered_domains() {
    assert_eq!(
        registered_domain("https://www.kompas.com/read/1").as_deref(),
        Some("kompas.com")
    );
    assert_eq!(
        registered_domain("https://news.detik.co.id/x?y=1").as_deref(),
        Some("detik.co.id")
    );
    assert_eq!(
        registered_domain("http://user@bbc.co.uk:8080/").as_deref(),
        Some("bbc.co.uk")
    );
    assert_eq!(
        registered_domain("https://jatimtimes.com").as_deref(),
        Some("jatimtimes.com")
    );
    assert_eq!(
        registered_domain("https://192.168.1.2/x").as_deref(),
        Some("192.168.1.2")
    );
}

#[test]
fn verification_separates_template_siblings_from_copies() {
    // Two different articles in one large template, and a true copy of the first with one paragraph
    // added. A loose geometry (40 bands of 2 rows) makes all three candidates; true Jaccard parts them.
    let template = article("templat", 6);
    let a = format!("{template}\n\n{}", article("panen", 5));
    let b = format!("{template}\n\n{}", article("banjir", 5));
    let a2 = format!("{a}\n\n{}", article("tambahan", 1));
    let docs = || {
        vec![
            doc("a", "https://x.id/a", &a),
            doc("b", "https://x.id/b", &b),
            doc("a2", "https://y.id/a2", &a2),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            d.seq = i as u64;
            d
        })
        .collect::<Vec<_>>()
    };
    let config = DedupConfig {
        lines: false,
        minhash: MinHashConfig {
            bands: 40,
            rows: 2,
            ..MinHashConfig::default()
        },
        ..DedupConfig::default()
    };
    let run = |verify: Option<f64>| {
        let mut docs = docs();
        let scan = DedupScan::new(config.clone()).unwrap();
        scan.process_batch(&mut docs);
        let plan = match verify {
            None => scan.into_plan().unwrap(),
            Some(t) => {
                let mut candidates = scan.into_candidates().unwrap();
                let collector = candidates.collector();
                collector.process_batch(&mut docs);
                candidates.verify(collector, t);
                candidates.into_plan().unwrap()
            }
        };
        Pipeline::new()
            .with(DedupApply::new(Arc::new(plan)))
            .process_batch(&mut docs);
        docs.iter()
            .filter(|d| d.is_kept())
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run(None),
        ["a2"],
        "without verification the template joins all three"
    );
    assert_eq!(run(Some(0.7)), ["b", "a2"]);
}
