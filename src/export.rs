//! Writing a document's translation back out as plain text or Markdown.
//!
//! Untranslated segments fall back to their source text so the output is
//! always whole; the returned [`Export`] says how many did, so callers can
//! warn that the result is incomplete.

use crate::document::{PassageKind, SegmentRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Text,
    Markdown,
}

/// An exported translation and how complete it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub content: String,
    pub segments: usize,
    /// Segments written in their source language for want of a translation.
    pub untranslated: usize,
}

impl Export {
    pub fn is_complete(&self) -> bool {
        self.untranslated == 0
    }
}

/// Renders the current translation of `rows` (one document, in order).
/// Passages are separated by a blank line, except items of one list.
pub fn translation(rows: &[SegmentRow], format: TextFormat) -> Export {
    let mut content = String::new();
    let mut untranslated = 0;
    let mut previous_kind = None;
    for passage in rows.chunk_by(|a, b| a.passage == b.passage) {
        let kind = passage[0].passage_kind;
        let level = passage[0].passage_level;
        let body = passage
            .iter()
            .map(|row| match row.translation.as_deref().filter(|t| !t.trim().is_empty()) {
                Some(text) => text,
                None => {
                    untranslated += 1;
                    row.source.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(previous) = previous_kind {
            let same_list = previous == PassageKind::ListItem && kind == PassageKind::ListItem;
            content.push_str(if same_list { "\n" } else { "\n\n" });
        }
        previous_kind = Some(kind);
        if format == TextFormat::Markdown {
            match kind {
                PassageKind::Heading => {
                    content.push_str(&"#".repeat(usize::from(level.clamp(1, 6))));
                    content.push(' ');
                }
                PassageKind::ListItem => {
                    content.push_str(&"  ".repeat(usize::from(level.saturating_sub(1))));
                    content.push_str("- ");
                }
                PassageKind::Quote => content.push_str("> "),
                PassageKind::Paragraph => {}
            }
        }
        content.push_str(&body);
    }
    if !content.is_empty() {
        content.push('\n');
    }
    Export { content, segments: rows.len(), untranslated }
}
