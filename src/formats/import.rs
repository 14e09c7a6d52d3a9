//! Reading source files into [`NewDocument`]s: decoding, refusing what is
//! not text, and finding passage structure before sentences are split.
//!
//! Import never touches the project: it only parses. The caller stores the
//! result in one transaction, so a refused file leaves the project as it was.

use std::path::{Path, PathBuf};

mod docx;
mod html;

pub use html::MAX_PAGE_BYTES;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::align;
use crate::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
use crate::lang::LangTag;
use crate::segment::Segmenter;

/// Files above this size are refused rather than read into memory whole.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: the file contains only blank lines; there is nothing to translate")]
    NoText { path: PathBuf },
    #[error("{path}: this looks like a binary file (byte {offset} is {byte:#04x}), not text")]
    Binary { path: PathBuf, offset: usize, byte: u8 },
    #[error(
        "{path}, line {line}, column {column}: control character U+{code:04X} is not text (only tabs and line \
         breaks are)"
    )]
    Control { path: PathBuf, line: usize, column: usize, code: u32 },
    #[error(
        "{path}: not valid UTF-8 at line {line}, column {column} (byte {offset}); save it as UTF-8 or UTF-16 with a byte-order mark"
    )]
    Encoding { path: PathBuf, line: usize, column: usize, offset: usize },
    #[error("{path}: the file is {size} bytes; Verso imports sources up to {max} bytes")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}: unsupported file type \"{extension}\" (Verso imports .txt, .md, .docx, .html and .xlf)")]
    UnsupportedFormat { path: PathBuf, extension: String },
    // The reason may quote names from the file: an excerpt.
    #[error("{path}: {}", crate::text::excerpt(reason, crate::formats::xml::MESSAGE_CHARS))]
    Docx { path: PathBuf, reason: String },
    #[error("{path}: {reason}")]
    Html { path: PathBuf, reason: String },
    #[error("{path}: cannot align this translation with its source: {reason}")]
    Alignment { path: PathBuf, reason: String },
}

/// What the user asked to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub source_lang: LangTag,
    pub target_lang: LangTag,
    pub title: Option<String>,
}

/// Reads and parses a source file.
pub fn read_document(request: &ImportRequest) -> Result<NewDocument, ImportError> {
    let path = &request.path;
    let format = format_of(path)?;
    let metadata = std::fs::metadata(path).map_err(|source| ImportError::Unreadable { path: path.clone(), source })?;
    if metadata.len() > MAX_SOURCE_BYTES {
        return Err(ImportError::TooLarge { path: path.clone(), size: metadata.len(), max: MAX_SOURCE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Unreadable { path: path.clone(), source })?;
    if bytes.is_empty() {
        return Err(ImportError::Empty { path: path.clone() });
    }
    let segmenter = Segmenter::new(&request.source_lang);
    let passages = match format {
        SourceFormat::Text => text_passages(&segmenter, &decode(path, &bytes)?),
        SourceFormat::Markdown => markdown_passages(&decode(path, &bytes)?),
        SourceFormat::Html => {
            html::passages(&decode(path, &bytes)?).map_err(|reason| ImportError::Html { path: path.clone(), reason })?
        }
        SourceFormat::Docx => docx::passages(path, &bytes)?,
        SourceFormat::Xliff => {
            return Err(ImportError::UnsupportedFormat { path: path.clone(), extension: "xlf".into() });
        }
    };
    let passages: Vec<NewPassage> = passages
        .into_iter()
        .map(|(kind, level, body)| NewPassage {
            kind,
            level,
            sentences: segmenter.sentence_ranges(&body).into_iter().map(|range| unwrap_lines(&body[range])).collect(),
        })
        .filter(|passage| !passage.sentences.is_empty())
        .collect();
    if passages.is_empty() {
        return Err(ImportError::NoText { path: path.clone() });
    }
    let title =
        request.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| default_title(path, &passages));
    Ok(NewDocument {
        title,
        source_lang: request.source_lang.clone(),
        target_lang: request.target_lang.clone(),
        origin: path.display().to_string(),
        format,
        passages,
    })
}

/// The original Word or HTML file with each passage's text replaced by
/// the given translation, its markup and formatting kept. `Ok(None)` for
/// other formats, or when the file no longer matches the stored passages.
pub fn translate_original(
    format: SourceFormat,
    path: &Path,
    original: &[u8],
    translations: &[String],
) -> Result<Option<Vec<u8>>, ImportError> {
    Ok(match format {
        SourceFormat::Docx => docx::translate(path, original, translations)?,
        SourceFormat::Html => html::translate(&decode(path, original)?, translations).map(String::into_bytes),
        _ => None,
    })
}

/// A source and its existing translation, read and aligned: the document
/// (one segment per bead, in the source's passages) and for each segment
/// its translation and the aligner's confidence.
pub struct AlignedImport {
    pub document: NewDocument,
    pub pairs: Vec<(Option<String>, f32)>,
}

/// Reads a source and its translation (any supported format each),
/// segments both and aligns their sentences.
/// `known` holds the memory's translation pairs and the glossary for this
/// language pair, which the aligner uses as a dictionary.
pub fn read_with_translation(
    request: &ImportRequest,
    translation: &Path,
    known: &align::Known<'_>,
) -> Result<AlignedImport, ImportError> {
    let source = read_document(request)?;
    let target_request = ImportRequest {
        path: translation.to_path_buf(),
        source_lang: request.target_lang.clone(),
        target_lang: request.source_lang.clone(),
        title: None,
    };
    let target = read_document(&target_request)?;
    // Sentences in reading order, with the passage each belongs to.
    let flat: Vec<(usize, &str)> = source
        .passages
        .iter()
        .enumerate()
        .flat_map(|(p, passage)| passage.sentences.iter().map(move |s| (p, s.as_str())))
        .collect();
    let target_sentences: Vec<&str> =
        target.passages.iter().flat_map(|p| p.sentences.iter().map(String::as_str)).collect();
    let source_sentences: Vec<&str> = flat.iter().map(|(_, s)| *s).collect();
    let failed = |error: align::AlignError| ImportError::Alignment {
        path: translation.to_path_buf(),
        reason: error.to_string(),
    };
    // Paragraph boundaries are strong anchors: when both sides have the
    // same paragraphs, each pair is aligned on its own.
    let beads = if source.passages.len() == target.passages.len() && source.passages.len() > 1 {
        let (mut beads, mut i0, mut j0) = (Vec::new(), 0u32, 0u32);
        for (s, t) in source.passages.iter().zip(&target.passages) {
            let left: Vec<&str> = s.sentences.iter().map(String::as_str).collect();
            let right: Vec<&str> = t.sentences.iter().map(String::as_str).collect();
            for mut bead in align::align_known(&left, &right, known).map_err(failed)? {
                bead.source.iter_mut().for_each(|i| *i += i0);
                bead.target.iter_mut().for_each(|j| *j += j0);
                beads.push(bead);
            }
            i0 += left.len() as u32;
            j0 += right.len() as u32;
        }
        beads
    } else {
        align::align_known(&source_sentences, &target_sentences, known).map_err(failed)?
    };
    let (source_join, target_join) =
        (request.source_lang.facts().sentence_joiner, request.target_lang.facts().sentence_joiner);
    let mut passages: Vec<NewPassage> =
        source.passages.iter().map(|p| NewPassage { kind: p.kind, level: p.level, sentences: Vec::new() }).collect();
    let mut pairs: Vec<(Option<String>, f32)> = Vec::new();
    let mut pending_target: Vec<&str> = Vec::new();
    for bead in &beads {
        let target_text: Vec<&str> = bead.target.iter().map(|&j| target_sentences[j as usize]).collect();
        if bead.source.is_empty() {
            // A sentence only in the translation joins its neighbour's.
            match pairs.last_mut() {
                Some((Some(text), _)) => {
                    text.push_str(target_join);
                    text.push_str(&target_text.join(target_join));
                }
                Some((slot @ None, _)) => *slot = Some(target_text.join(target_join)),
                None => pending_target.extend(target_text),
            }
            continue;
        }
        let passage = flat[bead.source[0] as usize].0;
        let text: Vec<&str> = bead.source.iter().map(|&i| flat[i as usize].1).collect();
        passages[passage].sentences.push(text.join(source_join));
        let mut translation: Vec<&str> = std::mem::take(&mut pending_target);
        translation.extend(target_text);
        let translation = (!translation.is_empty()).then(|| translation.join(target_join));
        pairs.push((translation, bead.confidence));
    }
    passages.retain(|p| !p.sentences.is_empty());
    Ok(AlignedImport { document: NewDocument { passages, ..source }, pairs })
}

fn format_of(path: &Path) -> Result<SourceFormat, ImportError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "text" | "" => Ok(SourceFormat::Text),
        "md" | "markdown" => Ok(SourceFormat::Markdown),
        "html" | "htm" | "xhtml" => Ok(SourceFormat::Html),
        "docx" => Ok(SourceFormat::Docx),
        _ => Err(ImportError::UnsupportedFormat { path: path.to_path_buf(), extension }),
    }
}

/// A heading if the document starts with one, else the file name.
fn default_title(path: &Path, passages: &[NewPassage]) -> String {
    match passages.first() {
        Some(first) if first.kind == PassageKind::Heading => first.sentences.join(" "),
        _ => path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Untitled".into()),
    }
}

/// Decodes UTF-8 (with or without BOM) and UTF-16 with a BOM; refuses
/// binary data and invalid UTF-8 with the place where it goes wrong.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        _ => None,
    };
    if let Some((rest, to_unit)) = utf16 {
        if rest.len() % 2 != 0 {
            return Err(ImportError::Encoding {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                offset: bytes.len() - 1,
            });
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|pair| to_unit([pair[0], pair[1]])).collect();
        let text = String::from_utf16(&units).map_err(|_| {
            let offset = 2 + 2 * char::decode_utf16(units.iter().copied()).take_while(Result::is_ok).count();
            ImportError::Encoding { path: path.to_path_buf(), line: 0, column: 0, offset }
        })?;
        return refuse_control(path, text);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // A NUL or a run of control bytes early on means this is not a text file,
    // whatever its extension; say so instead of reporting an encoding error.
    if let Some(offset) =
        body.iter().take(8192).position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)))
    {
        return Err(ImportError::Binary { path: path.to_path_buf(), offset, byte: body[offset] });
    }
    match std::str::from_utf8(body) {
        Ok(text) => refuse_control(path, text.to_string()),
        Err(error) => {
            let offset = error.valid_up_to();
            let before = &body[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
            Err(ImportError::Encoding { path: path.to_path_buf(), line, column, offset })
        }
    }
}

/// Applies `text`'s rule for control characters: NEXT LINE becomes a line
/// feed, any other control character but layout is refused at its place.
fn refuse_control(path: &Path, text: String) -> Result<String, ImportError> {
    if let Some((offset, c)) = crate::text::forbidden_control(&text) {
        let (line, column) = crate::text::line_and_column(&text, offset);
        return Err(ImportError::Control { path: path.to_path_buf(), line, column, code: u32::from(c) });
    }
    let text = crate::text::unify_line_breaks(text);
    if text.trim().is_empty() {
        return Err(ImportError::NoText { path: path.to_path_buf() });
    }
    Ok(text)
}

/// Plain text: the segmenter's blocks (blank lines, hard line breaks,
/// soft-wrapped prose joined) become paragraphs.
fn text_passages(segmenter: &Segmenter, text: &str) -> Vec<(PassageKind, u8, String)> {
    segmenter.text_blocks(text).into_iter().map(|block| (PassageKind::Paragraph, 0, text[block].to_string())).collect()
}

/// A sentence that crossed a soft line wrap is stored on one line: the
/// break and the spaces around it become one space.
fn unwrap_lines(sentence: &str) -> String {
    if !sentence.contains(['\n', '\r']) {
        return sentence.to_string();
    }
    let mut out = String::with_capacity(sentence.len());
    for (index, line) in sentence.split(['\n', '\r']).filter(|l| !l.trim().is_empty()).enumerate() {
        if index > 0 {
            out.push(' ');
        }
        out.push_str(if index > 0 { line.trim_start() } else { line }.trim_end());
    }
    out
}

/// Markdown: headings, paragraphs, list items and block quotes become
/// passages; inline markup is read as its text.
fn markdown_passages(text: &str) -> Vec<(PassageKind, u8, String)> {
    let mut passages = Vec::new();
    let mut current: Option<(PassageKind, u8, String)> = None;
    let mut list_depth = 0u8;
    let mut quote_depth = 0u8;
    let flush = |current: &mut Option<(PassageKind, u8, String)>, passages: &mut Vec<_>| {
        if let Some((kind, level, body)) = current.take() {
            let body = body.trim().to_string();
            if !body.is_empty() {
                passages.push((kind, level, body));
            }
        }
    };
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut passages);
                current = Some((PassageKind::Heading, level as u8, String::new()));
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut passages);
                current = Some((PassageKind::ListItem, list_depth, String::new()));
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut current, &mut passages);
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut passages);
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut current, &mut passages);
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut passages);
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) => {
                let inside_item =
                    matches!(current, Some((PassageKind::ListItem, _, ref body)) if body.trim().is_empty());
                if !inside_item {
                    flush(&mut current, &mut passages);
                    let kind = if quote_depth > 0 { PassageKind::Quote } else { PassageKind::Paragraph };
                    current = Some((kind, 0, String::new()));
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => flush(&mut current, &mut passages),
            Event::Text(t) | Event::Code(t) => {
                let kind = if quote_depth > 0 { PassageKind::Quote } else { PassageKind::Paragraph };
                current.get_or_insert_with(|| (kind, 0, String::new())).2.push_str(&t);
            }
            Event::SoftBreak => {
                if let Some((_, _, body)) = current.as_mut() {
                    body.push(' ');
                }
            }
            Event::HardBreak => {
                // A hard break ("Source: …" on its own line) bounds a passage.
                let kind_level = current.as_ref().map(|(kind, level, _)| (*kind, *level));
                flush(&mut current, &mut passages);
                if let Some((kind, level)) = kind_level {
                    current = Some((kind, level, String::new()));
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut passages);
    passages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_err(bytes: &[u8]) -> String {
        match decode(Path::new("in.txt"), bytes) {
            Ok(text) => panic!("expected an error, decoded {text:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn decodes_utf8_with_bom_and_utf16_both_orders() {
        assert_eq!(decode(Path::new("a"), b"\xEF\xBB\xBFHola").expect("utf8"), "Hola");
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Año".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Año".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(Path::new("a"), &le).expect("le"), "Año");
        assert_eq!(decode(Path::new("a"), &be).expect("be"), "Año");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let message = decode_err(b"first line\nsecond \xC3(");
        assert!(message.contains("line 2, column 8"), "{message}");
        assert!(message.contains("in.txt"), "{message}");
    }

    #[test]
    fn binary_and_empty_are_refused_with_reasons() {
        assert!(decode_err(b"\x89PNG\r\n\x1a\n\0\0").contains("binary"));
        assert!(decode_err(b"").contains("empty"));
        assert!(decode_err(b"  \n\n ").contains("blank"));
    }

    #[test]
    fn next_line_is_a_line_break_and_other_controls_are_named_where_they_are() {
        let text = decode(Path::new("a.txt"), "Uno.\u{85}Dos.".as_bytes()).expect("NEL is text");
        assert_eq!(text, "Uno.\nDos.");
        let late_c1 = format!("{}\nSí\u{9F}.", "a".repeat(9000));
        assert_eq!(
            decode_err(late_c1.as_bytes()),
            "in.txt, line 2, column 3: control character U+009F is not text (only tabs and line breaks are)"
        );
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("x\u{7}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert!(decode_err(&utf16).contains("line 1, column 2: control character U+0007"), "{}", decode_err(&utf16));
    }

    #[test]
    fn markdown_blocks_become_passages() {
        let passages = markdown_passages("# Title\n\nFirst *para*.\nStill first.\n\n- one\n- two\n\n> quoted\n");
        let kinds: Vec<_> = passages.iter().map(|(k, l, b)| (*k, *l, b.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (PassageKind::Heading, 1, "Title"),
                (PassageKind::Paragraph, 0, "First para. Still first."),
                (PassageKind::ListItem, 1, "one"),
                (PassageKind::ListItem, 1, "two"),
                (PassageKind::Quote, 0, "quoted"),
            ]
        );
    }

    #[test]
    fn text_header_lines_stay_apart_and_wrapped_lines_join() {
        let segmenter = Segmenter::new(&"en".parse().expect("tag"));
        let text = "Source: Ministry\nDate: today\n\nThis paragraph was wrapped at a fixed width by\nthe editor of the text, so its lines join up.\n";
        let passages = text_passages(&segmenter, text);
        let bodies: Vec<String> = passages.iter().map(|(_, _, b)| unwrap_lines(b)).collect();
        assert_eq!(
            bodies,
            vec![
                "Source: Ministry",
                "Date: today",
                "This paragraph was wrapped at a fixed width by the editor of the text, so its lines join up.",
            ]
        );
    }
}
