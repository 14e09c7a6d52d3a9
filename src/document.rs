//! The shape of an imported source: documents, their passages (headings,
//! paragraphs, list items, quotes) and the segments (sentences) inside them.
//!
//! These are plain data types; `store` persists them and `import` builds
//! them. They never carry display markup.

use serde::{Deserialize, Serialize};

use crate::lang::LangTag;

/// Stable identifier of a document inside one project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DocumentId(pub i64);

/// Stable identifier of a segment: never reused, survives edits to others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SegmentId(pub i64);

/// What kind of block a passage was in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum PassageKind {
    Heading,
    Paragraph,
    ListItem,
    Quote,
}

impl PassageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Heading => "heading",
            PassageKind::Paragraph => "paragraph",
            PassageKind::ListItem => "list_item",
            PassageKind::Quote => "quote",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "heading" => PassageKind::Heading,
            "paragraph" => PassageKind::Paragraph,
            "list_item" => PassageKind::ListItem,
            "quote" => PassageKind::Quote,
            _ => return None,
        })
    }
}

/// The format a document was imported from; export writes the same family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum SourceFormat {
    Text,
    Markdown,
    /// Came from a translation tool's XLIFF file; goes back as XLIFF.
    Xliff,
    Html,
    Docx,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Xliff => "xliff",
            SourceFormat::Html => "html",
            SourceFormat::Docx => "docx",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(SourceFormat::Text),
            "markdown" => Some(SourceFormat::Markdown),
            "xliff" => Some(SourceFormat::Xliff),
            "html" => Some(SourceFormat::Html),
            "docx" => Some(SourceFormat::Docx),
            _ => None,
        }
    }
}

/// A translation (source segments with their translations) or a summary
/// (sentences written against other documents, see `summary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum DocumentKind {
    Translation,
    Summary,
}

impl DocumentKind {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "translation" => Some(DocumentKind::Translation),
            "summary" => Some(DocumentKind::Summary),
            _ => None,
        }
    }
}

/// A passage about to be stored: its kind and its sentences, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPassage {
    pub kind: PassageKind,
    /// Heading level (1–6) or list nesting depth; 0 where it means nothing.
    pub level: u8,
    pub sentences: Vec<String>,
}

/// A document parsed from a file, ready to be stored in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: String,
    pub source_lang: LangTag,
    pub target_lang: LangTag,
    pub origin: String,
    pub format: SourceFormat,
    pub passages: Vec<NewPassage>,
}

/// A document as listed to the user, with its translation progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub title: String,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub source_lang: LangTag,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub target_lang: LangTag,
    pub origin: String,
    pub format: SourceFormat,
    pub imported_at: String,
    pub segments: u64,
    /// Segments whose current status is translated, reviewed or approved.
    pub translated: u64,
    pub approved: u64,
    /// Where the source text was published, for articles that cite it.
    pub publication: Publication,
}

/// Where a source text was published, as the user gave it: the outlet, the
/// address and the date (`YYYY-MM-DD`), each empty when not known. The
/// Source line of every article made from the text is written from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Publication {
    pub outlet: String,
    pub url: String,
    pub date: String,
}
