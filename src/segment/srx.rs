//! SRX 2.0 segmentation rules: reading the files other CAT tools use,
//! applying them with the standard's semantics, and writing them back.
//!
//! Each rule's patterns compile with the `regex` crate when they can, and
//! with `fancy-regex` only when they need look-around or other features it
//! lacks; a rule neither can compile is an error naming the file and line,
//! never silently dropped. Documents are parsed without DTDs or entities.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use super::AbbreviationKind;
use crate::lang::LangTag;

#[derive(Debug, thiserror::Error)]
pub enum SrxError {
    #[error("{path}: cannot read the file: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path}, line {line}: malformed SRX: {message}")]
    Malformed { path: PathBuf, line: usize, message: String },
    #[error("{path}, line {line}: rule pattern {pattern:?} does not compile: {message}")]
    Pattern { path: PathBuf, line: usize, pattern: String, message: String },
    #[error("{path}: no language rule applies to \"{lang}\"")]
    NoRulesForLanguage { path: PathBuf, lang: String },
}

/// One break or no-break rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxRule {
    pub is_break: bool,
    pub before: String,
    pub after: String,
    /// Line of the rule in its file (0 for rules built in memory).
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxLanguageRule {
    pub name: String,
    pub rules: Vec<SrxRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxLanguageMap {
    pub pattern: String,
    pub rule_name: String,
    pub line: usize,
}

/// A whole SRX document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxDocument {
    pub cascade: bool,
    pub language_rules: Vec<SrxLanguageRule>,
    pub maps: Vec<SrxLanguageMap>,
    pub path: PathBuf,
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

impl SrxDocument {
    pub fn read(path: &Path) -> Result<SrxDocument, SrxError> {
        let bytes = std::fs::read(path).map_err(|source| SrxError::Unreadable { path: path.to_path_buf(), source })?;
        let text = String::from_utf8(bytes).map_err(|e| SrxError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        })?;
        SrxDocument::parse(path, &text)
    }

    pub fn parse(path: &Path, xml: &str) -> Result<SrxDocument, SrxError> {
        let malformed = |byte: usize, message: String| SrxError::Malformed {
            path: path.to_path_buf(),
            line: line_of(xml, byte),
            message,
        };
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut document =
            SrxDocument { cascade: true, language_rules: Vec::new(), maps: Vec::new(), path: path.to_path_buf() };
        let mut saw_root = false;
        // The element whose text we are collecting, and the rule being built.
        let mut collecting: Option<(&'static str, String)> = None;
        let mut rule: Option<SrxRule> = None;
        loop {
            let at = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| malformed(at, e.to_string()))?;
            match event {
                Event::DocType(_) => return Err(malformed(at, "DOCTYPE declarations are not allowed".into())),
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name().as_ref().to_string();
                    match name.as_str() {
                        "srx" => saw_root = true,
                        "header" => document.cascade = attribute(&e, "cascade").is_none_or(|v| v != "no"),
                        "languagerule" => {
                            let name = attribute(&e, "languagerulename")
                                .ok_or_else(|| malformed(at, "languagerule without languagerulename".into()))?;
                            document.language_rules.push(SrxLanguageRule { name, rules: Vec::new() });
                        }
                        "rule" => {
                            rule = Some(SrxRule {
                                is_break: attribute(&e, "break").is_none_or(|v| v != "no"),
                                before: String::new(),
                                after: String::new(),
                                line: line_of(xml, at),
                            });
                        }
                        "beforebreak" => collecting = Some(("before", String::new())),
                        "afterbreak" => collecting = Some(("after", String::new())),
                        "languagemap" => {
                            let pattern = attribute(&e, "languagepattern")
                                .ok_or_else(|| malformed(at, "languagemap without languagepattern".into()))?;
                            let rule_name = attribute(&e, "languagerulename")
                                .ok_or_else(|| malformed(at, "languagemap without languagerulename".into()))?;
                            document.maps.push(SrxLanguageMap { pattern, rule_name, line: line_of(xml, at) });
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if let Some((_, buffer)) = collecting.as_mut() {
                        buffer.push_str(&t.xml10_content());
                    }
                }
                Event::CData(c) => {
                    if let Some((_, buffer)) = collecting.as_mut() {
                        buffer.push_str(c.as_ref());
                    }
                }
                Event::GeneralRef(r) => {
                    let c = crate::xml::reference(&r).map_err(|m| malformed(at, m))?;
                    if let Some((_, buffer)) = collecting.as_mut() {
                        buffer.push(c);
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "beforebreak" | "afterbreak" => {
                        if let (Some((which, text)), Some(rule)) = (collecting.take(), rule.as_mut()) {
                            if which == "before" { rule.before = text } else { rule.after = text }
                        }
                    }
                    "rule" => {
                        let finished = rule.take().ok_or_else(|| malformed(at, "</rule> without <rule>".into()))?;
                        let owner = document
                            .language_rules
                            .last_mut()
                            .ok_or_else(|| malformed(at, "rule outside a languagerule".into()))?;
                        owner.rules.push(finished);
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(malformed(0, "no <srx> root element".into()));
        }
        for map in &document.maps {
            if !document.language_rules.iter().any(|r| r.name == map.rule_name) {
                return Err(SrxError::Malformed {
                    path: path.to_path_buf(),
                    line: map.line,
                    message: format!("languagemap names an unknown languagerule \"{}\"", map.rule_name),
                });
            }
        }
        Ok(document)
    }

    /// The rules that apply to `lang`, in order: with `cascade`, those of
    /// every matching language map; otherwise those of the first.
    fn rules_for(&self, lang: &LangTag) -> Result<Vec<&SrxRule>, SrxError> {
        let mut rules = Vec::new();
        let mut matched = false;
        for map in &self.maps {
            let pattern =
                regex::Regex::new(&format!(r"(?i)\A(?:{})\z", map.pattern)).map_err(|e| SrxError::Pattern {
                    path: self.path.clone(),
                    line: map.line,
                    pattern: map.pattern.clone(),
                    message: e.to_string(),
                })?;
            if !pattern.is_match(lang.as_str()) {
                continue;
            }
            matched = true;
            if let Some(language) = self.language_rules.iter().find(|r| r.name == map.rule_name) {
                rules.extend(language.rules.iter());
            }
            if !self.cascade {
                break;
            }
        }
        if !matched {
            return Err(SrxError::NoRulesForLanguage { path: self.path.clone(), lang: lang.to_string() });
        }
        Ok(rules)
    }

    /// Compiles the rules for one language into a segmenter.
    pub fn segmenter(&self, lang: &LangTag) -> Result<SrxSegmenter, SrxError> {
        let rules = self
            .rules_for(lang)?
            .into_iter()
            .map(|rule| {
                let compile = |source: &str, anchored: bool| {
                    Pattern::compile(source, anchored).map_err(|message| SrxError::Pattern {
                        path: self.path.clone(),
                        line: rule.line,
                        pattern: source.to_string(),
                        message,
                    })
                };
                Ok(CompiledRule {
                    is_break: rule.is_break,
                    before: compile(&rule.before, false)?,
                    after: compile(&rule.after, true)?,
                })
            })
            .collect::<Result<Vec<_>, SrxError>>()?;
        Ok(SrxSegmenter { rules })
    }

    /// The document as SRX 2.0 XML.
    pub fn to_xml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n",
        );
        let cascade = if self.cascade { "yes" } else { "no" };
        let _ =
            writeln!(out, "  <header segmentsubflows=\"yes\" cascade=\"{cascade}\"/>\n  <body>\n    <languagerules>");
        for language in &self.language_rules {
            let _ = writeln!(
                out,
                "      <languagerule languagerulename=\"{}\">",
                crate::export::escape_markup(&language.name)
            );
            for rule in &language.rules {
                let kind = if rule.is_break { "yes" } else { "no" };
                let _ = writeln!(
                    out,
                    "        <rule break=\"{kind}\"><beforebreak>{}</beforebreak><afterbreak>{}</afterbreak></rule>",
                    crate::export::escape_markup(&rule.before),
                    crate::export::escape_markup(&rule.after)
                );
            }
            out.push_str("      </languagerule>\n");
        }
        out.push_str("    </languagerules>\n    <maprules>\n");
        for map in &self.maps {
            let _ = writeln!(
                out,
                "      <languagemap languagepattern=\"{}\" languagerulename=\"{}\"/>",
                crate::export::escape_markup(&map.pattern),
                crate::export::escape_markup(&map.rule_name)
            );
        }
        out.push_str("    </maprules>\n  </body>\n</srx>\n");
        out
    }

    /// Verso's own abbreviations and terminators for one language, as SRX
    /// rules other tools can load. Context rules that SRX cannot express
    /// (quotation spans, inline lists, sentence openers after initials) are
    /// not part of the export.
    pub fn from_builtin(lang: &LangTag) -> SrxDocument {
        let data = super::languages::language(lang.primary());
        let mut rules = Vec::new();
        let mut sorted: BTreeMap<&str, AbbreviationKind> = BTreeMap::new();
        sorted.extend(data.abbreviations.iter().copied());
        for (abbreviation, kind) in sorted {
            let after = match kind {
                AbbreviationKind::Prefix => r"\s",
                AbbreviationKind::BeforeNumber => r"\s+\d",
                AbbreviationKind::MaybeFinal => r"\s+\p{Ll}",
            };
            let before = format!(r"(?i)(?:^|[\s(\[])(?:{})\.", regex::escape(abbreviation));
            rules.push(SrxRule { is_break: false, before, after: after.into(), line: 0 });
        }
        rules.push(SrxRule { is_break: false, before: r"\b\p{Lu}\.".into(), after: r"\s+\p{Lu}".into(), line: 0 });
        rules.push(SrxRule {
            is_break: false, before: r"[.!?]".into(), after: r#"\s+[\p{Ll},;:—–-]"#.into(), line: 0
        });
        let mut terminators = String::from(r".!?…");
        terminators.extend(data.extra_terminators.iter().map(|c| regex::escape(&c.to_string())));
        rules.push(SrxRule {
            is_break: true,
            before: format!(r#"[{terminators}]+['"”’»)\]]*"#),
            after: r"\s".into(),
            line: 0,
        });
        rules.push(SrxRule {
            is_break: true, before: r"[。！？]+[」』）]*".into(), after: String::new(), line: 0
        });
        let name = format!("Verso {}", lang.primary());
        SrxDocument {
            cascade: true,
            language_rules: vec![SrxLanguageRule { name: name.clone(), rules }],
            maps: vec![SrxLanguageMap { pattern: ".*".into(), rule_name: name, line: 0 }],
            path: PathBuf::from(format!("verso-{}.srx", lang.primary())),
        }
    }
}

/// A compiled pattern: the fast engine when it can, look-around otherwise.
enum Pattern {
    Plain(regex::Regex),
    Fancy(fancy_regex::Regex),
}

impl Pattern {
    fn compile(source: &str, anchored: bool) -> Result<Pattern, String> {
        let full = if anchored { format!(r"\A(?:{source})") } else { format!("(?:{source})") };
        match regex::Regex::new(&full) {
            Ok(plain) => Ok(Pattern::Plain(plain)),
            Err(plain_error) => match fancy_regex::Regex::new(&full) {
                Ok(fancy) => Ok(Pattern::Fancy(fancy)),
                Err(fancy_error) => {
                    let plain = plain_error.to_string();
                    let reason = plain.lines().last().unwrap_or(&plain).trim().to_string();
                    Err(format!("{reason} ({fancy_error})"))
                }
            },
        }
    }

    /// End offsets of the matches in `text`.
    fn match_ends(&self, text: &str) -> Vec<usize> {
        match self {
            Pattern::Plain(re) => re.find_iter(text).map(|m| m.end()).collect(),
            Pattern::Fancy(re) => re.find_iter(text).filter_map(Result::ok).map(|m| m.end()).collect(),
        }
    }

    /// Whether the pattern matches at the start of `text` (it is anchored).
    fn matches_at_start(&self, text: &str) -> bool {
        match self {
            Pattern::Plain(re) => re.is_match(text),
            Pattern::Fancy(re) => re.is_match(text).unwrap_or(false),
        }
    }
}

struct CompiledRule {
    is_break: bool,
    before: Pattern,
    after: Pattern,
}

/// Segments text with SRX rules: at every position, the first rule whose
/// before-pattern ends there and whose after-pattern starts there decides.
pub struct SrxSegmenter {
    rules: Vec<CompiledRule>,
}

impl SrxSegmenter {
    pub fn sentence_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut decisions: BTreeMap<usize, bool> = BTreeMap::new();
        for rule in &self.rules {
            for end in rule.before.match_ends(text) {
                if end == 0 || end >= text.len() || decisions.contains_key(&end) {
                    continue;
                }
                if rule.after.matches_at_start(&text[end..]) {
                    decisions.insert(end, rule.is_break);
                }
            }
        }
        let mut ranges = Vec::new();
        let mut start = 0;
        for end in decisions.into_iter().filter(|(_, is_break)| *is_break).map(|(end, _)| end).chain([text.len()]) {
            super::push_trimmed(text, start..end, &mut ranges);
            start = end;
        }
        ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="English">
        <rule break="no"><beforebreak>\b(?:Mr|Dr)\.</beforebreak><afterbreak>\s</afterbreak></rule>
        <rule break="no"><beforebreak>(?&lt;=\bU\.S)\.</beforebreak><afterbreak>\s+Secretary</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>[.?!]+</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule>
        <rule break="yes"><beforebreak>\n</beforebreak><afterbreak></afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="en.*" languagerulename="English"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>
"#;

    fn split(doc: &SrxDocument, lang: &str, text: &str) -> Vec<String> {
        let segmenter = doc.segmenter(&lang.parse().expect("tag")).expect("compiles");
        segmenter.sentence_ranges(text).into_iter().map(|r| text[r].to_string()).collect()
    }

    #[test]
    fn rules_cascade_and_look_behind_rules_are_kept() {
        let doc = SrxDocument::parse(Path::new("rules.srx"), RULES).expect("parse");
        let text = "Mr. Smith met the U.S. Secretary. Then Dr. Li left. Fine.";
        assert_eq!(split(&doc, "en-GB", text), ["Mr. Smith met the U.S. Secretary.", "Then Dr. Li left.", "Fine."]);
        // German maps only to the default rules: "Dr." ends nothing special there.
        assert_eq!(split(&doc, "de", "Dr. Li kam. Gut."), ["Dr.", "Li kam.", "Gut."]);
    }

    #[test]
    fn writing_and_reading_back_gives_the_same_rules() {
        let doc = SrxDocument::parse(Path::new("rules.srx"), RULES).expect("parse");
        let again = SrxDocument::parse(Path::new("rules.srx"), &doc.to_xml()).expect("reparse");
        let strip = |d: &SrxDocument| {
            d.language_rules
                .iter()
                .flat_map(|l| l.rules.iter().map(|r| (l.name.clone(), r.is_break, r.before.clone(), r.after.clone())))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&doc), strip(&again));
        assert_eq!(
            doc.maps.iter().map(|m| &m.pattern).collect::<Vec<_>>(),
            again.maps.iter().map(|m| &m.pattern).collect::<Vec<_>>()
        );
    }

    #[test]
    fn malformed_files_and_bad_patterns_name_file_and_line() {
        let broken =
            RULES.replace("</languagerule>\n      <languagerule languagerulename=\"Default\">", "</languagerul>");
        let error = SrxDocument::parse(Path::new("broken.srx"), &broken).expect_err("malformed");
        assert!(error.to_string().starts_with("broken.srx, line "), "{error}");

        let bad = RULES.replace(r"\b(?:Mr|Dr)\.", r"[unclosed");
        let doc = SrxDocument::parse(Path::new("bad.srx"), &bad).expect("parses as XML");
        let error = doc.segmenter(&"en".parse().expect("tag")).err().expect("pattern error");
        assert!(error.to_string().starts_with("bad.srx, line 7: rule pattern \"[unclosed\""), "{error}");

        let entity = "<!DOCTYPE srx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><srx>&x;</srx>";
        let error = SrxDocument::parse(Path::new("xxe.srx"), entity).expect_err("doctype refused");
        assert!(error.to_string().contains("DOCTYPE"), "{error}");
    }

    #[test]
    fn built_in_rules_export_as_working_srx() {
        let lang: LangTag = "en".parse().expect("tag");
        let doc =
            SrxDocument::parse(Path::new("verso-en.srx"), &SrxDocument::from_builtin(&lang).to_xml()).expect("parse");
        assert_eq!(
            split(&doc, "en", "Mr. Smith went home. He slept well. See p. 5 now."),
            ["Mr. Smith went home.", "He slept well.", "See p. 5 now."]
        );
    }
}
