//! Text primitives every layer shares: character spans for highlighting,
//! the word splitter with character offsets, and the placeholders that
//! stand for inline codes (`⟦1⟧ … ⟦/1⟧`).
//!
//! Language rules live in `lang`; this module knows no language and no file
//! format, so the model, the engines and the formats can all use it.

use serde::{Deserialize, Serialize};

/// A range of characters (Unicode scalar values, not bytes), for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// Lowercased alphanumeric words with their character ranges: what the
/// memory's concordance and the glossary match on.
pub fn words_with_spans(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            current.get_or_insert_with(|| (String::new(), i)).0.extend(c.to_lowercase());
        } else if let Some((word, start)) = current.take() {
            out.push((word, start, i));
        }
    }
    if let Some((word, start)) = current {
        out.push((word, start, text.chars().count()));
    }
    out
}

/// How an inline code stands in segment text: `⟦1⟧` for a code or the
/// start of a paired one, `⟦/1⟧` for its end. Translators keep them in
/// place; exports write the original code back.
pub fn placeholder(marker: &str) -> String {
    format!("⟦{marker}⟧")
}

/// Splits text into plain runs and placeholder markers.
pub fn pieces(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('⟦') {
        let Some(length) = rest[start..].find('⟧') else { break };
        if start > 0 {
            out.push((false, &rest[..start]));
        }
        out.push((true, &rest[start + '⟦'.len_utf8()..start + length]));
        rest = &rest[start + length + '⟧'.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}
