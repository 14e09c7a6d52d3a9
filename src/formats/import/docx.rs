//! Word documents (.docx) as sources: paragraphs with their kind (headings
//! by style, list items by numbering, quotes) read from `word/document.xml`,
//! table cells as paragraphs. The zip is checked before anything is read:
//! entries that climb out of the archive, parts that inflate beyond the
//! size limit (zip bombs) and XML with a DOCTYPE are refused.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{ImportError, MAX_SOURCE_BYTES};
use crate::document::PassageKind;

fn bad(path: &Path, reason: impl Into<String>) -> ImportError {
    ImportError::Docx { path: path.to_path_buf(), reason: reason.into() }
}

/// One part of the archive, read with its inflated size bounded.
fn part(
    path: &Path,
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ImportError> {
    let mut file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(path, format!("{name}: {e}"))),
    };
    let declared = file.size();
    if declared > MAX_SOURCE_BYTES {
        return Err(bad(path, format!("{name} inflates to {declared} bytes, above the {MAX_SOURCE_BYTES}-byte limit")));
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit to catch an archive that lies about sizes.
    (&mut file).take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| bad(path, format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(bad(path, format!("{name} inflates beyond the {MAX_SOURCE_BYTES}-byte limit (a zip bomb?)")));
    }
    crate::formats::xml::decode(&bytes).map(Some).map_err(|e| bad(path, format!("{name}: {e}")))
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Style id → what kind of passage it makes, from the style names in
/// `word/styles.xml` (localised Word versions keep English names there).
fn style_kinds(xml: &str) -> Styles {
    let mut kinds = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut current: Option<String> = None;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => current = attribute(&e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (current.as_ref(), attribute(&e, "val")) {
                        let name = name.to_lowercase();
                        let kind = if name == "title" {
                            Some((PassageKind::Heading, 1))
                        } else if let Some(level) = name.strip_prefix("heading ") {
                            level.trim().parse::<u8>().ok().map(|l| (PassageKind::Heading, l.clamp(1, 6)))
                        } else if name.starts_with("list") {
                            Some((PassageKind::ListItem, 1))
                        } else if name.contains("quote") {
                            Some((PassageKind::Quote, 0))
                        } else {
                            None
                        };
                        if let Some(kind) = kind {
                            kinds.insert(id.clone(), kind);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    kinds
}

type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;
/// Style id → the passage kind and level it gives.
type Styles = HashMap<String, (PassageKind, u8)>;
/// One `w:p`: the passage it makes, if any.
type Paragraph = Option<(PassageKind, u8, String)>;

/// Opens and checks the archive; returns it with its document and styles.
fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Archive<'a>, String, Styles), ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad(path, "not a Word document: a .docx file is a zip archive and this one is not"))?;
    for name in archive.file_names() {
        let name = name.map_err(|e| bad(path, format!("unreadable entry name: {e}")))?;
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') || name.contains(':') {
            return Err(bad(path, format!("the archive holds an entry that points outside it ({name})")));
        }
    }
    let document = part(path, &mut archive, "word/document.xml")?
        .ok_or_else(|| bad(path, "not a Word document: it has no word/document.xml"))?;
    let styles = part(path, &mut archive, "word/styles.xml")?.map(|x| style_kinds(&x)).unwrap_or_default();
    Ok((archive, document, styles))
}

/// The passages of a .docx file: (kind, level, text).
pub fn passages(path: &Path, bytes: &[u8]) -> Result<Vec<(PassageKind, u8, String)>, ImportError> {
    let (_, document, styles) = open(path, bytes)?;
    Ok(paragraphs(path, &document, &styles)?.into_iter().flatten().collect())
}

/// Every `w:p` of the document in order, with the passage it makes (or
/// `None` for an empty one).
fn paragraphs(path: &Path, document: &str, styles: &Styles) -> Result<Vec<Paragraph>, ImportError> {
    let mut reader = quick_xml::Reader::from_str(document);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut kind = (PassageKind::Paragraph, 0u8);
    let mut in_text = false;
    // Tabs and breaks count only inside runs (w:tab in w:tabs is a tab stop).
    let mut in_run = false;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad(path, format!("word/document.xml: {e}")))?;
        match event {
            Event::DocType(_) => return Err(bad(path, "word/document.xml declares a DOCTYPE, which is refused")),
            Event::Start(e) => {
                depth += 1;
                if depth > 256 {
                    return Err(bad(path, "word/document.xml nests elements too deeply"));
                }
                match e.local_name().as_ref() {
                    "p" => {
                        text.clear();
                        kind = (PassageKind::Paragraph, 0);
                    }
                    "t" => in_text = true,
                    "r" => in_run = true,
                    _ => {}
                }
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                "pStyle" => {
                    if let Some(found) = attribute(&e, "val").and_then(|id| {
                        styles.get(&id).copied().or_else(|| {
                            id.strip_prefix("Heading")
                                .and_then(|l| l.parse::<u8>().ok())
                                .map(|l| (PassageKind::Heading, l))
                        })
                    }) {
                        kind = found;
                    }
                }
                "ilvl" => {
                    let level = attribute(&e, "val").and_then(|v| v.parse::<u8>().ok()).unwrap_or(0);
                    kind = (PassageKind::ListItem, level.saturating_add(1));
                }
                "tab" | "br" | "cr" if in_run => text.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                text.push(
                    crate::formats::xml::reference(&r).map_err(|m| bad(path, format!("word/document.xml: {m}")))?,
                );
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "r" => in_run = false,
                    "p" => {
                        let body = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        out.push((!body.is_empty()).then_some((kind.0, kind.1, body)));
                        text.clear();
                    }
                    _ => {}
                }
            }
            Event::Eof if depth > 0 => return Err(bad(path, "word/document.xml ends before its elements are closed")),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The Word file with each passage's text replaced by `translations[i]`
/// and everything else kept: styles, numbering, the first run's formatting
/// (the translation goes into a paragraph's first text run, its other runs
/// are emptied), headers, images. `None` when the file no longer has the
/// passages it had on import.
pub fn translate(path: &Path, bytes: &[u8], translations: &[String]) -> Result<Option<Vec<u8>>, ImportError> {
    use quick_xml::events::BytesText;
    let (mut archive, document, styles) = open(path, bytes)?;
    let found = paragraphs(path, &document, &styles)?;
    if found.iter().flatten().count() != translations.len() {
        return Ok(None);
    }
    let mut reader = quick_xml::Reader::from_str(&document);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let write_err = |e: std::io::Error| bad(path, format!("cannot write word/document.xml: {e}"));
    let (mut paragraph, mut passage) = (0usize, 0usize);
    // The translation for the paragraph being written, until its first text.
    let mut pending: Option<&str> = None;
    let mut replacing = false;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| bad(path, format!("word/document.xml: {e}")))?;
        match &event {
            Event::Start(e) if e.local_name().as_ref() == "p" => {
                replacing = found.get(paragraph).is_some_and(Option::is_some);
                pending = if replacing { translations.get(passage).map(String::as_str) } else { None };
            }
            Event::End(e) if e.local_name().as_ref() == "p" => {
                if replacing {
                    passage += 1;
                }
                paragraph += 1;
                replacing = false;
            }
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => {
                if replacing && let Some(text) = pending.take() {
                    writer.write_event(Event::Text(BytesText::new(text))).map_err(write_err)?;
                }
                in_text = false;
            }
            Event::Eof => break,
            _ => {}
        }
        if replacing && in_text && matches!(event, Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) {
            continue;
        }
        writer.write_event(event).map_err(write_err)?;
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let zip_err = |e: zip::result::ZipError| bad(path, format!("cannot write the archive: {e}"));
    for index in 0..archive.len() {
        let file = archive.by_index_raw(index).map_err(zip_err)?;
        if file.name().map_err(zip_err)? == "word/document.xml" {
            drop(file);
            let options = zip::write::SimpleFileOptions::default();
            out.start_file("word/document.xml", options).map_err(zip_err)?;
            std::io::Write::write_all(&mut out, writer.get_ref()).map_err(|e| bad(path, e.to_string()))?;
        } else {
            out.raw_copy_file(file).map_err(zip_err)?;
        }
    }
    Ok(Some(out.finish().map_err(zip_err)?.into_inner()))
}
