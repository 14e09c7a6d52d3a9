//! Sentence segmentation: where sentences begin and end inside one passage.
//!
//! Passage boundaries (headings, paragraphs, list items) are fixed before
//! this runs; here only terminators inside running text are judged. The
//! result is byte ranges into the passage, so highlighting and provenance
//! can point back at the exact original characters: the text between two
//! ranges is whitespace only, and nothing is rewritten.

mod languages;
pub mod srx;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::lang::LangTag;
use languages::LanguageData;

/// How an abbreviation behaves before the next word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AbbreviationKind {
    /// Always followed by more of the same sentence (`Dr.`, `Sept.`).
    Prefix,
    /// Continues the sentence only before a number (`No. 5`, `Art. 3`).
    BeforeNumber,
    /// Often ends a sentence (`etc.`, `Inc.`): ends it before a capital.
    MaybeFinal,
}

/// Full-width terminators of Chinese and Japanese: they end a sentence with
/// no following space.
fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡' | '．')
}

/// Quotes and brackets that may close after a terminator (`."`, `?»`, `。」`).
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '“' | '‘' | '»' | '›' | ')' | ']' | '}' | '」' | '』' | '）' | '】' | '〉' | '》'
    )
}

/// Punctuation that may open a sentence before its first letter.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '‹' | '(' | '[' | '¿' | '¡' | '「' | '『' | '（' | '„' | '‚' | '【')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// A sentence splitter for one language, built once and reused.
pub struct Segmenter {
    data: LanguageData,
    abbreviations: HashMap<&'static str, AbbreviationKind>,
    starters: HashSet<&'static str>,
    months: HashSet<&'static str>,
}

/// One item marker of an inline list ("1.)", "b)", "• 9.").
struct ListMarker {
    start: usize,
    value: u32,
    is_letter: bool,
    has_bullet: bool,
    period: Option<usize>,
}

impl Segmenter {
    pub fn new(lang: &LangTag) -> Segmenter {
        let data = languages::language(lang.primary());
        // "N°. 5" reads the same in every language that uses the sign.
        let shared = [("n°", AbbreviationKind::BeforeNumber), ("nº", AbbreviationKind::BeforeNumber)];
        Segmenter {
            abbreviations: data.abbreviations.iter().copied().chain(shared).collect(),
            starters: data.sentence_starters.iter().copied().collect(),
            months: data.months.iter().copied().collect(),
            data,
        }
    }

    fn is_terminator(&self, c: char) -> bool {
        match c {
            '.' => self.data.period_ends_sentence,
            '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' => true,
            _ => is_cjk_terminator(c) || self.data.extra_terminators.contains(&c),
        }
    }

    /// Terminators that end a sentence with no space after them.
    fn needs_no_space(&self, c: char) -> bool {
        is_cjk_terminator(c) || (self.data.extra_terminators.contains(&c) && c != ':' && c != ';')
    }

    /// Splits one passage into sentences: byte ranges that exclude the
    /// white space around them. A passage longer than [`MAX_WINDOW_BYTES`]
    /// is segmented in windows (see [`window_end`]).
    pub fn sentence_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = window_end(text, start);
            ranges.extend(self.window_ranges(&text[start..end]).into_iter().map(|r| start + r.start..start + r.end));
            start = end;
        }
        ranges
    }

    fn window_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let protected = protected_boundaries(&chars);
        let (list_starts, list_periods) = self.list_markers(&chars);
        let offset = |k: usize| chars.get(k).map_or(text.len(), |(o, _)| *o);
        let mut breaks = Vec::new();
        let mut sentence_start = 0usize;
        let mut next_list = list_starts.iter().peekable();
        let mut i = 0usize;
        while i < chars.len() {
            while let Some(&s) = next_list.next_if(|&&s| s <= i) {
                if s > sentence_start && s == i {
                    breaks.push(offset(s));
                    sentence_start = s;
                }
            }
            let c = chars[i].1;
            if matches!(c, '"' | '”') && interrupted_quote_ends(&chars, &protected, i) {
                // "If you please, sir--\" The Rabbit started…"
                breaks.push(offset(i + 1));
                sentence_start = i + 1;
                i += 1;
                continue;
            }
            if !self.is_terminator(c) || list_periods.contains(&i) {
                i += 1;
                continue;
            }
            let run_start = i;
            let is_attached = run_start > 0 && chars[run_start - 1].1.is_alphanumeric();
            while i < chars.len() && self.is_terminator(chars[i].1) {
                i += 1;
            }
            // Spaced ellipsis ". . .": one run, unless an attached period
            // ends its sentence and the ellipsis opens the next one.
            let mut dots = i - run_start;
            let spaced_dot = |k: usize| {
                chars.get(k).is_some_and(|p| p.1 == ' ')
                    && chars.get(k + 1).is_some_and(|p| p.1 == '.')
                    && chars.get(k + 2).is_none_or(|p| p.1 != '.')
            };
            if c == '.' && spaced_dot(i) && spaced_dot(i + 2) {
                let mut k = i;
                let mut spaced = 0;
                while chars.get(k).is_some_and(|p| p.1 == ' ')
                    && chars.get(k + 1).is_some_and(|p| p.1 == '.')
                    && chars.get(k + 2).is_none_or(|p| p.1 != '.')
                {
                    k += 2;
                    spaced += 1;
                }
                let after = first_non_space(&chars, k);
                let capital_follows = after.is_some_and(|a| chars[a].1.is_uppercase());
                if dots == 1 && is_attached && spaced >= 3 && capital_follows {
                    breaks.push(offset(i));
                    sentence_start = i;
                    i = k;
                    continue;
                }
                dots += spaced;
                i = k;
                if dots < 4 || !capital_follows {
                    continue;
                }
            }
            let run_end = i;
            loop {
                if i < chars.len() && is_closing(chars[i].1) && self.closes_here(&chars, i) {
                    i += 1;
                } else if chars.get(i).is_some_and(|p| matches!(p.1, ' ' | '\u{a0}' | '\u{202f}'))
                    && chars.get(i + 1).is_some_and(|p| matches!(p.1, '»' | '›'))
                {
                    // French spacing: "C'est fini. »"
                    i += 2;
                } else {
                    break;
                }
            }
            i = footnote_end(&chars, run_start, i);
            if self.is_break(text, &chars, &protected, sentence_start, run_start, run_end, i, dots) {
                breaks.push(offset(i));
                sentence_start = i;
            }
        }
        let mut ranges = Vec::with_capacity(breaks.len() + 1);
        let mut start = 0;
        for end in breaks.into_iter().chain(std::iter::once(text.len())) {
            push_trimmed(text, start..end, &mut ranges);
            start = end;
        }
        ranges
    }

    /// Whether a quote or bracket right after a terminator belongs to the
    /// sentence ("stop.\"") rather than opening the next one.
    fn closes_here(&self, chars: &[(usize, char)], k: usize) -> bool {
        match chars[k].1 {
            '"' | '\'' | '‘' | '“' => {
                chars.get(k + 1).is_none_or(|n| n.1.is_whitespace() || is_closing(n.1) || n.1 == ',')
            }
            _ => true,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn is_break(
        &self,
        text: &str,
        chars: &[(usize, char)],
        protected: &[bool],
        sentence_start: usize,
        run_start: usize,
        run_end: usize,
        end: usize,
        dots: usize,
    ) -> bool {
        if protected[end - 1] {
            return false;
        }
        let run: Vec<char> = chars[run_start..run_end].iter().map(|p| p.1).collect();
        let closed = end > run_end;
        let Some(&(_, next)) = chars.get(end) else { return true };
        if !next.is_whitespace() {
            if run.iter().any(|&c| self.needs_no_space(c)) {
                // "「明日は？」と聞いた": a quoted question inside a sentence.
                return !(closed && !is_opening(next) && run.iter().any(|&c| is_cjk_terminator(c)));
            }
            // "world.Today is", "1,000.That": a capitalised word glued to the period.
            let before = if run_start > 0 { chars[run_start - 1].1 } else { ' ' };
            let word = word_before(text, chars, sentence_start, run_start);
            let word_goes_on = chars.get(end + 1).is_some_and(|p| p.1.is_lowercase())
                || (before.is_lowercase() && chars.get(end + 1).is_some_and(|p| p.1.is_whitespace()))
                || chars.get(end + 1).is_some_and(|p| p.1.is_uppercase())
                    && chars.get(end + 2).is_some_and(|p| p.1.is_uppercase());
            let glued = next.is_uppercase()
                && !closed
                && word_goes_on
                && (before.is_lowercase()
                    || (before.is_ascii_digit()
                        && word.chars().count() > 1
                        && chars.get(end + 1).is_some_and(|p| p.1.is_lowercase())));
            if !glued || is_address(text, chars, run_start) {
                return false;
            }
            return !self.abbreviations.contains_key(abbreviation_key(word).as_str());
        }
        let Some(j) = first_non_space(chars, end) else { return true };
        let next_char = chars[j].1;
        let has_mark = run.iter().any(|&c| c != '.' && c != '…');
        if matches!(next_char, ',' | ';' | ':' | '%' | '[') {
            return false;
        }
        if next_char == '(' && (closed || self.is_abbreviation_before(text, chars, sentence_start, run_start)) {
            // "[...]\" (Smith 55).", "Inc. (“Company A”)": the parenthesis
            // belongs to what precedes it.
            return false;
        }
        if is_dash(next_char) {
            // "What do you see? - Posted like…" ends; "voila! -- you have",
            // "бар? — деді" go on.
            let is_double = chars.get(j + 1).is_some_and(|p| is_dash(p.1));
            let after = chars[j..].iter().map(|p| p.1).find(|c| !is_dash(*c) && !c.is_whitespace());
            return has_mark && !is_double && after.is_some_and(char::is_uppercase);
        }
        if matches!(next_char, '.' | '…') && run.iter().all(|&c| c == '.') && dots == 1 {
            // "raak. ...en toen": an ellipsis opens the next sentence.
            return true;
        }
        let first_letter = chars[j..].iter().map(|p| p.1).find(|c| !is_opening(*c)).unwrap_or(next_char);
        if first_letter.is_lowercase() {
            let word = word_before(text, chars, sentence_start, run_start);
            return self.data.breaks_before_lowercase
                && word.chars().count() > 1
                && !self.is_abbreviation_before(text, chars, sentence_start, run_start);
        }
        if has_mark || run.iter().any(|&c| self.needs_no_space(c)) {
            return true;
        }
        if dots > 1 || run.contains(&'…') {
            // "[...]" marks an omission; an ellipsis before a capital ends a sentence.
            return chars.get(run_end).is_none_or(|p| p.1 != ']') && first_letter.is_uppercase();
        }
        // A single period: abbreviations, initials, numbers.
        let word = word_before(text, chars, sentence_start, run_start);
        let key = abbreviation_key(word);
        let next_word = word_at(text, chars, j);
        let starts_sentence = |w: &str| {
            if self.starters.is_empty() {
                w.chars().next().is_some_and(char::is_uppercase)
            } else {
                self.starters.contains(w)
            }
        };
        if let Some(kind) = self.abbreviations.get(key.as_str()) {
            return match kind {
                AbbreviationKind::Prefix => false,
                AbbreviationKind::BeforeNumber => !first_letter.is_numeric(),
                AbbreviationKind::MaybeFinal => {
                    // "at 5 a.m. Mr. Smith" goes on; "at 6 P.M. Mr. Smith" ends;
                    // "GmbH & Co. KG" names one company.
                    let next_is_title = self.is_prefix_abbreviation(text, chars, j);
                    let next_is_acronym = next_word.chars().count() > 1 && next_word.chars().all(char::is_uppercase);
                    first_letter.is_uppercase()
                        && !next_is_acronym
                        && !(next_is_title && word.chars().any(char::is_lowercase))
                }
            };
        }
        let is_initialism = !word.is_empty()
            && word.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
        if is_initialism {
            let leads_sentence = text[chars[sentence_start].0..chars[run_start].0].trim() == word;
            let is_single = word.chars().count() == 1;
            if leads_sentence && is_single {
                // "Q. What is his name? A. His name is…"
                return false;
            }
            if word.chars().all(char::is_lowercase) || self.starters.is_empty() {
                // "z. B.", and initials before names ("А. Фарахани", "Л.Н. Толстой")
                // where the language has no list of sentence openers to tell them apart.
                return false;
            }
            return starts_sentence(next_word);
        }
        let is_roman = !word.is_empty() && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'));
        if self.data.ordinal_numbers && is_roman {
            // "XII. Pluku": an ordinal in Roman numerals.
            return false;
        }
        let number = word.trim_start_matches(['-', '–', '+']);
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
            let is_month = self.months.contains(next_word.to_lowercase().as_str());
            let opens_sentence = self.starters.contains(next_word);
            if self.data.ordinal_numbers && (is_month || (number.len() <= 3 && !opens_sentence)) {
                // "12. Juni", "3. Jahrhundert", "7. Apríla": ordinals.
                return false;
            }
            let at_passage_start = text[chars[sentence_start].0..chars[run_start].0].trim() == word;
            return !at_passage_start;
        }
        true
    }

    fn is_abbreviation_before(
        &self,
        text: &str,
        chars: &[(usize, char)],
        sentence_start: usize,
        run_start: usize,
    ) -> bool {
        let word = word_before(text, chars, sentence_start, run_start);
        self.abbreviations.contains_key(abbreviation_key(word).as_str())
    }

    /// Whether the word at `chars[j]` is a title such as "Mr." (a prefix
    /// abbreviation followed by its period).
    fn is_prefix_abbreviation(&self, text: &str, chars: &[(usize, char)], j: usize) -> bool {
        let word = word_at(text, chars, j);
        let after = j + word.chars().count();
        chars.get(after).is_some_and(|p| p.1 == '.')
            && self.abbreviations.get(word.to_lowercase().as_str()) == Some(&AbbreviationKind::Prefix)
    }

    /// Inline list markers: items of a numbered or lettered sequence start
    /// new sentences, and the period of any marker never ends one.
    fn list_markers(&self, chars: &[(usize, char)]) -> (Vec<usize>, HashSet<usize>) {
        let mut markers = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            let at_word_start = k == 0 || chars[k - 1].1.is_whitespace();
            if !at_word_start {
                k += 1;
                continue;
            }
            let start = k;
            let mut p = k;
            let has_bullet = matches!(chars[p].1, '•' | '⁃' | '◦' | '▪' | '‣');
            if has_bullet {
                p += 1;
                while chars.get(p).is_some_and(|c| c.1 == ' ') {
                    p += 1;
                }
            }
            let parenthesised = chars.get(p).is_some_and(|c| c.1 == '(');
            if parenthesised {
                p += 1;
            }
            let digits_start = p;
            while chars.get(p).is_some_and(|c| c.1.is_ascii_digit()) && p - digits_start < 3 {
                p += 1;
            }
            let (value, is_letter) = if p > digits_start {
                let number: String = chars[digits_start..p].iter().map(|c| c.1).collect();
                (number.parse::<u32>().unwrap_or(0), false)
            } else if chars.get(p).is_some_and(|c| c.1.is_ascii_lowercase()) {
                p += 1;
                (u32::from(chars[p - 1].1) - u32::from('a') + 1, true)
            } else {
                k += 1;
                continue;
            };
            let mut period = None;
            let mut needs_capital = false;
            match (chars.get(p).map(|c| c.1), chars.get(p + 1).map(|c| c.1)) {
                (Some('.'), Some(')')) if !parenthesised => {
                    period = Some(p);
                    p += 2;
                }
                (Some(')'), _) => p += 1,
                (Some('.'), _) if !parenthesised => {
                    // "1. The first item", but not "for 1. above".
                    period = Some(p);
                    needs_capital = !is_letter;
                    p += 1;
                }
                _ => {
                    k += 1;
                    continue;
                }
            }
            let followed = first_non_space(chars, p).map(|q| chars[q].1);
            let capital_ok = !needs_capital || followed.is_some_and(|c| c.is_uppercase() || c.is_numeric());
            if chars.get(p).is_some_and(|c| c.1.is_whitespace()) && capital_ok {
                markers.push(ListMarker { start, value, is_letter, has_bullet, period });
            }
            k = p;
        }
        let mut starts = Vec::new();
        let mut periods = HashSet::new();
        let mut in_list = vec![false; markers.len()];
        for i in 0..markers.len() {
            let mut j = i;
            while j + 1 < markers.len()
                && markers[j + 1].is_letter == markers[i].is_letter
                && markers[j + 1].value == markers[j].value + 1
            {
                j += 1;
            }
            let first = &markers[i];
            let credible = j > i && (first.value == 1 || first.has_bullet || first.start == 0 || j - i >= 2);
            if credible {
                for flag in &mut in_list[i..=j] {
                    *flag = true;
                }
            }
        }
        for (marker, is_item) in markers.iter().zip(in_list) {
            let leads_passage = chars[..marker.start].iter().all(|c| c.1.is_whitespace());
            if is_item || leads_passage {
                periods.extend(marker.period);
            }
            if is_item && !leads_passage {
                starts.push(marker.start);
            }
        }
        (starts, periods)
    }
}

/// Boundaries inside a quotation or a bracket: the boundary after char `k`
/// is protected when `k` lies inside a matched pair. Unmatched marks
/// protect nothing, so one stray quote cannot swallow a passage.
/// The longest stretch of text segmented at once. The segmenter keeps an
/// entry of 16 bytes per character, so one unbroken 100 MB "paragraph"
/// would cost 1.6 GB; a real paragraph is a few kilobytes, and text with
/// no paragraph break for 64 KB is not prose anyone reads as sentences.
pub const MAX_WINDOW_BYTES: usize = 64 * 1024;

/// Where the window starting at `start` ends: the end of `text` when it is
/// near, else after the last sentence end followed by a space inside the
/// window, else after its last space, else at the window's last character
/// boundary. No sentence of such a text is longer than the window.
fn window_end(text: &str, start: usize) -> usize {
    if text.len() - start <= MAX_WINDOW_BYTES {
        return text.len();
    }
    let mut limit = start + MAX_WINDOW_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[start..limit];
    let mut last_space = None;
    let mut after = None;
    for (i, c) in window.char_indices().rev() {
        if let Some(space_end) = after.take()
            && matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '"' | '”' | '»' | ')')
        {
            return start + space_end;
        }
        if c.is_whitespace() && i > 0 {
            last_space.get_or_insert(start + i + c.len_utf8());
            after = Some(i + c.len_utf8());
        }
    }
    last_space.unwrap_or(limit)
}

fn protected_boundaries(chars: &[(usize, char)]) -> Vec<bool> {
    let mut protected = vec![false; chars.len()];
    let straight_quotes = chars.iter().filter(|p| p.1 == '"').count();
    let mut stack: Vec<(usize, &'static [char])> = Vec::new();
    let prev = |k: usize| if k == 0 { None } else { Some(chars[k - 1].1) };
    let next = |k: usize| chars.get(k + 1).map(|p| p.1);
    let opens_here = |k: usize| {
        prev(k).is_none_or(|p| p.is_whitespace() || is_opening(p) || is_dash(p))
            && next(k).is_some_and(|n| !n.is_whitespace())
    };
    let closes_here = |k: usize| {
        prev(k).is_some_and(|p| !p.is_whitespace())
            && next(k).is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation() || is_closing(n))
    };
    let close = |stack: &mut Vec<(usize, &'static [char])>, k: usize, c: char, protected: &mut Vec<bool>| {
        if let Some(depth) = stack.iter().rev().take(3).position(|(_, closers)| closers.contains(&c)) {
            let index = stack.len() - 1 - depth;
            let (open, _) = stack[index];
            stack.truncate(index);
            for flag in &mut protected[open..k] {
                *flag = true;
            }
            true
        } else {
            false
        }
    };
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        match c {
            '(' => stack.push((k, &[')'])),
            '[' => stack.push((k, &[']'])),
            '{' => stack.push((k, &['}'])),
            '（' => stack.push((k, &['）'])),
            '【' => stack.push((k, &['】'])),
            '「' => stack.push((k, &['」'])),
            '《' => stack.push((k, &['》'])),
            '〈' => stack.push((k, &['〉'])),
            '『' => stack.push((k, &['』'])),
            '«' => stack.push((k, &['»'])),
            '‹' => stack.push((k, &['›'])),
            '„' => stack.push((k, &['“', '”'])),
            '‚' => stack.push((k, &['‘', '’'])),
            ',' if next(k) == Some(',') && chars.get(k + 2).is_some_and(|p| p.1.is_alphabetic()) => {
                // ",," typed for „ in German text.
                stack.push((k, &['“', '”']));
                k += 1;
            }
            '“' if !close(&mut stack, k, c, &mut protected) => stack.push((k, &['”'])),
            '"' if straight_quotes % 2 == 0 => {
                let top_is_quote = stack.last().is_some_and(|(_, closers)| closers.contains(&'"'));
                if !(top_is_quote && close(&mut stack, k, c, &mut protected)) && opens_here(k) {
                    stack.push((k, &['"']));
                }
            }
            '\'' | '‘' | '’' => {
                let is_apostrophe =
                    prev(k).is_some_and(char::is_alphanumeric) && next(k).is_some_and(char::is_alphanumeric);
                if !is_apostrophe {
                    let closed = closes_here(k) && close(&mut stack, k, if c == '‘' { '’' } else { c }, &mut protected);
                    if !closed && c != '’' && opens_here(k) {
                        stack.push((k, if c == '\'' { &['\''] } else { &['’'] }));
                    }
                }
            }
            ')' | ']' | '}' | '）' | '】' | '」' | '』' | '》' | '〉' | '»' | '›' | '”' => {
                close(&mut stack, k, c, &mut protected);
            }
            _ => {}
        }
        k += 1;
    }
    protected
}

/// Footnote references right after a terminator ("martyr.[1]",
/// "consultation.11 12", "(type 2).10") belong to the sentence they follow.
fn footnote_end(chars: &[(usize, char)], run_start: usize, mut end: usize) -> usize {
    let after_word = run_start > 0 && (chars[run_start - 1].1.is_alphabetic() || chars[run_start - 1].1 == ')');
    loop {
        // "[7][8]"
        if chars.get(end).is_some_and(|c| c.1 == '[') {
            let mut k = end + 1;
            while chars.get(k).is_some_and(|c| c.1.is_ascii_digit()) {
                k += 1;
            }
            if k > end + 1 && chars.get(k).is_some_and(|c| c.1 == ']') {
                end = k + 1;
                continue;
            }
        }
        break;
    }
    if after_word && chars.get(end).is_some_and(|c| c.1.is_ascii_digit()) {
        // Up to a few short number groups separated by single spaces.
        let mut k = end;
        loop {
            let group_start = k;
            while chars.get(k).is_some_and(|c| c.1.is_ascii_digit()) {
                k += 1;
            }
            if k - group_start == 0 || k - group_start > 3 {
                return if k - group_start > 3 { end } else { k.max(end) };
            }
            end = k;
            let is_more =
                chars.get(k).is_some_and(|c| c.1 == ' ') && chars.get(k + 1).is_some_and(|c| c.1.is_ascii_digit());
            if !is_more {
                return end;
            }
            k += 1;
        }
    }
    end
}

/// Whether the terminator at `run` sits inside an e-mail address or a URL.
fn is_address(text: &str, chars: &[(usize, char)], run: usize) -> bool {
    let mut a = run;
    while a > 0 && !chars[a - 1].1.is_whitespace() {
        a -= 1;
    }
    let mut b = run;
    while b < chars.len() && !chars[b].1.is_whitespace() {
        b += 1;
    }
    let token = &text[chars[a].0..chars.get(b).map_or(text.len(), |c| c.0)];
    token.contains('@') || token.contains("://") || token.starts_with("www.") || token.contains(":www.")
}

/// A quotation broken off with a dash ("sir--\"") ends the sentence when
/// a capitalised word follows.
fn interrupted_quote_ends(chars: &[(usize, char)], protected: &[bool], k: usize) -> bool {
    let dashed = (k >= 2 && chars[k - 1].1 == '-' && chars[k - 2].1 == '-') || (k >= 1 && chars[k - 1].1 == '—');
    if !dashed || protected[k] {
        return false;
    }
    chars.get(k + 1).is_some_and(|p| p.1.is_whitespace())
        && first_non_space(chars, k + 1).is_some_and(|j| chars[j].1.is_uppercase())
}

fn first_non_space(chars: &[(usize, char)], from: usize) -> Option<usize> {
    (from..chars.len()).find(|&k| !chars[k].1.is_whitespace())
}

/// The abbreviation lookup key of a word: lower case, without the part
/// before an elided article ("l'Ing" → "ing").
fn abbreviation_key(word: &str) -> String {
    let tail = word.rsplit(['\'', '’']).next().unwrap_or(word);
    tail.to_lowercase()
}

/// The rules a text is segmented with: Verso's own, or a user's SRX file.
pub enum Rules {
    Builtin(Segmenter),
    Srx(srx::SrxSegmenter),
}

impl Rules {
    /// Sentence ranges of one paragraph (no blank lines inside).
    pub fn paragraph_ranges(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            Rules::Builtin(segmenter) => {
                segmenter.text_blocks(text).into_iter().flat_map(|block| segmenter.block_ranges(text, block)).collect()
            }
            Rules::Srx(segmenter) => segmenter.sentence_ranges(text),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("{path}: cannot read the file: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path}, line {line}: not valid UTF-8")]
    Encoding { path: std::path::PathBuf, line: usize },
    #[error("{path}, line {line}: this looks like a binary file (it contains a NUL byte), not text")]
    Binary { path: std::path::PathBuf, line: usize },
}

/// Paragraphs longer than this are cut at a line end, so memory stays
/// bounded even for a file with no blank line at all.
const MAX_PARAGRAPH_BYTES: usize = 1 << 20;

/// Segments a UTF-8 text as it streams in, a paragraph at a time, calling
/// `emit(start, end, sentence)` with byte offsets into the whole input.
/// Memory is bounded by the longest paragraph, not by the file.
pub fn segment_stream(
    path: &std::path::Path,
    mut reader: impl std::io::BufRead,
    rules: &Rules,
    mut emit: impl FnMut(usize, usize, &str) -> std::io::Result<()>,
) -> Result<u64, StreamError> {
    let io = |source| StreamError::Io { path: path.to_path_buf(), source };
    let mut paragraph = String::new();
    let mut paragraph_start = 0usize;
    let mut offset = 0usize;
    let mut line = Vec::new();
    let mut line_number = 0usize;
    let mut flush = |paragraph: &mut String, start: usize| -> std::io::Result<()> {
        for range in rules.paragraph_ranges(paragraph) {
            emit(start + range.start, start + range.end, &paragraph[range])?;
        }
        paragraph.clear();
        Ok(())
    };
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(io)?;
        if read == 0 {
            break;
        }
        line_number += 1;
        let mut bytes = line.as_slice();
        if line_number == 1 {
            bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            offset += line.len() - bytes.len();
        }
        if bytes.contains(&0) {
            return Err(StreamError::Binary { path: path.to_path_buf(), line: line_number });
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| StreamError::Encoding { path: path.to_path_buf(), line: line_number })?;
        if text.trim().is_empty() || paragraph.len() > MAX_PARAGRAPH_BYTES {
            flush(&mut paragraph, paragraph_start).map_err(io)?;
            paragraph_start = offset;
        }
        if paragraph.is_empty() {
            paragraph_start = offset;
        }
        paragraph.push_str(text);
        offset += bytes.len();
    }
    flush(&mut paragraph, paragraph_start).map_err(io)?;
    Ok(offset as u64)
}

/// Structure first: splits plain text into blocks (blank lines and hard
/// line breaks bound sentences), then each block into sentences. Returns
/// ranges into `text`.
pub fn split_text_ranges(text: &str, lang: &LangTag) -> Vec<Range<usize>> {
    let segmenter = Segmenter::new(lang);
    segmenter.text_blocks(text).into_iter().flat_map(|block| segmenter.block_ranges(text, block)).collect()
}

/// The sentences of a plain text, structure first (see [`split_text_ranges`]).
pub fn split_text<'t>(text: &'t str, lang: &LangTag) -> impl Iterator<Item = &'t str> {
    split_text_ranges(text, lang).into_iter().map(move |range| &text[range])
}

impl Segmenter {
    /// The sentences of one block, as ranges into the whole text.
    pub fn block_ranges(&self, text: &str, block: Range<usize>) -> Vec<Range<usize>> {
        self.sentence_ranges(&text[block.clone()])
            .into_iter()
            .map(|range| block.start + range.start..block.start + range.end)
            .collect()
    }

    /// Blocks of plain text that no sentence may cross: paragraphs between
    /// blank lines, and the lines inside them unless a line is soft-wrapped
    /// prose (it does not end a sentence and the next line goes on in lower
    /// case, or every line is of wrapped width).
    pub fn text_blocks(&self, text: &str) -> Vec<Range<usize>> {
        let mut blocks = Vec::new();
        let mut lines: Vec<Range<usize>> = Vec::new();
        let mut offset = 0;
        // "\r\n", "\n" and a lone "\r" all end a line.
        let mut after_cr = false;
        for line in text.split_inclusive(['\n', '\r']) {
            let is_crlf_tail = after_cr && line == "\n";
            after_cr = line.ends_with('\r');
            if is_crlf_tail {
                offset += 1;
                continue;
            }
            let content = line.trim_end_matches(['\n', '\r']);
            let range = offset..offset + content.len();
            offset += line.len();
            if content.trim().is_empty() {
                self.flush_block(text, &mut lines, &mut blocks);
            } else {
                lines.push(range);
            }
        }
        self.flush_block(text, &mut lines, &mut blocks);
        blocks
    }

    fn flush_block(&self, text: &str, lines: &mut Vec<Range<usize>>, blocks: &mut Vec<Range<usize>>) {
        if lines.is_empty() {
            return;
        }
        let ends_sentence = |range: &Range<usize>| {
            let line = text[range.clone()].trim_end();
            line.chars().last().is_some_and(|c| self.is_terminator(c) || is_closing(c) || c == ':')
        };
        let is_cased = |range: &Range<usize>| {
            text[range.clone()].trim_start().chars().next().is_some_and(|c| c.is_uppercase() || c.is_lowercase())
        };
        let is_wrapped_block = lines.len() > 2
            && lines.iter().all(is_cased)
            && lines[..lines.len() - 1].iter().all(|range| {
                let length = text[range.clone()].trim().chars().count();
                (40..=120).contains(&length) && !ends_sentence(range)
            });
        let mut current = lines[0].clone();
        let mut last_line = lines[0].clone();
        for next in &lines[1..] {
            let line = &text[last_line.clone()];
            let has_trailing_space = line.ends_with([' ', '\t']);
            let first = text[next.clone()].trim_start().chars().next().unwrap_or(' ');
            let words = line.split_whitespace().count();
            let next_is_indented = text[next.clone()].starts_with([' ', '\t']);
            let joins = !ends_sentence(&last_line)
                && if self.data.joins_lines_without_space {
                    !has_trailing_space
                } else {
                    let starts_item = first.is_ascii_digit() || matches!(first, '•' | '⁃' | '-' | '*' | '◦');
                    is_wrapped_block
                        || (first.is_lowercase() && words >= 3)
                        || (has_trailing_space
                            && !starts_item
                            && !next_is_indented
                            && (first.is_lowercase() || first == '(' || self.data.capitalizes_nouns))
                };
            last_line = next.clone();
            if joins {
                current.end = next.end;
            } else {
                blocks.push(current);
                current = next.clone();
            }
        }
        blocks.push(current);
        lines.clear();
    }
}

/// The token just before a terminator, back to whitespace or an opening
/// bracket/quote, limited to the current sentence.
fn word_before<'t>(text: &'t str, chars: &[(usize, char)], sentence_start: usize, run_start: usize) -> &'t str {
    let end = chars[run_start].0;
    let mut k = run_start;
    while k > 0 && chars[k - 1].0 >= sentence_start && !chars[k - 1].1.is_whitespace() && !is_opening(chars[k - 1].1) {
        k -= 1;
    }
    &text[chars.get(k).map_or(end, |(offset, _)| *offset)..end]
}

/// The word starting at `chars[at]`, skipping opening punctuation.
fn word_at<'t>(text: &'t str, chars: &[(usize, char)], at: usize) -> &'t str {
    let mut k = at;
    while k < chars.len() && is_opening(chars[k].1) {
        k += 1;
    }
    let begin = chars.get(k).map_or(text.len(), |(offset, _)| *offset);
    let mut e = k;
    while e < chars.len() && chars[e].1.is_alphanumeric() {
        e += 1;
    }
    &text[begin..chars.get(e).map_or(text.len(), |(offset, _)| *offset)]
}

pub(crate) fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if leading + trailing < slice.len() {
        out.push(range.start + leading..range.end - trailing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_ranges(text: &str, lang: &LangTag) -> Vec<Range<usize>> {
        Segmenter::new(lang).sentence_ranges(text)
    }

    fn sentences<'t>(text: &'t str, lang: &LangTag) -> Vec<&'t str> {
        sentence_ranges(text, lang).into_iter().map(|range| &text[range]).collect()
    }
    use proptest::prelude::*;

    fn check(lang: &str, text: &str, expected: &[&str]) {
        let tag: LangTag = lang.parse().expect("tag");
        assert_eq!(sentences(text, &tag), expected, "text {text:?}");
    }

    #[test]
    fn keeps_news_abbreviations_inside_their_sentences() {
        check(
            "en",
            "U.S. Secretary of State Marco Rubio spoke in Washington, D.C. — the capital — on Sept. 3, 2025. \
             The package is worth $46 billion. It passed.",
            &[
                "U.S. Secretary of State Marco Rubio spoke in Washington, D.C. — the capital — on Sept. 3, 2025.",
                "The package is worth $46 billion.",
                "It passed.",
            ],
        );
    }

    #[test]
    fn splits_on_question_and_exclamation_marks_and_keeps_closing_quotes() {
        check("en", "\"Is it done?\" she asked. It was! Yes.", &["\"Is it done?\" she asked.", "It was!", "Yes."]);
        check("en", "He said \"stop.\" Then he left.", &["He said \"stop.\"", "Then he left."]);
    }

    #[test]
    fn initialism_before_a_sentence_starter_ends_the_sentence() {
        check("en", "She moved to the U.S. He stayed.", &["She moved to the U.S.", "He stayed."]);
        check("en", "Books by J. R. R. Tolkien sell well.", &["Books by J. R. R. Tolkien sell well."]);
    }

    #[test]
    fn numbers_urls_and_lowercase_continuations_do_not_split() {
        check(
            "en",
            "Growth was 3.5 percent, see example.com for more. Prices rose 2.",
            &["Growth was 3.5 percent, see example.com for more.", "Prices rose 2."],
        );
        check(
            "en",
            "It costs approx. 10 dollars... and more. Next.",
            &["It costs approx. 10 dollars... and more.", "Next."],
        );
        check("en", "See No. 5 on the list. Done.", &["See No. 5 on the list.", "Done."]);
    }

    #[test]
    fn spanish_inverted_marks_and_cjk_terminators() {
        check("es", "¿Qué pasó? ¡Nada! El Sr. Pérez llegó.", &["¿Qué pasó?", "¡Nada!", "El Sr. Pérez llegó."]);
        check("ja", "今日は晴れです。「明日は？」雨です。", &["今日は晴れです。", "「明日は？」雨です。"]);
        check("zh", "你好。我很好！", &["你好。", "我很好！"]);
    }

    #[test]
    fn romance_and_germanic_languages_keep_their_abbreviations() {
        check(
            "pt",
            "O Sr. Silva chegou no dia 3 de set. de 2025. Depois saiu.",
            &["O Sr. Silva chegou no dia 3 de set. de 2025.", "Depois saiu."],
        );
        check(
            "fr",
            "M. Dupont est arrivé. Vraiment ? Oui ! « C'est fini. » Il part.",
            &["M. Dupont est arrivé.", "Vraiment ?", "Oui !", "« C'est fini. »", "Il part."],
        );
        check("nl", "Dhr. Jansen zag bijv. een hond. Die blafte.", &["Dhr. Jansen zag bijv. een hond.", "Die blafte."]);
        check(
            "de",
            "Am 3. Oktober sprach Prof. Dr. Weber. Er blieb bis zum 12. Juni.",
            &["Am 3. Oktober sprach Prof. Dr. Weber.", "Er blieb bis zum 12. Juni."],
        );
        check(
            "ru",
            "Встреча прошла в г. Москве. Проф. Иванов выступил.",
            &["Встреча прошла в г. Москве.", "Проф. Иванов выступил."],
        );
    }

    #[test]
    fn chinese_and_japanese_break_without_spaces_and_keep_titles_whole() {
        check(
            "zh",
            "他说：“我们明天见。”然后走了。《摔跤吧！爸爸》很好看！",
            &["他说：“我们明天见。”然后走了。", "《摔跤吧！爸爸》很好看！"],
        );
        check(
            "ja",
            "会議は午後3時に始まった。参加者は５０人だった！",
            &["会議は午後3時に始まった。", "参加者は５０人だった！"],
        );
    }

    #[test]
    fn list_marker_at_passage_start_is_not_a_sentence() {
        check("en", "1. Open the file. Then save it.", &["1. Open the file.", "Then save it."]);
    }

    #[test]
    fn an_endless_paragraph_is_segmented_in_windows_cut_between_sentences_or_words() {
        let segmenter = Segmenter::new(&"en".parse().expect("tag"));
        let prose: String = (0..12_000).map(|i| format!("Sentence number {i} ends here. ")).collect();
        let sentences: Vec<&str> = segmenter.sentence_ranges(&prose).into_iter().map(|r| &prose[r]).collect();
        assert!(prose.len() > 4 * MAX_WINDOW_BYTES);
        assert_eq!(sentences.len(), 12_000, "no sentence cut at a window's end");
        assert!(sentences.iter().enumerate().all(|(i, s)| *s == format!("Sentence number {i} ends here.")));

        let words: String = (0..40_000).map(|i| format!("word{} ", i % 1000)).collect();
        let pieces: Vec<&str> = segmenter.sentence_ranges(&words).into_iter().map(|r| &words[r]).collect();
        assert!(pieces.len() > 1 && pieces.iter().all(|p| p.len() <= MAX_WINDOW_BYTES));
        assert_eq!(pieces.join(" "), words.trim_end(), "cut between words, nothing lost");

        let unbroken = "é".repeat(MAX_WINDOW_BYTES);
        let pieces: Vec<&str> = segmenter.sentence_ranges(&unbroken).into_iter().map(|r| &unbroken[r]).collect();
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces.concat(), unbroken, "cut at a character boundary");
    }

    proptest! {
        #[test]
        fn ranges_cover_the_text_leaving_only_whitespace_between(text in "[a-zA-Z .!?\"'0-9¿¡。]{0,80}") {
            let tag: LangTag = "en".parse().expect("tag");
            let ranges = sentence_ranges(&text, &tag);
            let mut cursor = 0;
            for range in &ranges {
                prop_assert!(range.start >= cursor && range.start < range.end);
                prop_assert!(text[cursor..range.start].trim().is_empty());
                cursor = range.end;
            }
            prop_assert!(text[cursor..].trim().is_empty());
        }
    }
}
