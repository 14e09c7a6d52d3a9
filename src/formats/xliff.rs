//! XLIFF, the exchange format of translation tools: 2.x (2.0, 2.1, 2.2)
//! and 1.2, read into one neutral form ([`Bitext`]) and written from a
//! document's segments. Reading checks the file against the standard's
//! rules and names the file, line and rule it breaks, so a broken file is
//! refused before anything is stored.
//!
//! XML safety: no DOCTYPE (so no entity declarations, no external
//! entities, no expansion bombs), only the five predefined entities and
//! character references, nesting depth bounded.

use crate::formats::xml::dom;
mod rules;
mod v12;
mod v2;

use std::path::{Path, PathBuf};

use crate::document::{NewDocument, NewPassage, PassageKind, SegmentId, SourceFormat};
use crate::lang::LangTag;
use crate::revision::SegmentRow;
use crate::revision::Status;

pub use dom::MAX_DEPTH;

#[derive(Debug, thiserror::Error)]
pub enum XliffError {
    #[error("{path}: cannot read the file: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    /// Not text (binary, wrong encoding): the import error names the file.
    #[error(transparent)]
    Decode(crate::formats::import::ImportError),
    // The message may quote names and values from the file: an excerpt.
    #[error("{path}: line {line}: {}", crate::text::excerpt(message, crate::formats::xml::MESSAGE_CHARS))]
    Invalid { path: PathBuf, line: usize, message: String },
}

impl XliffError {
    fn at(path: &Path, line: usize, message: impl Into<String>) -> XliffError {
        XliffError::Invalid { path: path.to_path_buf(), line, message: message.into() }
    }
}

/// Which XLIFF a file is, or is to be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V12,
    /// 2.0, 2.1 or 2.2 (`minor`).
    V2 {
        minor: u8,
    },
}

/// The translatable content of an XLIFF file, whatever its version.
#[derive(Debug, Clone, PartialEq)]
pub struct Bitext {
    pub version: Version,
    pub source_lang: String,
    pub target_lang: Option<String>,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The unit's id, qualified by its file's when the file has several.
    pub id: String,
    pub segments: Vec<Segment>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: Option<String>,
    /// Text with each inline code as a placeholder (see [`crate::text::placeholder`]).
    pub source: String,
    pub target: Option<String>,
    pub status: Option<Status>,
    /// The original XML of each placeholder, so codes survive a round trip.
    pub codes: Vec<(String, String)>,
}

/// Reads and checks an XLIFF file of any supported version.
pub fn read(path: &Path) -> Result<Bitext, XliffError> {
    use crate::formats::import::{ImportError, MAX_SOURCE_BYTES};
    let unreadable = |source| XliffError::Unreadable { path: path.to_path_buf(), source };
    // Read as one tree (its checks span the file): about ten times the
    // file in memory, so held to the limit of every source file.
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_SOURCE_BYTES {
        return Err(XliffError::Decode(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_SOURCE_BYTES,
        }));
    }
    let text = {
        // The bytes go as soon as they are text.
        let bytes = std::fs::read(path).map_err(unreadable)?;
        crate::formats::import::decode(path, &bytes).map_err(XliffError::Decode)?
    };
    parse(path, &text)
}

/// Checks and reads XLIFF text; `path` names it in errors.
pub fn parse(path: &Path, xml: &str) -> Result<Bitext, XliffError> {
    let root = dom::parse(xml).map_err(|(line, message)| XliffError::at(path, line, message))?;
    match root.ns.as_ref() {
        v12::NS | v12::NS_11 => v12::read(path, &root),
        v2::NS_20 | v2::NS_22 => v2::read(path, &root),
        // Older tools write XLIFF 1.x without its namespace.
        "" if root.name == "xliff" && root.attr("version").is_some_and(|v| v.starts_with("1.")) => {
            v12::read(path, &root)
        }
        "" => Err(XliffError::at(path, root.line, format!("<{}> has no XLIFF namespace", root.name))),
        other => Err(XliffError::at(path, root.line, format!("not an XLIFF file (root namespace {other})"))),
    }
}

/// What a translation document looks like to an XLIFF writer.
pub struct ExportSegment<'a> {
    pub id: i64,
    pub source: &'a str,
    pub target: Option<&'a str>,
    pub status: Status,
    pub comments: Vec<String>,
    /// Original XML of the segment's placeholders (from an imported XLIFF).
    pub codes: std::collections::HashMap<String, String>,
}

/// Segment text as XLIFF content: placeholders become their stored codes
/// (or, with none stored, a generic code of the version), the rest escaped.
fn content(text: &str, codes: &std::collections::HashMap<String, String>, version: Version) -> String {
    let mut out = String::new();
    for (is_marker, piece) in crate::text::pieces(text) {
        if !is_marker {
            out.push_str(&escape(piece));
            continue;
        }
        match codes.get(piece) {
            Some(xml) => out.push_str(xml),
            None => {
                let (id, closing) = match piece.strip_prefix('/') {
                    Some(id) => (id, true),
                    None => (piece, false),
                };
                let id = escape(id);
                out.push_str(&match (version, closing) {
                    (Version::V12, false) => format!("<bx id=\"{id}\"/>"),
                    (Version::V12, true) => format!("<ex id=\"{id}\"/>"),
                    (Version::V2 { .. }, false) => format!("<ph id=\"{id}\"/>"),
                    (Version::V2 { .. }, true) => format!("<ph id=\"end{id}\"/>"),
                });
            }
        }
    }
    out
}

/// Writes segments as XLIFF 2.1 (`Version::V2`) or 1.2. Unit and segment
/// ids are Verso's segment ids, so the file can come back in.
pub fn write(
    version: Version,
    original: &str,
    source_lang: &str,
    target_lang: &str,
    segments: &[ExportSegment<'_>],
) -> String {
    match version {
        Version::V12 => v12::write(original, source_lang, target_lang, segments),
        Version::V2 { .. } => v2::write(original, source_lang, target_lang, segments),
    }
}

/// A segment's translation as it arrives with a file: text and status.
pub type Translation = Option<(String, Status)>;

/// A document read from an XLIFF file, ready to store: per segment, its
/// translation and the original XML of its inline codes.
pub struct Imported {
    pub document: NewDocument,
    pub translations: Vec<Translation>,
    pub codes: Vec<Vec<(String, String)>>,
    /// The unit's notes, on its first segment, to become comments.
    pub notes: Vec<Vec<String>>,
}

/// A new document from an XLIFF file: one passage per unit, one segment
/// per XLIFF segment, and the targets as translations with their states.
/// `target_lang` is used when the file names no target language (a
/// source-only file); without either, the file is refused.
pub fn to_document(
    path: &Path,
    bitext: &Bitext,
    title: Option<String>,
    target_lang: Option<&str>,
) -> Result<Imported, XliffError> {
    let lang = |tag: &str| -> Result<LangTag, XliffError> {
        tag.parse().map_err(|e: crate::lang::LangError| XliffError::at(path, 1, e.to_string()))
    };
    let source_lang = lang(&bitext.source_lang)?;
    let target_lang = lang(bitext.target_lang.as_deref().or(target_lang).ok_or_else(|| {
        XliffError::at(
            path,
            1,
            "the file names no target language (trgLang / target-language); choose one to import it",
        )
    })?)?;
    let mut passages = Vec::new();
    let mut translations = Vec::new();
    let mut codes = Vec::new();
    let mut notes = Vec::new();
    for unit in &bitext.units {
        let mut sentences = Vec::new();
        for (index, segment) in unit.segments.iter().filter(|s| !s.source.trim().is_empty()).enumerate() {
            notes.push(if index == 0 { unit.notes.clone() } else { Vec::new() });
            sentences.push(segment.source.trim().to_string());
            translations.push(segment.target.as_ref().filter(|t| !t.trim().is_empty()).map(|t| {
                (t.trim().to_string(), segment.status.filter(|s| *s != Status::New).unwrap_or(Status::Translated))
            }));
            codes.push(segment.codes.clone());
        }
        if !sentences.is_empty() {
            passages.push(NewPassage { kind: PassageKind::Paragraph, level: 0, sentences });
        }
    }
    let title = title.unwrap_or_else(|| path.file_stem().map_or("XLIFF".into(), |s| s.to_string_lossy().into_owned()));
    let document = NewDocument {
        title,
        source_lang,
        target_lang,
        origin: path.display().to_string(),
        format: SourceFormat::Xliff,
        passages,
    };
    Ok(Imported { document, translations, codes, notes })
}

/// Translations from an XLIFF file that went out of this project and
/// came back: each target matched to its segment by the ids Verso wrote.
/// A unit that matches no segment of `rows` refuses the whole file.
pub fn updates_for(
    path: &Path,
    bitext: &Bitext,
    rows: &[SegmentRow],
) -> Result<Vec<(SegmentId, String, Status)>, XliffError> {
    let known: std::collections::HashSet<i64> = rows.iter().map(|r| r.id.0).collect();
    // Verso writes "u12"/"s12" in XLIFF 2 and plain "12" in 1.2.
    let own_id = |id: &str| match bitext.version {
        Version::V12 => id.parse().ok(),
        Version::V2 { .. } if id.starts_with(['u', 's']) => segment_id(id),
        Version::V2 { .. } => None,
    };
    let mut updates = Vec::new();
    for unit in &bitext.units {
        for segment in &unit.segments {
            let id = segment.id.as_deref().and_then(own_id).or_else(|| own_id(&unit.id));
            let Some(id) = id.filter(|id| known.contains(id)) else {
                return Err(XliffError::at(
                    path,
                    1,
                    format!("unit \"{}\" is not a segment of this document; was the file exported from it?", unit.id),
                ));
            };
            if let Some(target) = segment.target.as_ref().filter(|t| !t.trim().is_empty()) {
                updates.push((SegmentId(id), target.clone(), segment.status.unwrap_or(Status::Translated)));
            }
        }
    }
    Ok(updates)
}

/// The Verso segment id an exported XLIFF 2 unit or segment id stands for.
fn segment_id(id: &str) -> Option<i64> {
    id.strip_prefix('s').or_else(|| id.strip_prefix('u'))?.parse().ok()
}

use crate::formats::export::escape_markup as escape;
