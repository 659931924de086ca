//! A fast, forgiving HTML parser that builds only what main-content extraction needs.
//!
//! Why not html5ever: a spec-complete tree builder spends its time on things extraction never looks at
//! (every attribute, foreign content, adoption-agency reparenting) and allocates per node and per
//! attribute. Crawled pages are half script and style by bytes, so this parser jumps over raw-text
//! elements with `memchr`, keeps only the attributes extraction reads (`class`, `id`, `role`,
//! `itemprop`, `href` presence, hiding hints, `<meta>` and `<html lang>` values), decodes entities only
//! in text, and repairs nesting with the few HTML rules that change the shape of real pages: void
//! elements, `<p>` closed by a block, `<li>`/`<dt>`/`<dd>`/`<tr>`/`<td>`/`<option>` closed by a sibling,
//! and end tags that close everything opened after their start tag. Anything stranger (stray end tags,
//! unclosed inline elements) is tolerated, never an error: the output is always a tree.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// Index of a node in [`Dom::nodes`]. The root (a synthetic document node) is 0.
pub type NodeId = u32;

/// Element names extraction distinguishes; everything else is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Document,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Script,
    Style,
    NoScript,
    Template,
    Svg,
    Math,
    Iframe,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Picture,
    Img,
    Br,
    Hr,
    P,
    Div,
    Span,
    A,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    Button,
    Input,
    Select,
    Option,
    Textarea,
    Label,
    Fieldset,
    Figure,
    Figcaption,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Caption,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Pre,
    Code,
    Blockquote,
    Time,
    Address,
    Menu,
    Dialog,
    Details,
    Summary,
    /// Void elements extraction ignores (`link`, `base`, `source`, `wbr`, ...).
    OtherVoid,
    Other,
}

impl Tag {
    fn from_name(name: &[u8]) -> Tag {
        // Names arrive lower-cased.
        match name {
            b"html" => Tag::Html,
            b"head" => Tag::Head,
            b"body" => Tag::Body,
            b"title" => Tag::Title,
            b"meta" => Tag::Meta,
            b"script" => Tag::Script,
            b"style" => Tag::Style,
            b"noscript" => Tag::NoScript,
            b"template" => Tag::Template,
            b"svg" => Tag::Svg,
            b"math" => Tag::Math,
            b"iframe" => Tag::Iframe,
            b"object" => Tag::Object,
            b"embed" => Tag::Embed,
            b"canvas" => Tag::Canvas,
            b"video" => Tag::Video,
            b"audio" => Tag::Audio,
            b"picture" => Tag::Picture,
            b"img" => Tag::Img,
            b"br" => Tag::Br,
            b"hr" => Tag::Hr,
            b"p" => Tag::P,
            b"div" => Tag::Div,
            b"span" => Tag::Span,
            b"a" => Tag::A,
            b"article" => Tag::Article,
            b"main" => Tag::Main,
            b"section" => Tag::Section,
            b"header" => Tag::Header,
            b"footer" => Tag::Footer,
            b"nav" => Tag::Nav,
            b"aside" => Tag::Aside,
            b"form" => Tag::Form,
            b"button" => Tag::Button,
            b"input" => Tag::Input,
            b"select" => Tag::Select,
            b"option" => Tag::Option,
            b"textarea" => Tag::Textarea,
            b"label" => Tag::Label,
            b"fieldset" => Tag::Fieldset,
            b"figure" => Tag::Figure,
            b"figcaption" => Tag::Figcaption,
            b"ul" => Tag::Ul,
            b"ol" => Tag::Ol,
            b"li" => Tag::Li,
            b"dl" => Tag::Dl,
            b"dt" => Tag::Dt,
            b"dd" => Tag::Dd,
            b"table" => Tag::Table,
            b"caption" => Tag::Caption,
            b"thead" => Tag::Thead,
            b"tbody" => Tag::Tbody,
            b"tfoot" => Tag::Tfoot,
            b"tr" => Tag::Tr,
            b"td" => Tag::Td,
            b"th" => Tag::Th,
            b"h1" => Tag::H1,
            b"h2" => Tag::H2,
            b"h3" => Tag::H3,
            b"h4" => Tag::H4,
            b"h5" => Tag::H5,
            b"h6" => Tag::H6,
            b"pre" => Tag::Pre,
            b"code" => Tag::Code,
            b"blockquote" => Tag::Blockquote,
            b"time" => Tag::Time,
            b"address" => Tag::Address,
            b"menu" => Tag::Menu,
            b"dialog" => Tag::Dialog,
            b"details" => Tag::Details,
            b"summary" => Tag::Summary,
            b"area" | b"base" | b"col" | b"link" | b"param" | b"source" | b"track" | b"wbr"
            | b"keygen" => Tag::OtherVoid,
            _ => Tag::Other,
        }
    }

    /// The end-tag name that closes a raw-text element.
    fn raw_text_name(self) -> &'static [u8] {
        match self {
            Tag::Script => b"script",
            Tag::Style => b"style",
            Tag::Textarea => b"textarea",
            Tag::Title => b"title",
            Tag::Iframe => b"iframe",
            _ => b"",
        }
    }

    /// Elements that never have children.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Meta | Tag::Img | Tag::Br | Tag::Hr | Tag::Input | Tag::Embed | Tag::OtherVoid
        )
    }

    /// Elements whose content is raw text up to their end tag. `<noscript>` is parsed as markup (a
    /// browser without scripts shows it): forums such as Discourse put the whole page there.
    fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script | Tag::Style | Tag::Textarea | Tag::Title | Tag::Iframe
        )
    }

    /// Elements that start a new line of text when rendered.
    pub fn is_block(self) -> bool {
        matches!(
            self,
            Tag::Html
                | Tag::Body
                | Tag::P
                | Tag::Div
                | Tag::Article
                | Tag::Main
                | Tag::Section
                | Tag::Header
                | Tag::Footer
                | Tag::Nav
                | Tag::Aside
                | Tag::Form
                | Tag::Fieldset
                | Tag::Figure
                | Tag::Figcaption
                | Tag::Ul
                | Tag::Ol
                | Tag::Li
                | Tag::Dl
                | Tag::Dt
                | Tag::Dd
                | Tag::Table
                | Tag::Caption
                | Tag::Thead
                | Tag::Tbody
                | Tag::Tfoot
                | Tag::Tr
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Pre
                | Tag::Blockquote
                | Tag::Address
                | Tag::Menu
                | Tag::Dialog
                | Tag::Details
                | Tag::Summary
                | Tag::Hr
                | Tag::Br
        )
    }

    pub fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }

    /// Start tags of these close an open `<p>`: the block elements, less those that only occur inside
    /// lists, tables and details (HTML's "closes a p element" list, abridged).
    fn closes_paragraph(self) -> bool {
        self.is_block()
            && !matches!(
                self,
                Tag::Html
                    | Tag::Body
                    | Tag::Figcaption
                    | Tag::Li
                    | Tag::Dt
                    | Tag::Dd
                    | Tag::Caption
                    | Tag::Thead
                    | Tag::Tbody
                    | Tag::Tfoot
                    | Tag::Tr
                    | Tag::Summary
                    | Tag::Br
            )
    }
}

impl<'h> Attrs<'h> {
    /// No attributes.
    pub const NONE: Attrs<'h> = Attrs {
        class_id: Cow::Borrowed(""),
        role: None,
        itemprop: None,
        has_href: false,
        hidden: false,
        meta_key: None,
        content: None,
        lang: None,
        datetime: None,
        kind: None,
        rel: None,
        charset: None,
    };

    /// Attributes recorded while reading a tag, kept only if they say something (`class=""` does not).
    fn kept(attrs: Option<Box<Attrs<'h>>>) -> Option<Box<Attrs<'h>>> {
        attrs.filter(|a| **a != Attrs::NONE)
    }
}

static NO_ATTRS: Attrs<'static> = Attrs::NONE;

/// The attributes extraction reads, already lower-cased where matching is case-insensitive.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Attrs<'h> {
    /// `class` and `id` joined by a space, lower-cased: what boilerplate patterns match against.
    /// Borrowed from the page when it is a single attribute already in lower case (most are).
    pub class_id: Cow<'h, str>,
    pub role: Option<String>,
    pub itemprop: Option<String>,
    pub has_href: bool,
    /// `hidden`, `aria-hidden="true"`, or an inline style with `display:none` / `visibility:hidden`.
    pub hidden: bool,
    /// For `<meta>`: `name`, `property` or `itemprop` (lower-cased), and `content`.
    pub meta_key: Option<String>,
    pub content: Option<String>,
    /// `<html lang>`, `<time datetime>`, `<script type>`, `<a rel>` and `<meta charset>` values.
    pub lang: Option<String>,
    pub datetime: Option<String>,
    pub kind: Option<String>,
    pub rel: Option<String>,
    pub charset: Option<String>,
}

#[derive(Debug, Clone)]
pub enum NodeData<'h> {
    /// `attrs` is `None` for an element without any attribute extraction reads (most of them), which
    /// saves an allocation per element; [`Node::attrs`] then gives [`Attrs::NONE`].
    Element {
        tag: Tag,
        attrs: Option<Box<Attrs<'h>>>,
    },
    /// Text with entities decoded and whitespace as in the source; outside `<pre>`, a run of
    /// whitespace alone between tags is a shared `" "` (it only separates words), not an allocation.
    Text(Cow<'h, str>),
}

/// A node of the arena. Children are linked (first/last child, next/previous sibling) instead of
/// held in a vector per element: no allocation per element, and [`Dom::children`] walks them either
/// way. Node 0 (the document) is nobody's child, so 0 means "none" in the links.
#[derive(Debug, Clone)]
pub struct Node<'h> {
    pub data: NodeData<'h>,
    pub parent: NodeId,
    first_child: NodeId,
    last_child: NodeId,
    next_sibling: NodeId,
    prev_sibling: NodeId,
}

impl<'h> Node<'h> {
    pub fn tag(&self) -> Option<Tag> {
        match &self.data {
            NodeData::Element { tag, .. } => Some(*tag),
            NodeData::Text(_) => None,
        }
    }

    pub fn attrs(&self) -> Option<&Attrs<'h>> {
        match &self.data {
            NodeData::Element { attrs, .. } => Some(attrs.as_deref().unwrap_or(&NO_ATTRS)),
            NodeData::Text(_) => None,
        }
    }
}

/// A parsed page: an arena of nodes, node 0 being the document.
#[derive(Debug, Clone)]
pub struct Dom<'h> {
    pub nodes: Vec<Node<'h>>,
    /// Raw text of `<script type="application/ld+json">` blocks (metadata lives there).
    pub json_ld: Vec<String>,
    /// Text of the first `<title>`.
    pub title: Option<String>,
}

impl<'h> Dom<'h> {
    pub fn node(&self, id: NodeId) -> &Node<'h> {
        &self.nodes[id as usize]
    }

    /// The children of `id`, in document order (`.rev()` for the reverse).
    pub fn children(&self, id: NodeId) -> Children<'_, 'h> {
        let node = self.node(id);
        Children {
            dom: self,
            front: node.first_child,
            back: node.last_child,
        }
    }
}

/// Iterator over a node's children, from both ends.
pub struct Children<'a, 'h> {
    dom: &'a Dom<'h>,
    front: NodeId,
    back: NodeId,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.front == 0 {
            return None;
        }
        let id = self.front;
        if id == self.back {
            (self.front, self.back) = (0, 0);
        } else {
            self.front = self.dom.node(id).next_sibling;
        }
        Some(id)
    }
}

impl DoubleEndedIterator for Children<'_, '_> {
    fn next_back(&mut self) -> Option<NodeId> {
        if self.back == 0 {
            return None;
        }
        let id = self.back;
        if id == self.front {
            (self.front, self.back) = (0, 0);
        } else {
            self.back = self.dom.node(id).prev_sibling;
        }
        Some(id)
    }
}

/// Parses `html` into a [`Dom`]. Never fails: any input gives a tree.
pub fn parse(html: &str) -> Dom<'_> {
    let mut builder = Builder::new();
    // Real pages hold about one node per 60 bytes; reserving up front avoids copying the arena as
    // it grows.
    builder.nodes.reserve(html.len() / 60);
    builder.run(html.as_bytes(), html);
    builder.place_streamed_segments();
    Dom {
        nodes: builder.nodes,
        json_ld: builder.json_ld,
        title: builder.title,
    }
}

struct Builder<'h> {
    nodes: Vec<Node<'h>>,
    /// Open elements, innermost last; `stack[0]` is the document.
    stack: Vec<NodeId>,
    json_ld: Vec<String>,
    title: Option<String>,
    /// `html`, `head` and `body` already opened (a second one is ignored).
    seen_document_tags: Vec<Tag>,
    /// `<pre>` elements on the stack (whitespace inside them is kept as written).
    open_pre: u32,
    /// React streaming: `<div hidden id="S:x">` segments and the `<template id="P:x">` /
    /// `<template id="B:x">` placeholders they replace, as (lower-cased id, node).
    streamed_segments: Vec<(String, NodeId)>,
    stream_placeholders: Vec<(String, NodeId)>,
}

/// How deep the tree may grow; deeper elements are attached flat. Pathological pages nest thousands of
/// unclosed `<div>`s or `<font>`s, and recursive passes over the tree must not overflow the stack.
const MAX_DEPTH: usize = 256;

impl<'h> Builder<'h> {
    fn new() -> Self {
        Builder {
            nodes: vec![Node {
                data: NodeData::Element {
                    tag: Tag::Document,
                    attrs: None,
                },
                parent: 0,
                first_child: 0,
                last_child: 0,
                next_sibling: 0,
                prev_sibling: 0,
            }],
            stack: vec![0],
            json_ld: Vec::new(),
            title: None,
            seen_document_tags: Vec::new(),
            open_pre: 0,
            streamed_segments: Vec::new(),
            stream_placeholders: Vec::new(),
        }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn append(&mut self, data: NodeData<'h>) -> NodeId {
        let parent = self.current();
        let id = self.nodes.len() as NodeId;
        let prev_sibling = self.nodes[parent as usize].last_child;
        self.nodes.push(Node {
            data,
            parent,
            first_child: 0,
            last_child: 0,
            next_sibling: 0,
            prev_sibling,
        });
        if prev_sibling == 0 {
            self.nodes[parent as usize].first_child = id;
        } else {
            self.nodes[prev_sibling as usize].next_sibling = id;
        }
        self.nodes[parent as usize].last_child = id;
        id
    }

    fn append_text(&mut self, raw: &'h str) {
        if raw.is_empty() {
            return;
        }
        // Half the text nodes of a page are indentation between tags; outside `<pre>` it only
        // separates words, so it becomes one shared space.
        let space_only = self.open_pre == 0 && raw.bytes().all(is_ascii_space);
        let text: Cow<'h, str> = if space_only {
            Cow::Borrowed(" ")
        } else if raw.contains('&') {
            html_escape::decode_html_entities(raw)
        } else {
            Cow::Borrowed(raw)
        };
        // Adjacent text (split by a comment or a dropped tag) is merged into one node.
        let parent = self.current();
        let last = self.nodes[parent as usize].last_child;
        if last != 0 {
            if let NodeData::Text(existing) = &mut self.nodes[last as usize].data {
                existing.to_mut().push_str(&text);
                return;
            }
        }
        // Text without entities is borrowed from the page, not copied.
        self.append(NodeData::Text(text));
    }

    fn tag_of(&self, id: NodeId) -> Tag {
        self.nodes[id as usize].tag().unwrap_or(Tag::Other)
    }

    /// Position in the stack of the innermost open `tag`, not looking past a `boundary` element.
    fn find_open(&self, tag: Tag, boundaries: &[Tag]) -> Option<usize> {
        for (pos, &id) in self.stack.iter().enumerate().skip(1).rev() {
            let open = self.tag_of(id);
            if open == tag {
                return Some(pos);
            }
            if boundaries.contains(&open) {
                return None;
            }
        }
        None
    }

    fn close_to(&mut self, pos: usize) {
        let keep = pos.max(1);
        if self.open_pre > 0 {
            let closed = &self.stack[keep.min(self.stack.len())..];
            let pres = closed
                .iter()
                .filter(|&&id| self.tag_of(id) == Tag::Pre)
                .count() as u32;
            self.open_pre -= pres;
        }
        self.stack.truncate(keep);
    }

    fn start_tag(&mut self, tag: Tag, attrs: Option<Box<Attrs<'h>>>) {
        // A second `<html>`, `<head>` or `<body>` (pages pasted into pages) is ignored, as browsers do.
        if matches!(tag, Tag::Html | Tag::Head | Tag::Body) {
            if self.seen_document_tags.contains(&tag) {
                return;
            }
            self.seen_document_tags.push(tag);
        }
        if tag.closes_paragraph() {
            if let Some(pos) = self.find_open(Tag::P, &[Tag::Table, Tag::Td, Tag::Th, Tag::Button])
            {
                self.close_to(pos);
            }
        }
        match tag {
            Tag::Li => self.close_sibling(Tag::Li, &[Tag::Ul, Tag::Ol, Tag::Menu, Tag::Table]),
            Tag::Dt | Tag::Dd => {
                self.close_sibling(Tag::Dt, &[Tag::Dl, Tag::Table]);
                self.close_sibling(Tag::Dd, &[Tag::Dl, Tag::Table]);
            }
            Tag::Tr => self.close_sibling(Tag::Tr, &[Tag::Table]),
            Tag::Td | Tag::Th => {
                self.close_sibling(Tag::Td, &[Tag::Tr, Tag::Table]);
                self.close_sibling(Tag::Th, &[Tag::Tr, Tag::Table]);
            }
            Tag::Option => self.close_sibling(Tag::Option, &[Tag::Select]),
            Tag::Thead | Tag::Tbody | Tag::Tfoot => {
                for section in [Tag::Thead, Tag::Tbody, Tag::Tfoot] {
                    self.close_sibling(section, &[Tag::Table]);
                }
            }
            _ => {}
        }
        let stream_id = attrs.as_deref().and_then(|a| streaming_id(tag, a));
        let id = self.append(NodeData::Element { tag, attrs });
        if let Some(stream_id) = stream_id {
            if tag == Tag::Template {
                self.stream_placeholders.push((stream_id, id));
            } else {
                self.streamed_segments.push((stream_id, id));
            }
        }
        if !tag.is_void() && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
            if tag == Tag::Pre {
                self.open_pre += 1;
            }
        }
    }

    /// Moves each React streaming segment where the page's scripts put it, and shows it.
    ///
    /// React's streaming server renderer (Next.js App Router, Remix) sends the page shell first, with
    /// `<template id="P:x">` or `<template id="B:x">` where slow parts go, then each part as
    /// `<div hidden id="S:x">` at the end of the body, and a script (`$RS("S:x","P:x")`,
    /// `$RC("B:x","S:x")`) that moves it into place. Without this, product descriptions and article
    /// bodies of such pages read as hidden, and extraction keeps the page's header. A segment without
    /// its placeholder stays where it is, hidden (no script would show it). The move never creates a
    /// cycle and never makes the tree deeper than [`MAX_DEPTH`].
    fn place_streamed_segments(&mut self) {
        let segments = std::mem::take(&mut self.streamed_segments);
        let placeholders = std::mem::take(&mut self.stream_placeholders);
        if segments.is_empty() || placeholders.is_empty() {
            return;
        }
        // First placeholder of each id wins, as `document.getElementById` would have it.
        let mut by_id: rustc_hash::FxHashMap<&str, NodeId> = Default::default();
        for (id, node) in &placeholders {
            by_id.entry(id.as_str()).or_insert(*node);
        }
        let mut key = String::new();
        for (segment_id, segment) in &segments {
            // `$RS` fills a `P:` placeholder; `$RC` replaces a Suspense boundary's `B:` template.
            let mut find = |prefix: &str| {
                key.clear();
                key.push_str(prefix);
                key.push_str(&segment_id[2..]);
                by_id.get(key.as_str()).copied()
            };
            let Some(placeholder) = find("p:").or_else(|| find("b:")) else {
                continue;
            };
            let Some(depth) = self.depth_outside(placeholder, *segment) else {
                continue; // the placeholder is inside the segment itself
            };
            if depth + self.height(*segment) > MAX_DEPTH {
                continue;
            }
            self.detach(*segment);
            self.insert_after(placeholder, *segment);
            if let NodeData::Element {
                attrs: Some(attrs), ..
            } = &mut self.nodes[*segment as usize].data
            {
                attrs.hidden = false;
            }
        }
    }

    /// How deep `id` is (the document is 0), or `None` if `subtree` is `id` or one of its ancestors.
    fn depth_outside(&self, id: NodeId, subtree: NodeId) -> Option<usize> {
        let mut depth = 0;
        let mut node = id;
        while node != 0 {
            if node == subtree {
                return None;
            }
            node = self.nodes[node as usize].parent;
            depth += 1;
        }
        Some(depth)
    }

    /// Levels in the subtree under `id`, itself included (walked without recursion).
    fn height(&self, id: NodeId) -> usize {
        let mut deepest = 0;
        let mut pending = vec![(id, 1usize)];
        while let Some((node, level)) = pending.pop() {
            deepest = deepest.max(level);
            let mut child = self.nodes[node as usize].first_child;
            while child != 0 {
                pending.push((child, level + 1));
                child = self.nodes[child as usize].next_sibling;
            }
        }
        deepest
    }

    /// Unlinks `id` from its parent and siblings.
    fn detach(&mut self, id: NodeId) {
        let Node {
            parent,
            prev_sibling,
            next_sibling,
            ..
        } = self.nodes[id as usize];
        if prev_sibling == 0 {
            self.nodes[parent as usize].first_child = next_sibling;
        } else {
            self.nodes[prev_sibling as usize].next_sibling = next_sibling;
        }
        if next_sibling == 0 {
            self.nodes[parent as usize].last_child = prev_sibling;
        } else {
            self.nodes[next_sibling as usize].prev_sibling = prev_sibling;
        }
        let node = &mut self.nodes[id as usize];
        (node.parent, node.prev_sibling, node.next_sibling) = (0, 0, 0);
    }

    /// Links the detached node `id` in as the next sibling of `anchor`.
    fn insert_after(&mut self, anchor: NodeId, id: NodeId) {
        let parent = self.nodes[anchor as usize].parent;
        let next = self.nodes[anchor as usize].next_sibling;
        {
            let node = &mut self.nodes[id as usize];
            (node.parent, node.prev_sibling, node.next_sibling) = (parent, anchor, next);
        }
        self.nodes[anchor as usize].next_sibling = id;
        if next == 0 {
            self.nodes[parent as usize].last_child = id;
        } else {
            self.nodes[next as usize].prev_sibling = id;
        }
    }

    fn close_sibling(&mut self, tag: Tag, boundaries: &[Tag]) {
        if let Some(pos) = self.find_open(tag, boundaries) {
            self.close_to(pos);
        }
    }

    fn end_tag(&mut self, tag: Tag) {
        if matches!(tag, Tag::Body | Tag::Html) || tag.is_void() {
            return; // content after </body> still belongs to the body, as in browsers
        }
        if let Some(pos) = self.find_open(tag, &[]) {
            self.close_to(pos);
        }
    }

    fn run(&mut self, bytes: &[u8], html: &'h str) {
        let mut pos = 0;
        let len = bytes.len();
        while pos < len {
            let Some(lt) = memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
                self.append_text(&html[pos..]);
                break;
            };
            let next = bytes.get(lt + 1).copied().unwrap_or(0);
            if next.is_ascii_alphabetic() {
                self.append_text(&html[pos..lt]);
                pos = self.start_tag_at(bytes, html, lt);
            } else if next == b'/' && bytes.get(lt + 2).is_some_and(|b| b.is_ascii_alphabetic()) {
                self.append_text(&html[pos..lt]);
                let (name_end, tag) = read_name(bytes, lt + 2);
                self.end_tag(tag);
                pos = memchr(b'>', &bytes[name_end..]).map_or(len, |i| name_end + i + 1);
            } else if next == b'!' {
                self.append_text(&html[pos..lt]);
                pos = if bytes[lt..].starts_with(b"<!--") {
                    COMMENT_END
                        .find(&bytes[lt + 4..])
                        .map_or(len, |i| lt + 4 + i + 3)
                } else {
                    memchr(b'>', &bytes[lt..]).map_or(len, |i| lt + i + 1)
                };
            } else if next == b'?' {
                self.append_text(&html[pos..lt]);
                pos = memchr(b'>', &bytes[lt..]).map_or(len, |i| lt + i + 1);
            } else {
                // A literal '<' in text.
                self.append_text(&html[pos..=lt]);
                pos = lt + 1;
            }
        }
    }

    /// Parses the start tag at `lt` and, for raw-text elements, its content. Returns the next position.
    fn start_tag_at(&mut self, bytes: &[u8], html: &'h str, lt: usize) -> usize {
        let (mut pos, tag) = read_name(bytes, lt + 1);
        // Allocated only when an attribute extraction reads turns up (most tags have none).
        let mut attrs: Option<Box<Attrs<'h>>> = None;
        let len = bytes.len();
        let mut self_closing = false;
        // Attributes.
        loop {
            while pos < len && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
                self_closing = bytes[pos] == b'/';
                pos += 1;
            }
            if pos >= len {
                break;
            }
            if bytes[pos] == b'>' {
                pos += 1;
                break;
            }
            self_closing = false;
            let name_start = pos;
            while pos < len
                && !bytes[pos].is_ascii_whitespace()
                && !matches!(bytes[pos], b'=' | b'>' | b'/')
            {
                pos += 1;
            }
            let attr_name = &bytes[name_start..pos];
            while pos < len && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            let mut value: Option<&str> = None;
            if pos < len && bytes[pos] == b'=' {
                pos += 1;
                while pos < len && bytes[pos].is_ascii_whitespace() {
                    pos += 1;
                }
                if pos < len && (bytes[pos] == b'"' || bytes[pos] == b'\'') {
                    let quote = bytes[pos];
                    let end = memchr(quote, &bytes[pos + 1..]).map_or(len, |i| pos + 1 + i);
                    value = Some(&html[pos + 1..end]);
                    pos = (end + 1).min(len);
                } else {
                    let start = pos;
                    while pos < len && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b'>' {
                        pos += 1;
                    }
                    value = Some(&html[start..pos]);
                }
            }
            if pos == name_start {
                pos += 1; // a stray '=' cannot stall the loop
            }
            record_attr(tag, &mut attrs, attr_name, value);
        }
        let attrs = Attrs::kept(attrs);
        if self_closing && matches!(tag, Tag::Other | Tag::Div | Tag::Span | Tag::A) {
            // `<div/>` is not self-closing in HTML, but XHTML-minded pages mean it as empty.
            let _ = self.append(NodeData::Element { tag, attrs });
            return pos;
        }
        if !tag.is_raw_text() {
            self.start_tag(tag, attrs);
            return pos;
        }
        // Raw text: everything up to the matching end tag, found case-insensitively.
        let content_end = find_end_tag(bytes, pos, tag.raw_text_name()).unwrap_or(len);
        let raw = &html[pos.min(content_end)..content_end];
        match tag {
            Tag::Title if self.title.is_none() => {
                self.title = Some(html_escape::decode_html_entities(raw).trim().to_string());
            }
            Tag::Script
                if attrs
                    .as_ref()
                    .and_then(|a| a.kind.as_deref())
                    .is_some_and(|t| t.contains("ld+json")) =>
            {
                self.json_ld.push(raw.to_string());
            }
            _ => {}
        }
        // The element is kept (empty) so extraction can see it was there; a textarea keeps its text.
        let id = self.append(NodeData::Element { tag, attrs });
        if tag == Tag::Textarea && !raw.is_empty() {
            self.stack.push(id);
            self.append_text(raw);
            self.stack.pop();
        }
        let after =
            memchr(b'>', &bytes[content_end.min(len)..]).map_or(len, |i| content_end + i + 1);
        after.min(len)
    }
}

/// The React streaming id (`s:1f`, `p:1f`, `b:0`, lower-cased) of a hidden `<div>` segment or a
/// placeholder `<template>`, if the element is one.
fn streaming_id(tag: Tag, attrs: &Attrs) -> Option<String> {
    let wanted: &[&str] = match tag {
        Tag::Template => &["p:", "b:"],
        Tag::Div if attrs.hidden => &["s:"],
        _ => return None,
    };
    // `class_id` is `class` and `id` joined; React sets only the id on these elements.
    let id = &*attrs.class_id;
    let is_stream_id = id.len() > 2
        && wanted.iter().any(|prefix| id.starts_with(prefix))
        && id.bytes().skip(2).all(|b| b.is_ascii_alphanumeric());
    is_stream_id.then(|| id.to_string())
}

/// `char::is_whitespace` for an ASCII byte (what separates words when text is rendered).
#[inline]
pub fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Reads a tag name starting at `pos`; returns the end position and the tag. Names are lower-cased
/// in a stack buffer: no allocation per tag.
fn read_name(bytes: &[u8], mut pos: usize) -> (usize, Tag) {
    let start = pos;
    while pos < bytes.len()
        && !bytes[pos].is_ascii_whitespace()
        && !matches!(bytes[pos], b'>' | b'/')
    {
        pos += 1;
    }
    let name = &bytes[start..pos];
    let mut lower = [0u8; 12];
    if name.len() > lower.len() {
        return (pos, Tag::Other); // no tag extraction distinguishes is that long
    }
    for (dst, src) in lower.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    (pos, Tag::from_name(&lower[..name.len()]))
}

/// Searchers built once: `memmem::find` builds one per call, which showed up in profiles (a page
/// has hundreds of comments and scripts).
static COMMENT_END: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"-->"));
static END_TAG_START: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"</"));

/// Start of `</name` (ASCII case-insensitive) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = END_TAG_START.find(&bytes[pos..]) {
        let at = pos + i;
        let candidate = &bytes[at + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name)
            && candidate
                .get(name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return Some(at);
        }
        pos = at + 2;
    }
    None
}

/// Records one attribute if extraction reads it. The name is lower-cased into a stack buffer and
/// matched once (every attribute of every tag comes through here).
fn record_attr<'h>(
    tag: Tag,
    attrs: &mut Option<Box<Attrs<'h>>>,
    name: &[u8],
    value: Option<&'h str>,
) {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return; // longer than any name read here (`aria-hidden`, `http-equiv`)
    }
    for (dst, src) in buf.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    let raw = value.unwrap_or("").trim();
    let value_owned = || raw.to_string();
    let lower = || raw.to_ascii_lowercase();
    fn get<'a, 'h>(attrs: &'a mut Option<Box<Attrs<'h>>>) -> &'a mut Attrs<'h> {
        attrs.get_or_insert_with(Box::default)
    }
    match &buf[..name.len()] {
        b"class" | b"id" => {
            let a = get(attrs);
            if a.class_id.is_empty() && !raw.bytes().any(|b| b.is_ascii_uppercase()) {
                a.class_id = Cow::Borrowed(raw);
            } else {
                let class_id = a.class_id.to_mut();
                if !class_id.is_empty() {
                    class_id.push(' ');
                }
                let start = class_id.len();
                class_id.push_str(raw);
                class_id[start..].make_ascii_lowercase();
            }
        }
        b"role" => get(attrs).role = Some(lower()),
        b"itemprop" => get(attrs).itemprop = Some(lower()),
        b"href" => get(attrs).has_href = true,
        b"hidden" => get(attrs).hidden = true,
        b"aria-hidden" if raw.eq_ignore_ascii_case("true") => get(attrs).hidden = true,
        b"style" => {
            // Most inline styles hide nothing; only those naming `none` or `hidden` are normalised.
            let has = |word: &str| {
                raw.as_bytes()
                    .windows(word.len())
                    .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
            };
            if has("none") || has("hidden") {
                let style: String = lower().chars().filter(|c| !c.is_whitespace()).collect();
                if style.contains("display:none") || style.contains("visibility:hidden") {
                    get(attrs).hidden = true;
                }
            }
        }
        b"name" | b"property" if tag == Tag::Meta => get(attrs).meta_key = Some(lower()),
        b"content" => {
            get(attrs).content =
                Some(html_escape::decode_html_entities(&value_owned()).into_owned())
        }
        b"lang" => get(attrs).lang = Some(value_owned()),
        b"datetime" => get(attrs).datetime = Some(value_owned()),
        b"type" => get(attrs).kind = Some(lower()),
        b"rel" => get(attrs).rel = Some(lower()),
        b"charset" => get(attrs).charset = Some(lower()),
        b"http-equiv" if tag == Tag::Meta => {
            get(attrs).meta_key = Some(format!("http-equiv:{}", lower()))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'d>(dom: &'d Dom) -> Vec<&'d str> {
        dom.nodes
            .iter()
            .filter_map(|n| match &n.data {
                NodeData::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn skips_scripts_and_decodes_entities() {
        let dom = parse(
            "<html><head><title>A &amp; B</title><script>if (a < b) { x = '</div>'; }</SCRIPT></head>\
             <body><p>Rp 12.000&nbsp;saja &lt;murah&gt;</p></body></html>",
        );
        assert_eq!(dom.title.as_deref(), Some("A & B"));
        assert_eq!(texts(&dom), vec!["Rp 12.000\u{a0}saja <murah>"]);
    }

    #[test]
    fn repairs_paragraphs_and_list_items() {
        let dom = parse("<div><p>one<p>two<ul><li>a<li>b</ul></div>");
        let div = dom
            .nodes
            .iter()
            .position(|n| n.tag() == Some(Tag::Div))
            .unwrap();
        let child_tags: Vec<_> = dom
            .children(div as NodeId)
            .map(|c| dom.node(c).tag())
            .collect();
        assert_eq!(child_tags, vec![Some(Tag::P), Some(Tag::P), Some(Tag::Ul)]);
        let ul = dom
            .nodes
            .iter()
            .position(|n| n.tag() == Some(Tag::Ul))
            .unwrap();
        assert_eq!(dom.children(ul as NodeId).count(), 2);
        let backwards: Vec<_> = dom.children(div as NodeId).rev().collect();
        let mut forwards: Vec<_> = dom.children(div as NodeId).collect();
        forwards.reverse();
        assert_eq!(backwards, forwards);
    }

    #[test]
    fn keeps_only_the_attributes_extraction_reads() {
        let dom = parse(
            "<div class='Post-Body' id=main data-x=\"1\" style=\"display: none\"><a href=/x rel=author>y</a></div>\
             <meta property=\"og:title\" content=\"T &amp; U\"><script type=\"application/ld+json\">{\"a\":1}</script>",
        );
        let div = dom
            .nodes
            .iter()
            .find(|n| n.tag() == Some(Tag::Div))
            .unwrap();
        let attrs = div.attrs().unwrap();
        assert_eq!(attrs.class_id, "post-body main");
        assert!(attrs.hidden);
        let a = dom.nodes.iter().find(|n| n.tag() == Some(Tag::A)).unwrap();
        assert!(a.attrs().unwrap().has_href);
        let meta = dom
            .nodes
            .iter()
            .find(|n| n.tag() == Some(Tag::Meta))
            .unwrap();
        assert_eq!(meta.attrs().unwrap().meta_key.as_deref(), Some("og:title"));
        assert_eq!(meta.attrs().unwrap().content.as_deref(), Some("T & U"));
        assert_eq!(dom.json_ld, vec!["{\"a\":1}".to_string()]);
    }

    #[test]
    fn survives_broken_markup() {
        for page in [
            "",
            "<",
            "<<<>>>",
            "</p></div>text",
            "<div class=\"unterminated",
            "<script>never closed",
            "<!-- open comment",
            "<a href=x>é<b>ü</a></b>",
            "<p>\u{0}\u{feff}</p>",
        ] {
            let dom = parse(page);
            assert!(!dom.nodes.is_empty());
        }
        let deep = "<div>".repeat(100_000);
        let dom = parse(&deep);
        assert_eq!(dom.nodes.len(), 100_001);
    }
}
