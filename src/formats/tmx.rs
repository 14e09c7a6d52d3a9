//! TMX 1.4b in and out. Files are read as a stream, one `<tu>` at a time,
//! so a memory of a million units never sits in memory whole; only files
//! in an encoding other than UTF-8 (UTF-16 with a BOM, a declared legacy
//! code page) are decoded up front.
//!
//! Inline codes become placeholders: `<bpt>`/`<ept>` pairs `⟦n⟧…⟦/n⟧`,
//! `<ph>`, `<it>` and `<ut>` a lone `⟦n⟧` (numbered by their `x`, so source
//! and target agree); the native code inside them is dropped, `<hi>` keeps
//! its text. Text inside `<seg>` is kept exactly, whitespace included.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use crate::formats::export::escape_markup;
use crate::formats::xml::dom::names_dtd_only;

#[derive(Debug, thiserror::Error)]
pub enum TmxError {
    #[error("{path}: cannot read the file: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {source}")]
    Encoding { path: PathBuf, source: crate::formats::xml::DecodeError },
    // The message may quote names and values from the file: an excerpt.
    #[error("{path}: line {line}: {}", crate::text::excerpt(message, crate::formats::xml::MESSAGE_CHARS))]
    Invalid { path: PathBuf, line: usize, message: String },
}

/// One translation pair read from a `<tu>`: its source and one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxUnit {
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub author: Option<String>,
    /// ISO 8601, from `changedate` or `creationdate`.
    pub date: Option<String>,
}

/// What a read found besides its units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmxStats {
    pub units: u64,
    /// `<tu>`s without a source-language variant or without any other.
    pub skipped: u64,
}

/// Whether the caller wants more units.
pub enum Flow {
    Continue,
    Stop,
}

/// Counts bytes taken from the file, for progress.
struct Counting<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

#[derive(Default)]
struct Variant {
    lang: String,
    text: String,
}

#[derive(Default)]
struct TuState {
    srclang: Option<String>,
    author: Option<String>,
    date: Option<String>,
    variants: Vec<Variant>,
    /// `<bpt i>` → its marker, so the matching `<ept>` closes it.
    pairs: HashMap<String, String>,
    /// Markers given in the current variant, so a repeated `x` gets its own.
    used: std::collections::HashSet<String>,
    next_marker: u32,
    /// A segment passed [`MAX_SEGMENT_BYTES`]: the unit is skipped.
    oversized: bool,
}

/// The longest segment a unit may have. Memories hold sentences; a longer
/// "segment" is a broken or hostile file, and keeping it whole would cost
/// memory many times its size when it is indexed.
pub const MAX_SEGMENT_BYTES: usize = 64 * 1024;

/// Drops a segment's text once it passes the limit (the unit is skipped),
/// so the reader holds at most one limit's worth of it.
fn bound(text: &mut String, tu: &mut Option<TuState>) {
    if text.len() > MAX_SEGMENT_BYTES {
        *text = String::new();
        if let Some(state) = tu.as_mut() {
            state.oversized = true;
        }
    }
}

fn attribute(start: &BytesStart<'_>, names: &[&str]) -> Result<Option<String>, String> {
    for a in start.attributes().with_checks(true) {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.as_ref();
        if names.contains(&key) {
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// `20020125T213424Z` → `2002-01-25T21:34:24Z`; anything else is dropped.
fn iso_date(tmx: &str) -> Option<String> {
    let b = tmx.as_bytes();
    let shaped =
        b.len() == 16 && b[8] == b'T' && b[15] == b'Z' && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    shaped.then(|| {
        format!("{}-{}-{}T{}:{}:{}Z", &tmx[..4], &tmx[4..6], &tmx[6..8], &tmx[9..11], &tmx[11..13], &tmx[13..15])
    })
}

/// The same language, ignoring case and region when one side has none
/// (`en` is `en-US`; `en-GB` is not `en-US`).
pub fn same_language(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a == b || a.split('-').next() == Some(b.as_str()) || b.split('-').next() == Some(a.as_str())
}

/// Reads every unit of a TMX file, calling `on_unit` with each pair and
/// `progress` with (bytes read, bytes in all) every few hundred units.
/// Stops early when either returns [`Flow::Stop`].
pub fn read(
    path: &Path,
    mut on_unit: impl FnMut(TmxUnit) -> Flow,
    mut progress: impl FnMut(u64, u64) -> Flow,
) -> Result<TmxStats, TmxError> {
    let read_error = |source| TmxError::Read { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(read_error)?;
    let total = file.metadata().map_err(read_error)?.len();
    if total == 0 {
        return Err(TmxError::Empty { path: path.to_path_buf() });
    }
    let mut head = vec![0u8; 1024.min(total as usize)];
    file.read_exact(&mut head).map_err(read_error)?;
    let encoding = crate::formats::xml::encoding_of(&head)
        .map_err(|source| TmxError::Encoding { path: path.to_path_buf(), source })?;
    let counter = std::rc::Rc::new(std::cell::Cell::new(0u64));
    // UTF-8 streams straight from the file; anything else is decoded whole.
    let (input, decoded): (Box<dyn BufRead>, Option<String>) = if encoding == encoding_rs::UTF_8 {
        let skip = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let rest = Counting { inner: File::open(path).map_err(read_error)?, read: counter.clone() };
        let mut reader = BufReader::with_capacity(1 << 16, rest);
        let mut skipped = vec![0u8; skip];
        reader.read_exact(&mut skipped).map_err(read_error)?;
        (Box::new(reader), None)
    } else {
        let mut bytes = head;
        file.read_to_end(&mut bytes).map_err(read_error)?;
        let text = crate::formats::xml::decode(&bytes)
            .map_err(|source| TmxError::Encoding { path: path.to_path_buf(), source })?;
        counter.set(total);
        (Box::new(std::io::Cursor::new(text.clone().into_bytes())), Some(text))
    };
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let line_at = |position: u64| -> usize {
        let count = |bytes: &mut dyn Iterator<Item = u8>| bytes.filter(|&b| b == b'\n').count() + 1;
        match &decoded {
            Some(text) => count(&mut text.bytes().take(position as usize)),
            None => File::open(path)
                .map(|f| count(&mut BufReader::new(f).bytes().map_while(Result::ok).take(position as usize + 3)))
                .unwrap_or(0),
        }
    };
    let invalid = |position: u64, message: String| TmxError::Invalid {
        path: path.to_path_buf(),
        line: line_at(position),
        message,
    };

    let mut stats = TmxStats::default();
    let mut buf = Vec::new();
    let mut header_srclang: Option<String> = None;
    let mut saw_root = false;
    let mut tu: Option<TuState> = None;
    let mut seg: Option<String> = None;
    // Depth inside an inline code whose content is native markup, dropped.
    let mut code_depth = 0usize;
    let mut depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| invalid(reader.error_position(), format!("not well-formed XML: {e}")))?;
        match event {
            Event::DocType(doctype) if names_dtd_only(doctype.as_ref().as_bytes()) => {}
            Event::DocType(_) => {
                return Err(invalid(
                    position,
                    "a DOCTYPE with declarations is not allowed (entities are never expanded)".into(),
                ));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let empty = matches!(event, Event::Empty(_));
                let name = start.local_name();
                let name = name.as_ref().to_string();
                let attr = |names: &[&str]| attribute(start, names).map_err(|m| invalid(position, m));
                if !saw_root {
                    if name != "tmx" {
                        return Err(invalid(
                            position,
                            format!("not a TMX file: the root element is <{name}>, not <tmx>"),
                        ));
                    }
                    saw_root = true;
                }
                if !empty {
                    depth += 1;
                    if depth > crate::formats::xml::dom::MAX_DEPTH {
                        return Err(invalid(position, "elements nested too deep".into()));
                    }
                }
                if let Some(text) = seg.as_mut() {
                    let state = tu.as_mut().ok_or_else(|| invalid(position, "<seg> outside <tu>".into()))?;
                    if code_depth > 0 {
                        if !empty {
                            code_depth += 1;
                        }
                        continue;
                    }
                    match name.as_str() {
                        "bpt" => {
                            let marker = marker(state, attr(&["x"])?);
                            if let Some(i) = attr(&["i"])? {
                                state.pairs.insert(i, marker.clone());
                            }
                            text.push_str(&crate::text::placeholder(&marker));
                        }
                        "ept" => {
                            let paired = attr(&["i"])?.and_then(|i| state.pairs.get(&i).cloned());
                            let marker = paired.unwrap_or_else(|| marker(state, None));
                            text.push_str(&crate::text::placeholder(&format!("/{marker}")));
                        }
                        "ph" | "it" | "ut" => {
                            let marker = marker(state, attr(&["x"])?);
                            text.push_str(&crate::text::placeholder(&marker));
                        }
                        "hi" | "sub" => continue,
                        other => return Err(invalid(position, format!("<{other}> cannot appear inside <seg>"))),
                    }
                    if !empty {
                        code_depth = 1;
                    }
                    continue;
                }
                match name.as_str() {
                    "header" => header_srclang = attr(&["srclang"])?,
                    "tu" => {
                        tu = Some(TuState {
                            srclang: attr(&["srclang"])?,
                            author: attr(&["changeid"])?.or(attr(&["creationid"])?),
                            date: attr(&["changedate"])?.or(attr(&["creationdate"])?).and_then(|d| iso_date(&d)),
                            ..TuState::default()
                        })
                    }
                    "tuv" => {
                        let state = tu.as_mut().ok_or_else(|| invalid(position, "<tuv> outside <tu>".into()))?;
                        let lang = attr(&["xml:lang", "lang"])?
                            .ok_or_else(|| invalid(position, "<tuv> without xml:lang".into()))?;
                        state.variants.push(Variant { lang, text: String::new() });
                        state.pairs.clear();
                        state.used.clear();
                        state.next_marker = 0;
                    }
                    "seg" if !empty => seg = Some(String::new()),
                    _ => {}
                }
            }
            Event::End(ref end) => {
                depth = depth.saturating_sub(1);
                if code_depth > 0 {
                    code_depth -= 1;
                    continue;
                }
                let name = end.local_name();
                match name.as_ref() {
                    "seg" => {
                        let text = seg.take().unwrap_or_default();
                        let variant = tu.as_mut().and_then(|t| t.variants.last_mut());
                        let variant = variant.ok_or_else(|| invalid(position, "<seg> outside <tuv>".into()))?;
                        variant.text = text;
                    }
                    "tu" => {
                        let Some(state) = tu.take() else { continue };
                        if state.oversized {
                            stats.skipped += 1;
                            continue;
                        }
                        let srclang = state.srclang.as_deref().or(header_srclang.as_deref()).unwrap_or("*all*");
                        let source = if srclang == "*all*" {
                            state.variants.first()
                        } else {
                            state.variants.iter().find(|v| same_language(&v.lang, srclang))
                        };
                        let Some(source) = source else {
                            stats.skipped += 1;
                            continue;
                        };
                        let mut any = false;
                        for target in state.variants.iter().filter(|v| !std::ptr::eq(*v, source)) {
                            any = true;
                            stats.units += 1;
                            let unit = TmxUnit {
                                source_lang: source.lang.clone(),
                                target_lang: target.lang.clone(),
                                source: source.text.clone(),
                                target: target.text.clone(),
                                author: state.author.clone(),
                                date: state.date.clone(),
                            };
                            if let Flow::Stop = on_unit(unit) {
                                return Ok(stats);
                            }
                        }
                        if !any {
                            stats.skipped += 1;
                        }
                        if stats.units % 512 == 0 && matches!(progress(counter.get(), total), Flow::Stop) {
                            return Ok(stats);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if code_depth == 0 => {
                if let Some(text) = seg.as_mut() {
                    text.push_str(&t.xml10_content());
                    bound(text, &mut tu);
                }
            }
            Event::CData(ref data) if code_depth == 0 => {
                if let Some(text) = seg.as_mut() {
                    text.push_str(data.as_ref());
                    bound(text, &mut tu);
                }
            }
            Event::GeneralRef(ref reference) => {
                let c = crate::formats::xml::reference(reference).map_err(|m| invalid(position, m))?;
                if let Some(text) = seg.as_mut().filter(|_| code_depth == 0) {
                    text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(invalid(reader.buffer_position(), "no <tmx> element".into()));
    }
    if depth > 0 {
        return Err(invalid(reader.buffer_position(), "the file ends before its elements are closed".into()));
    }
    progress(total, total);
    Ok(stats)
}

/// A code's marker: its `x` (which pairs it with the same code in the other
/// language), or a number of its own when `x` is missing or already used.
fn marker(state: &mut TuState, x: Option<String>) -> String {
    state.next_marker += 1;
    let marker = x
        .filter(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_alphanumeric()) && !state.used.contains(x))
        .unwrap_or_else(|| format!("c{}", state.next_marker));
    state.used.insert(marker.clone());
    marker
}

/// Writes TMX 1.4b: one `<tu>` per pair, placeholders back as codes.
pub struct TmxWriter<W: Write> {
    out: W,
}

impl<W: Write> TmxWriter<W> {
    pub fn start(mut out: W, source_lang: &str) -> std::io::Result<Self> {
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"Verso\" \
             creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"verso\" adminlang=\"en\" srclang=\"{}\" \
             datatype=\"plaintext\"/>\n  <body>\n",
            env!("CARGO_PKG_VERSION"),
            escape_markup(source_lang)
        )?;
        Ok(TmxWriter { out })
    }

    pub fn unit(&mut self, unit: &TmxUnit) -> std::io::Result<()> {
        let mut attributes = String::new();
        if let Some(author) = &unit.author {
            attributes.push_str(&format!(" creationid=\"{}\"", escape_markup(author)));
        }
        if let Some(date) = unit.date.as_deref().and_then(tmx_date) {
            attributes.push_str(&format!(" creationdate=\"{date}\""));
        }
        writeln!(
            self.out,
            "    <tu{attributes}>\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n    </tu>",
            escape_markup(&unit.source_lang),
            segment_xml(&unit.source),
            escape_markup(&unit.target_lang),
            segment_xml(&unit.target)
        )
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        Ok(self.out)
    }
}

/// Translation pairs as a TMX 1.4b document, one `<tu>` per pair, written
/// by the same writer as memory exports (placeholders become `<ph>`,
/// `<bpt>`, `<ept>`).
pub fn pairs_document(pairs: impl Iterator<Item = (String, String)>, source_lang: &str, target_lang: &str) -> String {
    let write = || -> std::io::Result<Vec<u8>> {
        let mut writer = TmxWriter::start(Vec::new(), source_lang)?;
        for (source, target) in pairs {
            let unit = TmxUnit {
                source_lang: source_lang.to_string(),
                target_lang: target_lang.to_string(),
                source,
                target,
                author: None,
                date: None,
            };
            writer.unit(&unit)?;
        }
        writer.finish()
    };
    // Writing to memory cannot fail.
    String::from_utf8(write().unwrap_or_default()).unwrap_or_default()
}

/// `2002-01-25T21:34:24.000Z` → `20020125T213424Z`.
fn tmx_date(iso: &str) -> Option<String> {
    let digits: String = iso.chars().filter(char::is_ascii_digit).take(14).collect();
    (digits.len() == 14).then(|| format!("{}T{}Z", &digits[..8], &digits[8..]))
}

/// Segment text with placeholders written as TMX codes.
fn segment_xml(text: &str) -> String {
    let mut out = String::new();
    for (is_code, piece) in crate::text::pieces(text) {
        if !is_code {
            out.push_str(&escape_markup(piece));
        } else if let Some(id) = piece.strip_prefix('/') {
            out.push_str(&format!("<ept i=\"{}\"></ept>", escape_markup(id)));
        } else if text.contains(&format!("⟦/{piece}⟧")) {
            out.push_str(&format!("<bpt i=\"{0}\" x=\"{0}\"></bpt>", escape_markup(piece)));
        } else {
            out.push_str(&format!("<ph x=\"{}\"></ph>", escape_markup(piece)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(xml: &[u8]) -> Result<Vec<TmxUnit>, TmxError> {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("m.tmx");
        std::fs::write(&path, xml).expect("write");
        let mut units = Vec::new();
        read(
            &path,
            |u| {
                units.push(u);
                Flow::Continue
            },
            |_, _| Flow::Continue,
        )?;
        Ok(units)
    }

    #[test]
    fn codes_become_placeholders_and_whitespace_is_kept() {
        let units = read_all(
            br#"<tmx version="1.4"><header srclang="en-US"/><body>
            <tu creationid="ana" creationdate="20240102T030405Z"><tuv xml:lang="en-US"><seg>Click <bpt i="1" x="2">&lt;b></bpt>here<ept i="1">&lt;/b></ept><ph x="3">&lt;br/></ph> <hi>now</hi>&#x09;!</seg></tuv>
            <tuv xml:lang="fr-FR"><seg>Cliquez <bpt i="7" x="2">&lt;b></bpt>ici<ept i="7">&lt;/b></ept><ph x="3"/></seg></tuv></tu>
            </body></tmx>"#,
        )
        .expect("read");
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].source, "Click ⟦2⟧here⟦/2⟧⟦3⟧ now\t!");
        assert_eq!(units[0].target, "Cliquez ⟦2⟧ici⟦/2⟧⟦3⟧");
        assert_eq!((units[0].source_lang.as_str(), units[0].target_lang.as_str()), ("en-US", "fr-FR"));
        assert_eq!(units[0].author.as_deref(), Some("ana"));
        assert_eq!(units[0].date.as_deref(), Some("2024-01-02T03:04:05Z"));
        let mut out = TmxWriter::start(Vec::new(), "en-US").expect("start");
        out.unit(&units[0]).expect("unit");
        let xml = String::from_utf8(out.finish().expect("finish")).expect("utf8");
        assert!(xml.contains("<bpt i=\"2\" x=\"2\"></bpt>here<ept i=\"2\"></ept><ph x=\"3\"></ph> now\t!"), "{xml}");
        assert!(xml.contains("creationdate=\"20240102T030405Z\""));
    }

    #[test]
    fn pairs_from_documents_write_placeholders_as_codes_and_read_back() {
        let pairs = [("Click ⟦1⟧here⟦/1⟧ & go.".to_string(), "Pulse ⟦1⟧aquí⟦/1⟧ y siga.".to_string())];
        let xml = pairs_document(pairs.clone().into_iter(), "en", "es");
        assert!(xml.contains("<bpt i=\"1\" x=\"1\"></bpt>here<ept i=\"1\"></ept> &amp; go."), "{xml}");
        let units = read_all(xml.as_bytes()).expect("read back");
        assert_eq!((units[0].source.as_str(), units[0].target.as_str()), (pairs[0].0.as_str(), pairs[0].1.as_str()));
    }

    #[test]
    fn a_unit_with_a_segment_over_the_limit_is_skipped_and_its_neighbours_kept() {
        let long = "word ".repeat(MAX_SEGMENT_BYTES / 5 + 1);
        let xml = format!(
            r#"<tmx version="1.4"><header srclang="en"/><body>
            <tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="es"><seg>Uno.</seg></tuv></tu>
            <tu><tuv xml:lang="en"><seg>{long}</seg></tuv><tuv xml:lang="es"><seg>Dos.</seg></tuv></tu>
            <tu><tuv xml:lang="en"><seg>Three.</seg></tuv><tuv xml:lang="es"><seg>{long}<![CDATA[x]]></seg></tuv></tu>
            <tu><tuv xml:lang="en"><seg>Four.</seg></tuv><tuv xml:lang="es"><seg>Cuatro.</seg></tuv></tu>
            </body></tmx>"#
        );
        let units = read_all(xml.as_bytes()).expect("read");
        assert_eq!(units.iter().map(|u| u.source.as_str()).collect::<Vec<_>>(), ["One.", "Four."]);
    }

    #[test]
    fn broken_files_name_the_line() {
        let error = read_all(b"<tmx><body>\n<tu><tuv xml:lang='en'><seg>a</tuv></tu></body></tmx>").expect_err("bad");
        assert!(matches!(error, TmxError::Invalid { line: 2, .. }), "{error}");
        let error = read_all(b"<xliff/>").expect_err("not tmx");
        assert!(error.to_string().contains("not a TMX file"), "{error}");
        assert!(matches!(read_all(b""), Err(TmxError::Empty { .. })));
        let error = read_all(b"<tmx><body>\n\n<tu><tuv xml:lang='en'><seg>&bomb;</seg></tuv></tu></body></tmx>")
            .expect_err("entity");
        assert!(matches!(error, TmxError::Invalid { line: 3, .. }), "{error}");
        assert!(read_all(b"<!DOCTYPE tmx [<!ENTITY a 'b'>]><tmx/>").is_err());
        let error = read_all(b"<tmx><body><tu>").expect_err("truncated");
        assert!(error.to_string().contains("ends before"), "{error}");
    }
}
