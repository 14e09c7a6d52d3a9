//! The project glossary: agreed terms, their translations, and variants
//! translators must not use. Imported from TBX (TBX-Basic, both the 2008
//! `martif` and the 2019 `tbx` shapes) or CSV/TSV, exported as TBX, and
//! matched in segment sources word by word after stemming, so "interest
//! rates" finds the term "interest rate".

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::formats::export::escape_markup;
use crate::formats::xml::dom::{self, Element};
use crate::lang::LangTag;
use crate::text::Span;

#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error("{path}: cannot read the file: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {source}")]
    Encoding { path: PathBuf, source: crate::formats::xml::DecodeError },
    #[error("{path}: line {line}: {message}")]
    Invalid { path: PathBuf, line: usize, message: String },
    #[error("{path}: no terms for {source_lang} → {target_lang} in the file{found}")]
    NoTerms { path: PathBuf, source_lang: String, target_lang: String, found: String },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path}: cannot write the file: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// A term pair as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Term {
    #[cfg_attr(feature = "bindings", ts(type = "number"))]
    pub id: i64,
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub note: Option<String>,
    /// A variant not to use for `source`.
    pub forbidden: bool,
}

/// A term pair read from a file, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTerm {
    pub source: String,
    pub target: String,
    pub note: Option<String>,
    pub forbidden: bool,
}

/// Where a glossary term occurs in a source sentence, with what to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TermHit {
    pub span: Span,
    pub source: String,
    pub targets: Vec<String>,
    pub forbidden: Vec<String>,
    pub note: Option<String>,
}

fn same_language(tag: &str, lang: &LangTag) -> bool {
    tag.split(['-', '_']).next().is_some_and(|p| p.eq_ignore_ascii_case(lang.primary()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, GlossaryError> {
    let bytes = std::fs::read(path).map_err(|source| GlossaryError::Read { path: path.to_path_buf(), source })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(GlossaryError::Empty { path: path.to_path_buf() });
    }
    Ok(bytes)
}

/// Reads the term pairs for `source → target` from a TBX or CSV/TSV file,
/// chosen by extension.
pub fn read(path: &Path, source: &LangTag, target: &LangTag) -> Result<Vec<NewTerm>, GlossaryError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let bytes = read_bytes(path)?;
    let (terms, found) = match extension.as_str() {
        "csv" | "tsv" | "txt" => read_csv(path, &bytes, source, target)?,
        _ => read_tbx(path, &bytes, source, target)?,
    };
    if terms.is_empty() {
        let found = if found.is_empty() { String::new() } else { format!(" (it has {})", found.join(", ")) };
        return Err(GlossaryError::NoTerms {
            path: path.to_path_buf(),
            source_lang: source.to_string(),
            target_lang: target.to_string(),
            found,
        });
    }
    Ok(terms)
}

fn text_of(element: &Element) -> String {
    element
        .children
        .iter()
        .map(|n| match n {
            dom::Node::Text(t) => t.clone(),
            dom::Node::Element(e) => text_of(e),
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// One language's terms of a concept: (term, deprecated).
fn terms_of(lang_set: &Element) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for holder in lang_set.descendants() {
        if !matches!(holder.name.as_str(), "tig" | "ntig" | "termSec") {
            continue;
        }
        let descendants = holder.descendants();
        let Some(term) = descendants.iter().find(|e| e.name == "term").map(|e| text_of(e)) else { continue };
        let deprecated = descendants.iter().any(|e| {
            e.name == "termNote"
                && matches!(e.attr("type"), Some("administrativeStatus" | "normativeAuthorization"))
                && {
                    let value = text_of(e).to_ascii_lowercase();
                    ["deprecated", "superseded", "forbidden", "rejected"].iter().any(|w| value.contains(w))
                }
        });
        if !term.is_empty() {
            out.push((term, deprecated));
        }
    }
    out
}

fn read_tbx(
    path: &Path,
    bytes: &[u8],
    source: &LangTag,
    target: &LangTag,
) -> Result<(Vec<NewTerm>, Vec<String>), GlossaryError> {
    let text = crate::formats::xml::decode(bytes)
        .map_err(|source| GlossaryError::Encoding { path: path.to_path_buf(), source })?;
    let root = dom::parse_naming_dtd(&text).map_err(|(line, message)| GlossaryError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    })?;
    if !matches!(root.name.as_str(), "martif" | "tbx") {
        return Err(GlossaryError::Invalid {
            path: path.to_path_buf(),
            line: root.line,
            message: format!("not a TBX file: the root element is <{}>, not <martif> or <tbx>", root.name),
        });
    }
    let mut terms = Vec::new();
    let mut languages: Vec<String> = Vec::new();
    for entry in root.descendants().into_iter().filter(|e| matches!(e.name.as_str(), "termEntry" | "conceptEntry")) {
        let note = entry
            .descendants()
            .into_iter()
            .find(|e| (e.name == "descrip" && e.attr("type") == Some("definition")) || e.name == "note")
            .map(text_of)
            .filter(|n| !n.is_empty());
        let (mut sources, mut targets) = (Vec::new(), Vec::new());
        for lang_set in entry.elements().filter(|e| matches!(e.name.as_str(), "langSet" | "langSec")) {
            let lang = lang_set.xml_attr("lang").unwrap_or_default();
            if !languages.iter().any(|l| l.eq_ignore_ascii_case(lang)) && languages.len() < 12 {
                languages.push(lang.to_string());
            }
            if same_language(lang, source) {
                sources.extend(terms_of(lang_set).into_iter().filter(|(_, deprecated)| !deprecated));
            } else if same_language(lang, target) {
                targets.extend(terms_of(lang_set));
            }
        }
        for (source_term, _) in &sources {
            for (target_term, deprecated) in &targets {
                terms.push(NewTerm {
                    source: source_term.clone(),
                    target: target_term.clone(),
                    note: note.clone(),
                    forbidden: *deprecated,
                });
            }
        }
    }
    Ok((terms, languages))
}

/// CSV or TSV with a header row: the source and target columns are named
/// by language code (`en`, `es`) or as `source` / `target`; optional
/// `note` and `forbidden` columns. Several targets in one cell are split
/// on `;`.
fn read_csv(
    path: &Path,
    bytes: &[u8],
    source: &LangTag,
    target: &LangTag,
) -> Result<(Vec<NewTerm>, Vec<String>), GlossaryError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        GlossaryError::Invalid { path: path.to_path_buf(), line, message: "not UTF-8 text".into() }
    })?;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') {
        b'\t'
    } else if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let invalid = |line: usize, message: String| GlossaryError::Invalid { path: path.to_path_buf(), line, message };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |names: &[&str], lang: Option<&LangTag>| {
        headers.iter().position(|h| names.contains(&h.as_str()) || lang.is_some_and(|l| same_language(h, l)))
    };
    let (Some(source_at), Some(target_at)) =
        (column(&["source", "source term"], Some(source)), column(&["target", "target term"], Some(target)))
    else {
        return Err(invalid(
            1,
            format!(
                "the header row needs a source column (\"{}\" or \"source\") and a target column (\"{}\" or \"target\"); it has {}",
                source.primary(),
                target.primary(),
                headers.join(", ")
            ),
        ));
    };
    let note_at = column(&["note", "notes", "definition", "comment"], None);
    let forbidden_at = column(&["forbidden", "status"], None);
    let mut terms = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            invalid(line, format!("{e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |at: usize| record.get(at).unwrap_or_default().trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (source_term, targets) = (cell(source_at), cell(target_at));
        if source_term.is_empty() || targets.is_empty() {
            return Err(invalid(line, "a term row needs both a source and a target term".into()));
        }
        let forbidden = forbidden_at.is_some_and(|at| {
            matches!(cell(at).to_ascii_lowercase().as_str(), "1" | "yes" | "true" | "x" | "forbidden" | "deprecated")
        });
        for target_term in targets.split(';').map(str::trim).filter(|t| !t.is_empty()) {
            terms.push(NewTerm {
                source: source_term.to_string(),
                target: target_term.to_string(),
                note: note_at.map(|at| cell(at).to_string()).filter(|n| !n.is_empty()),
                forbidden,
            });
        }
    }
    Ok((terms, Vec::new()))
}

/// Adds terms to the glossary in one transaction; an identical pair is
/// not stored twice. Returns how many were new.
pub fn add(
    tx: &Transaction<'_>,
    terms: &[NewTerm],
    source: &LangTag,
    target: &LangTag,
    origin: &str,
) -> rusqlite::Result<usize> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO glossary_terms (source_lang, target_lang, source, target, note, forbidden, origin)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM glossary_terms
             WHERE source_lang = ?1 AND target_lang = ?2 AND source = ?3 AND target = ?4 AND forbidden = ?6)",
    )?;
    let mut added = 0;
    for term in terms {
        added += insert.execute(params![
            source.as_str(),
            target.as_str(),
            term.source,
            term.target,
            term.note,
            term.forbidden,
            origin
        ])?;
    }
    Ok(added)
}

/// The glossary for a language pair.
pub fn terms(conn: &Connection, source: &LangTag, target: &LangTag) -> rusqlite::Result<Vec<Term>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source_lang, target_lang, source, target, note, forbidden FROM glossary_terms ORDER BY source, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Term {
            id: r.get(0)?,
            source_lang: r.get(1)?,
            target_lang: r.get(2)?,
            source: r.get(3)?,
            target: r.get(4)?,
            note: r.get(5)?,
            forbidden: r.get(6)?,
        })
    })?;
    let all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let (s, t) = (LangTag::clone(source), LangTag::clone(target));
    Ok(all
        .into_iter()
        .filter(|term| same_language(&term.source_lang, &s) && same_language(&term.target_lang, &t))
        .collect())
}

/// The glossary as TBX-Basic (2008 `martif`), one entry per source term.
pub fn to_tbx(terms: &[Term]) -> String {
    let mut entries: Vec<(&str, Vec<&Term>)> = Vec::new();
    for term in terms {
        match entries.iter_mut().find(|(s, _)| *s == term.source) {
            Some((_, list)) => list.push(term),
            None => entries.push((&term.source, vec![term])),
        }
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<martif type=\"TBX-Basic\" xml:lang=\"en\">\n  <martifHeader><fileDesc><sourceDesc><p>Exported by Verso</p></sourceDesc></fileDesc></martifHeader>\n  <text>\n    <body>\n",
    );
    for (n, (source, list)) in entries.iter().enumerate() {
        out.push_str(&format!("      <termEntry id=\"c{}\">\n", n + 1));
        if let Some(note) = list.iter().find_map(|t| t.note.as_deref()) {
            out.push_str(&format!("        <descrip type=\"definition\">{}</descrip>\n", escape_markup(note)));
        }
        out.push_str(&format!(
            "        <langSet xml:lang=\"{}\">\n          <tig><term>{}</term></tig>\n        </langSet>\n",
            escape_markup(&list[0].source_lang),
            escape_markup(source)
        ));
        out.push_str(&format!("        <langSet xml:lang=\"{}\">\n", escape_markup(&list[0].target_lang)));
        for term in list {
            let status = if term.forbidden { "deprecatedTerm-admn-sts" } else { "preferredTerm-admn-sts" };
            out.push_str(&format!(
                "          <tig><term>{}</term><termNote type=\"administrativeStatus\">{status}</termNote></tig>\n",
                escape_markup(&term.target)
            ));
        }
        out.push_str("        </langSet>\n      </termEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</martif>\n");
    out
}

/// A word of a sentence, stemmed, with its character range.
struct Word {
    stem: String,
    start: usize,
    end: usize,
}

fn words(text: &str, stemmer: Option<&rust_stemmers::Stemmer>) -> Vec<Word> {
    crate::text::words_with_spans(text)
        .into_iter()
        .map(|(word, start, end)| {
            let stem = stemmer.map_or_else(|| word.clone(), |s| s.stem(&word).into_owned());
            Word { stem, start, end }
        })
        .collect()
}

/// A source term with what to use for it and what not.
#[derive(Default)]
struct Entry {
    source: String,
    targets: Vec<String>,
    forbidden: Vec<String>,
    note: Option<String>,
}

/// Finds terms in text by their stemmed words.
pub struct Matcher {
    /// First stem → (term stems, index into `entries`).
    first: HashMap<String, Vec<(Vec<String>, usize)>>,
    entries: Vec<Entry>,
    stemmer: Option<rust_stemmers::Stemmer>,
}

impl Matcher {
    pub fn new(terms: &[Term], source_lang: &LangTag) -> Matcher {
        let stemmer = source_lang.stemmer();
        let mut entries: Vec<Entry> = Vec::new();
        for term in terms {
            let index = match entries.iter().position(|e| e.source == term.source) {
                Some(i) => i,
                None => {
                    entries.push(Entry { source: term.source.clone(), ..Entry::default() });
                    entries.len() - 1
                }
            };
            let entry = &mut entries[index];
            if term.forbidden {
                entry.forbidden.push(term.target.clone())
            } else {
                entry.targets.push(term.target.clone())
            }
            if entry.note.is_none() {
                entry.note.clone_from(&term.note);
            }
        }
        let mut first: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let stems: Vec<String> = words(&entry.source, stemmer.as_ref()).into_iter().map(|w| w.stem).collect();
            if let Some(head) = stems.first() {
                first.entry(head.clone()).or_default().push((stems, index));
            }
        }
        Matcher { first, entries, stemmer }
    }

    /// Term hits in `text`, longest first where terms overlap.
    pub fn hits(&self, text: &str) -> Vec<TermHit> {
        let found = words(text, self.stemmer.as_ref());
        let mut hits: Vec<TermHit> = Vec::new();
        let mut covered_to = 0;
        for (i, word) in found.iter().enumerate() {
            if word.start < covered_to {
                continue;
            }
            let Some(candidates) = self.first.get(&word.stem) else { continue };
            let best = candidates
                .iter()
                .filter(|(stems, _)| {
                    found.get(i..i + stems.len()).is_some_and(|run| run.iter().zip(stems).all(|(w, s)| &w.stem == s))
                })
                .max_by_key(|(stems, _)| stems.len());
            if let Some((stems, index)) = best {
                let entry = &self.entries[*index];
                let end = found[i + stems.len() - 1].end;
                hits.push(TermHit {
                    span: Span { start: word.start as u32, end: end as u32 },
                    source: entry.source.clone(),
                    targets: entry.targets.clone(),
                    forbidden: entry.forbidden.clone(),
                    note: entry.note.clone(),
                });
                covered_to = end;
            }
        }
        hits
    }
}

/// A bilingual dictionary of phrase pairs (glossary terms, word pairs
/// learned from the translation memory) for finding the same concept in
/// texts of either language: alignment and summary provenance use it
/// where no translation links a sentence to its counterpart.
pub struct Lexicon {
    source: Matcher,
    /// The pairs reversed: target phrases found, source phrases named.
    target: Matcher,
}

/// One concept a text mentions: the source phrase that names it
/// (lower-cased, the same whichever side it was found on) and where it
/// stands in the text, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub concept: String,
    pub range: std::ops::Range<usize>,
}

impl Mention {
    /// Whether a word at `range` (bytes) is part of this mention.
    pub fn covers(&self, range: &std::ops::Range<usize>) -> bool {
        self.range.start <= range.start && range.end <= self.range.end
    }
}

impl Lexicon {
    pub fn new(pairs: &[(String, String)], source_lang: &LangTag, target_lang: &LangTag) -> Lexicon {
        let term = |source: &str, target: &str| Term {
            id: 0,
            source_lang: String::new(),
            target_lang: String::new(),
            source: source.to_string(),
            target: target.to_string(),
            note: None,
            forbidden: false,
        };
        let forward: Vec<Term> = pairs.iter().map(|(s, t)| term(s, t)).collect();
        let reversed: Vec<Term> = pairs.iter().map(|(s, t)| term(t, s)).collect();
        Lexicon { source: Matcher::new(&forward, source_lang), target: Matcher::new(&reversed, target_lang) }
    }

    /// The glossary's agreed (not forbidden) pairs, plus `more`.
    pub fn from_terms(
        terms: &[Term],
        more: Vec<(String, String)>,
        source_lang: &LangTag,
        target_lang: &LangTag,
    ) -> Lexicon {
        let mut pairs: Vec<(String, String)> =
            terms.iter().filter(|t| !t.forbidden).map(|t| (t.source.clone(), t.target.clone())).collect();
        pairs.extend(more);
        Lexicon::new(&pairs, source_lang, target_lang)
    }

    pub fn is_empty(&self) -> bool {
        self.source.entries.is_empty()
    }

    /// Concepts named in a text of the source language.
    pub fn in_source(&self, text: &str) -> Vec<Mention> {
        mentions(text, self.source.hits(text), |hit| vec![hit.source.to_lowercase()])
    }

    /// Concepts named in a text of the target language.
    pub fn in_target(&self, text: &str) -> Vec<Mention> {
        mentions(text, self.target.hits(text), |hit| hit.targets.iter().map(|t| t.to_lowercase()).collect())
    }
}

fn mentions(text: &str, hits: Vec<TermHit>, concepts: impl Fn(&TermHit) -> Vec<String>) -> Vec<Mention> {
    // Matcher spans count characters; callers index text by bytes.
    let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let byte = |char_offset: u32| bytes.get(char_offset as usize).copied().unwrap_or(text.len());
    hits.iter()
        .flat_map(|hit| {
            let range = byte(hit.span.start)..byte(hit.span.end);
            concepts(hit).into_iter().map(move |concept| Mention { concept, range: range.clone() })
        })
        .collect()
}

/// Whether `term` occurs in `text`, word by word after stemming with the
/// text's language; used by QA on translations.
pub fn contains(text: &str, term: &str, lang: &LangTag) -> bool {
    let stemmer = lang.stemmer();
    let (text, term) = (words(text, stemmer.as_ref()), words(term, stemmer.as_ref()));
    !term.is_empty() && text.windows(term.len()).any(|run| run.iter().zip(&term).all(|(a, b)| a.stem == b.stem))
}

/// Writes the glossary of a language pair as TBX.
pub fn export(conn: &Connection, source: &LangTag, target: &LangTag, path: &Path) -> Result<usize, GlossaryError> {
    let terms =
        terms(conn, source, target).map_err(|e| GlossaryError::Sqlite { path: path.to_path_buf(), source: e })?;
    crate::formats::export::write_atomically(path, to_tbx(&terms).as_bytes())
        .map_err(|source| GlossaryError::Write { path: path.to_path_buf(), source })?;
    Ok(terms.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(source: &str, target: &str, forbidden: bool) -> Term {
        Term {
            id: 0,
            source_lang: "en".into(),
            target_lang: "es".into(),
            source: source.into(),
            target: target.into(),
            note: None,
            forbidden,
        }
    }

    #[test]
    fn terms_match_inflected_and_longest_first() {
        let terms = [
            term("interest rate", "tipo de interés", false),
            term("rate", "tasa", false),
            term("interest rate", "rata", true),
        ];
        let matcher = Matcher::new(&terms, &LangTag::english());
        let hits = matcher.hits("Interest rates rose; the rate of growth fell.");
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].span.start, hits[0].span.end), (0, 14));
        assert_eq!(hits[0].targets, vec!["tipo de interés"]);
        assert_eq!(hits[0].forbidden, vec!["rata"]);
        assert_eq!(hits[1].source, "rate");
        assert!(contains("Los tipos de interés subieron", "tipo de interés", &LangTag::spanish()));
        assert!(!contains("Los tipos subieron", "tipo de interés", &LangTag::spanish()));
    }

    #[test]
    fn csv_needs_its_columns_and_names_the_bad_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("g.csv");
        std::fs::write(
            &path,
            "en,es,note,forbidden\nminister,ministro,,\nminister,ministra;titular,,\nrate,rata,,yes\n",
        )
        .expect("write");
        let terms = read(&path, &LangTag::english(), &LangTag::spanish()).expect("read");
        assert_eq!(terms.len(), 4);
        assert!(terms[3].forbidden);
        std::fs::write(&path, "en,es\nminister,ministro\n,vacío\n").expect("write");
        let error = read(&path, &LangTag::english(), &LangTag::spanish()).expect_err("empty cell");
        assert!(matches!(error, GlossaryError::Invalid { line: 3, .. }), "{error}");
        std::fs::write(&path, "fr,de\na,b\n").expect("write");
        assert!(
            read(&path, &LangTag::english(), &LangTag::spanish())
                .expect_err("langs")
                .to_string()
                .contains("header row")
        );
        std::fs::write(&path, "en,es\n\"open,quote\n").expect("write");
        assert!(read(&path, &LangTag::english(), &LangTag::spanish()).is_err());
    }
}
