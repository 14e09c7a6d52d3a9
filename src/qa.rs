//! Quality checks a reviewer would otherwise do by eye: figures carried
//! over (read in each language's own notation, so `1,250.5` in English is
//! `1.250,5` in Spanish), nothing left untranslated, spacing, end
//! punctuation (with Spanish `¿`/`¡` and full-width marks), placeholders,
//! the glossary, and one source translated two ways in a document.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::document::SegmentId;
use crate::glossary::{self, Matcher, Term};
use crate::lang::LangTag;
use crate::revision::SegmentRow;
use crate::text::{self, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum QaCheck {
    Numbers,
    Untranslated,
    Whitespace,
    DoubleSpace,
    EndPunctuation,
    Placeholders,
    TermNotUsed,
    ForbiddenTerm,
    Inconsistent,
    Spelling,
}

impl QaCheck {
    pub const ALL: [QaCheck; 10] = [
        QaCheck::Numbers,
        QaCheck::Untranslated,
        QaCheck::Whitespace,
        QaCheck::DoubleSpace,
        QaCheck::EndPunctuation,
        QaCheck::Placeholders,
        QaCheck::TermNotUsed,
        QaCheck::ForbiddenTerm,
        QaCheck::Inconsistent,
        QaCheck::Spelling,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QaCheck::Numbers => "numbers",
            QaCheck::Untranslated => "untranslated",
            QaCheck::Whitespace => "whitespace",
            QaCheck::DoubleSpace => "double_space",
            QaCheck::EndPunctuation => "end_punctuation",
            QaCheck::Placeholders => "placeholders",
            QaCheck::TermNotUsed => "term_not_used",
            QaCheck::ForbiddenTerm => "forbidden_term",
            QaCheck::Inconsistent => "inconsistent",
            QaCheck::Spelling => "spelling",
        }
    }

    pub fn parse(name: &str) -> Option<QaCheck> {
        QaCheck::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            QaCheck::Numbers => "Numbers",
            QaCheck::Untranslated => "Untranslated",
            QaCheck::Whitespace => "Leading/trailing spaces",
            QaCheck::DoubleSpace => "Double space",
            QaCheck::EndPunctuation => "End punctuation",
            QaCheck::Placeholders => "Inline codes",
            QaCheck::TermNotUsed => "Glossary term not used",
            QaCheck::ForbiddenTerm => "Forbidden term",
            QaCheck::Inconsistent => "Inconsistent translation",
            QaCheck::Spelling => "Spelling",
        }
    }
}

/// Who accepted a warning, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Acceptance {
    pub author: String,
    pub reason: String,
    pub created_at: String,
}

/// One warning on one segment. `detail` identifies it within its check
/// (the figure, the term) so an acceptance sticks to that warning only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct QaIssue {
    pub segment: SegmentId,
    pub position: u32,
    pub check: QaCheck,
    pub detail: String,
    pub message: String,
    pub accepted: Option<Acceptance>,
}

/// When the checks run: while translating, a segment nobody has
/// translated yet is progress, not a warning; the final check, asked for
/// before delivery, counts it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum QaStage {
    Working,
    Final,
}

/// When a check runs: in every check, only in the final check before
/// delivery, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum QaWhen {
    Always,
    Final,
    Never,
}

impl QaWhen {
    pub fn as_str(self) -> &'static str {
        match self {
            QaWhen::Always => "always",
            QaWhen::Final => "final",
            QaWhen::Never => "never",
        }
    }

    pub fn parse(text: &str) -> Option<QaWhen> {
        [QaWhen::Always, QaWhen::Final, QaWhen::Never].into_iter().find(|w| w.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct QaCheckSetting {
    pub check: QaCheck,
    pub when: QaWhen,
}

/// A project's QA profile: which checks run, and when. By default every
/// check runs always except *untranslated*, which waits for the final
/// check (while translating, an empty segment is progress).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct QaProfile {
    /// One setting per check, in [`QaCheck::ALL`] order.
    pub checks: Vec<QaCheckSetting>,
}

impl Default for QaProfile {
    fn default() -> QaProfile {
        QaProfile::from_setting("")
    }
}

impl QaProfile {
    fn default_when(check: QaCheck) -> QaWhen {
        if check == QaCheck::Untranslated { QaWhen::Final } else { QaWhen::Always }
    }

    pub fn when(&self, check: QaCheck) -> QaWhen {
        self.checks.iter().find(|s| s.check == check).map_or(QaProfile::default_when(check), |s| s.when)
    }

    pub fn runs(&self, check: QaCheck, stage: QaStage) -> bool {
        match self.when(check) {
            QaWhen::Always => true,
            QaWhen::Final => stage == QaStage::Final,
            QaWhen::Never => false,
        }
    }

    /// The profile as stored: `check=when` pairs for the checks that
    /// differ from the default, comma-separated.
    pub fn to_setting(&self) -> String {
        QaCheck::ALL
            .into_iter()
            .filter(|&check| self.when(check) != QaProfile::default_when(check))
            .map(|check| format!("{}={}", check.as_str(), self.when(check).as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads a stored profile; names this version does not know (a newer
    /// check) are left out, and unnamed checks take their default.
    pub fn from_setting(text: &str) -> QaProfile {
        let given: HashMap<QaCheck, QaWhen> = text
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .filter_map(|(check, when)| Some((QaCheck::parse(check.trim())?, QaWhen::parse(when.trim())?)))
            .collect();
        QaProfile {
            checks: QaCheck::ALL
                .into_iter()
                .map(|check| QaCheckSetting {
                    check,
                    when: given.get(&check).copied().unwrap_or(QaProfile::default_when(check)),
                })
                .collect(),
        }
    }
}

/// The checks of a whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct QaReport {
    pub document_title: String,
    pub source_lang: String,
    pub target_lang: String,
    pub segments: u32,
    pub issues: Vec<QaIssue>,
}

impl QaReport {
    /// Warnings nobody accepted.
    pub fn open(&self) -> impl Iterator<Item = &QaIssue> {
        self.issues.iter().filter(|i| i.accepted.is_none())
    }
}

/// The figures of a text, as written and as values. Groups split by a
/// no-break or thin space (`1 250`) are one figure.
fn numbers(text: &str, lang: &LangTag) -> Vec<(String, String)> {
    let tokens = text::tokens(text);
    let chars: Vec<char> = text.chars().collect();
    // (as written, index of its last token) per figure.
    let mut found: Vec<(String, usize)> = Vec::new();
    let mut previous_end: Option<usize> = None;
    for (index, token) in tokens.iter().enumerate().filter(|(_, t)| t.kind == TokenKind::Number) {
        let grouped = previous_end.is_some_and(|end| {
            token.start == end + 1
                && matches!(chars[end], '\u{00A0}' | '\u{202F}' | '\u{2009}')
                && token.text.len() == 3
        });
        if grouped && let Some(last) = found.last_mut() {
            last.0.push(chars[token.start - 1]);
            last.0.push_str(token.text);
            last.1 = index;
        } else {
            found.push((token.text.to_string(), index));
        }
        previous_end = Some(token.end);
    }
    let decimal_comma = lang.facts().decimal_comma;
    found
        .into_iter()
        .map(|(written, last)| {
            let plain = text::plain_figure(&written, decimal_comma);
            // "46 billion" and "46.000 millones" state one value.
            let next = |n: usize| {
                let (before, word) = (tokens.get(last + n - 1)?, tokens.get(last + n)?);
                let adjacent = word.kind == TokenKind::Word
                    && word.start == before.end + 1
                    && chars.get(before.end).is_some_and(|c| c.is_whitespace());
                adjacent.then(|| word.text.to_lowercase())
            };
            let Some(first) = next(1) else { return (written, plain) };
            let (factor, words) = match (scale(&first), next(2).as_deref().and_then(scale)) {
                // "mil millones", "mil milhões": a thousand millions.
                (Some(1e3), Some(1e6)) => (1e9, 2),
                (Some(factor), _) => (factor, 1),
                (None, _) => return (written, plain),
            };
            let Ok(value) = plain.parse::<f64>() else { return (written, plain) };
            let scaled = value * factor;
            let value =
                if (scaled - scaled.round()).abs() < 1e-6 { format!("{:.0}", scaled) } else { scaled.to_string() };
            let shown = std::iter::once(written).chain((1..=words).filter_map(next)).collect::<Vec<_>>().join(" ");
            (shown, value)
        })
        .collect()
}

/// The factor a scale word after a figure stands for, in the languages
/// news is most translated between.
fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "thousand" | "mil" | "mille" | "tausend" | "mila" => 1e3,
        "million" | "millions" | "mn" | "millón" | "millones" | "millionen" | "mio" | "milione" | "milioni"
        | "milhão" | "milhões" => 1e6,
        "billion" | "billions" | "bn" | "milliard" | "milliards" | "milliarde" | "milliarden" | "mrd" | "miliardo"
        | "miliardi" | "bilhão" | "bilhões" => 1e9,
        "trillion" | "trillions" | "billón" | "billones" => 1e12,
        _ => return None,
    })
}

fn end_mark(text: &str) -> Option<char> {
    let c = text.trim_end().trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '」', '』', '）']).chars().last()?;
    Some(match c {
        '。' | '．' => '.',
        '！' => '!',
        '？' => '?',
        '：' => ':',
        '；' => ';',
        '…' => '…',
        c if matches!(c, '.' | '!' | '?' | ':' | ';') => c,
        _ => return None,
    })
}

/// The figures a translation does not carry over as often as its source
/// states them: (value, as written, how many more in the source; negative
/// when the translation has more), in order of value. The value is the
/// detail of a `numbers` warning.
pub fn figures_apart(
    source: &str,
    target: &str,
    source_lang: &LangTag,
    target_lang: &LangTag,
) -> Vec<(String, String, i32)> {
    let mut wanted: HashMap<String, (String, i32)> = HashMap::new();
    for (written, value) in numbers(source, source_lang) {
        wanted.entry(value).or_insert((written, 0)).1 += 1;
    }
    for (written, value) in numbers(target, target_lang) {
        wanted.entry(value).or_insert((written, 0)).1 -= 1;
    }
    let mut figures: Vec<(String, String, i32)> =
        wanted.into_iter().filter(|(_, (_, n))| *n != 0).map(|(value, (written, n))| (value, written, n)).collect();
    figures.sort();
    figures
}

/// Everything wrong with one translated segment, as (check, detail, message).
pub fn check_segment(
    source: &str,
    target: &str,
    source_lang: &LangTag,
    target_lang: &LangTag,
    terms: &Matcher,
) -> Vec<(QaCheck, String, String)> {
    let mut out = Vec::new();
    if target.trim().is_empty() {
        out.push((QaCheck::Untranslated, "empty".into(), "The segment has no translation.".into()));
        return out;
    }
    if target.trim() == source.trim() && source.chars().any(char::is_alphabetic) {
        out.push((QaCheck::Untranslated, "same".into(), "The translation is the same as the source.".into()));
    }
    for (value, written, n) in figures_apart(source, target, source_lang, target_lang) {
        let message = if n > 0 {
            format!("The figure {written} of the source is missing or different in the translation.")
        } else {
            format!("The figure {written} is in the translation but not in the source.")
        };
        out.push((QaCheck::Numbers, value, message));
    }
    let leading = |t: &str| t.len() - t.trim_start().len();
    let trailing = |t: &str| t.len() - t.trim_end().len();
    if (leading(source) > 0) != (leading(target) > 0) || (trailing(source) > 0) != (trailing(target) > 0) {
        out.push((QaCheck::Whitespace, "edges".into(), "Spaces at the start or end differ from the source.".into()));
    }
    if target.trim().contains("  ") && !source.trim().contains("  ") {
        out.push((QaCheck::DoubleSpace, "double".into(), "The translation has a double space.".into()));
    }
    let (source_end, target_end) = (end_mark(source), end_mark(target));
    if source_end != target_end {
        let shown = |c: Option<char>| c.map_or("none".to_string(), |c| format!("“{c}”"));
        out.push((
            QaCheck::EndPunctuation,
            format!("{}>{}", source_end.unwrap_or(' '), target_end.unwrap_or(' ')),
            format!("The source ends with {}, the translation with {}.", shown(source_end), shown(target_end)),
        ));
    }
    if target_lang.primary() == "es" {
        for (closing, opening) in [('?', '¿'), ('!', '¡')] {
            if target.contains(closing) && !target.contains(opening) {
                out.push((
                    QaCheck::EndPunctuation,
                    format!("es{opening}"),
                    format!("Spanish opens a sentence ending in “{closing}” with “{opening}”."),
                ));
            }
        }
    }
    // Inline codes: the same placeholders on both sides.
    let codes = |t: &str| {
        let mut codes: Vec<String> =
            crate::text::pieces(t).into_iter().filter(|(c, _)| *c).map(|(_, m)| m.to_string()).collect();
        codes.sort();
        codes
    };
    let (source_codes, target_codes) = (codes(source), codes(target));
    for code in source_codes.iter().filter(|c| !target_codes.contains(c)) {
        out.push((
            QaCheck::Placeholders,
            code.clone(),
            format!("The inline code ⟦{code}⟧ is missing in the translation."),
        ));
    }
    for code in target_codes.iter().filter(|c| !source_codes.contains(c)) {
        out.push((QaCheck::Placeholders, code.clone(), format!("The inline code ⟦{code}⟧ is not in the source.")));
    }
    for hit in terms.hits(source) {
        if !hit.targets.is_empty() && !hit.targets.iter().any(|t| glossary::contains(target, t, target_lang)) {
            out.push((
                QaCheck::TermNotUsed,
                hit.source.clone(),
                format!("“{}” should be translated as {}.", hit.source, quoted_list(&hit.targets)),
            ));
        }
        for forbidden in hit.forbidden.iter().filter(|f| glossary::contains(target, f, target_lang)) {
            out.push((
                QaCheck::ForbiddenTerm,
                forbidden.clone(),
                format!("“{forbidden}” is a forbidden translation of “{}”.", hit.source),
            ));
        }
    }
    out
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|t| format!("“{t}”")).collect::<Vec<_>>().join(" or ")
}

/// Checks every segment of a document; `accepted` maps (segment, check,
/// detail) to the acceptance a reviewer gave, and `runs` says which checks
/// run (a [`QaProfile`] at a [`QaStage`]).
#[allow(clippy::too_many_arguments)]
pub fn check_document(
    title: &str,
    rows: &[SegmentRow],
    source_lang: &LangTag,
    target_lang: &LangTag,
    terms: &[Term],
    accepted: &HashMap<(SegmentId, String, String), Acceptance>,
    runs: &dyn Fn(QaCheck) -> bool,
    misspelled: &dyn Fn(&SegmentRow, &str) -> Vec<String>,
) -> QaReport {
    let matcher = Matcher::new(terms, source_lang);
    let mut issues = Vec::new();
    // The translations each source got, for consistency.
    let mut by_source: HashMap<&str, Vec<(&SegmentRow, &str)>> = HashMap::new();
    for row in rows {
        let target = row.translation.as_deref().unwrap_or("");
        if target.trim().is_empty() && !runs(QaCheck::Untranslated) {
            continue;
        }
        let mut found = check_segment(&row.source, target, source_lang, target_lang, &matcher);
        if !target.trim().is_empty() {
            by_source.entry(row.source.trim()).or_default().push((row, target.trim()));
        }
        if runs(QaCheck::Spelling) && !target.trim().is_empty() {
            let mut words = misspelled(row, target);
            words.dedup();
            for word in words {
                let message = format!("“{word}” is not in the {target_lang} dictionary.");
                found.push((QaCheck::Spelling, word, message));
            }
        }
        found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (check, detail, message) in found {
            issues.push((row, check, detail, message));
        }
    }
    for group in by_source.values() {
        let first = group[0].1;
        if group.iter().all(|(_, t)| *t == first) {
            continue;
        }
        for (row, target) in group {
            let others: Vec<String> = group
                .iter()
                .filter(|(other, t)| other.id != row.id && t != target)
                .map(|(other, _)| (other.position + 1).to_string())
                .collect();
            issues.push((
                row,
                QaCheck::Inconsistent,
                "source".into(),
                format!("The same source is translated differently in segment {}.", others.join(", ")),
            ));
        }
    }
    issues.retain(|(_, check, _, _)| runs(*check));
    issues.sort_by_key(|(row, check, _, _)| (row.position, *check));
    QaReport {
        document_title: title.to_string(),
        source_lang: source_lang.to_string(),
        target_lang: target_lang.to_string(),
        segments: rows.len() as u32,
        issues: issues
            .into_iter()
            .map(|(row, check, detail, message)| QaIssue {
                segment: row.id,
                position: row.position,
                accepted: accepted.get(&(row.id, check.as_str().to_string(), detail.clone())).cloned(),
                check,
                detail,
                message,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_is_stored_as_its_differences_from_the_default() {
        let default = QaProfile::default();
        assert_eq!(default.to_setting(), "");
        assert!(!default.runs(QaCheck::Untranslated, QaStage::Working));
        assert!(default.runs(QaCheck::Untranslated, QaStage::Final));
        let profile = QaProfile::from_setting("double_space=never, numbers=final,untranslated=always,grammar=always,x");
        assert_eq!(profile.to_setting(), "numbers=final,untranslated=always,double_space=never");
        assert!(!profile.runs(QaCheck::DoubleSpace, QaStage::Final));
        assert!(!profile.runs(QaCheck::Numbers, QaStage::Working) && profile.runs(QaCheck::Numbers, QaStage::Final));
        assert_eq!(QaProfile::from_setting(&profile.to_setting()), profile);
        assert_eq!(profile.checks.len(), QaCheck::ALL.len());
    }

    fn checks(source: &str, target: &str) -> Vec<QaCheck> {
        let matcher = Matcher::new(&[], &LangTag::english());
        check_segment(source, target, &LangTag::english(), &LangTag::spanish(), &matcher)
            .into_iter()
            .map(|c| c.0)
            .collect()
    }

    #[test]
    fn figures_are_compared_in_each_languages_notation() {
        assert!(checks("Exports rose 1,250.5 tonnes.", "Las exportaciones subieron 1.250,5 toneladas.").is_empty());
        assert!(checks("It cost 1\u{a0}250 euros.", "Costó 1250 euros.").is_empty());
        assert_eq!(
            checks("Exports rose 1,250.5 tonnes.", "Las exportaciones subieron 1.205,5 toneladas."),
            vec![QaCheck::Numbers, QaCheck::Numbers]
        );
        assert!(checks("COVID-19 cases fell.", "Los casos de COVID-19 bajaron.").is_empty());
    }

    #[test]
    fn punctuation_spacing_and_untranslated() {
        assert_eq!(checks("Why now?", "¿Por qué ahora?"), vec![]);
        assert_eq!(checks("Why now?", "Por qué ahora?"), vec![QaCheck::EndPunctuation]);
        assert_eq!(checks("He left.", "Se fue"), vec![QaCheck::EndPunctuation]);
        assert_eq!(checks("He left.", "Se  fue."), vec![QaCheck::DoubleSpace]);
        assert_eq!(checks("He left.", " Se fue."), vec![QaCheck::Whitespace]);
        assert_eq!(checks("He left.", ""), vec![QaCheck::Untranslated]);
        assert_eq!(checks("Madrid.", "Madrid."), vec![QaCheck::Untranslated]);
        assert_eq!(checks("Click ⟦1⟧here⟦/1⟧.", "Haga clic aquí⟦/1⟧."), vec![QaCheck::Placeholders]);
        let ja: LangTag = "ja".parse().expect("tag");
        let matcher = Matcher::new(&[], &LangTag::english());
        assert!(check_segment("Really?", "本当？", &LangTag::english(), &ja, &matcher).is_empty());
    }

    #[test]
    fn scale_words_state_the_same_figure_in_either_language() {
        let (en, es): (LangTag, LangTag) = ("en".parse().expect("tag"), "es".parse().expect("tag"));
        let apart = |source: &str, target: &str| figures_apart(source, target, &en, &es);
        assert!(
            apart("The budget is 46 billion dollars.", "El presupuesto es de 46.000 millones de dólares.").is_empty()
        );
        assert!(apart("It costs $1.2 billion.", "Cuesta 1.200 millones de dólares.").is_empty());
        assert!(apart("Sales reached 3 million units.", "Las ventas llegaron a 3 millones de unidades.").is_empty());
        let wrong = apart("The budget is 46 billion.", "El presupuesto es de 64.000 millones.");
        assert_eq!(
            wrong.iter().map(|(_, written, n)| (written.as_str(), *n)).collect::<Vec<_>>(),
            [("46 billion", 1), ("64.000 millones", -1)]
        );
        // A year is not scaled by the word after it.
        assert!(apart("In 2024 thousands marched.", "En 2024 miles marcharon.").is_empty());
    }
}
