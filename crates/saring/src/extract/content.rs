//! Finding the main content of a page, and rendering it as text with paragraph breaks.
//!
//! The method is Readability's (Mozilla's `Readability.js`, also the base of trafilatura's fallback),
//! re-derived on our compact tree, with trafilatura's habit of trusting explicit markup first:
//!
//! 1. **Prune** what is never main content: scripts, media, forms controls, hidden nodes, icon-font
//!    glyphs, `<nav>`, `<aside>` (unless it holds most of the page and its headline: an unclosed
//!    announcement bar), `<footer>`, ARIA navigation/complementary regions, and containers whose
//!    `class`/`id` name them as furniture (`sidebar`, `related`, `share`, `comment`, `newsletter`,
//!    review widgets, consent dialogs, ...), unless the name also says content (`article-body`,
//!    `post-content`).
//!    Weak names, which content blocks carry too (`header`, `meta`, `promo`, `cta`, `widget`), prune
//!    only as the head of a class word and only when the blocks so named are not a large share of
//!    the page's prose, the page's headline, or code. Replies named `comment` stay on pages that
//!    declare a discussion (schema.org `DiscussionForumPosting`, `QAPage`).
//! 2. **Explicit content**: an `itemprop="articleBody"` element, or one element whose class names the
//!    article body, holding most of the page's paragraph text, is taken as it is.
//! 3. **Score** otherwise: each paragraph-like block (≥ 25 characters) gives 1 + commas +
//!    min(length / 100, 3) points to its parent, half to its grandparent and a third of a level's share
//!    further up; containers start from a tag prior and ±25 for their class name; the score is scaled
//!    by (1 − link density). The best container wins, climbing to an ancestor when several strong
//!    candidates share it, and siblings that look like more of the article are appended.
//! 4. **Clean** the winner conditionally: link lists, short blocks full of links, and furniture blocks
//!    inside the article go (but when that would take most of a marked article body, its cards stay).
//! 5. **Retry** with less pruning when the result is suspiciously short (a page whose whole body was
//!    called `main-sidebar-wrapper`).
//! 6. **Scope**: the container, or the whole pruned page when the container is a small part of it
//!    (service pages, listings, threads) or the result is still short; the whole page keeps one copy
//!    of each repeated line.
//!
//! Every removal is recorded as a [`Removal`] reason per node (one byte, the cost of the flag it
//! replaced), so [`main_content_explained`] can list each block of a page that is not in the text and
//! say why: `saring explain page.html`.

use super::html::{is_ascii_space, Dom, NodeData, NodeId, Tag};

/// Why a node is not in the main text; [`KEPT`] when it is (as far as an attempt went).
pub type Removal = u8;
pub const KEPT: Removal = 0;
/// `<head>`, scripts, styles, SVG: never text, never reported.
const NOT_TEXT: Removal = 1;
const FURNITURE_ELEMENT: Removal = 2;
const FORM_CONTROL: Removal = 3;
const EMBEDDED_MEDIA: Removal = 4;
const CAPTION: Removal = 5;
const NOSCRIPT: Removal = 6;
const HIDDEN: Removal = 7;
const FURNITURE_ROLE: Removal = 8;
const FURNITURE_CLASS: Removal = 9;
const RELATED_LINK: Removal = 10;
const FURNITURE_HEADING: Removal = 11;
const NEGATIVE_SCORE: Removal = 12;
const IMAGE_BLOCK: Removal = 13;
const LINK_LIST: Removal = 14;
const FORM_BLOCK: Removal = 15;
const LINK_DENSE: Removal = 16;
/// Not removed by a rule: the text was taken from another part of the page.
const OUTSIDE_MAIN_CONTENT: Removal = 17;

/// The reason code `saring explain` prints for a removal.
pub fn removal_reason(removal: Removal) -> &'static str {
    match removal {
        KEPT => "kept",
        NOT_TEXT => "not-text",
        FURNITURE_ELEMENT => "furniture-element",
        FORM_CONTROL => "form-control",
        EMBEDDED_MEDIA => "embedded-media",
        CAPTION => "caption",
        NOSCRIPT => "noscript",
        HIDDEN => "hidden",
        FURNITURE_ROLE => "furniture-role",
        FURNITURE_CLASS => "furniture-class",
        RELATED_LINK => "related-link",
        FURNITURE_HEADING => "furniture-heading",
        NEGATIVE_SCORE => "negative-score",
        IMAGE_BLOCK => "image-block",
        LINK_LIST => "link-list",
        FORM_BLOCK => "form-block",
        LINK_DENSE => "link-dense",
        _ => "outside-main-content",
    }
}

/// Per-node measurements over the pruned tree.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// Characters of visible text (whitespace runs count as one).
    text: u32,
    /// Characters of visible text inside links.
    link_text: u32,
    commas: u32,
    paragraphs: u32,
    list_items: u32,
    inputs: u32,
    images: u32,
    /// Block-level element children exist (a "leaf block" has none).
    has_block_child: bool,
}

/// Options of one extraction attempt; later attempts relax them.
#[derive(Debug, Clone, Copy)]
struct Attempt {
    prune_by_class: bool,
    weight_classes: bool,
    clean_conditionally: bool,
}

const ATTEMPTS: [Attempt; 3] = [
    Attempt {
        prune_by_class: true,
        weight_classes: true,
        clean_conditionally: true,
    },
    Attempt {
        prune_by_class: false,
        weight_classes: true,
        clean_conditionally: true,
    },
    Attempt {
        prune_by_class: false,
        weight_classes: false,
        clean_conditionally: false,
    },
];

/// Percent of the page's text from which a block with a weak furniture name counts as content.
const LARGE_PROSE_SHARE: u64 = 30;

/// Below this many characters a result is retried with less pruning (Readability's `charThreshold`).
const CHAR_THRESHOLD: usize = 500;

/// The main content of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MainContent {
    /// Blocks separated by blank lines; empty when the page has no text.
    pub text: String,
    /// Link texts of the short all-link paragraphs removed from inside the article ("Baca juga: ...",
    /// "Read more: ..."): the page's related links, kept as metadata.
    pub related: Vec<String>,
    /// Whether the text is one container of the page or the whole pruned page.
    pub scope: Scope,
}

/// What the main text covers (`metadata.extraction_scope`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// The best-scoring container and its siblings (an article, a post, a documentation page).
    #[default]
    Article,
    /// The page's main region with furniture pruned (service pages, listings, forum threads).
    Page,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Article => "article",
            Scope::Page => "page",
        }
    }
}

/// The main content of `dom`.
pub fn main_content(dom: &Dom) -> MainContent {
    extract_main(dom, false).0
}

/// A block of a page left out of the main text, for `saring explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedBlock {
    /// The element (`nav`, `div [sidebar widget]`, `p`) or `text`.
    pub element: String,
    /// A [`removal_reason`] code.
    pub reason: &'static str,
    /// Its text, rendered as the main text would be.
    pub text: String,
}

/// The main content of `dom` and every block left out of it, in page order, with the reason: the
/// outermost removed element of each removed subtree (a `<nav>` is one block, not one per link).
pub fn main_content_explained(dom: &Dom) -> (MainContent, Vec<RemovedBlock>) {
    let (content, decision) = extract_main(dom, true);
    let blocks = decision
        .map(|d| removed_blocks(dom, &d))
        .unwrap_or_default();
    (content, blocks)
}

/// The final decision as node marks: the removals and the roots the text was rendered from.
struct Decision {
    removed: Vec<Removal>,
    roots: Vec<NodeId>,
}

fn extract_main(dom: &Dom, trace: bool) -> (MainContent, Option<Decision>) {
    let facts = PageFacts::of(dom);
    let mut first: Option<Attempted> = None;
    let mut best = String::new();
    let mut best_decision = None;
    for attempt in ATTEMPTS {
        let mut result = Extraction::new(dom, &facts, attempt, trace).run();
        let long_enough = result.text.chars().count() >= CHAR_THRESHOLD;
        if long_enough || result.text.len() > best.len() {
            best = std::mem::take(&mut result.text);
            best_decision = result.decision.take();
        }
        if first.is_none() {
            first = Some(result);
        }
        if long_enough {
            break;
        }
    }
    let Some(mut first) = first else {
        let content = MainContent {
            text: best,
            related: Vec::new(),
            scope: Scope::Article,
        };
        return (content, None);
    };
    let related = std::mem::take(&mut first.related);
    let (text, scope) = choose_scope(dom, best, &first);
    let text = match scope {
        Scope::Page => drop_repeated_lines(text),
        Scope::Article => text,
    };
    let decision = match scope {
        _ if !trace => None,
        Scope::Page => Some(Decision {
            removed: first.pruned,
            roots: vec![first.region],
        }),
        // When no attempt found any text, explain the first one (the page's own pruning).
        Scope::Article => best_decision.or(first.decision.take()),
    };
    let content = MainContent {
        text,
        related,
        scope,
    };
    (content, decision)
}

/// Drops every line that repeats an earlier line (whitespace and case aside): the mobile and
/// desktop copies of a responsive block, carousel clones, a product name printed over the gallery,
/// the buy box and the sticky bar, which whole-page extraction meets on shop and landing pages. A
/// grid's repeated labels ("Size:", "Add to cart") go too; WCXB's gold keeps them, but the page
/// text loses nothing a reader needs. Blank lines left doubled are merged.
pub(super) fn drop_repeated_lines(text: String) -> String {
    let mut seen: rustc_hash::FxHashSet<String> = Default::default();
    let mut kept: Vec<&str> = Vec::new();
    let mut dropped = false;
    for line in text.split('\n') {
        let key: String = line
            .split_whitespace()
            .flat_map(|w| w.chars().chain(std::iter::once(' ')))
            .flat_map(char::to_lowercase)
            .collect();
        if !key.is_empty() && !seen.insert(key) {
            dropped = true;
            continue;
        }
        if line.is_empty() && kept.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        kept.push(line);
    }
    if !dropped {
        return text;
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    kept.join("\n")
}

/// The outermost removed or left-out element of each subtree not in the text, with its reason.
fn removed_blocks(dom: &Dom, decision: &Decision) -> Vec<RemovedBlock> {
    // Elements on the way from the root to a rendered root are walked through, not reported.
    let mut on_path = vec![false; dom.nodes.len()];
    for &root in &decision.roots {
        let mut id = root;
        while !on_path[id as usize] {
            on_path[id as usize] = true;
            if id == 0 {
                break;
            }
            id = dom.node(id).parent;
        }
    }
    // A removed block's text as the renderer would give it, leaving out only what is never text.
    let visible: Vec<Removal> = decision
        .removed
        .iter()
        .map(|&r| if r == NOT_TEXT { NOT_TEXT } else { KEPT })
        .collect();
    let mut blocks = Vec::new();
    let mut stack: Vec<(NodeId, bool)> = vec![(0, false)];
    while let Some((id, inside)) = stack.pop() {
        let marked = decision.removed[id as usize];
        if marked == NOT_TEXT {
            continue;
        }
        let inside = inside || decision.roots.contains(&id);
        let reason = match marked {
            KEPT if !inside && !on_path[id as usize] => OUTSIDE_MAIN_CONTENT,
            other => other,
        };
        if reason == KEPT {
            stack.extend(dom.children(id).rev().map(|c| (c, inside)));
            continue;
        }
        let mut renderer = Renderer::new(dom, &visible);
        renderer.render(id);
        let text = renderer.finish();
        if !text.is_empty() {
            blocks.push(RemovedBlock {
                element: describe_node(dom, id),
                reason: removal_reason(reason),
                text,
            });
        }
    }
    blocks
}

/// `div [post-sidebar widget]`, `nav`, `p`, or `text`.
fn describe_node(dom: &Dom, id: NodeId) -> String {
    let node = dom.node(id);
    let Some(tag) = node.tag() else {
        return "text".into();
    };
    let mut name = format!("{tag:?}").to_ascii_lowercase();
    if let Some(attrs) = node.attrs() {
        if !attrs.class_id.is_empty() {
            name.push_str(&format!(" [{}]", attrs.class_id));
        }
        if let Some(role) = &attrs.role {
            name.push_str(&format!(" role={role}"));
        }
    }
    name
}

/// What the first attempt saw, for deciding between the article and the whole page.
struct Attempted {
    text: String,
    /// Link texts of the link-only paragraphs cleaned out of the chosen content.
    related: Vec<String>,
    /// The page's main region (`<main>` or the body), its visible characters once furniture is
    /// pruned, and the pruning (before any cleaning), so it is rendered only if chosen.
    region: NodeId,
    region_chars: usize,
    pruned: Vec<Removal>,
    explicit: bool,
    top_score: f32,
    body_link_density: f32,
    /// This attempt's removals and rendered roots, when explaining.
    decision: Option<Decision>,
}

/// Article or whole page. Readability's single best container is right for articles; service pages,
/// listings, forum threads and landing pages are stacks of sibling sections, of which it takes one.
/// The pruned page is taken instead when the container holds less than half of its words, unless the
/// page marks its article body explicitly, a container scored like a real article (≥ 200), or the
/// page is mostly links (a portal front page). A result under [`CHAR_THRESHOLD`] characters gives way
/// to the pruned page (a table of contents, a card grid), even when that is shorter: the relaxed
/// attempts that found it no longer prune by name, so a short find of theirs is mostly furniture
/// (a menu, a promo strip), and a page whose pruning leaves nothing has no main text.
fn choose_scope(dom: &Dom, best: String, first: &Attempted) -> (String, Scope) {
    let whole_page = || {
        let mut out = Renderer::new(dom, &first.pruned);
        out.render(first.region);
        out.finish()
    };
    let best_chars = best.chars().count();
    if best_chars < CHAR_THRESHOLD {
        return (whole_page(), Scope::Page);
    }
    // A portal front page (mostly links) keeps its best container unless that is a small part.
    let small_part = if first.body_link_density < 0.5 { 2 } else { 6 };
    if best_chars * small_part < first.region_chars && !first.explicit && first.top_score < 200.0 {
        (whole_page(), Scope::Page)
    } else {
        (best, Scope::Article)
    }
}

/// What an element's `class`/`id` says, judged once per page (bits of [`NameFlags`]).
type NameFlags = u16;
const FURNITURE: NameFlags = 1;
const ARTICLE_BODY: NameFlags = 2;
const NEGATIVE: NameFlags = 4;
const POSITIVE: NameFlags = 8;
const COLLAPSED: NameFlags = 16;
/// A consent manager's dialog (cookie banners and their preference centres).
const CONSENT: NameFlags = 64;
/// Furniture by a name that also labels content blocks (`header` in `card-header`, `promo` in
/// `promoted`, `cta` in Elementor's call-to-action cards): pruned unless the element is a large block
/// of prose.
const WEAK_FURNITURE: NameFlags = 128;
/// Hidden by a utility class (`hidden`, `d-none`, `sr-only`, ...) without a responsive class that
/// shows it again (`md:block`, `d-md-flex`).
const CLASS_HIDDEN: NameFlags = 256;
/// A skip link's name (`skip-link`, `skip-to-content`).
const SKIP_LINK: NameFlags = 512;
/// An icon font's glyph (`material-icons`, `material-symbols-outlined`): its text is a ligature
/// name (`local_shipping`, `chevron_right`) that the reader sees as a picture.
const ICON_GLYPH: NameFlags = 1024;
/// `role="main"`, and `itemprop="articleBody"`: not names, but read by passes over every node,
/// which then need not follow each element's attribute pointer again (one cache miss per element
/// per attempt).
const ROLE_MAIN: NameFlags = 4096;
const ITEMPROP_ARTICLE_BODY: NameFlags = 8192;
/// A plugin's furniture whose names also carry a content word: Jetpack's like and share widgets
/// (`sharedaddy sd-like ... id="like-post-wrapper-..."`), whose "Like this:" / "Share this:"
/// headings otherwise end up under articles.
const PLUGIN_FURNITURE: NameFlags = 16384;
const PLUGIN_FURNITURE_PARTS: &[&str] = &["sharedaddy", "jetpack-likes"];

/// Judges every element's `class`/`id` once; pages repeat the same few class strings hundreds of times,
/// so each distinct string is judged once. `role` and `itemprop` are noted on the way.
fn name_flags(dom: &Dom) -> Vec<NameFlags> {
    // Sized for a typical page's few hundred distinct strings, so the map rarely grows.
    let mut seen: rustc_hash::FxHashMap<&str, NameFlags> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(512, Default::default());
    dom.nodes
        .iter()
        .map(|node| {
            let Some(attrs) = node.attrs() else { return 0 };
            let mut flags = 0;
            if !attrs.class_id.is_empty() {
                flags = *seen
                    .entry(&*attrs.class_id)
                    .or_insert_with(|| judge_name(&attrs.class_id));
            }
            if attrs.role.as_deref() == Some("main") {
                flags |= ROLE_MAIN;
            }
            if attrs.itemprop.as_deref() == Some("articlebody") {
                flags |= ITEMPROP_ARTICLE_BODY;
            }
            flags
        })
        .collect()
}

/// Judges one `class`/`id` string in one pass of one automaton: word parts anywhere, whole tokens,
/// and class words starting with `widget`.
fn judge_name(class_id: &str) -> NameFlags {
    let (parts, tokens) = NAME_PATTERNS.scan(class_id);
    let content = tokens & CONTENT_TOKEN != 0;
    let mut tokens = tokens;
    // Tailwind's `overflow-hidden` clips, it does not hide, and `overflow-x-scroll` wraps data
    // tables: their "hidden" and "scroll" are not Readability's negative words.
    if tokens & NEGATIVE != 0 && (class_id.contains("overflow") || class_id.contains("scroll-")) {
        let cleaned: String = class_id
            .split_ascii_whitespace()
            .filter(|w| !is_scroll_utility(w))
            .collect::<Vec<_>>()
            .join(" ");
        let (_, t) = NAME_PATTERNS.scan(&cleaned);
        tokens = (tokens & !NEGATIVE) | (t & NEGATIVE);
    }
    let mut flags = (parts & (ARTICLE_BODY | COLLAPSED | CONSENT | SKIP_LINK | ICON_GLYPH))
        | (tokens & (NEGATIVE | POSITIVE));
    if parts & MAY_HIDE != 0 && hidden_by_class(class_id) {
        flags |= CLASS_HIDDEN;
    }
    // A skip link's name says "content" (`skip-to-content`) and is furniture all the same.
    if (parts | tokens) & FURNITURE != 0 && !content || parts & (SKIP_LINK | PLUGIN_FURNITURE) != 0
    {
        flags |= FURNITURE;
    } else if (parts | tokens) & WEAK_FURNITURE != 0 && !content && weak_name_is_head(class_id) {
        flags |= WEAK_FURNITURE;
    }
    flags
}

/// A CSS utility class about overflow or scrolling (`overflow-hidden`, `md:overflow-x-scroll`,
/// `scroll-mt-24`, `scroll-smooth`).
pub(super) fn is_scroll_utility(word: &str) -> bool {
    let base = word.rsplit(':').next().unwrap_or(word);
    base.contains("overflow")
        || ["scroll-m", "scroll-p", "scroll-smooth", "scroll-auto"]
            .iter()
            .any(|p| base.starts_with(p))
}

/// Whether some class word ends with a weak furniture name once BEM modifiers (`--x`), numbers and
/// generic suffixes (`-wrapper`, `-container`, ...) are cut: `site-header`, `header-container`,
/// `post-meta` name furniture; `meta-block-section`, `pane-header-alignment-left` and
/// `node--promoted` name something else that has the word in it.
pub(super) fn weak_name_is_head(class_id: &str) -> bool {
    const GENERIC: &[&str] = &[
        "wrapper",
        "wrap",
        "container",
        "inner",
        "outer",
        "holder",
        "area",
    ];
    class_id.split_ascii_whitespace().any(|word| {
        let mut head = word.split("--").next().unwrap_or(word);
        loop {
            let trimmed =
                head.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
            let stripped = GENERIC
                .iter()
                .find_map(|g| trimmed.strip_suffix(g))
                .filter(|rest| rest.is_empty() || rest.ends_with(['-', '_']));
            match stripped {
                Some(rest) if !rest.is_empty() => head = rest,
                _ => {
                    head = trimmed;
                    break;
                }
            }
        }
        WEAK_FURNITURE_PARTS
            .iter()
            .chain(WEAK_FURNITURE_TOKENS)
            .any(|weak| {
                head.ends_with(weak) || head.strip_suffix('s').is_some_and(|h| h.ends_with(weak))
            })
            || head.starts_with("widget")
    })
}

/// The class word that carries a weak furniture name, digits removed (`promo-carousel` of
/// `promo-carousel promo-carousel--dark`), for judging a component's elements together even when
/// their other classes differ. Popups and modals are never grouped (page builders' popups repeat).
fn group_word(class_id: &str) -> Option<String> {
    for word in class_id.split_ascii_whitespace() {
        let weak = WEAK_FURNITURE_PARTS
            .iter()
            .chain(WEAK_FURNITURE_TOKENS)
            .any(|p| word.contains(p));
        if weak {
            if word.contains("popup") || word.contains("modal") {
                return None;
            }
            return Some(word.chars().filter(|c| !c.is_ascii_digit()).collect());
        }
    }
    None
}

/// Utility classes that hide an element.
const HIDING_WORDS: &[&str] = &[
    "hide",
    "hidden",
    "d-none",
    "is-hidden",
    "invisible",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
];

/// Whether a utility class hides the element: Bootstrap's `d-none`, Tailwind's `hidden`, `sr-only`
/// and WordPress's `screen-reader-text` (text for screen readers only, such as "Skip to content"),
/// unless another class shows it at some screen size (`md:block`, `d-lg-flex`).
fn hidden_by_class(class_id: &str) -> bool {
    let mut hidden = false;
    for word in class_id.split_ascii_whitespace() {
        match word {
            _ if HIDING_WORDS.contains(&word) => hidden = true,
            _ if word.contains(':')
                || word.starts_with("d-sm-")
                || word.starts_with("d-md-")
                || word.starts_with("d-lg-")
                || word.starts_with("d-xl-") =>
            {
                return false
            }
            _ => {}
        }
    }
    hidden
}

/// Marks a token that says "content" and vetoes a furniture judgement.
const CONTENT_TOKEN: NameFlags = 32;
/// The class string holds one of the [`HIDING_WORDS`] (maybe inside a longer word): the
/// word-by-word check of [`hidden_by_class`] runs only then (it used to cost more than the
/// automaton walk).
const MAY_HIDE: NameFlags = 2048;

/// How a pattern of the class-name automaton must sit in the string to count.
#[derive(Clone, Copy)]
enum Placement {
    /// Anywhere (`sidebar` in `main-sidebar-wrapper`).
    Part,
    /// A whole run of ASCII letters and digits (`nav` in `top-nav`, not in `canvas`).
    Token,
    /// At the start of a space-separated class word (`widget` in `widget_text`, not in
    /// `elementor-widget-container`).
    WordStart,
}

/// Every class-name pattern in one Aho-Corasick DFA (standard semantics: each state lists every
/// pattern ending there), walked byte by byte. One walk replaces a substring search, a split into
/// tokens with a table lookup each, and a split into words: a class string costs a table lookup per
/// byte plus a check per match.
struct NamePatterns {
    dfa: aho_corasick::dfa::DFA,
    /// Per pattern: where it must sit, and the flags it gives.
    meaning: Vec<(Placement, NameFlags)>,
}

impl NamePatterns {
    /// The flags of the parts and of the tokens (with the `widget` word rule) in `class_id`.
    fn scan(&self, class_id: &str) -> (NameFlags, NameFlags) {
        use aho_corasick::automaton::Automaton;
        let dfa = &self.dfa;
        let Ok(mut state) = dfa.start_state(aho_corasick::Anchored::No) else {
            return (0, 0);
        };
        let bytes = class_id.as_bytes();
        let (mut parts, mut tokens) = (0, 0);
        for (end, &byte) in bytes.iter().enumerate() {
            state = dfa.next_state(aho_corasick::Anchored::No, state, byte);
            if !dfa.is_match(state) {
                continue;
            }
            for i in 0..dfa.match_len(state) {
                let pattern = dfa.match_pattern(state, i);
                let start = end + 1 - dfa.pattern_len(pattern);
                let before = start.checked_sub(1).map(|b| bytes[b]);
                match self.meaning[pattern.as_usize()] {
                    (Placement::Part, flags) => parts |= flags,
                    (Placement::Token, flags) => {
                        let after = bytes.get(end + 1).copied();
                        let bounded = |b: Option<u8>| !b.is_some_and(|b| b.is_ascii_alphanumeric());
                        if bounded(before) && bounded(after) {
                            tokens |= flags;
                        }
                    }
                    (Placement::WordStart, flags) => {
                        if before.is_none_or(|b| b.is_ascii_whitespace()) {
                            tokens |= flags;
                        }
                    }
                }
            }
        }
        (parts, tokens)
    }
}

static NAME_PATTERNS: std::sync::LazyLock<NamePatterns> = std::sync::LazyLock::new(|| {
    // WordPress sidebar widgets are `widget`, `widget_text`, `widget-area`; page builders call their
    // content blocks `elementor-widget-container` or `hs_cos_wrapper_widget`, so only a class word
    // that starts with "widget" is furniture.
    let lists: [(&[&str], Placement, NameFlags); 15] = [
        (HIDING_WORDS, Placement::Part, MAY_HIDE),
        (PLUGIN_FURNITURE_PARTS, Placement::Part, PLUGIN_FURNITURE),
        (ICON_GLYPH_PARTS, Placement::Part, ICON_GLYPH),
        (CONSENT_PARTS, Placement::Part, CONSENT),
        (SKIP_LINK_PARTS, Placement::Part, SKIP_LINK),
        (FURNITURE_PARTS, Placement::Part, FURNITURE),
        (WEAK_FURNITURE_PARTS, Placement::Part, WEAK_FURNITURE),
        (WEAK_FURNITURE_TOKENS, Placement::Token, WEAK_FURNITURE),
        (ARTICLE_BODY_PARTS, Placement::Part, ARTICLE_BODY),
        (COLLAPSED_PARTS, Placement::Part, COLLAPSED),
        (FURNITURE_TOKENS, Placement::Token, FURNITURE),
        (CONTENT_WORDS, Placement::Token, CONTENT_TOKEN),
        (NEGATIVE_WORDS, Placement::Token, NEGATIVE),
        (POSITIVE_WORDS, Placement::Token, POSITIVE),
        (&["widget"], Placement::WordStart, WEAK_FURNITURE),
    ];
    let mut patterns = Vec::new();
    let mut meaning = Vec::new();
    for (words, placement, flags) in lists {
        for word in words {
            // A token is a run of letters and digits, so a token word must be one to ever match.
            debug_assert!(
                !matches!(placement, Placement::Token)
                    || word.bytes().all(|b| b.is_ascii_alphanumeric())
            );
            patterns.push(*word);
            meaning.push((placement, flags));
        }
    }
    NamePatterns {
        dfa: aho_corasick::dfa::DFA::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .start_kind(aho_corasick::StartKind::Unanchored)
            .build(&patterns)
            .expect("class-name patterns are plain strings"),
        meaning,
    }
});

/// What is measured once per page and shared by every attempt.
struct PageFacts {
    names: Vec<NameFlags>,
    /// Visible text length under every node before any pruning, and how much of it is link text.
    raw_text: Vec<u32>,
    raw_link_text: Vec<u32>,
    /// Visible text inside `<pre>` and `<code>`.
    raw_code_text: Vec<u32>,
    /// Elements with a weak furniture name that are content after all: large prose alone or
    /// together with the other elements of their class string or class word (see
    /// [`weak_but_content`]).
    weak_but_content: Vec<bool>,
    /// Commas in each text node (0 for elements).
    commas: Vec<u32>,
    /// The page declares itself a discussion (schema.org `DiscussionForumPosting` or `QAPage` in
    /// JSON-LD): its replies, often named `comment` (Invision's `ipsComment`), are the content.
    discussion: bool,
    /// The page's first `<h1>`: the block holding it starts the content (a hero with the title and
    /// standfirst), whatever weak furniture name it has.
    first_h1: Option<NodeId>,
}

impl PageFacts {
    fn of(dom: &Dom) -> Self {
        let n = dom.nodes.len();
        let mut raw_text = vec![0u32; n];
        let mut raw_link_text = vec![0u32; n];
        let mut raw_code_text = vec![0u32; n];
        let mut commas = vec![0u32; n];
        // Children always follow their parent in the arena, so one backward sweep sums them.
        for id in (1..n).rev() {
            let node = &dom.nodes[id];
            match &node.data {
                NodeData::Text(text) => {
                    let (visible, comma_count) = text_facts(text);
                    raw_text[id] += visible;
                    commas[id] = comma_count;
                }
                NodeData::Element { tag: Tag::A, .. } => raw_link_text[id] = raw_text[id],
                NodeData::Element {
                    tag: Tag::Pre | Tag::Code,
                    ..
                } => raw_code_text[id] = raw_text[id],
                NodeData::Element { .. } => {}
            }
            raw_text[node.parent as usize] += raw_text[id];
            raw_link_text[node.parent as usize] += raw_link_text[id];
            raw_code_text[node.parent as usize] += raw_code_text[id];
        }
        let names = name_flags(dom);
        let weak_but_content = weak_but_content(dom, &names, &raw_text, &raw_link_text);
        PageFacts {
            names,
            weak_but_content,
            raw_text,
            raw_link_text,
            raw_code_text,
            commas,
            discussion: dom
                .json_ld
                .iter()
                .any(|j| j.contains("DiscussionForumPosting") || j.contains("QAPage")),
            first_h1: dom
                .nodes
                .iter()
                .position(|n| n.tag() == Some(Tag::H1))
                .map(|i| i as NodeId),
        }
    }
}

/// Which elements with a weak furniture name hold a large share of the page's prose
/// ([`LARGE_PROSE_SHARE`] percent of its text, under 30% of it in links): alone, together with the
/// elements of the same class string (a grid of `div.meta` entries, `elementor-cta` cards), or
/// together with three or more elements sharing the class word that carries the weak name
/// (`promo-carousel` among differing modifiers).
fn weak_but_content(
    dom: &Dom,
    names: &[NameFlags],
    raw_text: &[u32],
    raw_link_text: &[u32],
) -> Vec<bool> {
    let mut by_class: rustc_hash::FxHashMap<&str, (u64, u64)> = Default::default();
    let mut by_word: rustc_hash::FxHashMap<String, (u64, u64, u32)> = Default::default();
    let mut weak: Vec<(usize, &str, Option<String>)> = Vec::new();
    for (id, node) in dom.nodes.iter().enumerate() {
        if names[id] & WEAK_FURNITURE == 0 {
            continue;
        }
        let Some(attrs) = node.attrs() else { continue };
        let (text, links) = (raw_text[id] as u64, raw_link_text[id] as u64);
        let group = by_class.entry(&*attrs.class_id).or_default();
        group.0 += text;
        group.1 += links;
        let word = group_word(&attrs.class_id);
        if let Some(word) = &word {
            let group = by_word.entry(word.clone()).or_default();
            group.0 += text;
            group.1 += links;
            group.2 += 1;
        }
        weak.push((id, &*attrs.class_id, word));
    }
    let page = raw_text[0] as u64;
    let large =
        |text: u64, links: u64| text * 100 >= page * LARGE_PROSE_SHARE && links * 10 < text * 3;
    let mut content = vec![false; dom.nodes.len()];
    for (id, class, word) in weak {
        let (text, links) = by_class[class];
        let by_word = word
            .and_then(|w| by_word.get(&w).copied())
            .is_some_and(|(text, links, count)| count >= 3 && large(text, links));
        content[id] = large(text, links) || by_word;
    }
    content
}

struct Extraction<'a> {
    dom: &'a Dom<'a>,
    names: &'a [NameFlags],
    raw_text: &'a [u32],
    raw_link_text: &'a [u32],
    raw_code_text: &'a [u32],
    weak_but_content: &'a [bool],
    commas: &'a [u32],
    discussion: bool,
    first_h1: Option<NodeId>,
    attempt: Attempt,
    /// Keep the final removals and roots for [`main_content_explained`].
    trace: bool,
    removed: Vec<Removal>,
    stats: Vec<Stats>,
    scores: Vec<f32>,
    scored: Vec<bool>,
}

impl<'a> Extraction<'a> {
    fn new(dom: &'a Dom<'a>, facts: &'a PageFacts, attempt: Attempt, trace: bool) -> Self {
        let n = dom.nodes.len();
        Extraction {
            dom,
            names: &facts.names,
            raw_text: &facts.raw_text,
            raw_link_text: &facts.raw_link_text,
            raw_code_text: &facts.raw_code_text,
            weak_but_content: &facts.weak_but_content,
            commas: &facts.commas,
            first_h1: facts.first_h1,
            discussion: facts.discussion,
            attempt,
            trace,
            removed: vec![KEPT; n],
            stats: vec![Stats::default(); n],
            scores: vec![0.0; n],
            scored: vec![false; n],
        }
    }

    fn run(mut self) -> Attempted {
        self.prune(0, false);
        self.measure(0);
        let body = self.find(Tag::Body).unwrap_or(0);
        let region = self.main_region(body);
        let region_chars = self.stats[region as usize].text as usize;
        let pruned = self.removed.clone();
        let explicit = self.explicit_content(body);
        let chosen = match explicit {
            Some(node) => vec![node],
            None => self.best_candidates(body),
        };
        let top_score = chosen
            .iter()
            .map(|&c| self.scores[c as usize])
            .fold(0.0f32, f32::max);
        let mut related = Vec::new();
        if self.attempt.clean_conditionally {
            for &node in &chosen {
                self.clean_conditionally(node, &mut related);
            }
        }
        let mut text = self.text_of(&chosen);
        if let Some(marked) = explicit.filter(|&e| e != body) {
            if text.chars().count() * 2 < self.stats[marked as usize].text as usize
                && self.restore_cards(marked, &pruned)
            {
                text = self.text_of(&chosen);
            }
        }
        let body_link_density = self.link_density(body);
        Attempted {
            text,
            related,
            region,
            region_chars,
            pruned,
            explicit: explicit.is_some(),
            top_score,
            body_link_density,
            decision: self.trace.then_some(Decision {
                removed: self.removed,
                roots: chosen,
            }),
        }
    }

    /// The page's `<main>` (or `role="main"`) element when it holds at least a quarter of the body's
    /// text, else the body: the region a whole-page extraction starts from.
    fn main_region(&self, body: NodeId) -> NodeId {
        let body_text = self.stats[body as usize].text;
        let mut found = None;
        for (i, node) in self.dom.nodes.iter().enumerate() {
            let is_main = node.tag() == Some(Tag::Main) || self.names[i] & ROLE_MAIN != 0;
            if is_main && self.removed[i] == KEPT && self.stats[i].text * 4 >= body_text {
                match found {
                    Some(prev) if self.is_ancestor(prev, i as NodeId) => {}
                    Some(_) => return body,
                    None => found = Some(i as NodeId),
                }
            }
        }
        found.unwrap_or(body)
    }

    fn find(&self, tag: Tag) -> Option<NodeId> {
        self.dom
            .nodes
            .iter()
            .position(|n| n.tag() == Some(tag))
            .map(|i| i as NodeId)
    }

    /// Step 1: marks subtrees that are never main content.
    fn prune(&mut self, id: NodeId, in_pre: bool) {
        let node = self.dom.node(id);
        if let (NodeData::Element { tag, .. }, Some(attrs)) = (&node.data, node.attrs()) {
            let remove = match tag {
                Tag::Head
                | Tag::Title
                | Tag::Meta
                | Tag::Script
                | Tag::Style
                | Tag::Template
                | Tag::Svg
                | Tag::Math => NOT_TEXT,
                Tag::Iframe
                | Tag::Object
                | Tag::Embed
                | Tag::Canvas
                | Tag::Video
                | Tag::Audio
                | Tag::Picture => EMBEDDED_MEDIA,
                Tag::Button
                | Tag::Input
                | Tag::Select
                | Tag::Option
                | Tag::Textarea
                | Tag::Label => FORM_CONTROL,
                // An `<aside>` holding more than half the page and its headline is not a side note but
                // a wrapper, usually an announcement bar left unclosed that swallowed the article.
                // (Not so for `<nav>`: mega-menus can be most of a page's text.)
                Tag::Aside
                    if self.raw_text[id as usize] * 2 > self.raw_text[0]
                        && self.holds_headline(id, attrs) =>
                {
                    KEPT
                }
                Tag::Nav | Tag::Aside | Tag::Footer | Tag::Dialog | Tag::Menu => FURNITURE_ELEMENT,
                // A short `<noscript>` is an "enable JavaScript" notice; a long one can be the whole
                // page (Discourse), so it waits for the size guard below.
                Tag::NoScript if self.raw_text[id as usize] < 200 => NOSCRIPT,
                // Links are otherwise never pruned by class (`<a class="tag">` inside a sentence),
                // but a skip link ("Skip to main content") is furniture.
                Tag::A if self.names[id as usize] & SKIP_LINK != 0 => FURNITURE_CLASS,
                Tag::Figcaption => CAPTION,
                _ if self.names[id as usize] & ICON_GLYPH != 0 && !in_pre => NOT_TEXT,
                // A consent manager's dialog goes whatever its size: IAB preference centres list
                // hundreds of vendors and purposes, more text than many articles.
                // (`<body class="cookie-banner-open">` names the page, not a dialog.)
                _ if self.names[id as usize] & CONSENT != 0
                    && !in_pre
                    && !matches!(tag, Tag::Body | Tag::Html | Tag::Main | Tag::Article) =>
                {
                    FURNITURE_CLASS
                }
                // Attribute-based judgements never remove most of the page: Next.js and other
                // frameworks wrap the whole body in `visibility:hidden` until scripts run, and some
                // themes call their page wrapper `main-sidebar-layout`.
                _ if self.raw_text[id as usize] * 2 > self.raw_text[0] => KEPT,
                Tag::NoScript => NOSCRIPT,
                _ if (attrs.hidden || self.names[id as usize] & CLASS_HIDDEN != 0)
                    && !self.is_collapsed_content(id) =>
                {
                    HIDDEN
                }
                _ if attrs.role.as_deref().is_some_and(|r| {
                    matches!(
                        r,
                        "navigation"
                            | "contentinfo"
                            | "complementary"
                            | "menu"
                            | "menubar"
                            | "dialog"
                            | "alertdialog"
                            | "search"
                            | "banner"
                    )
                }) =>
                {
                    FURNITURE_ROLE
                }
                _ if self.attempt.prune_by_class
                    && !in_pre
                    && !matches!(tag, Tag::Body | Tag::Html | Tag::A | Tag::Main)
                    && (self.names[id as usize] & FURNITURE != 0
                        && !(self.discussion && attrs.class_id.contains("comment"))
                        || self.names[id as usize] & WEAK_FURNITURE != 0
                            && !self.weak_but_content[id as usize])
                    && !self.holds_headline(id, attrs)
                    // Code samples in an API reference's side column (`apisection-aside`) are content.
                    && !self.is_mostly_code(id) =>
                {
                    FURNITURE_CLASS
                }
                _ => KEPT,
            };
            if remove != KEPT {
                self.removed[id as usize] = remove;
                return;
            }
            let in_pre = in_pre || matches!(tag, Tag::Pre | Tag::Code | Tag::Table);
            let dom = self.dom;
            for child in dom.children(id) {
                self.prune(child, in_pre);
            }
        }
    }

    /// At least 60% of the element's text is in `<pre>` or `<code>`.
    fn is_mostly_code(&self, id: NodeId) -> bool {
        let text = self.raw_text[id as usize];
        text > 0 && self.raw_code_text[id as usize] * 10 >= text * 6
    }

    /// The element holds the page's first `<h1>` and is not link-dense, and its furniture name is
    /// weak or `masthead` (a hero banner with the title and the standfirst).
    fn holds_headline(&self, id: NodeId, attrs: &super::html::Attrs<'_>) -> bool {
        let Some(h1) = self.first_h1 else {
            return false;
        };
        let weak = self.names[id as usize] & FURNITURE == 0 || attrs.class_id.contains("masthead");
        weak && (id == h1 || self.is_ancestor(id, h1))
            && self.raw_link_text[id as usize] * 10 < self.raw_text[id as usize] * 3
    }

    /// A hidden node that is content folded away, not furniture: tab panels, accordions, FAQ answers,
    /// "read more" bodies. Browsers show them on a click, and readers count them as the page's text.
    fn is_collapsed_content(&self, id: NodeId) -> bool {
        let Some(attrs) = self.dom.node(id).attrs() else {
            return false;
        };
        attrs.role.as_deref() == Some("tabpanel") || self.names[id as usize] & COLLAPSED != 0
    }

    /// Fills [`Stats`] bottom-up for every kept node.
    fn measure(&mut self, id: NodeId) -> Stats {
        let node = self.dom.node(id);
        let mut stats = Stats::default();
        match &node.data {
            NodeData::Text(_) => {
                stats.text = self.raw_text[id as usize];
                stats.commas = self.commas[id as usize];
            }
            NodeData::Element { tag, .. } => {
                if *tag == Tag::Img {
                    stats.images = 1;
                }
                if self.removed[id as usize] != KEPT {
                    // Count what forms and media were there, even though their text is not.
                    // Buttons do not count: pronunciation, copy and expand buttons sit inside text.
                    if matches!(tag, Tag::Input | Tag::Select | Tag::Textarea) {
                        stats.inputs = 1;
                    }
                    self.stats[id as usize] = stats;
                    return stats;
                }
                let dom = self.dom;
                for child in dom.children(id) {
                    let c = self.measure(child);
                    stats.text += c.text;
                    stats.link_text += c.link_text;
                    stats.commas += c.commas;
                    stats.paragraphs += c.paragraphs;
                    stats.list_items += c.list_items;
                    stats.inputs += c.inputs;
                    stats.images += c.images;
                    if self.dom.node(child).tag().is_some_and(|t| t.is_block())
                        && self.removed[child as usize] == KEPT
                    {
                        stats.has_block_child = true;
                    }
                }
                match tag {
                    Tag::A if node.attrs().is_some_and(|a| a.has_href) => {
                        stats.link_text = stats.text
                    }
                    Tag::P => stats.paragraphs += 1,
                    Tag::Li => stats.list_items += 1,
                    _ => {}
                }
            }
        }
        self.stats[id as usize] = stats;
        stats
    }

    fn link_density(&self, id: NodeId) -> f32 {
        let s = self.stats[id as usize];
        if s.text == 0 {
            0.0
        } else {
            s.link_text as f32 / s.text as f32
        }
    }

    /// Step 2: an element the page itself marks as the article body, when it holds most of the text.
    fn explicit_content(&self, body: NodeId) -> Option<NodeId> {
        let body_text = self.stats[body as usize].text.max(1) as f32;
        let mut found: Option<NodeId> = None;
        for i in 0..self.dom.nodes.len() {
            let explicit = self.names[i] & (ITEMPROP_ARTICLE_BODY | ARTICLE_BODY) != 0;
            // The ancestor walk only for the few explicit candidates, not for every node.
            if !explicit || self.removed[i] != KEPT || self.is_removed_ancestor(i as NodeId) {
                continue;
            }
            let s = self.stats[i];
            if s.text < 200 || self.link_density(i as NodeId) > 0.5 {
                continue;
            }
            match found {
                // Nested matches: keep the outer one, which also holds the inner.
                Some(prev) if self.is_ancestor(prev, i as NodeId) => {}
                // Two separate article bodies (a teaser list): not explicit after all.
                Some(_) => return None,
                None => found = Some(i as NodeId),
            }
        }
        let node = found?;
        (self.stats[node as usize].text as f32 / body_text >= 0.25).then_some(node)
    }

    /// Puts back the link-dense blocks cleaning took out of `marked`, the page's own article body,
    /// that are mostly text (link density under 0.5): cleaning that removes most of a marked body
    /// contradicts the page, and what it took are cards (a title link over a description) of a
    /// landing page or an awards list, which are the content there. Link lists stay out.
    /// Whether anything was put back.
    fn restore_cards(&mut self, marked: NodeId, pruned: &[Removal]) -> bool {
        let mut restored = false;
        let mut stack = vec![marked];
        while let Some(id) = stack.pop() {
            let i = id as usize;
            if self.removed[i] == LINK_DENSE && pruned[i] == KEPT && self.link_density(id) < 0.5 {
                self.removed[i] = KEPT;
                restored = true;
            }
            if self.removed[i] == KEPT {
                stack.extend(self.dom.children(id));
            }
        }
        restored
    }

    fn is_ancestor(&self, ancestor: NodeId, mut id: NodeId) -> bool {
        while id != 0 {
            id = self.dom.node(id).parent;
            if id == ancestor {
                return true;
            }
        }
        false
    }

    fn is_removed_ancestor(&self, mut id: NodeId) -> bool {
        while id != 0 {
            id = self.dom.node(id).parent;
            if self.removed[id as usize] != KEPT {
                return true;
            }
        }
        false
    }

    /// Step 3: the scoring pass; returns the top candidate and the siblings that belong with it.
    fn best_candidates(&mut self, body: NodeId) -> Vec<NodeId> {
        let mut stack = vec![body];
        while let Some(id) = stack.pop() {
            if self.removed[id as usize] != KEPT {
                continue;
            }
            let node = self.dom.node(id);
            let Some(tag) = node.tag() else { continue };
            stack.extend(self.dom.children(id).rev());
            if !self.is_paragraph_like(id, tag) {
                continue;
            }
            let s = self.stats[id as usize];
            if s.text < 25 {
                continue;
            }
            // Commas in code are syntax, not the prose signal Readability counts them for.
            let commas = if tag == Tag::Pre { 0 } else { s.commas };
            let points = 1.0 + commas as f32 + (s.text / 100).min(3) as f32;
            let mut ancestor = node.parent;
            for level in 0..5 {
                if ancestor == 0 {
                    break;
                }
                self.initialise_score(ancestor);
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f32 * 3.0,
                };
                self.scores[ancestor as usize] += points / divider;
                ancestor = self.dom.node(ancestor).parent;
            }
        }
        let mut top: Option<(NodeId, f32)> = None;
        let mut candidates: Vec<(NodeId, f32)> = Vec::new();
        for i in 0..self.dom.nodes.len() {
            if !self.scored[i] {
                continue;
            }
            let score = self.scores[i] * (1.0 - self.link_density(i as NodeId));
            self.scores[i] = score;
            candidates.push((i as NodeId, score));
            if top.is_none_or(|(_, best)| score > best) {
                top = Some((i as NodeId, score));
            }
        }
        let Some((mut top, mut top_score)) = top else {
            return vec![body];
        };
        // Several strong candidates under one ancestor: the ancestor is the article.
        let strong: Vec<NodeId> = candidates
            .iter()
            .filter(|&&(id, s)| id != top && s >= top_score * 0.75)
            .map(|&(id, _)| id)
            .collect();
        if strong.len() >= 3 {
            let mut ancestor = self.dom.node(top).parent;
            while ancestor != 0 && ancestor != body {
                let holds = strong
                    .iter()
                    .filter(|&&s| self.is_ancestor(ancestor, s))
                    .count();
                if holds >= 3 {
                    top = ancestor;
                    break;
                }
                ancestor = self.dom.node(ancestor).parent;
            }
        }
        // A wrapper with a single child (scored or not, as in Readability.js), or a parent that
        // scores better: climb.
        loop {
            let parent = self.dom.node(top).parent;
            if parent == 0 || parent == body {
                break;
            }
            let kept_children = self
                .dom
                .children(parent)
                .filter(|&c| self.removed[c as usize] == KEPT && self.stats[c as usize].text > 0)
                .count();
            if kept_children == 1 || self.scores[parent as usize] > top_score {
                top = parent;
                top_score = top_score.max(self.scores[parent as usize]);
            } else {
                break;
            }
        }
        top_score = top_score.max(self.scores[top as usize]);
        self.with_siblings(top, top_score)
    }

    fn is_paragraph_like(&self, id: NodeId, tag: Tag) -> bool {
        match tag {
            Tag::P | Tag::Pre | Tag::Td | Tag::Dd | Tag::Blockquote => true,
            Tag::Div | Tag::Section | Tag::Article | Tag::Li | Tag::Span | Tag::Other => {
                !self.stats[id as usize].has_block_child
            }
            _ => false,
        }
    }

    fn initialise_score(&mut self, id: NodeId) {
        if self.scored[id as usize] {
            return;
        }
        self.scored[id as usize] = true;
        let node = self.dom.node(id);
        let prior = match node.tag() {
            Some(Tag::Div | Tag::Article | Tag::Main) => 5.0,
            Some(Tag::Pre | Tag::Td | Tag::Blockquote) => 3.0,
            Some(
                Tag::Address
                | Tag::Ol
                | Tag::Ul
                | Tag::Dl
                | Tag::Dd
                | Tag::Dt
                | Tag::Li
                | Tag::Form,
            ) => -3.0,
            Some(t) if t.is_heading() || t == Tag::Th => -5.0,
            _ => 0.0,
        };
        self.scores[id as usize] = prior + self.class_weight(id);
    }

    fn class_weight(&self, id: NodeId) -> f32 {
        if !self.attempt.weight_classes {
            return 0.0;
        }
        let flags = self.names[id as usize];
        let mut weight = 0.0;
        // `kt-accordion-panel-hidden`: a folded panel says "hidden", and is content.
        let folded_hidden = flags & COLLAPSED != 0
            && self
                .dom
                .node(id)
                .attrs()
                .is_some_and(|a| a.class_id.contains("hid"));
        if flags & NEGATIVE != 0 && !folded_hidden {
            weight -= 25.0;
        }
        if flags & POSITIVE != 0 {
            weight += 25.0;
        }
        weight
    }

    /// Siblings of the top candidate that look like more of the same article.
    fn with_siblings(&self, top: NodeId, top_score: f32) -> Vec<NodeId> {
        let parent = self.dom.node(top).parent;
        if top == 0 || parent == 0 {
            return vec![top];
        }
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = self.dom.node(top).attrs().map(|a| &*a.class_id);
        let mut chosen = Vec::new();
        for sibling in self.dom.children(parent) {
            if sibling == top {
                chosen.push(sibling);
                continue;
            }
            if self.removed[sibling as usize] != KEPT {
                continue;
            }
            let node = self.dom.node(sibling);
            let Some(tag) = node.tag() else { continue };
            let mut bonus = 0.0;
            if top_class.is_some_and(|c| !c.is_empty())
                && node.attrs().map(|a| &*a.class_id) == top_class
            {
                bonus = top_score * 0.2;
            }
            let append = if self.scored[sibling as usize]
                && self.scores[sibling as usize] + bonus >= threshold
            {
                true
            } else if tag == Tag::P
                || (tag == Tag::Div && !self.stats[sibling as usize].has_block_child)
            {
                let s = self.stats[sibling as usize];
                let density = self.link_density(sibling);
                let text = self.text_of(&[sibling]);
                (s.text > 80 && density < 0.25)
                    || (s.text > 0 && s.text <= 80 && density == 0.0 && text.contains(". "))
            } else {
                false
            };
            if append {
                chosen.push(sibling);
            }
        }
        chosen
    }

    /// The text of the links under `id`, joined by " / ".
    fn link_text_of(&self, id: NodeId) -> String {
        let mut links = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = self.dom.node(n);
            if node.tag() == Some(Tag::A) {
                let text = self.text_of(&[n]);
                if !text.is_empty() {
                    links.push(text);
                }
            } else {
                stack.extend(self.dom.children(n).rev());
            }
        }
        links.join(" / ")
    }

    /// The text of `roots`, in order, as this attempt's removals leave it.
    fn text_of(&self, roots: &[NodeId]) -> String {
        let mut r = Renderer::new(self.dom, &self.removed);
        for &root in roots {
            r.render(root);
        }
        r.finish()
    }

    /// Step 4: removes link lists and furniture blocks inside the chosen content.
    fn clean_conditionally(&mut self, root: NodeId, related: &mut Vec<String>) {
        // Walked in document order, so related links come out in reading order.
        let mut stack: Vec<NodeId> = self.dom.children(root).rev().collect();
        while let Some(id) = stack.pop() {
            if self.removed[id as usize] != KEPT {
                continue;
            }
            let node = self.dom.node(id);
            let Some(tag) = node.tag() else { continue };
            let removal = self.clean_reason(id, tag);
            if removal != KEPT {
                self.removed[id as usize] = removal;
                if tag == Tag::P {
                    let links = self.link_text_of(id);
                    if !links.is_empty() {
                        related.push(links);
                    }
                }
                continue;
            }
            stack.extend(self.dom.children(id).rev());
        }
    }

    /// Whether a block inside the chosen content goes, and why ([`KEPT`] if it stays).
    fn clean_reason(&self, id: NodeId, tag: Tag) -> Removal {
        if tag == Tag::P {
            // A short paragraph that is all link: "Read more: ...", "Baca juga: ...", a related
            // headline.
            let all_link = self.stats[id as usize].text < 200 && self.link_density(id) > 0.8;
            return if all_link { RELATED_LINK } else { KEPT };
        }
        if tag.is_heading() {
            // Headings named like furniture ("Related articles", "Share this") go; real subheads stay.
            return if self.class_weight(id) < 0.0 {
                FURNITURE_HEADING
            } else {
                KEPT
            };
        }
        if !matches!(
            tag,
            Tag::Form | Tag::Fieldset | Tag::Table | Tag::Ul | Tag::Ol | Tag::Div | Tag::Section
        ) {
            return KEPT;
        }
        if tag == Tag::Table && self.is_data_table(id) {
            return KEPT;
        }
        let s = self.stats[id as usize];
        let weight = self.class_weight(id);
        let score = if self.scored[id as usize] {
            self.scores[id as usize]
        } else {
            0.0
        };
        // A short plain list starts at −3 (Readability's tag prior) and would go for that alone.
        let is_list = matches!(tag, Tag::Ul | Tag::Ol);
        if weight + score < 0.0 && (!is_list || weight < 0.0) {
            return NEGATIVE_SCORE;
        }
        if s.commas >= 10 {
            return KEPT;
        }
        let density = self.link_density(id);
        let paragraphs = s.paragraphs as f32;
        if s.images > 1 && paragraphs / (s.images as f32) < 0.5 && s.text < 200 {
            IMAGE_BLOCK
        } else if !is_list && s.list_items as f32 > paragraphs + 10.0 && density > 0.2 {
            LINK_LIST
        } else if s.inputs as f32 > (paragraphs / 3.0).floor() && s.inputs > 0 && s.text < 200 {
            FORM_BLOCK
        } else if (s.text < 25 && s.images == 0 && s.text > 0 && !is_list && density > 0.0)
            || (weight < 25.0 && density > 0.2 && !(is_list && density < 0.5) && s.text < 1000)
            || (weight >= 25.0 && density > 0.5)
        {
            LINK_DENSE
        } else {
            KEPT
        }
    }

    fn is_data_table(&self, id: NodeId) -> bool {
        let s = self.stats[id as usize];
        s.text > 200 && self.link_density(id) < 0.3
    }
}

/// Visible length of a text node (characters, each whitespace run counted once) and its commas
/// (`,`, `，`, `、`). Every text byte of every page passes through here, so runs of 32 ASCII bytes
/// are checked for ASCII at once and counted in a loop without a branch per byte, and only the
/// rest goes character by character.
fn text_facts(text: &str) -> (u32, u32) {
    const CHUNK: usize = 32;
    let bytes = text.as_bytes();
    let (mut visible, mut commas) = (0u32, 0u32);
    // A character counts when it is not whitespace or when it is the first whitespace after one
    // that is not.
    let mut in_space = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + CHUNK).filter(|c| c.is_ascii()) {
            let (mut seen, mut comma) = (0u8, 0u8);
            let mut previous_space = in_space;
            for &b in chunk {
                let space = is_ascii_space(b);
                seen += u8::from(!space | !previous_space);
                comma += u8::from(b == b',');
                previous_space = space;
            }
            (visible, commas) = (visible + u32::from(seen), commas + u32::from(comma));
            in_space = previous_space;
            i += CHUNK;
            continue;
        }
        let (len, space, comma) = match bytes[i] {
            b if b.is_ascii() => (1, is_ascii_space(b), b == b','),
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.len_utf8(), c.is_whitespace(), matches!(c, '，' | '、'))
            }
        };
        visible += u32::from(!space | !in_space);
        commas += u32::from(comma);
        in_space = space;
        i += len;
    }
    (visible, commas)
}

/// Calls `f(offset, length, is_whitespace, is_comma)` for every character of `text`; ASCII bytes
/// are classified without decoding (most of the web's markup and much of its text is ASCII).
#[inline]
fn for_each_char_class(text: &str, mut f: impl FnMut(usize, usize, bool, bool)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            f(i, 1, is_ascii_space(b), b == b',');
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            f(i, c.len_utf8(), c.is_whitespace(), matches!(c, '，' | '、'));
            i += c.len_utf8();
        }
    }
}

/// Class/id words that name page furniture (Readability's `unlikelyCandidates`, trafilatura's discard
/// list, and what Indonesian news templates call theirs: `baca-juga`, `berita-terkait`, `tag-rail`).
const FURNITURE_PARTS: &[&str] = &[
    "sidebar",
    "related",
    "comment",
    "disqus",
    "breadcrumb",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "gdpr",
    "sponsor",
    "advert",
    "social",
    "share",
    "sharing",
    "footer",
    "masthead",
    "outbrain",
    "taboola",
    "recommend",
    "signup",
    "sign-up",
    "login",
    "navbar",
    "navigation",
    "menu",
    "shoutbox",
    "skyscraper",
    "baca-juga",
    "bacajuga",
    "terkait",
    "author-bio",
    "authorbio",
    "byline",
    "dateline",
    "print-only",
    // Customer reviews and the review platforms' widgets (user comments on a product).
    "customer-review",
    "product-reviews",
    "individual-review",
    "user-review",
    "reviews-section",
    "reviews-list",
    "review-list",
    "judgeme",
    "jdgm",
    "yotpo",
    "stamped-",
    "okendo",
    "bazaarvoice",
    "trustpilot",
    "reviews-io",
    "powerreviews",
];

/// Class/id parts of consent managers' dialogs (OneTrust, Cookiebot, Didomi, Usercentrics, Quantcast,
/// Sourcepoint, TrustArc, CookieYes, Complianz, and generic cookie banners).
const CONSENT_PARTS: &[&str] = &[
    "onetrust",
    "cookiebot",
    "cybotcookiebot",
    "didomi",
    "usercentrics",
    "qc-cmp",
    "sp_message",
    "truste-consent",
    "trustarc",
    "cky-consent",
    "cmplz",
    "cookie-banner",
    "cookie-notice",
    "cookie-consent",
    "cookieconsent",
    "cookie-law",
    "cookielaw",
    "consent-banner",
    "consent-manager",
    "gdpr-consent",
];

/// Class parts of icon fonts that draw glyphs from ligature text (Google's Material Icons and
/// Material Symbols).
const ICON_GLYPH_PARTS: &[&str] = &["material-icons", "material-symbols", "google-symbols"];

const SKIP_LINK_PARTS: &[&str] = &[
    "skip-link",
    "skiplink",
    "skip-to",
    "skip_to",
    "skip-nav",
    "skipnav",
    "skip-main",
    "skip-content",
];

const FURNITURE_TOKENS: &[&str] = &[
    // Not "top", "bottom", "hidden": CSS utility classes (`padding-top`, `overflow-hidden`) are
    // split into the same tokens, and real hiding is read from attributes.
    "ad", "ads", "adv", "advert", "nav", "tags", "tag", "aside", "credit", "credits", "topbar",
    "share", "subnav", "topik",
];

/// Furniture names that content blocks also carry (`card-header`, `sec-more-info`, `promoted`,
/// `elementor-cta`, `pagination-container` around a product grid, HubSpot's `widget-span`
/// modules): pruned only when the block is not a large share of the page's prose
/// ([`LARGE_PROSE_SHARE`]).
const WEAK_FURNITURE_PARTS: &[&str] = &[
    "popup",
    "modal",
    "banner",
    "pagination",
    "pager",
    "promo",
    "toolbar",
    // Footnotes under offers and products; MediaWiki's `[edit]` links; caption toggles.
    "disclaimer",
    "mw-editsection",
    "toggle-caption",
    // `imageEmbedCaption`, `caption_caption__x`: captions are not the article (AEB, WCXB gold), but
    // shops call their product cards' titles `product-caption`.
    "caption",
];

const WEAK_FURNITURE_TOKENS: &[&str] = &[
    "meta", "rail", "header", "tools", "cta", "more", "trending", "popular",
];

/// Class/id parts of content that is hidden until clicked (tabs, accordions, FAQ answers).
const COLLAPSED_PARTS: &[&str] = &[
    "accordion",
    "collapse",
    "tab-pane",
    "tabpanel",
    "tab-content",
    "panel",
    "faq",
    "answer",
    "expand",
    "toggle",
    "reveal",
    "read-more",
    "show-more",
    "description",
    "details",
    "drawer",
    "content",
];

/// Words that mean "this is the content" and keep a node whose name also matched furniture.
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "content", "main", "post", "entry", "story", "text", "blog", "hentry",
];

/// Class names of article-body containers across CMSes (WordPress `entry-content`, news sites'
/// `article-body`/`story-body`, Indonesian portals' `detail-text`/`read__content`/`isi-berita`).
const ARTICLE_BODY_PARTS: &[&str] = &[
    "articlebody",
    "article-body",
    "article_body",
    "article__body",
    "article-content",
    "article_content",
    "article__content",
    "articlecontent",
    "entry-content",
    "entry_content",
    "post-content",
    "post_content",
    "postcontent",
    "post-body",
    "post_body",
    "postbody",
    "story-body",
    "storybody",
    "story-content",
    "story__body",
    "content-body",
    "body-text",
    "article-text",
    "detail-text",
    "detail__body-text",
    "read__content",
    "isi-berita",
    "detail-content",
    "news-content",
    "blog-content",
    "single-content",
];

/// Readability's `negative` and `positive` class-weight patterns, as words.
const NEGATIVE_WORDS: &[&str] = &[
    "hidden",
    "hid",
    "banner",
    "combx",
    "comment",
    "comments",
    "com",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tag",
    "widget",
    "ad",
    "ads",
    "nav",
    "menu",
    "social",
];
const POSITIVE_WORDS: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "articlebody",
];

/// Turns a subtree into text: blocks on their own lines, blank lines between paragraphs, inline
/// whitespace collapsed, `<pre>` kept as written, table cells separated by a space.
pub struct Renderer<'a> {
    dom: &'a Dom<'a>,
    removed: &'a [Removal],
    out: String,
    /// The current line has text.
    line_open: bool,
    pending_space: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(dom: &'a Dom<'a>, removed: &'a [Removal]) -> Self {
        Renderer {
            dom,
            removed,
            out: String::new(),
            line_open: false,
            pending_space: false,
        }
    }

    fn break_block(&mut self) {
        if self.line_open {
            self.out.push_str("\n\n");
            self.line_open = false;
        }
        self.pending_space = false;
    }

    fn break_line(&mut self) {
        if self.line_open {
            self.out.push('\n');
            self.line_open = false;
        }
        self.pending_space = false;
    }

    fn push_text(&mut self, text: &str, preformatted: bool) {
        if preformatted {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.break_line();
                }
                let line = line.trim_end();
                if !line.trim().is_empty() {
                    if self.pending_space && self.line_open {
                        self.out.push(' ');
                    }
                    self.out.push_str(line);
                    self.line_open = true;
                    self.pending_space = false;
                }
            }
            return;
        }
        // Words are the runs between whitespace characters.
        let mut word_start = 0;
        for_each_char_class(text, |at, len, space, _| {
            if space {
                self.push_word(&text[word_start..at]);
                self.pending_space = true;
                word_start = at + len;
            }
        });
        self.push_word(&text[word_start..]);
    }

    fn push_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.pending_space && self.line_open {
            self.out.push(' ');
        }
        self.out.push_str(word);
        self.line_open = true;
        self.pending_space = false;
    }

    pub fn render(&mut self, root: NodeId) {
        self.break_block();
        self.walk(root, false);
        self.break_block();
    }

    fn walk(&mut self, id: NodeId, preformatted: bool) {
        if self.removed[id as usize] != KEPT {
            return;
        }
        let node = self.dom.node(id);
        match &node.data {
            NodeData::Text(text) => self.push_text(text, preformatted),
            NodeData::Element { tag, .. } => {
                let tag = *tag;
                match tag {
                    Tag::Br => {
                        self.break_line();
                        return;
                    }
                    Tag::Td | Tag::Th => self.pending_space = true,
                    Tag::Li | Tag::Tr | Tag::Dt | Tag::Dd => self.break_line(),
                    t if t.is_block() => self.break_block(),
                    _ => {}
                }
                let preformatted = preformatted || tag == Tag::Pre;
                let dom = self.dom;
                for child in dom.children(id) {
                    self.walk(child, preformatted);
                }
                match tag {
                    Tag::Td | Tag::Th => self.pending_space = true,
                    Tag::Li | Tag::Tr | Tag::Dt | Tag::Dd => self.break_line(),
                    t if t.is_block() => self.break_block(),
                    _ => {}
                }
            }
        }
    }

    pub fn finish(self) -> String {
        let mut out = self.out;
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character definition [`text_facts`] must agree with.
    fn text_facts_reference(text: &str) -> (u32, u32) {
        let (mut visible, mut commas, mut in_space) = (0, 0, true);
        for c in text.chars() {
            let space = c.is_whitespace();
            visible += u32::from(!space || !in_space);
            commas += u32::from(matches!(c, ',' | '，' | '、'));
            in_space = space;
        }
        (visible, commas)
    }

    #[test]
    fn name_flags_are_distinct_bits() {
        let flags = [
            FURNITURE,
            ARTICLE_BODY,
            NEGATIVE,
            POSITIVE,
            COLLAPSED,
            CONTENT_TOKEN,
            CONSENT,
            WEAK_FURNITURE,
            CLASS_HIDDEN,
            SKIP_LINK,
            ICON_GLYPH,
            MAY_HIDE,
            ROLE_MAIN,
            ITEMPROP_ARTICLE_BODY,
            PLUGIN_FURNITURE,
        ];
        let mut seen: NameFlags = 0;
        for flag in flags {
            assert_eq!(flag.count_ones(), 1, "{flag}");
            assert_eq!(seen & flag, 0, "{flag} used twice");
            seen |= flag;
        }
    }

    #[test]
    fn every_hiding_word_is_seen_by_the_automaton() {
        for word in HIDING_WORDS {
            assert_ne!(NAME_PATTERNS.scan(word).0 & MAY_HIDE, 0, "{word}");
            assert_ne!(judge_name(word) & CLASS_HIDDEN, 0, "{word}");
            assert_eq!(
                judge_name(&format!("{word} md:block")) & CLASS_HIDDEN,
                0,
                "{word}"
            );
        }
        assert_eq!(judge_name("hidden-gem") & CLASS_HIDDEN, 0);
    }

    #[test]
    fn text_facts_counts_like_the_reference_across_chunk_edges() {
        let pieces = [
            "Harga cabai, bawang,  dan tomat ",
            "\n\t  ",
            "kupu-kupu\u{a0}terbang",
            "東京、大阪，京都",
            "\u{3000}\u{2009} ",
            "x",
            ",,,,",
        ];
        // Every mix of pieces in every order up to length 4 puts each kind of character on both
        // sides of a 32-byte chunk edge somewhere.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for text in &texts {
                assert_eq!(text_facts(text), text_facts_reference(text), "{text:?}");
                let long = text.repeat(5);
                assert_eq!(text_facts(&long), text_facts_reference(&long), "{long:?}");
            }
        }
    }
}
