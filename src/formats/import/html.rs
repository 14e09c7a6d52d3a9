//! HTML pages as sources: headings, paragraphs, list items, quotes and
//! table cells become passages; everything else is reduced to its text.
//! Scripts, styles and other non-content elements are dropped, and no
//! markup or attribute (so no event handler) survives into the project.

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

use crate::document::PassageKind;

/// Elements whose content is never text to translate.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg", "math", "canvas", "select",
];

/// Elements that make a passage of their own.
fn block(name: &str, list_depth: u8) -> Option<(PassageKind, u8)> {
    Some(match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => (PassageKind::Heading, name[1..].parse().unwrap_or(1)),
        "li" | "dt" | "dd" => (PassageKind::ListItem, list_depth.max(1)),
        "blockquote" => (PassageKind::Quote, 0),
        "p" | "td" | "th" | "caption" | "figcaption" | "pre" | "address" | "summary" | "legend" | "option" => {
            (PassageKind::Paragraph, 0)
        }
        _ => return None,
    })
}

/// Containers whose loose text becomes paragraphs.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "form"
            | "fieldset"
            | "figure"
            | "details"
            | "center"
    )
}

/// A passage found in the page, with the text nodes it came from.
struct Found {
    kind: (PassageKind, u8),
    text: String,
    nodes: Vec<NodeId>,
}

struct Walker {
    out: Vec<Found>,
}

impl Walker {
    fn push(&mut self, kind: (PassageKind, u8), text: &str, nodes: &mut Vec<NodeId>) {
        let body = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !body.is_empty() {
            self.out.push(Found { kind, text: body, nodes: std::mem::take(nodes) });
        }
        nodes.clear();
    }

    /// Walks an element: a block emits its inline text as one passage
    /// (nested blocks as their own), a container emits loose text runs.
    fn walk(&mut self, element: ElementRef<'_>, list_depth: u8) {
        let name = element.value().name();
        if SKIPPED.contains(&name) {
            return;
        }
        let depth = if matches!(name, "ul" | "ol" | "dl") { list_depth.saturating_add(1) } else { list_depth };
        let kind = block(name, depth).unwrap_or((PassageKind::Paragraph, 0));
        let mut loose = String::new();
        let mut nodes = Vec::new();
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    loose.push_str(text);
                    nodes.push(child.id());
                }
                Node::Element(e) => {
                    let child_name = e.name();
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if SKIPPED.contains(&child_name) {
                        continue;
                    }
                    if block(child_name, depth).is_some() || is_container(child_name) {
                        self.push(kind, &loose, &mut nodes);
                        loose.clear();
                        self.walk(child, depth);
                    } else if child_name == "br" {
                        loose.push(' ');
                    } else {
                        loose.push_str(&inline_text(child, &mut nodes));
                    }
                }
                _ => {}
            }
        }
        self.push(kind, &loose, &mut nodes);
    }
}

/// The text inside an inline element, skipping what is never content.
fn inline_text(element: ElementRef<'_>, nodes: &mut Vec<NodeId>) -> String {
    let mut out = String::new();
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                out.push_str(text);
                nodes.push(child.id());
            }
            Node::Element(e) if !SKIPPED.contains(&e.name()) => {
                if let Some(child) = ElementRef::wrap(child) {
                    out.push_str(&inline_text(child, nodes));
                }
            }
            _ => {}
        }
    }
    out
}

/// Deeper nesting than this is refused: the walk recurses per level, and
/// no real page comes close (browsers themselves cap the tree's depth).
pub const MAX_DEPTH: usize = 512;

/// How deep the page's elements nest, counted without recursion.
fn depth(document: &Html) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in document.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    deepest
}

/// The largest page read. The parsed tree costs about nine times the page
/// (an element is some 200 bytes, its text copied once more), so a page is
/// held to what a news article with its markup can be.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// The most elements a page may open: tags never closed make a tree as
/// deep as the page is long (2 million elements from 8 MB took 438 MB
/// before the depth was checked), so they are counted before parsing.
pub const MAX_ELEMENTS: usize = 400_000;

/// Counts start tags without parsing: `<` followed by a letter.
fn start_tags(html: &str) -> usize {
    html.as_bytes().windows(2).filter(|pair| pair[0] == b'<' && pair[1].is_ascii_alphabetic()).count()
}

/// The passages of an HTML page: (kind, level, text); `Err` says why a
/// page is refused.
pub fn passages(html: &str) -> Result<Vec<(PassageKind, u8, String)>, String> {
    if html.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "the page is {:.1} MB; Verso reads web pages up to {} MB (save the article as text to import more)",
            html.len() as f64 / 1_048_576.0,
            MAX_PAGE_BYTES / 1_048_576
        ));
    }
    let elements = start_tags(html);
    if elements > MAX_ELEMENTS {
        return Err(format!("the page opens {elements} elements; Verso reads pages of up to {MAX_ELEMENTS}"));
    }
    let document = Html::parse_document(html);
    let deepest = depth(&document);
    if deepest > MAX_DEPTH {
        return Err(format!("elements are nested {deepest} levels deep; Verso reads pages up to {MAX_DEPTH}"));
    }
    let mut walker = Walker { out: Vec::new() };
    walker.walk(document.root_element(), 0);
    Ok(walker.out.into_iter().map(|f| (f.kind.0, f.kind.1, f.text)).collect())
}

/// The page with each passage's text replaced by `translations[i]`, all
/// markup around it kept: the first text node of a passage takes the
/// translation, its other text nodes are emptied. `None` when the page no
/// longer has the passages it had on import.
pub fn translate(html: &str, translations: &[String]) -> Option<String> {
    let mut document = Html::parse_document(html);
    if depth(&document) > MAX_DEPTH {
        return None;
    }
    let mut walker = Walker { out: Vec::new() };
    walker.walk(document.root_element(), 0);
    if walker.out.len() != translations.len() {
        return None;
    }
    for (found, translation) in walker.out.iter().zip(translations) {
        for (index, id) in found.nodes.iter().enumerate() {
            if let Some(mut node) = document.tree.get_mut(*id)
                && let Node::Text(text) = node.value()
            {
                // Keep the whitespace that separated the passage from its neighbours.
                let lead = if index == 0 && text.text.starts_with(char::is_whitespace) { " " } else { "" };
                text.text = if index == 0 { format!("{lead}{translation}").as_str().into() } else { "".into() };
            }
        }
    }
    Some(document.html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_is_kept_and_nothing_executable_survives() {
        let html = r#"<html><head><title>T</title><script>alert(1)</script></head><body onload="x()">
            <h1>Plan <b>announced</b></h1><p onclick="steal()">First <a href="javascript:x()">link</a> text.<script>evil()</script></p>
            <ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>
            <blockquote>Said.</blockquote><table><tr><td>Cell</td></tr></table><div>Loose <i>text</i></div>
            <style>p{}</style><img src=x onerror="alert(2)"></body></html>"#;
        let found = passages(html).expect("a page");
        let texts: Vec<(PassageKind, u8, &str)> = found.iter().map(|(k, l, t)| (*k, *l, t.as_str())).collect();
        assert_eq!(
            texts,
            [
                (PassageKind::Heading, 1, "Plan announced"),
                (PassageKind::Paragraph, 0, "First link text."),
                (PassageKind::ListItem, 1, "One"),
                (PassageKind::ListItem, 1, "Two"),
                (PassageKind::ListItem, 2, "Nested"),
                (PassageKind::Quote, 0, "Said."),
                (PassageKind::Paragraph, 0, "Cell"),
                (PassageKind::Paragraph, 0, "Loose text"),
            ]
        );
        let all: String = found.iter().map(|(_, _, t)| t.as_str()).collect();
        assert!(!all.contains("alert") && !all.contains("evil") && !all.contains("steal") && !all.contains("p{}"));
    }

    #[test]
    fn a_page_nested_past_the_limit_is_refused_instead_of_overflowing_the_stack() {
        let deep = format!("<p>{}x</p>", "<b><i>".repeat(40_000));
        let error = passages(&deep).expect_err("too deep");
        assert!(error.starts_with("elements are nested ") && error.ends_with("up to 512"), "{error}");
        let lists = format!("{}<li>deep</li>", "<ul>".repeat(300));
        assert_eq!(passages(&lists).expect("300 lists").last().map(|p| p.2.as_str()), Some("deep"));
    }

    #[test]
    fn a_page_of_too_many_elements_or_too_many_megabytes_is_refused_before_parsing() {
        let unclosed = format!("<p>{}</p>", "<b><i>x ".repeat(MAX_ELEMENTS / 2));
        let error = passages(&unclosed).expect_err("too many elements");
        assert_eq!(error, "the page opens 400001 elements; Verso reads pages of up to 400000");
        // Text that only looks like markup to a person is no element.
        let prose = format!("<p>{}</p>", "a < b and 3<4 ".repeat(MAX_ELEMENTS));
        assert_eq!(passages(&prose).expect("one paragraph").len(), 1);
        let big = format!("<p>{}</p>", "word ".repeat(MAX_PAGE_BYTES / 5));
        let error = passages(&big).expect_err("too large");
        assert!(error.starts_with("the page is 16.0 MB; Verso reads web pages up to 16 MB"), "{error}");
    }
}
