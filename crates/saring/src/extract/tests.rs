//! Extraction on pages written for these tests (no third-party HTML in the repository).

use super::*;

/// Fails, showing the whole text, when any of `kept` is missing from `text`.
#[track_caller]
fn assert_contains_all(text: &str, kept: &[&str]) {
    for kept in kept {
        assert!(text.contains(kept), "missing {kept:?} in\n{text}");
    }
}

/// An Indonesian news page shaped like the portals in `../shared/examples`: navigation, a headline, a
/// byline, the article with an inline "Baca Juga" link, a tag rail, a related-news sidebar, a footer.
const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Harga Cabai Rawit di Pasar Besar Turun - Warta Kota Contoh</title>
<meta property="og:title" content="Harga Cabai Rawit di Pasar Besar Turun">
<meta property="article:published_time" content="2024-11-12T04:00:00+07:00">
<meta name="author" content="Siti Rahmawati">
<script>window.dataLayer = [{"page": "<p>not text</p>"}];</script>
<style>.x { color: red }</style>
</head><body>
<header class="site-header"><div class="logo">Warta Kota Contoh</div>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/ekonomi">Ekonomi</a></li><li><a href="/olahraga">Olahraga</a></li></ul></nav></header>
<div class="container">
 <div class="main-column">
  <h1 class="headline">Harga Cabai Rawit di Pasar Besar Turun</h1>
  <div class="byline">Penulis: Siti Rahmawati | 12 - Nov - 2024, 04:00</div>
  <figure><img src="/cabai.jpg"><figcaption>Pedagang cabai di Pasar Besar. (Foto: Dok. Warta)</figcaption></figure>
  <div class="detail-text">
   <p><strong>WARTAKOTA</strong> - Harga cabai rawit di Pasar Besar turun menjadi Rp 45.000 per kilogram pada Selasa (12/11), setelah dua pekan bertahan di atas Rp 60.000. Pedagang menyebut pasokan dari Kediri dan Blitar kembali lancar.</p>
   <p>"Sekarang barang banyak, pembeli juga mulai kembali," kata Suparmi, pedagang yang sudah berjualan selama dua puluh tahun di pasar itu. Ia berharap harga tetap stabil hingga akhir tahun.</p>
   <div class="baca-juga"><span>Baca Juga :</span> <a href="/x">Harga Bawang Merah Naik Tajam Jelang Natal dan Tahun Baru di Pasar Besar</a></div>
   <p>Dinas Perindustrian dan Perdagangan mencatat penurunan serupa pada cabai merah besar dan cabai keriting, masing-masing sekitar lima belas persen dibanding pekan lalu.</p>
   <p>Kepala dinas, Bambang Sutrisno, mengatakan pihaknya akan terus memantau harga kebutuhan pokok, terutama menjelang Natal dan Tahun Baru, ketika permintaan biasanya melonjak.</p>
  </div>
  <div class="tags"><span>Topik</span> <a href="/t/cabai">Cabai</a>, <a href="/t/pasar">Pasar</a>, <a href="/t/harga">Harga</a></div>
 </div>
 <aside class="sidebar"><h3>Berita Terkait</h3><ul>
  <li><a href="/a">Pasar Murah Digelar di Lima Kecamatan Selama Sepekan Penuh</a></li>
  <li><a href="/b">Petani Cabai Keluhkan Harga Pupuk yang Terus Naik Tahun Ini</a></li></ul></aside>
</div>
<footer><p>Copyright 2024 Warta Kota Contoh. Seluruh hak cipta dilindungi undang-undang.</p></footer>
</body></html>"#;

#[test]
fn news_page_keeps_the_article_and_nothing_else() {
    let page = extract_html(NEWS_PAGE);
    let text = &page.text;
    assert_contains_all(
        text,
        &[
            "Harga cabai rawit di Pasar Besar turun menjadi Rp 45.000",
            "\"Sekarang barang banyak",
            "Dinas Perindustrian dan Perdagangan",
            "menjelang Natal dan Tahun Baru, ketika permintaan biasanya melonjak.",
        ],
    );
    for gone in [
        "Beranda",
        "not text",
        "color: red",
        "Pasar Murah Digelar",
        "Copyright",
        "Pedagang cabai di Pasar Besar. (Foto",
        "Penulis:",
        "Baca Juga",
    ] {
        assert!(!text.contains(gone), "{gone:?} leaked into\n{text}");
    }
    // Paragraphs are separated by blank lines.
    assert_eq!(text.matches("\n\n").count(), 3, "{text}");
    assert_eq!(
        page.meta.title.as_deref(),
        Some("Harga Cabai Rawit di Pasar Besar Turun")
    );
    let metadata = page.metadata();
    assert_eq!(metadata["date"], "2024-11-12");
    assert_eq!(metadata["author"], "Siti Rahmawati");
    assert_eq!(metadata["html_lang"], "id");
    assert_eq!(metadata["extraction_scope"], "article");
}

#[test]
fn page_without_markup_hints_is_scored() {
    // No class names at all: the paragraphs decide.
    let mut page =
        String::from("<html><body><div><a href=/1>Home</a> <a href=/2>About</a></div><div>");
    for i in 0..6 {
        page.push_str(&format!(
            "<p>Paragraph {i} of the story, with enough words, commas, and detail to count as prose for the scorer.</p>"
        ));
    }
    page.push_str(
        "</div><div><a href=/3>Privacy policy</a> | <a href=/4>Terms</a></div></body></html>",
    );
    let text = extract_html(&page).text;
    assert!(text.starts_with("Paragraph 0"), "{text}");
    assert!(text.contains("Paragraph 5"));
    assert!(
        !text.contains("Privacy") && !text.contains("Home"),
        "{text}"
    );
}

#[test]
fn lists_tables_and_preformatted_text_render_as_lines() {
    let page = "<body><article><p>Langkah-langkah menyimpan tomat agar tahan lama, menurut para ahli, ada tiga:</p>\
        <ol><li>Cuci bersih</li><li>Keringkan</li><li>Simpan di suhu ruang</li></ol>\
        <table><tr><td>Jenis</td><td>Harga</td></tr><tr><td>Tomat</td><td>Rp 12.000</td></tr></table>\
        <pre>kode  baris satu\n    baris dua</pre></article></body>";
    let text = extract_html(page).text;
    assert!(
        text.contains("Cuci bersih\nKeringkan\nSimpan di suhu ruang"),
        "{text}"
    );
    assert!(text.contains("Tomat Rp 12.000"), "{text}");
    assert!(text.contains("kode  baris satu\n    baris dua"), "{text}");
}

#[test]
fn empty_and_hostile_pages_give_empty_text_not_a_panic() {
    for page in [
        "",
        "<html></html>",
        "<script>x</script>",
        "<<<<",
        "\u{0}\u{0}",
    ] {
        let _ = extract_html(page);
    }
    assert_eq!(extract_html("<html><body></body></html>").text, "");
}

#[test]
fn sectioned_service_page_keeps_every_section() {
    // One long section and four short ones, each nested in its own wrappers: Readability's best
    // container is the long one, which holds under half of the page's words; the page is all of them.
    let wrap = |class: &str, body: String| {
        format!("<section class=\"{class}\"><div class=\"inner\"><div class=\"copy\">{body}</div></div></section>")
    };
    let mut page =
        String::from("<html><body><nav><a href=/>Home</a> <a href=/p>Pricing</a></nav><main>");
    let long_paragraph = "<p>Our audit covers planning, delivery, and review, with a named engineer, clear \
        milestones, a written report, and a fixed price agreed in advance, so nothing surprises you.</p>";
    page.push_str(&wrap("intro", long_paragraph.repeat(3)));
    for topic in ["Migration", "Training", "Support", "Hosting"] {
        page.push_str(&wrap(
            &format!("service-{topic}"),
            format!("<h3>{topic}</h3><p>{topic} for teams of any size, priced per month, cancel any time, \
                no setup fee, a named contact, and a written plan for the first quarter.</p>"),
        ));
    }
    page.push_str(
        "</main><footer><p>Copyright Example Ltd, all rights reserved.</p></footer></body></html>",
    );
    let text = extract_html(&page).text;
    assert!(text.contains("Our audit covers"), "{text}");
    for topic in ["Migration", "Training", "Support", "Hosting"] {
        assert!(
            text.contains(&format!("{topic} for teams")),
            "{topic} missing in\n{text}"
        );
    }
    assert!(
        !text.contains("Copyright") && !text.contains("Pricing"),
        "{text}"
    );
}

#[test]
fn folded_content_is_kept_and_hidden_furniture_is_not() {
    let page = "<html><body><article>\
        <p>Pertanyaan yang sering diajukan tentang layanan pengiriman kami, dijawab oleh tim layanan pelanggan, \
        dengan contoh, langkah, dan batas waktu yang berlaku untuk semua kota.</p>\
        <div class=\"faq-answer\" hidden><p>Pengiriman ke luar pulau memakan waktu tiga sampai lima hari kerja, \
        tergantung cuaca dan jadwal kapal.</p></div>\
        <div class=\"newsletter-modal\" style=\"display: none\"><p>Daftar buletin kami untuk promo mingguan!</p></div>\
        </article></body></html>";
    let text = extract_html(page).text;
    assert!(text.contains("Pengiriman ke luar pulau"), "{text}");
    assert!(!text.contains("buletin"), "{text}");
}

#[test]
fn pages_hidden_until_scripts_run_are_still_read() {
    // Next.js-style wrapper hidden until hydration, and a forum that serves its thread in <noscript>.
    let story =
        "<p>Warga Kayutangan menanam pohon di sepanjang jalan utama, bersama pelajar, relawan, \
        dan petugas kebersihan kota, sejak pukul enam pagi hingga siang.</p>";
    let wrapped = format!("<html><body><div style=\"visibility:hidden\"><article>{story}{story}</article></div></body></html>");
    assert!(extract_html(&wrapped).text.contains("Warga Kayutangan"));
    let forum = format!(
        "<html><body><section id=\"splash\"><div class=\"dots\"></div></section>\
         <noscript><div class=\"topic-body\">{story}</div><div class=\"topic-body\">{story}</div></noscript></body></html>"
    );
    assert!(extract_html(&forum).text.contains("Warga Kayutangan"));
    // A small noscript notice is not content.
    let notice = format!("<html><body><article>{story}{story}{story}</article><noscript>Please enable JavaScript to view the comments.</noscript></body></html>");
    assert!(!extract_html(&notice).text.contains("enable JavaScript"));
}

#[test]
fn link_only_paragraphs_leave_the_text_and_become_related_links() {
    let para = "<p>Harga cabai rawit di Pasar Besar turun menjadi Rp 45.000 per kilogram, setelah dua pekan \
        bertahan di atas Rp 60.000, kata pedagang, yang menyebut pasokan kembali lancar.</p>";
    let page = format!(
        "<html><body><article>{para}<p><b>Baca juga:</b> <a href=/b>Harga Bawang Merah Naik Tajam Jelang Natal dan Tahun Baru di Pasar Besar</a></p>\
         {para}<p><a href=/c>READ MORE: Petani Cabai Keluhkan Harga Pupuk</a></p>{para}{para}</article></body></html>"
    );
    let page = extract_html(&page);
    assert!(
        !page.text.contains("Baca juga") && !page.text.contains("READ MORE"),
        "{}",
        page.text
    );
    assert_eq!(
        page.related,
        vec![
            "Harga Bawang Merah Naik Tajam Jelang Natal dan Tahun Baru di Pasar Besar".to_string(),
            "READ MORE: Petani Cabai Keluhkan Harga Pupuk".to_string()
        ]
    );
    assert_eq!(
        page.metadata()["related"][0],
        "Harga Bawang Merah Naik Tajam Jelang Natal dan Tahun Baru di Pasar Besar"
    );
}

/// `saring explain` on HTML: every block left out of the news page is listed once, outermost first,
/// with the rule that removed it, and none of the listed text is in the extracted text.
#[test]
fn left_out_blocks_are_listed_with_their_reasons() {
    let (page, blocks) = explain_html(NEWS_PAGE);
    assert_eq!(page, extract_html(NEWS_PAGE), "explaining changes nothing");
    let reason_of = |needle: &str| -> Vec<&str> {
        blocks
            .iter()
            .filter(|b| b.text.contains(needle))
            .map(|b| b.reason)
            .collect()
    };
    // The navigation inside the header is reported with the header it sits in (`site-header`).
    assert_eq!(reason_of("Beranda"), ["furniture-class"]);
    assert_eq!(reason_of("Pasar Murah Digelar"), ["furniture-element"]);
    assert_eq!(reason_of("Copyright 2024"), ["furniture-element"]);
    // The photo sits above the article container; the byline is named as furniture.
    assert_eq!(
        reason_of("Pedagang cabai di Pasar Besar. (Foto"),
        ["outside-main-content"]
    );
    assert_eq!(reason_of("Penulis:"), ["furniture-class"]);
    // Scripts and styles are not text and are not listed.
    assert!(reason_of("not text").is_empty() && reason_of("color: red").is_empty());
    for block in &blocks {
        assert!(
            !page.text.contains(&block.text),
            "{} ({}) is listed but in the text",
            block.text,
            block.reason
        );
    }
    let sidebar = blocks
        .iter()
        .find(|b| b.reason == "furniture-element" && b.text.contains("Berita Terkait"));
    assert_eq!(sidebar.map(|b| b.element.as_str()), Some("aside [sidebar]"));
}

/// A caption inside the article is removed as a caption, not as "outside".
#[test]
fn a_caption_inside_the_article_is_explained_as_a_caption() {
    let paragraph = "<p>Warga Kayutangan datang sejak pagi untuk melihat taman kota yang baru dibuka, dan banyak yang membawa anak-anak mereka bermain di area yang disediakan pengelola.</p>";
    let page = format!(
        "<html><body><article>{paragraph}<figure><img src=a.jpg><figcaption>Foto: Dok. Humas</figcaption></figure>{paragraph}{paragraph}{paragraph}</article></body></html>"
    );
    let (extracted, blocks) = explain_html(&page);
    assert!(!extracted.text.contains("Dok. Humas"));
    let caption: Vec<_> = blocks
        .iter()
        .filter(|b| b.text.contains("Dok. Humas"))
        .collect();
    assert_eq!(caption.len(), 1, "{blocks:?}");
    assert_eq!(
        (caption[0].reason, caption[0].element.as_str()),
        ("caption", "figcaption")
    );
}

/// A page whose text is all furniture has no main text, and explain still says why.
#[test]
fn a_page_without_main_text_still_explains_what_was_removed() {
    let (page, blocks) = explain_html(
        "<html><body><nav><a href=/>Beranda</a> <a href=/b>Berita</a></nav>\
         <footer>Hak cipta 2025 Warta Kota Contoh</footer></body></html>",
    );
    assert!(page.text.is_empty(), "{}", page.text);
    let reasons: Vec<&str> = blocks.iter().map(|b| b.reason).collect();
    assert_eq!(
        reasons,
        ["furniture-element", "furniture-element"],
        "{blocks:?}"
    );
}

/// A React streaming page: the shell has a header and a placeholder; the article arrives later as a
/// hidden segment that a script moves into the placeholder. The article is the main text, in the
/// placeholder's place (before the footer), not hidden.
#[test]
fn react_streaming_segments_are_read_where_the_script_puts_them() {
    let paragraph = "Pemerintah kota membuka taman baru di tepi sungai yang bisa dikunjungi warga setiap hari, lengkap dengan jalur sepeda, bangku taman, dan lampu penerangan hingga malam.";
    let page = format!(
        "<html><body><header><a href=/>Warta Kota Contoh</a> <a href=/masuk>Masuk</a></header>\
         <main><!--$?--><template id=\"B:0\"></template><p>Memuat...</p><!--/$--></main>\
         <div class=\"site-foot\">Hak cipta 2025</div>\
         <div hidden id=\"S:0\"><article><h1>Taman Baru</h1><p>{paragraph}</p><p>{paragraph}</p>\
         <p>{paragraph}</p></article></div>\
         <script>$RC(\"B:0\",\"S:0\")</script>\
         <div hidden id=\"S:7\"><p>A segment without a placeholder stays hidden.</p></div>\
         </body></html>"
    );
    let text = extract_html(&page).text;
    assert!(
        text.contains("Pemerintah kota membuka taman baru"),
        "{text}"
    );
    assert!(!text.contains("stays hidden"), "{text}");
    // A segment whose placeholder sits inside itself is left alone (no cycle, no hang).
    let looped = format!(
        "<html><body><div hidden id=\"S:1\"><template id=\"P:1\"></template><p>{paragraph}</p></div></body></html>"
    );
    let dom = html::parse(&looped);
    let segment = dom
        .nodes
        .iter()
        .position(|n| n.attrs().is_some_and(|a| a.class_id == "s:1"))
        .expect("segment parsed");
    assert!(dom.nodes[segment].attrs().is_some_and(|a| a.hidden));
    assert_eq!(
        dom.node(dom.nodes[segment].parent).tag(),
        Some(html::Tag::Body)
    );
    let _ = extract_html(&looped);
}

/// A consent manager's preference centre is removed even when it holds most of the page's text (IAB
/// dialogs list hundreds of vendors), while a page wrapper whose body class mentions the banner is not.
#[test]
fn a_consent_dialog_goes_whatever_its_size() {
    let article = "<p>Harga beras di pasar tradisional turun dua ribu rupiah per kilogram minggu ini, kata para pedagang yang ditemui pada Senin pagi di Pasar Besar.</p>".repeat(3);
    let vendors = "<p>Vendor iklan dan mitra kami menyimpan dan mengakses informasi pada perangkat, memakai data terbatas untuk memilih iklan, dan mengukur kinerja konten.</p>".repeat(12);
    let page = format!(
        "<html><body class=\"cookie-banner-open\"><main><article>{article}</article></main>\
         <div id=\"onetrust-consent-sdk\"><div class=\"ot-pc-content\"><h2>Your Privacy</h2>{vendors}</div></div></body></html>"
    );
    let (extracted, blocks) = explain_html(&page);
    assert!(extracted.text.contains("Harga beras"), "{}", extracted.text);
    assert!(
        !extracted.text.contains("Vendor iklan"),
        "{}",
        extracted.text
    );
    assert!(
        blocks
            .iter()
            .any(|b| b.reason == "furniture-class" && b.text.contains("Your Privacy")),
        "{blocks:?}"
    );
}

/// Cards whose class names sound like furniture (`elementor-cta`, a page builder's call-to-action
/// widget used for content cards) stay when together they are a large part of the page's prose; a
/// small promotion bar with the same kind of name still goes.
#[test]
fn a_grid_of_prose_cards_with_a_furniture_name_stays() {
    let card = |name: &str| {
        format!(
            "<div class=\"elementor-cta\"><h3>{name}</h3><p>Jalur sepanjang enam kilometer ini melewati hutan pinus dan dua air terjun kecil, cocok untuk keluarga dengan anak di atas tujuh tahun.</p></div>"
        )
    };
    let cards: String = ["Jalur Cemara", "Jalur Pinus", "Jalur Telaga", "Jalur Kabut"]
        .iter()
        .map(|n| card(n))
        .collect();
    let intro = "<p>Taman nasional ini punya empat jalur resmi. Semua jalur dibuka pukul enam pagi dan ditutup pukul empat sore, dan setiap pendaki wajib mendaftar di pos jaga, membawa air minum sendiri, serta membawa turun lagi semua sampahnya. Petugas memeriksa perlengkapan di gerbang.</p>";
    let page = format!(
        "<html><body><div class=\"promo-bar\">Diskon tiket masuk 20% khusus akhir pekan ini!</div>\
         <main><h1>Jalur Pendakian</h1>{intro}{intro}{cards}</main></body></html>"
    );
    let text = extract_html(&page).text;
    assert_contains_all(
        &text,
        &["Jalur Cemara", "Jalur Kabut", "dua air terjun kecil"],
    );
    assert!(!text.contains("Diskon tiket"), "{text}");
}

/// Text a reader never sees is not main text: a short `<noscript>` notice, a skip link, and blocks
/// hidden by utility classes; a block hidden on phones but shown from `md:` up stays.
#[test]
fn notices_skip_links_and_class_hidden_blocks_are_not_text() {
    let paragraph = "<p>Panitia festival mengumumkan jadwal lengkap pertunjukan musik dan tari tradisional yang akan digelar selama tiga hari di alun-alun kota mulai Jumat depan.</p>";
    let page = format!(
        "<html><body><article id=\"isi\">{paragraph}{paragraph}\
         <div class=\"d-none\">Teks uji A/B yang disembunyikan.</div>\
         <span class=\"sr-only\">(membuka jendela baru)</span>\
         <p class=\"hidden md:block\">Tiket dijual di loket mulai pukul sembilan pagi setiap hari selama festival.</p>\
         {paragraph}</article></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(text.contains("Panitia festival"), "{text}");
    assert!(text.contains("Tiket dijual di loket"), "{text}");
    for gone in ["Teks uji", "jendela baru"] {
        assert!(!text.contains(gone), "{gone:?} in\n{text}");
    }
    // A script shell: nothing but a skip link and a notice to turn JavaScript on.
    let shell = "<html><body><a class=\"skip-link\" href=\"#isi\">Lewati ke konten</a>\
         <div id=\"app\"></div><noscript>Aktifkan JavaScript untuk memakai situs ini.</noscript>\
         </body></html>";
    assert_eq!(extract_html(shell).text, "");
}

/// A product page: the description is the content, the customer reviews widget is not.
#[test]
fn customer_reviews_are_not_the_product_description() {
    let description = "<p>Tas ransel dua puluh lima liter ini dibuat dari nilon daur ulang yang tahan air, dengan kantong samping untuk botol minum dan sabuk pinggang yang bisa dilepas.</p>";
    let review = "<div class=\"jdgm-rev\"><p>Barang sampai cepat, jahitannya rapi, dan muat laptop empat belas inci. Sudah saya pakai naik gunung dua kali dan tetap nyaman di punggung.</p></div>";
    let page = format!(
        "<html><body><main><h1>Ransel Jelajah 25</h1>{description}{description}{description}\
         <div class=\"jdgm-widget jdgm-review-widget\"><h2>Ulasan pelanggan</h2>{}</div></main></body></html>",
        review.repeat(2)
    );
    let text = extract_html(&page).text;
    assert!(text.contains("nilon daur ulang"), "{text}");
    assert!(!text.contains("jahitannya rapi"), "{text}");
}

/// A forum thread that declares itself one (schema.org `DiscussionForumPosting`) keeps its replies
/// even though the forum software names them `comment`; the same markup on a page without the
/// declaration is a comment section and goes.
#[test]
fn replies_named_comment_are_the_content_of_a_declared_discussion() {
    let post = |who: &str| {
        format!(
            "<article class=\"ipsComment\"><p>{who}: menurut pengalaman saya, aki motor yang cepat habis biasanya karena kiprok rusak, jadi cek dulu tegangan pengisian di bengkel sebelum ganti aki baru.</p></article>"
        )
    };
    let replies: String = ["Budi", "Sari"].iter().map(|w| post(w)).collect();
    let question = "<p>Aki motor saya baru tiga bulan sudah soak lagi. Sudah ganti dua kali, padahal jarang dipakai malam hari. Ada yang tahu penyebabnya apa, dan harus diperiksa di mana?</p>";
    let thread = |declared: bool| {
        let json_ld = if declared {
            r#"<script type="application/ld+json">{"@type":"DiscussionForumPosting","headline":"Aki cepat habis"}</script>"#
        } else {
            ""
        };
        format!(
            "<html><head>{json_ld}</head><body><main><h1>Aki motor cepat habis</h1>\
             <div class=\"op\">{question}{question}{question}</div>\
             <div class=\"comments\">{replies}</div></main></body></html>"
        )
    };
    let text = extract_html(&thread(true)).text;
    assert!(text.contains("Sari: menurut pengalaman saya"), "{text}");
    let text = extract_html(&thread(false)).text;
    assert!(!text.contains("Sari: menurut pengalaman saya"), "{text}");
}

/// Whole-page extraction keeps one copy of a line a shop page prints twice (mobile and desktop
/// copies), short lines ("Ukuran") included, and blank lines stay single.
#[test]
fn a_line_printed_twice_is_kept_once() {
    let spec = "Bahan katun organik, ditenun di Pekalongan dan diwarnai dengan pewarna alami.";
    let text = format!(
        "{spec}\n\nUkuran\n\nBatik Tulis\n\n{}\n\nUkuran\n\nLurik",
        spec.to_uppercase()
    );
    assert_eq!(
        content::drop_repeated_lines(text),
        format!("{spec}\n\nUkuran\n\nBatik Tulis\n\nLurik")
    );
    let untouched =
        "Satu baris yang cukup panjang untuk dihitung, tanpa salinan sama sekali.\n  kode";
    assert_eq!(
        content::drop_repeated_lines(untouched.to_string()),
        untouched
    );
}

/// The block holding the page's headline is content even when its class says header: a hero with
/// the title and the standfirst.
#[test]
fn the_block_with_the_headline_is_not_furniture() {
    let paragraph = "<p>Dinas Pendidikan membuka pendaftaran beasiswa bagi siswa berprestasi dari keluarga kurang mampu, dengan kuota dua ratus penerima untuk tahun ajaran baru di seluruh kabupaten.</p>";
    let page = format!(
        "<html><body><article><div class=\"hero-header\"><h1>Beasiswa Daerah Dibuka</h1>\
         <p>Pendaftaran berlangsung sebulan penuh secara daring.</p></div>{paragraph}{paragraph}{paragraph}</article>\
         <div class=\"promo-banner\"><p>Langganan koran digital hanya Rp 10.000 per bulan.</p></div></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(
        text.contains("Pendaftaran berlangsung sebulan penuh"),
        "{text}"
    );
    assert!(text.contains("Dinas Pendidikan membuka"), "{text}");
    assert!(!text.contains("Langganan koran"), "{text}");
}

/// A weak furniture word counts only as the head of a class word; CSS scroll utilities are not
/// Readability's "scroll".
#[test]
fn weak_furniture_words_count_as_the_head_of_a_class_word() {
    for furniture in [
        "site-header",
        "header-container",
        "post-meta",
        "exit-popup",
        "pagination-wrapper2",
        "cmp-cta__banner",
        "widget_text",
    ] {
        assert!(content::weak_name_is_head(furniture), "{furniture}");
    }
    for content_name in [
        "meta-block-section",
        "kt-pane-header-alignment-left",
        "node--promoted",
        "promo-carousel",
        "elementor-widget-container",
    ] {
        assert!(!content::weak_name_is_head(content_name), "{content_name}");
    }
    for utility in [
        "overflow-hidden",
        "md:overflow-x-scroll",
        "scroll-mt-24",
        "scroll-smooth",
    ] {
        assert!(content::is_scroll_utility(utility), "{utility}");
    }
    assert!(!content::is_scroll_utility("infinite-scroll"));
}

/// An API reference's code samples sit in a side column named like furniture; they are content.
#[test]
fn code_samples_in_a_side_column_are_content() {
    let paragraph = "<p>Endpoint ini membuat pembayaran baru. Kirim jumlah dalam rupiah tanpa desimal, dan simpan nomor transaksi yang dikembalikan untuk memeriksa statusnya nanti.</p>";
    let page = format!(
        "<html><body><main><div class=\"api-section\"><div class=\"docs\"><h1>Membuat pembayaran</h1>{paragraph}{paragraph}{paragraph}</div>\
         <div class=\"api-sidebar\"><pre><code>curl https://api.contoh.id/v1/pembayaran -u kunci_rahasia: -d jumlah=15000 -d mata_uang=idr</code></pre></div></div></main></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(text.contains("Endpoint ini membuat pembayaran"), "{text}");
    assert!(text.contains("curl https://api.contoh.id"), "{text}");
}

/// A page whose own markup names its article body, and whose body is a list of cards (a title link
/// over a short description): cleaning would take every card for a link block and leave the intro
/// alone, so the cards come back; a plain row of links inside the body stays out.
#[test]
fn cards_of_a_marked_article_body_are_not_cleaned_away() {
    let card = |name: &str| {
        format!(
            "<div class=\"wp-block-group\"><h3><a href=\"/p/{name}\">Pemenang kategori {name}</a></h3>\
             <p>Studio dari Bandung, rumah tinggal dua lantai di lereng bukit.</p></div>"
        )
    };
    let cards: String = [
        "rumah", "kantor", "kafe", "hotel", "sekolah", "museum", "pasar", "taman", "masjid",
        "stasiun", "toko", "klinik",
    ]
    .iter()
    .map(|n| card(n))
    .collect();
    let intro = "Inilah para pemenang penghargaan desain tahun ini. Juri menilai lebih dari empat ratus \
                 karya dari seluruh Indonesia selama tiga bulan, mengunjungi setiap bangunan yang masuk \
                 babak akhir, dan berbicara dengan penghuni serta pemiliknya. Tahun ini kategori baru \
                 untuk bangunan publik kecil dibuka, dan karya dari kota-kota di luar Jawa lebih banyak \
                 daripada tahun-tahun sebelumnya. Upacara penyerahan penghargaan diadakan di Jakarta \
                 pada akhir bulan lalu dan dihadiri para arsitek, desainer interior, dan mahasiswa.";
    let page = format!(
        "<html><body><nav><a href=\"/\">Beranda</a> <a href=\"/menu\">Menu</a></nav>\
         <div itemprop=\"articleBody\"><p>{intro}</p>{cards}\
         <div class=\"share\"><a href=\"/fb\">Facebook</a> <a href=\"/x\">X</a> <a href=\"/wa\">WhatsApp</a></div></div>\
         <footer>Hak cipta 2025</footer></body></html>"
    );
    let text = extract_html(&page).text;
    assert_contains_all(
        &text,
        &[
            "Pemenang kategori rumah",
            "Pemenang kategori museum",
            "lereng bukit",
        ],
    );
    assert!(!text.contains("WhatsApp"), "{text}");
}

/// An announcement `<aside>` left unclosed swallows the rest of the page, headline and article
/// included: it is then a wrapper, not a side note. A real side note stays out.
#[test]
fn an_unclosed_aside_around_the_article_is_not_furniture() {
    let paragraph = "<p>Pada tahun pertama kami salah memilih pasar. Produk yang kami bangun untuk bank besar ternyata lebih dibutuhkan koperasi kecil, dan butuh dua tahun sebelum kami berani mengubah arah.</p>";
    let page = format!(
        "<html><body><aside class=\"announcement-banner\"><a href=\"/berita\">Pengumuman: kami bergabung dengan perusahaan baru</a>\
         <main><h1>Pelajaran dari lima perusahaan rintisan</h1>{paragraph}{paragraph}{paragraph}\
         <aside class=\"note\">Catatan samping: daftar bacaan ada di akhir tulisan.</aside></main></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(text.contains("Pelajaran dari lima"), "{text}");
    assert!(text.contains("salah memilih pasar"), "{text}");
    assert!(!text.contains("Catatan samping"), "{text}");
}

/// Icon fonts draw a picture from ligature text (`local_shipping`): the name is not page text.
#[test]
fn icon_font_ligatures_are_not_text() {
    let paragraph = "<p>Semua pesanan dikirim dari gudang kami di Bekasi dalam satu hari kerja, dan pengiriman ke seluruh Jawa gratis untuk belanja di atas dua ratus ribu rupiah.</p>";
    let page = format!(
        "<html><body><main><h1>Pengiriman</h1>{paragraph}{paragraph}\
         <p><span class=\"material-icons\">local_shipping</span> Gratis ongkos kirim</p>{paragraph}</main></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(text.contains("Gratis ongkos kirim"), "{text}");
    assert!(!text.contains("local_shipping"), "{text}");
}

/// A page whose only text is furniture has no main text: the relaxed attempts that stop pruning by
/// name find the menu and the newsletter box, and that short find does not replace the pruned page.
#[test]
fn a_page_of_furniture_alone_has_no_main_text() {
    let page =
        "<html><body><div class=\"menu\"><a href=\"/\">Beranda</a> <a href=\"/produk\">Produk</a> \
                <a href=\"/kontak\">Kontak</a> <a href=\"/tentang\">Tentang kami</a></div>\
                <div class=\"newsletter\">Daftar untuk kabar diskon</div>\
                <div class=\"footer\">Hak cipta 2025 Toko Contoh. Seluruh hak dilindungi.</div>\
                <div class=\"app\"></div></body></html>";
    let content = extract_html(page);
    assert_eq!(content.text, "", "{content:?}");
}

/// Jetpack's like and share widgets name a post (`like-post-wrapper-...`), which reads as a content
/// word; the plugin's own class names make them furniture all the same.
#[test]
fn jetpack_like_and_share_widgets_are_furniture() {
    let paragraph = "<p>Kami berangkat dari Yogyakarta sebelum subuh, menyusuri jalan desa yang masih basah, dan tiba di kaki Merapi ketika matahari baru muncul di balik awan tipis.</p>";
    let page = format!(
        "<html><body><article class=\"post\"><h1>Pagi di Kaki Merapi</h1>{paragraph}{paragraph}{paragraph}{paragraph}\
         <div class=\"sharedaddy sd-sharing-enabled\"><h3 class=\"sd-title\">Share this:</h3>\
         <a href=\"/share/x\">X</a> <a href=\"/share/fb\">Facebook</a></div>\
         <div class='sharedaddy sd-block sd-like jetpack-likes-widget-wrapper' id='like-post-wrapper-1-2-3'>\
         <h3 class=\"sd-title\">Like this:</h3><span class=\"button\">Like</span> Loading...</div>\
         </article></body></html>"
    );
    let text = extract_html(&page).text;
    assert!(text.contains("tiba di kaki Merapi"), "{text}");
    assert!(!text.contains("Like this:"), "{text}");
    assert!(!text.contains("Share this:"), "{text}");
}

/// Broken pages never panic: the news page cut at every character, and spliced with fragments of
/// markup, entities and multi-byte letters at pseudo-random places (a fixed seed, so a failure
/// reproduces), still extract. The cut pages end inside tags, attribute values, entities and
/// scripts; the splices put quotes, `<`, end tags and non-ASCII letters where the parser's byte
/// scans and the text counters meet them.
#[test]
fn cut_and_spliced_pages_extract_without_panicking() {
    let page = NEWS_PAGE;
    for (cut, _) in page.char_indices() {
        let _ = extract_html(&page[..cut]);
    }
    const FRAGMENTS: &[&str] = &[
        "<",
        ">",
        "\"",
        "'",
        "</div",
        "<script>",
        "<!--",
        "&amp",
        "&#",
        "ü",
        "東京",
        "\u{a0}",
        "<p class=\"HIDDEN Sidebar\">",
        "<main role=main>",
        "<br/>",
        "\u{0}",
    ];
    let mut state: u64 = 0x5eed_5a71_0001;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % bound.max(1)
    };
    for _ in 0..300 {
        let mut spliced = page.to_string();
        for _ in 0..1 + next(6) {
            let mut at = next(spliced.len() + 1);
            while !spliced.is_char_boundary(at) {
                at -= 1;
            }
            spliced.insert_str(at, FRAGMENTS[next(FRAGMENTS.len())]);
        }
        let _ = extract_html(&spliced);
    }
}
