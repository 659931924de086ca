//! Tests of language identification on sentences written for saring.

use std::sync::OnceLock;

use super::*;
use crate::document::Provenance;

fn lid() -> &'static LanguageId {
    static LID: OnceLock<LanguageId> = OnceLock::new();
    LID.get_or_init(|| LanguageId::embedded().unwrap())
}

fn lang(text: &str) -> String {
    lid().predict(text).language
}

#[test]
fn common_languages() {
    assert_eq!(
        lang("The city council opened a new public library on Monday morning."),
        "en"
    );
    assert_eq!(
        lang("Le conseil municipal a ouvert une nouvelle bibliothèque lundi matin."),
        "fr"
    );
    assert_eq!(
        lang("Der Stadtrat hat am Montagmorgen eine neue Bibliothek eröffnet."),
        "de"
    );
}

#[test]
fn indonesian_and_malay_are_told_apart() {
    assert_eq!(
        lang("Pemerintah kota meresmikan taman baru karena warga membutuhkan ruang terbuka, kata wali kota kepada wartawan di kantor."),
        "id"
    );
    assert_eq!(
        lang("Kerajaan negeri Selangor berkata projek itu akan siap tahun depan kerana peruntukan sebanyak RM2 juta telah diluluskan oleh jabatan."),
        "ms"
    );
}

#[test]
fn local_languages_are_not_indonesian() {
    assert_eq!(lang("Aku ora ngerti apa sing diomongke wong-wong kuwi, nanging panganane enak tenan lan regane ora larang."), "jv");
    assert_eq!(lang("Abdi teu acan kantos ka dieu, tapi tempatna raos pisan jeung palayanan na ogé saé pisan."), "su");
    assert_eq!(
        lang(
            "Ambo indak tau baa caronyo, tapi makanan di siko lamak bana dan haragonyo murah sajo."
        ),
        "min"
    );
}

#[test]
fn the_stage_labels_and_filters() {
    let stage = LanguageStage::new(
        Arc::new(LanguageId::embedded().unwrap()),
        Some(vec!["id".into()]),
    );
    let mut doc = Document::new(
        "a",
        "Pemerintah kota meresmikan taman baru karena warga membutuhkan ruang terbuka hijau, kata wali kota.",
        Provenance::file("a.txt"),
    );
    stage.process(&mut doc);
    assert_eq!(doc.metadata["language"], json!("id"));
    assert!(doc.is_kept());
    let mut doc = Document::new(
        "b",
        "The council opened a library on Monday and residents queued.",
        Provenance::file("b.txt"),
    );
    stage.process(&mut doc);
    assert_eq!(doc.drop_reason(), Some("unwanted-language"));
}

#[test]
fn mixed_documents_report_their_languages() {
    let stage = LanguageStage::new(Arc::new(LanguageId::embedded().unwrap()), None);
    let text = "Pemerintah kota meresmikan taman baru karena warga membutuhkan ruang terbuka hijau di tengah kota yang padat.\n\nThe city council opened the new park on Monday because residents had asked for green space in the crowded city centre.";
    let mut doc = Document::new("m", text, Provenance::file("m.txt"));
    stage.process(&mut doc);
    let langs: Vec<&str> = doc.metadata["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["language"].as_str().unwrap())
        .collect();
    assert!(langs.contains(&"id") && langs.contains(&"en"), "{langs:?}");
}

#[test]
fn an_indonesian_page_with_a_javanese_paragraph_is_still_labelled_per_paragraph() {
    // lid176 puts both into the Indonesian family with a high mass, so only the local-language
    // markers can tell that paragraph labels are needed.
    let stage = LanguageStage::new(Arc::new(LanguageId::embedded().unwrap()), None);
    let text = "Pemerintah kota meresmikan taman baru karena warga membutuhkan ruang terbuka hijau di tengah kota yang padat.\n\nWarga kutha wis suwe njaluk taman anyar, amarga bocah-bocah ora duwe papan kanggo dolanan ing sore dina.";
    let mut doc = Document::new("j", text, Provenance::file("j.txt"));
    stage.process(&mut doc);
    let langs: Vec<&str> = doc.metadata["languages"]
        .as_array()
        .unwrap_or_else(|| panic!("no languages: {:?}", doc.metadata))
        .iter()
        .map(|l| l["language"].as_str().unwrap())
        .collect();
    assert!(langs.contains(&"id") && langs.contains(&"jv"), "{langs:?}");
    // A page in one language gets no per-paragraph list.
    let text = "Pemerintah kota meresmikan taman baru karena warga membutuhkan ruang terbuka hijau di tengah kota yang padat.\n\nTaman itu dilengkapi jalur pejalan kaki, bangku, dan lampu agar warga dapat berolahraga pada sore hari.";
    let mut doc = Document::new("i", text, Provenance::file("i.txt"));
    stage.process(&mut doc);
    assert!(
        !doc.metadata.contains_key("languages"),
        "{:?}",
        doc.metadata
    );
}

#[test]
fn markers_are_found_under_reduplication_and_clitics() {
    // Malaysian `majikan`, `kewangan`, `mahupun`; Indonesian `mau`, `keuangan`.
    let counts = lid().markers("Majikan-majikan itu menyemak kewangannya, mahupun yang lain");
    assert_eq!(counts.get("ms"), 3);
    assert_eq!(counts.get("id"), 0);
    let counts = lid().markers("Kita mau ikut, keuangannya aman");
    assert_eq!(counts.get("id"), 2);
    // Stems under four letters are not stripped (`maupun` is not counted as `mau`, `kulah` not
    // as `ku`), and hyphenation that is not a reduplication is left alone.
    assert_eq!(lid().markers("maupun").get("id"), 0);
    let counts = lid().markers("kulah serba-serbi anti-kerajaan");
    assert_eq!(counts.get("ms") + counts.get("id"), 0);
}
