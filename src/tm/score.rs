//! The match percentage: how much of a stored source a translator can keep.
//!
//! Both sentences are cut into tokens — words, numbers, punctuation marks
//! and inline-code placeholders (`⟦1⟧`); spaces are not tokens. The score is
//! a weighted Levenshtein distance over those tokens:
//!
//! | edit                                   | cost               |
//! |----------------------------------------|--------------------|
//! | insert / delete a word or number       | 1                  |
//! | insert / delete punctuation or a code  | 0.5                |
//! | replace a token by another             | the larger weight  |
//! | replace a number by another number     | 0.5                |
//! | same word, other letter case           | 0.1                |
//!
//! `percent = floor(100 × (1 − distance / max(weight(a), weight(b))))`,
//! where a sentence's weight is the sum of its tokens' weights. Like
//! OmegaT, a changed comma or code costs less than a changed word, because
//! it costs the translator less; a changed figure costs half a word since
//! only the figure needs retyping (and the QA check catches a missed one).
//! 100 is kept for identical text: a difference in spacing alone gives 99.

use crate::text::{Token, TokenKind};

/// What a token weighs: what retyping it costs the translator.
fn weight(kind: TokenKind) -> f64 {
    match kind {
        TokenKind::Word | TokenKind::Number => 1.0,
        TokenKind::Punctuation | TokenKind::Code => 0.5,
    }
}

/// Case-blind equality without allocating: this runs in the innermost loop.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

fn substitution(a: &Token<'_>, b: &Token<'_>) -> f64 {
    if a.text == b.text {
        0.0
    } else if a.kind == TokenKind::Number && b.kind == TokenKind::Number {
        0.5
    } else if a.kind == b.kind && same_ignoring_case(a.text, b.text) {
        0.1
    } else {
        weight(a.kind).max(weight(b.kind))
    }
}

/// The weighted token edit distance and the larger of the two weights.
fn distance(a: &[Token<'_>], b: &[Token<'_>]) -> (f64, f64) {
    let total = |tokens: &[Token<'_>]| tokens.iter().map(|t| weight(t.kind)).sum::<f64>();
    let mut previous: Vec<f64> = std::iter::once(0.0)
        .chain(b.iter().scan(0.0, |sum, t| {
            *sum += weight(t.kind);
            Some(*sum)
        }))
        .collect();
    let mut current = vec![0.0; b.len() + 1];
    for x in a {
        current[0] = previous[0] + weight(x.kind);
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + substitution(x, y))
                .min(previous[j + 1] + weight(x.kind))
                .min(current[j] + weight(y.kind));
        }
        std::mem::swap(&mut previous, &mut current);
    }
    (previous[b.len()], total(a).max(total(b)))
}

/// The match percentage of a stored source `stored` for the sentence being
/// translated, `current` (0–100, see the module notes).
pub fn percent(stored: &str, current: &str) -> u8 {
    if stored == current {
        return 100;
    }
    percent_of(&crate::text::tokens(stored), &crate::text::tokens(current))
}

/// [`percent`] on tokens already cut, for scoring many candidates against
/// one sentence. Never 100: the caller compares the texts first.
pub fn percent_of(stored: &[Token<'_>], current: &[Token<'_>]) -> u8 {
    let (distance, longest) = distance(stored, current);
    if longest == 0.0 {
        return 99;
    }
    let score = (100.0 * (1.0 - distance / longest) + 1e-9).floor();
    score.clamp(0.0, 99.0) as u8
}

/// The best score `stored` could reach against `current` from weights
/// alone: skips candidates that cannot reach the threshold.
pub fn ceiling(stored: &[Token<'_>], current: &[Token<'_>]) -> u8 {
    let total = |tokens: &[Token<'_>]| tokens.iter().map(|t| weight(t.kind)).sum::<f64>();
    let (a, b) = (total(stored), total(current));
    if a.max(b) == 0.0 { 100 } else { (100.0 * a.min(b) / a.max(b)).floor() as u8 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    #[test]
    fn identical_text_is_100_and_spacing_alone_99() {
        assert_eq!(percent("The minister spoke.", "The minister spoke."), 100);
        assert_eq!(percent("The minister spoke.", "The minister  spoke."), 99);
    }

    #[test]
    fn a_changed_word_costs_more_than_a_changed_figure_or_comma() {
        let base = "The ministry hired 250 new teachers in the north.";
        let word = percent(base, "The ministry hired 250 new nurses in the north.");
        let figure = percent(base, "The ministry hired 300 new teachers in the north.");
        let comma = percent(base, "The ministry hired 250 new teachers, in the north.");
        // 8 words + 1 number + a full stop weigh 9.5; one word replaced costs 1.
        assert_eq!(word, 89);
        assert_eq!(figure, 94);
        // One comma inserted: 0.5 of the longer weight, 10.
        assert_eq!(comma, 95);
        assert_eq!(percent(base, "the ministry hired 250 new teachers in the north."), 98);
    }

    #[test]
    fn unrelated_sentences_score_low_and_ceiling_bounds_the_score() {
        let a = tokens("Rain is expected tomorrow across the region.");
        let b = tokens("The central bank raised interest rates again.");
        assert!(percent_of(&a, &b) < 30);
        let short = tokens("Rain tomorrow.");
        assert!(percent_of(&short, &a) <= ceiling(&short, &a));
        assert_eq!(percent("", "x"), 0);
    }
}
