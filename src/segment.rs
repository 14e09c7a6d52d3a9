//! Sentence segmentation: where sentences begin and end inside one passage.
//!
//! Passage boundaries (headings, paragraphs, list items) are fixed before
//! this runs; here only terminators inside running text are judged. The
//! result is byte ranges into the passage, so highlighting and provenance
//! can point back at the exact original characters: the text between two
//! ranges is whitespace only, and nothing is rewritten.

use std::ops::Range;

use crate::lang::LangTag;

/// Characters that can end a sentence in space-delimited scripts.
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Full-width terminators of Chinese and Japanese: they end a sentence with
/// no following space.
fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

/// Quotes and brackets that may close after a terminator (`."`, `?»`, `。」`).
fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』' | '）' | '】' | '〉' | '》')
}

/// Punctuation that may open a sentence before its first letter.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '‹' | '(' | '[' | '¿' | '¡' | '「' | '『' | '（' | '„')
}

/// How an abbreviation behaves before the next word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AbbreviationKind {
    /// Always followed by more of the same sentence (`Dr.`, `Sept.`).
    Prefix,
    /// Continues the sentence only before a number (`No. 5`, `Art. 3`).
    BeforeNumber,
    /// Often ends a sentence (`etc.`, `Inc.`): ends it before a capital.
    MaybeFinal,
}

/// Per-language abbreviations, lower case, without their final period.
fn abbreviations(lang: &str) -> &'static [(&'static str, AbbreviationKind)] {
    use AbbreviationKind::*;
    match lang {
        "es" => &[
            ("sr", Prefix),
            ("sra", Prefix),
            ("srta", Prefix),
            ("dr", Prefix),
            ("dra", Prefix),
            ("lic", Prefix),
            ("ing", Prefix),
            ("prof", Prefix),
            ("gral", Prefix),
            ("av", Prefix),
            ("avda", Prefix),
            ("pág", Prefix),
            ("págs", Prefix),
            ("ene", Prefix),
            ("feb", Prefix),
            ("mar", Prefix),
            ("abr", Prefix),
            ("jun", Prefix),
            ("jul", Prefix),
            ("ago", Prefix),
            ("sept", Prefix),
            ("sep", Prefix),
            ("oct", Prefix),
            ("nov", Prefix),
            ("dic", Prefix),
            ("ud", Prefix),
            ("uds", Prefix),
            ("vd", Prefix),
            ("vds", Prefix),
            ("aprox", Prefix),
            ("núm", BeforeNumber),
            ("no", BeforeNumber),
            ("art", BeforeNumber),
            ("cap", BeforeNumber),
            ("etc", MaybeFinal),
            ("s.a", MaybeFinal),
            ("ltda", MaybeFinal),
            ("cía", MaybeFinal),
        ],
        "de" => &[
            ("hr", Prefix),
            ("fr", Prefix),
            ("dr", Prefix),
            ("prof", Prefix),
            ("bzw", Prefix),
            ("ca", Prefix),
            ("vgl", Prefix),
            ("usw", MaybeFinal),
            ("etc", MaybeFinal),
            ("z.b", Prefix),
            ("d.h", Prefix),
            ("u.a", Prefix),
            ("s", Prefix),
            ("st", Prefix),
            ("str", Prefix),
            ("jan", Prefix),
            ("feb", Prefix),
            ("jun", Prefix),
            ("jul", Prefix),
            ("aug", Prefix),
            ("sept", Prefix),
            ("okt", Prefix),
            ("nov", Prefix),
            ("dez", Prefix),
            ("nr", BeforeNumber),
            ("abs", BeforeNumber),
            ("art", BeforeNumber),
            ("gmbh", MaybeFinal),
        ],
        "fr" => &[
            ("m", Prefix),
            ("mm", Prefix),
            ("mme", Prefix),
            ("mlle", Prefix),
            ("dr", Prefix),
            ("pr", Prefix),
            ("st", Prefix),
            ("ste", Prefix),
            ("av", Prefix),
            ("bd", Prefix),
            ("janv", Prefix),
            ("févr", Prefix),
            ("avr", Prefix),
            ("juil", Prefix),
            ("sept", Prefix),
            ("oct", Prefix),
            ("nov", Prefix),
            ("déc", Prefix),
            ("p", Prefix),
            ("cf", Prefix),
            ("env", Prefix),
            ("n°", BeforeNumber),
            ("no", BeforeNumber),
            ("art", BeforeNumber),
            ("etc", MaybeFinal),
        ],
        _ => &[
            ("mr", Prefix),
            ("mrs", Prefix),
            ("ms", Prefix),
            ("dr", Prefix),
            ("prof", Prefix),
            ("gen", Prefix),
            ("gov", Prefix),
            ("sen", Prefix),
            ("rep", Prefix),
            ("rev", Prefix),
            ("hon", Prefix),
            ("pres", Prefix),
            ("lt", Prefix),
            ("col", Prefix),
            ("capt", Prefix),
            ("sgt", Prefix),
            ("adm", Prefix),
            ("maj", Prefix),
            ("st", Prefix),
            ("mt", Prefix),
            ("ft", Prefix),
            ("ave", Prefix),
            ("blvd", Prefix),
            ("jan", Prefix),
            ("feb", Prefix),
            ("mar", Prefix),
            ("apr", Prefix),
            ("jun", Prefix),
            ("jul", Prefix),
            ("aug", Prefix),
            ("sep", Prefix),
            ("sept", Prefix),
            ("oct", Prefix),
            ("nov", Prefix),
            ("dec", Prefix),
            ("vs", Prefix),
            ("cf", Prefix),
            ("approx", Prefix),
            ("fig", Prefix),
            ("figs", Prefix),
            ("vol", Prefix),
            ("p", Prefix),
            ("pp", Prefix),
            ("dept", Prefix),
            ("est", Prefix),
            ("e.g", Prefix),
            ("i.e", Prefix),
            ("no", BeforeNumber),
            ("nos", BeforeNumber),
            ("art", BeforeNumber),
            ("sec", BeforeNumber),
            ("etc", MaybeFinal),
            ("inc", MaybeFinal),
            ("ltd", MaybeFinal),
            ("co", MaybeFinal),
            ("corp", MaybeFinal),
            ("jr", MaybeFinal),
            ("sr", MaybeFinal),
            ("bros", MaybeFinal),
            ("llc", MaybeFinal),
            ("al", MaybeFinal),
            ("a.m", MaybeFinal),
            ("p.m", MaybeFinal),
        ],
    }
}

/// Words that commonly open an English sentence: after an initialism such
/// as "U.S." a following capital only ends the sentence if it is one of
/// these ("in the U.S. He said" vs "the U.S. Secretary of State").
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "All",
    "Also",
    "An",
    "And",
    "As",
    "At",
    "But",
    "During",
    "For",
    "He",
    "Her",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "No",
    "Officials",
    "On",
    "One",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Under",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
];

/// Splits one passage of text into sentences, as byte ranges that exclude
/// surrounding whitespace.
pub fn sentence_ranges(text: &str, lang: &LangTag) -> Vec<Range<usize>> {
    let abbreviations = abbreviations(lang.primary());
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ranges = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        let is_cjk = is_cjk_terminator(c);
        if !is_terminator(c) && !is_cjk {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < chars.len() && (is_terminator(chars[i].1) || is_cjk_terminator(chars[i].1)) {
            i += 1;
        }
        while i < chars.len() && is_closing(chars[i].1) {
            i += 1;
        }
        let end = chars.get(i).map_or(text.len(), |(offset, _)| *offset);
        let followed_by_space = chars.get(i).is_none_or(|(_, next)| next.is_whitespace());
        let closed = i > run_start && chars[i - 1].1 != c && is_closing(chars[i - 1].1);
        let breaks = if is_cjk {
            // "「明日は？」と聞いた": a quoted question inside a sentence.
            !(closed && chars.get(i).is_some_and(|(_, next)| !next.is_whitespace() && !is_opening(*next)))
        } else if !followed_by_space {
            false
        } else {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            j >= chars.len() || is_break(text, &chars, start, run_start, i - run_start, j, abbreviations)
        };
        if breaks {
            push_trimmed(text, start..end, &mut ranges);
            start = end;
        }
    }
    push_trimmed(text, start..text.len(), &mut ranges);
    ranges
}

/// Convenience for callers that want the sentences as strings.
pub fn sentences<'t>(text: &'t str, lang: &LangTag) -> Vec<&'t str> {
    sentence_ranges(text, lang).into_iter().map(|range| &text[range]).collect()
}

/// Judges a terminator run at `chars[run_start..run_start + run_len]` that
/// is followed by whitespace and then `chars[next]`.
fn is_break(
    text: &str,
    chars: &[(usize, char)],
    sentence_start: usize,
    run_start: usize,
    run_len: usize,
    next: usize,
    abbreviations: &[(&str, AbbreviationKind)],
) -> bool {
    let next_char = chars[next].1;
    // A sentence never continues "— says" or ", and": dashes and commas bind.
    if matches!(next_char, '—' | '–' | '-' | ',' | ';' | ':' | '%') {
        return false;
    }
    let first_letter = chars[next..].iter().map(|(_, c)| *c).find(|c| !is_opening(*c)).unwrap_or(next_char);
    let next_word = word_at(text, chars, next);
    if first_letter.is_lowercase() {
        return false;
    }
    let terminator = chars[run_start].1;
    if terminator != '.' || run_len > 1 {
        // "?", "!", "...", "?!" end a sentence before a capital or digit.
        return true;
    }
    let word = word_before(text, chars, sentence_start, run_start);
    let lower = word.to_lowercase();
    if let Some((_, kind)) = abbreviations.iter().find(|(abbr, _)| *abbr == lower) {
        return match kind {
            AbbreviationKind::Prefix => false,
            AbbreviationKind::BeforeNumber => !first_letter.is_ascii_digit(),
            AbbreviationKind::MaybeFinal => first_letter.is_uppercase() && SENTENCE_STARTERS.contains(&next_word),
        };
    }
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    let is_initialism = !letters.is_empty()
        && word.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    if is_initialism {
        // "J. R. R. Tolkien", "U.S. Secretary", "D.C." : a capital after an
        // initial is usually a name going on, unless it opens a sentence.
        return SENTENCE_STARTERS.contains(&next_word) && letters.len() > 1;
    }
    if word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() {
        // "1." opening a list item, German ordinals ("3. September").
        let at_passage_start = text[sentence_start..chars[run_start].0].trim() == word;
        return !at_passage_start;
    }
    true
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

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
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
    fn list_marker_at_passage_start_is_not_a_sentence() {
        check("en", "1. Open the file. Then save it.", &["1. Open the file.", "Then save it."]);
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
