//! SRX 2.0 segmentation rules as data, and applying them with the
//! standard's semantics; the files are read and written by `formats::srx`.
//!
//! Each rule's patterns compile with the `regex` crate when they can, and
//! with `fancy-regex` only when they need look-around or other features it
//! lacks; a rule neither can compile is an error naming the file and line,
//! never silently dropped.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use super::AbbreviationKind;
use crate::lang::LangTag;

use crate::text::excerpt;

#[derive(Debug, thiserror::Error)]
pub enum SrxError {
    #[error("{path}: cannot read the file: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    // Messages quote the file (names, patterns) in short excerpts only.
    #[error("{path}, line {line}: malformed SRX: {}", excerpt(message, 240))]
    Malformed { path: PathBuf, line: usize, message: String },
    #[error("{path}, line {line}: rule pattern {} does not compile: {}", excerpt(&format!("{pattern:?}"), 120), excerpt(message, 240))]
    Pattern { path: PathBuf, line: usize, pattern: String, message: String },
    #[error(
        "{path}: {count} rules apply to \"{}\"; Verso compiles up to {MAX_RULES} for one language",
        excerpt(lang, 60)
    )]
    TooManyRules { path: PathBuf, lang: String, count: usize },
    #[error("{path}: no language rule applies to \"{}\"", excerpt(lang, 60))]
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

impl SrxDocument {
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
        let rules = self.rules_for(lang)?;
        if rules.len() > MAX_RULES {
            return Err(SrxError::TooManyRules { path: self.path.clone(), lang: lang.to_string(), count: rules.len() });
        }
        let rules = rules
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

/// The most rules one language's segmenter compiles. A compiled rule costs
/// tens of kilobytes and every rule is tried at every candidate break, so
/// an unbounded file could take gigabytes and minutes (30,000 rules: 1.45 GB
/// and 27 s for 1.6 KB of text); real rule sets have hundreds.
pub const MAX_RULES: usize = 2_000;

/// The longest rule pattern compiled. The longest real ones (a language's
/// abbreviations in one alternation) run to a few thousand characters; an
/// 8 MB pattern took 1.1 GB to be refused by the compilers.
pub const MAX_PATTERN_CHARS: usize = 20_000;

/// A compiled pattern: the fast engine when it can, look-around otherwise.
enum Pattern {
    Plain(regex::Regex),
    Fancy(fancy_regex::Regex),
}

impl Pattern {
    fn compile(source: &str, anchored: bool) -> Result<Pattern, String> {
        let length = source.chars().count();
        if length > MAX_PATTERN_CHARS {
            return Err(format!(
                "it is {length} characters long; Verso compiles patterns of up to {MAX_PATTERN_CHARS}"
            ));
        }
        forward_reference(source)?;
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

/// Refuses a backreference that comes before its group (`\1(a)`).
///
/// ICU, whose regular expressions SRX names, never matches such a
/// reference; `fancy-regex` compiles it quietly, so a rule would silently
/// never fire. Refused with a reason like every other construct Verso
/// cannot honour.
fn forward_reference(source: &str) -> Result<(), String> {
    let mut groups = 0usize;
    let mut in_class = false;
    let mut chars = source.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, escaped)) = chars.next() else { break };
                if in_class || !escaped.is_ascii_digit() || escaped == '0' {
                    continue;
                }
                let mut digits = escaped.to_string();
                while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                let group: usize = digits.parse().unwrap_or(usize::MAX);
                if group > groups {
                    return Err(format!(
                        "backreference \\{digits} at character {} comes before group {digits} is opened; \
                         it could never match",
                        source[..at].chars().count() + 1
                    ));
                }
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => {
                let rest = &source[at + 1..];
                let named = rest.starts_with("?<") && !rest.starts_with("?<=") && !rest.starts_with("?<!");
                if !rest.starts_with('?') || named || rest.starts_with("?P<") {
                    groups += 1;
                }
            }
            _ => {}
        }
    }
    Ok(())
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
