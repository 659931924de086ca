//! Tests of the line cleaner: per rule family an Indonesian and an English line that must go and a
//! near miss that must stay; structure (title, tail, lists, dateline, truncation); cohesion (SEO lines,
//! off-topic paragraphs, subheadings and short quotes that stay).

use std::sync::{Arc, OnceLock};

use super::*;
use crate::document::Provenance;

fn cleaner() -> &'static LineCleaner {
    static CLEANER: OnceLock<LineCleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        LineCleaner::new(Arc::new(Rules::embedded().unwrap()), CleanConfig::default())
    })
}

fn clean_with(cleaner: &LineCleaner, text: &str) -> Document {
    let mut doc = Document::new("t", text, Provenance::file("t.txt"));
    cleaner.process(&mut doc);
    doc
}

fn clean(text: &str) -> Document {
    clean_with(cleaner(), text)
}

/// The judgement of the (first) input line equal to `line`.
fn verdict_of<'d>(doc: &'d Document, text: &str, line: &str) -> &'d LineJudgement {
    let n = text
        .split('\n')
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("{line:?} not in input"))
        + 1;
    doc.lines.iter().find(|j| j.line == n).unwrap()
}

const ID_P1: &str = "Pemerintah Kota Malang meresmikan taman kota baru di kawasan Kayutangan pada Senin pagi, dihadiri ratusan warga yang antusias menyambut ruang terbuka hijau itu.";
const ID_P2: &str = "Wali Kota Malang mengatakan taman kota tersebut dibangun dengan anggaran daerah dan akan dikelola bersama warga Kayutangan agar tetap bersih dan aman.";
const ID_P3: &str = "Warga Kayutangan berharap taman kota itu menjadi tempat bermain anak dan ruang berkumpul keluarga, terutama pada akhir pekan ketika jalanan ramai.";
const EN_P1: &str = "The city council of Springfield opened a new public library on Monday, and hundreds of residents queued at the doors before the library opened.";
const EN_P2: &str = "The mayor said the library was funded by a local bond and will be run with volunteers from the neighbourhood, who will also host reading clubs for children.";
const EN_P3: &str = "Residents said the library gives students a quiet place to study, and several of them asked the council to keep the library open late on weekdays.";

/// A page: title, a first paragraph, the line under test, then two more paragraphs.
fn page(title: &str, p1: &str, line: &str, p2: &str, p3: &str) -> String {
    format!("{title}\n\n{p1}\n\n{line}\n\n{p2}\n\n{p3}\n")
}

fn id_page(line: &str) -> String {
    page(
        "Taman Kota Baru Diresmikan di Kayutangan",
        ID_P1,
        line,
        ID_P2,
        ID_P3,
    )
}

fn en_page(line: &str) -> String {
    page(
        "Springfield Opens a New Public Library",
        EN_P1,
        line,
        EN_P2,
        EN_P3,
    )
}

#[track_caller]
fn assert_removed(text: &str, line: &str, reason: &str) {
    let doc = clean(text);
    let j = verdict_of(&doc, text, line);
    assert_ne!(
        j.verdict,
        Verdict::Keep,
        "{line:?} should be removed as {reason}"
    );
    let got = if j.verdict == Verdict::Metadata {
        j.rule.as_deref()
    } else {
        j.reason.as_deref()
    };
    assert_eq!(got, Some(reason), "{line:?}");
    assert!(
        !doc.text.contains(line.trim()),
        "{line:?} must not be in the text"
    );
}

#[track_caller]
fn assert_kept(text: &str, line: &str) {
    let doc = clean(text);
    let j = verdict_of(&doc, text, line);
    assert_eq!(
        j.verdict,
        Verdict::Keep,
        "{line:?} should stay, got {:?}",
        j.reason
    );
    assert!(
        doc.text.contains(line.trim()),
        "{line:?} must be in the text"
    );
}

#[test]
fn related_links() {
    for line in [
        "Baca Juga : Gunung Api Rokatenda Naik Status Waspada\u{a0}",
        "Baca juga: Harga Cabai Naik Jelang Natal",
        "BACA JUGA Gempa Guncang Malang Selatan",
        "Berita Terkait: Taman Kota Lain di Malang",
    ] {
        assert_removed(&id_page(line), line, "related-link");
    }
    for line in [
        "Read more: Springfield budget passes",
        "Related: Council votes on parks",
        "See also: Library history",
    ] {
        assert_removed(&en_page(line), line, "related-link");
    }
    // Near misses: a body sentence that begins with the same words.
    let line =
        "Baca juga buku sejarah kota ini, kata Wali Kota Malang kepada para siswa yang hadir.";
    assert_kept(&id_page(line), line);
    let line = "Read more about the library's history in the new exhibition at the entrance, the mayor said.";
    assert_kept(&en_page(line), line);
}

#[test]
fn related_headline_lists_after_a_header() {
    let text = format!("Judul Berita Taman Kota\n\n{ID_P1}\n\n{ID_P2}\n\nBaca juga:\nWarga Kayutangan Gelar Kerja Bakti\n\n{ID_P3}\n");
    let doc = clean(&text);
    assert_eq!(
        doc.metadata["related"],
        json!(["Warga Kayutangan Gelar Kerja Bakti"])
    );
    assert!(
        doc.text.contains(ID_P3),
        "the article goes on after the list"
    );
}

#[test]
fn read_more_and_page_markers_end_the_article() {
    let text = id_page("Baca Selengkapnya");
    let doc = clean(&text);
    assert_eq!(
        verdict_of(&doc, &text, "Baca Selengkapnya")
            .reason
            .as_deref(),
        Some("read-more")
    );
    assert!(doc.text.contains(ID_P1));
    assert!(
        !doc.text.contains(ID_P2),
        "what follows a read-more marker is tail"
    );
    assert_removed(
        &id_page("Halaman selanjutnya"),
        "Halaman selanjutnya",
        "page-marker",
    );
    assert_removed(
        &en_page("Continue reading"),
        "Continue reading",
        "read-more",
    );
    // Near miss: prose that starts with the marker words.
    let line = "Halaman selanjutnya dari laporan itu memuat rincian anggaran taman kota yang dibangun tahun ini.";
    assert_kept(&id_page(line), line);
}

#[test]
fn teaser_cut_sets_truncated() {
    let text = format!("Judul Taman Kota Kayutangan\n\n{ID_P1}\n\n{ID_P2}\n\nWarga berharap taman itu ramai dikunjungi dan...\n\nBaca Selengkapnya\n");
    let doc = clean(&text);
    assert_eq!(doc.metadata.get("truncated"), Some(&json!(true)));
    let text = format!("Judul Taman Kota Kayutangan\n\n{ID_P1}\n\n{ID_P2}\n\nBaca Selengkapnya\n");
    assert_eq!(
        clean(&text).metadata.get("truncated"),
        None,
        "no teaser cut, no truncated flag"
    );
}

#[test]
fn tag_rails() {
    let text = format!("Judul Taman Kota Kayutangan\n\n{ID_P1}\n\n{ID_P2}\n\nTopik\n\nMalang, Taman Kota, Kayutangan,\n");
    let doc = clean(&text);
    assert_eq!(
        doc.metadata["tags"],
        json!(["Malang", "Taman Kota", "Kayutangan"])
    );
    let text = format!("Springfield Library Opens\n\n{EN_P1}\n\n{EN_P2}\n\nTags: libraries, Springfield, city council\n");
    assert_eq!(
        clean(&text).metadata["tags"],
        json!(["libraries", "Springfield", "city council"])
    );
    let line =
        "Tag harga di toko buku itu naik dua kali lipat sejak tahun lalu, kata seorang pedagang.";
    assert_kept(&id_page(line), line);
}

#[test]
fn photo_captions_and_credits() {
    let line = "Wali Kota Malang meninjau taman kota. (Foto: Dok. Humas Pemkot Malang)";
    assert_removed(&id_page(line), line, "photo-caption");
    let line = "Foto: ANTARA/Ari Bowo";
    assert_removed(&id_page(line), line, "photo-caption");
    let line = "Residents queue outside the library. (Photo: Jane Doe/Springfield Times)";
    assert_removed(&en_page(line), line, "photo-caption");
    let line = "Photo: Getty Images";
    assert_removed(&en_page(line), line, "photo-caption");
    let line =
        "Fotografer muda itu memamerkan karyanya di taman kota, dan pengunjung ramai menonton.";
    assert_kept(&id_page(line), line);
}

#[test]
fn bylines_and_author_codes() {
    assert_removed(
        &id_page("Penulis: Budi Santoso"),
        "Penulis: Budi Santoso",
        "byline",
    );
    assert_removed(
        &id_page("Editor: Sri Wahyuni"),
        "Editor: Sri Wahyuni",
        "byline",
    );
    assert_removed(&id_page("Pewarta: Ari Bowo"), "Pewarta: Ari Bowo", "byline");
    assert_removed(&id_page("(nds/krs)"), "(nds/krs)", "byline");
    assert_removed(&en_page("By Jane Doe"), "By Jane Doe", "byline");
    let doc = clean(&id_page("Penulis: Budi Santoso"));
    assert_eq!(doc.metadata["author"], json!("Budi Santoso"));
    // Trailing initials are cut from the paragraph, the paragraph stays.
    let p = format!("{ID_P3} (nds/krs)");
    let text = page("Taman Kota Baru Diresmikan", ID_P1, ID_P2, ID_P2, &p);
    let doc = clean(&text);
    assert!(doc.text.contains(ID_P3) && !doc.text.contains("(nds/krs)"));
    // Near miss: `oleh` inside a sentence.
    let line =
        "Penulis buku itu hadir di taman kota dan membacakan puisi untuk anak-anak Kayutangan.";
    assert_kept(&id_page(line), line);
}

#[test]
fn ads_and_widgets() {
    for line in [
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "[Gambas:Video CNN]",
        "Simak Video \"Taman Kota Malang\"",
    ] {
        assert_removed(&id_page(line), line, "advertisement");
    }
    assert_removed(&en_page("Advertisement"), "Advertisement", "advertisement");
    assert_removed(
        &en_page("Story continues below advertisement"),
        "Story continues below advertisement",
        "advertisement",
    );
    let line =
        "Iklan layanan masyarakat tentang kebersihan taman dipasang di setiap sudut Kayutangan.";
    assert_kept(&id_page(line), line);
}

#[test]
fn syndication_footers_end_the_article() {
    let line = "Artikel ini telah tayang di Kompas.com dengan judul \"Taman Kota Baru\"";
    assert_removed(&id_page(line), line, "syndication");
    let line = "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.";
    assert_removed(&id_page(line), line, "syndication");
    let line = "This article originally appeared on The Springfield Times.";
    assert_removed(&en_page(line), line, "syndication");
    let line = "Artikel ini membahas sejarah taman kota dan perannya bagi warga Malang sejak zaman Belanda.";
    assert_kept(&id_page(line), line);
}

#[test]
fn copyright_lines() {
    assert_removed(
        &id_page("© 2024 Jatimtimes. Hak cipta dilindungi undang-undang."),
        "© 2024 Jatimtimes. Hak cipta dilindungi undang-undang.",
        "copyright",
    );
    assert_removed(
        &en_page("Copyright 2024 Springfield Times. All rights reserved."),
        "Copyright 2024 Springfield Times. All rights reserved.",
        "copyright",
    );
    let line = "Hak cipta atas desain taman itu dimiliki arsitek lokal yang memenangi sayembara tahun lalu.";
    assert_kept(&id_page(line), line);
}

#[test]
fn share_and_comment_prompts() {
    assert_removed(
        &id_page("Bagikan artikel ini"),
        "Bagikan artikel ini",
        "share-prompt",
    );
    assert_removed(&id_page("Tulis komentar"), "Tulis komentar", "share-prompt");
    assert_removed(
        &en_page("Share this article"),
        "Share this article",
        "share-prompt",
    );
    assert_removed(
        &en_page("Leave a comment"),
        "Leave a comment",
        "share-prompt",
    );
    let line = "Bagikan pengalamanmu di taman kota, kata panitia kepada warga yang datang pada Senin pagi.";
    assert_kept(&id_page(line), line);
}

#[test]
fn date_lines_are_lifted() {
    let text = format!("Taman Kota Baru Diresmikan\n\nSelasa (12/11/2024)\n\n{ID_P1}\n\n{ID_P2}\n");
    assert_eq!(clean(&text).metadata["published"], json!("2024-11-12"));
    let text = format!(
        "Taman Kota Baru Diresmikan\n12 November 2024 pukul 04.00 WIB\n\n{ID_P1}\n\n{ID_P2}\n"
    );
    assert_eq!(
        clean(&text).metadata["published"],
        json!("2024-11-12T04:00:00+07:00")
    );
    let text = format!("Springfield Opens a Library\nNov 12, 2024\n\n{EN_P1}\n\n{EN_P2}\n");
    assert_eq!(clean(&text).metadata["published"], json!("2024-11-12"));
}

#[test]
fn datelines_become_source() {
    for (prefix, source) in [
        ("JATIMTIMES - ", "JATIMTIMES"),
        ("Jakarta, CNN Indonesia -- ", "CNN Indonesia"),
        ("KOMPAS.com - ", "KOMPAS.com"),
        ("JAKARTA, KOMPAS.com - ", "KOMPAS.com"),
        ("JAKARTA (ANTARA) - ", "ANTARA"),
    ] {
        let text = format!("Taman Kota Baru Diresmikan\n\n{prefix}{ID_P1}\n\n{ID_P2}\n");
        let doc = clean(&text);
        assert_eq!(doc.metadata.get("source"), Some(&json!(source)), "{prefix}");
        assert!(
            doc.text.contains(ID_P1) && !doc.text.contains(prefix.trim()),
            "{prefix}"
        );
    }
    let text = format!("Springfield Library\n\nSPRINGFIELD (Reuters) - {EN_P1}\n\n{EN_P2}\n");
    assert_eq!(clean(&text).metadata.get("source"), Some(&json!("Reuters")));
    // Near miss: an ordinary first sentence keeps its words and yields no source.
    let text = format!("Taman Kota Baru Diresmikan\n\n{ID_P1}\n\n{ID_P2}\n");
    assert_eq!(clean(&text).metadata.get("source"), None);
}

#[test]
fn seo_keyword_runs_go_subheadings_stay() {
    let text = format!(
        "Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\nAnggaran Taman Kayutangan\n\n{ID_P2}\n\n{ID_P3}\n\ncara menyimpan tomat\nharga gabah shio 2025\n"
    );
    let doc = clean(&text);
    assert_eq!(
        verdict_of(&doc, &text, "Anggaran Taman Kayutangan").verdict,
        Verdict::Keep,
        "a subheading stays"
    );
    assert_eq!(
        verdict_of(&doc, &text, "cara menyimpan tomat")
            .reason
            .as_deref(),
        Some("seo-keywords")
    );
    assert_eq!(
        verdict_of(&doc, &text, "harga gabah shio 2025")
            .reason
            .as_deref(),
        Some("seo-keywords")
    );
    // A run inside the article goes too.
    let text = format!("Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\nresep nasi goreng\nmodel baju kerja wanita\n\n{ID_P2}\n\n{ID_P3}\n");
    let doc = clean(&text);
    assert_eq!(
        verdict_of(&doc, &text, "resep nasi goreng")
            .reason
            .as_deref(),
        Some("seo-keywords")
    );
    // A subheading with no shared words, followed by article text, stays.
    let text = format!("Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\nLatar Belakang\n\n{ID_P2}\n\n{ID_P3}\n");
    assert_eq!(
        verdict_of(&clean(&text), &text, "Latar Belakang").verdict,
        Verdict::Keep
    );
}

#[test]
fn short_quotes_stay() {
    let quote = "\"Kami senang sekali,\" kata Rina.";
    let text = format!(
        "Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\n{quote}\n\n{ID_P2}\n\n{ID_P3}\n"
    );
    assert_eq!(
        verdict_of(&clean(&text), &text, quote).verdict,
        Verdict::Keep
    );
}

#[test]
fn off_topic_paragraphs_go() {
    let blurb = "Jawa Barat merupakan provinsi dengan jumlah penduduk terbesar di Indonesia. Sektor pertanian, manufaktur dan pariwisata menjadi penopang perekonomian daerah tersebut setiap tahun.";
    let text = format!(
        "Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\n{ID_P2}\n\n{blurb}\n\n{ID_P3}\n"
    );
    let doc = clean(&text);
    assert_eq!(
        verdict_of(&doc, &text, blurb).reason.as_deref(),
        Some("off-topic")
    );
    assert!(doc.text.contains(ID_P3));
    // With the rule switched off it stays.
    let off = LineCleaner::new(
        Arc::new(Rules::embedded().unwrap()),
        CleanConfig {
            off_topic: false,
            ..CleanConfig::default()
        },
    );
    assert!(clean_with(&off, &text).text.contains(blurb));
}

#[test]
fn plain_texts_are_not_damaged() {
    // A tweet, a one-paragraph review, an English paragraph: no title, nothing removed.
    for text in [
        "Aku senang sekali hari ini bisa jalan-jalan ke taman kota bareng keluarga",
        "tempatnya nyaman , makanannya enak dan harganya terjangkau . pelayanan juga ramah .",
        EN_P1,
    ] {
        let doc = clean(text);
        assert!(doc.is_kept(), "{text}");
        assert_eq!(doc.text, text.trim());
        assert!(doc.metadata["removed"].as_array().unwrap().is_empty());
    }
}

#[test]
fn empty_and_all_furniture_documents_are_dropped() {
    assert_eq!(clean("  \n\n ").drop_reason(), Some("empty-text"));
    assert_eq!(
        clean("ADVERTISEMENT\nBagikan artikel ini\nTulis komentar\n").drop_reason(),
        Some("no-article-text")
    );
}

#[test]
fn every_line_is_judged_and_every_removed_line_listed() {
    let text = id_page("Baca juga: Harga Cabai Naik Jelang Natal");
    let doc = clean(&text);
    assert_eq!(
        doc.lines.len(),
        text.trim_end_matches('\n').split('\n').count()
    );
    let removed = doc.metadata["removed"].as_array().unwrap();
    let not_kept = doc
        .lines
        .iter()
        .filter(|j| j.verdict != Verdict::Keep)
        .count();
    assert_eq!(removed.len(), not_kept);
    assert_eq!(removed[0]["reason"], json!("metadata"));
    assert_eq!(removed[0]["field"], json!("related"));
}

#[test]
fn crlf_and_invisible_characters_are_folded() {
    let text = id_page("Baca\u{a0}Juga\u{200b} : Harga Cabai Naik").replace('\n', "\r\n");
    let doc = clean(&text);
    assert_eq!(doc.metadata["related"], json!(["Harga Cabai Naik"]));
    assert!(!doc.text.contains('\r'));
}

#[test]
fn a_bare_header_without_a_list_is_not_a_header() {
    // `Keywords` as a section heading followed by prose (seen in WCXB pages) must not end the article.
    let text = format!(
        "Springfield Opens a New Public Library\n\n{EN_P1}\n\nKeywords\n\n{EN_P2}\n\n{EN_P3}\n"
    );
    let doc = clean(&text);
    assert_eq!(verdict_of(&doc, &text, "Keywords").verdict, Verdict::Keep);
    assert!(doc.text.contains(EN_P3));
}

#[test]
fn an_end_marker_followed_by_the_article_is_not_an_end() {
    let more = [
        "The library also opened a reading room for children, and the mayor said the library will add more books for children next year.",
        "Volunteers at the library said the new building gives residents of Springfield a quiet public place, and the council agreed to fund the library.",
        "The council said the library will stay open late, and residents of Springfield welcomed the library plan at the council meeting on Monday.",
    ];
    let text = format!(
        "Springfield Opens a New Public Library\n\n{EN_P1}\n\n{EN_P2}\n\nPrevious Page\n\n{EN_P3}\n\n{}\n\n{}\n\n{}\n",
        more[0], more[1], more[2]
    );
    let doc = clean(&text);
    assert_eq!(
        verdict_of(&doc, &text, "Previous Page").reason.as_deref(),
        Some("page-marker")
    );
    for p in more {
        assert!(doc.text.contains(p), "{p}");
    }
}

#[test]
fn hyphenated_header_words_are_prose() {
    for line in [
        "Topik-topik yang dibahas dalam rapat taman kota itu beragam, mulai dari anggaran hingga keamanan.",
        "Label-label peringatan dipasang di setiap sudut taman kota agar anak-anak tetap aman bermain.",
        "Related-party contracts were reviewed by the council before the library was built last year.",
    ] {
        let text = if line.starts_with("Related") { en_page(line) } else { id_page(line) };
        assert_kept(&text, line);
    }
}

#[test]
fn lists_tables_and_short_sentences_are_not_seo_keywords() {
    let text = format!(
        "Taman Kota Baru Diresmikan di Kayutangan\n\n{ID_P1}\n\nFasilitas yang tersedia:\n\nbangku taman kayu\njalur sepeda baru\n\n- lampu hemat energi\n- titik air minum\n\n2023 12 4 1\n2024 15 6 2\n\n{ID_P2}\n\n{ID_P3}\n"
    );
    let doc = clean(&text);
    for line in [
        "bangku taman kayu",
        "- lampu hemat energi",
        "- titik air minum",
        "2023 12 4 1",
        "2024 15 6 2",
    ] {
        assert_eq!(
            verdict_of(&doc, &text, line).verdict,
            Verdict::Keep,
            "{line}"
        );
    }
    // One short line without a period is a whole document, not a keyword line.
    let doc = clean("saya tidak kecewa dengan pelayanan taman kota");
    assert!(doc.is_kept());
}

#[test]
fn reported_speech_is_not_furniture() {
    for line in [
        "Unduh aplikasi SiagaBanjir agar warga Kayutangan waspada, kata wali kota.",
        "Foto: warga bergotong royong membersihkan taman kota, kata lurah setempat.",
        "Oleh: karena itu, pemerintah kota meminta warga menjaga taman.",
    ] {
        assert_kept(&id_page(line), line);
    }
    let line = "Sign up for flood alerts on the city website, the mayor urged residents.";
    assert_kept(&en_page(line), line);
    let line = "Video: 4K/30p";
    assert_kept(&en_page(line), line);
}

#[test]
fn navigation_lines() {
    assert_removed(
        &id_page("Beranda > Berita > Malang Raya"),
        "Beranda > Berita > Malang Raya",
        "navigation",
    );
    assert_removed(&id_page("Kembali ke atas"), "Kembali ke atas", "navigation");
    assert_removed(
        &en_page("Home > News > Local"),
        "Home > News > Local",
        "navigation",
    );
    assert_removed(&en_page("Back to top"), "Back to top", "navigation");
    let line =
        "Beranda rumah itu kini menjadi tempat warga Kayutangan berkumpul setiap sore, kata lurah.";
    assert_kept(&id_page(line), line);
}
