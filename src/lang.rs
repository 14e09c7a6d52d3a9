//! BCP 47 language tags, parsed once at the edge so the rest of the core
//! holds a `LangTag` and never a bare string.
//!
//! Verso accepts well-formed tags whose primary subtag is an ISO 639-1 code
//! it knows, or any three-letter ISO 639-2/3 code. A tag like `english` or
//! `qq` is refused: it would silently pick the wrong segmentation rules.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// ISO 639-1 two-letter codes (the full 2002 list, deprecated ones excluded).
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz \
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt \
lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt \
qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to \
tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LangError {
    #[error("\"{0}\" is not a language tag (expected a BCP 47 tag such as en, es, pt-BR or zh-Hant)")]
    Malformed(String),
    #[error("\"{0}\" is not a known language code (expected an ISO 639 code such as en, es, de)")]
    Unknown(String),
}

/// A validated BCP 47 language tag in canonical case (`pt-BR`, `zh-Hant`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LangTag(String);

impl LangTag {
    pub fn english() -> LangTag {
        LangTag("en".into())
    }

    pub fn spanish() -> LangTag {
        LangTag("es".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`pt` for `pt-BR`): what segmentation
    /// rules and diff granularity are chosen by.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// How the language is written, from the one table every part of Verso
    /// reads (export, joins, QA, provenance, diffs), so they never disagree.
    pub fn facts(&self) -> LangFacts {
        let primary = self.primary();
        let in_list = |list: &str| list.split(' ').any(|code| code == primary);
        LangFacts {
            sentence_joiner: if in_list(NO_SPACE_BETWEEN_SENTENCES) { "" } else { " " },
            decimal_comma: in_list(DECIMAL_COMMA) && !self.writes_decimal_point(),
            words_unspaced: in_list(NO_SPACE_BETWEEN_WORDS),
        }
    }
}

impl LangTag {
    /// Regions whose variety writes a decimal point where the language
    /// elsewhere writes a comma: Mexico, the United States and Central
    /// America and the Caribbean for Spanish (CLDR), so "380,000" in
    /// es-MX is three hundred and eighty thousand.
    fn writes_decimal_point(&self) -> bool {
        let region = self.0.split('-').skip(1).find(|s| s.len() == 2).map(str::to_ascii_uppercase);
        self.primary() == "es"
            && region
                .is_some_and(|r| matches!(r.as_str(), "MX" | "US" | "PR" | "DO" | "GT" | "HN" | "NI" | "PA" | "SV"))
    }

    /// The Snowball stemmer for the language, where one exists: what the
    /// glossary and provenance match inflected words with.
    pub fn stemmer(&self) -> Option<rust_stemmers::Stemmer> {
        use rust_stemmers::Algorithm::*;
        let algorithm = match self.primary() {
            "en" => English,
            "es" => Spanish,
            "de" => German,
            "fr" => French,
            "it" => Italian,
            "pt" => Portuguese,
            "nl" => Dutch,
            "ru" => Russian,
            "da" => Danish,
            "sv" => Swedish,
            "no" | "nb" => Norwegian,
            "fi" => Finnish,
            "hu" => Hungarian,
            "ro" => Romanian,
            "tr" => Turkish,
            "ar" => Arabic,
            "el" => Greek,
            _ => return None,
        };
        Some(rust_stemmers::Stemmer::create(algorithm))
    }
}

/// What Verso needs to know about writing in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangFacts {
    /// Between two sentences of one paragraph: a space, or nothing
    /// (Chinese and Japanese: `こんにちは。お元気ですか。`).
    pub sentence_joiner: &'static str,
    /// Writes `1.250,5` where English writes `1,250.5`.
    pub decimal_comma: bool,
    /// No spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese,
    /// Tibetan, Dzongkha): diffs and word counts go by character.
    pub words_unspaced: bool,
}

/// Sentences follow each other without a space.
const NO_SPACE_BETWEEN_SENTENCES: &str = "zh ja";

/// Words follow each other without a space.
const NO_SPACE_BETWEEN_WORDS: &str = "zh ja th lo km my bo dz";

/// Languages whose decimal mark is a comma (CLDR's number symbols); every
/// other language is read with a decimal point.
const DECIMAL_COMMA: &str = "es de fr it pt nl ru pl tr sv da nb nn no fi cs sk sl hr sr ro hu el bg uk id vi is et \
lt lv ca gl eu";

/// A Latin letter without its accent ("é" → "e", "ñ" → "n", "ß" → "s"),
/// so cognates and names compare across languages.
pub fn fold_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ß' => 's',
        _ => c,
    }
}

impl FromStr for LangTag {
    type Err = LangError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim().replace('_', "-");
        let malformed = || LangError::Malformed(input.to_string());
        let mut parts = trimmed.split('-');
        let primary = parts.next().filter(|p| !p.is_empty()).ok_or_else(malformed)?;
        if !primary.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(malformed());
        }
        let primary = primary.to_ascii_lowercase();
        match primary.len() {
            2 if ISO_639_1.split(' ').any(|code| code == primary) => {}
            3 => {}
            2 | 4..=8 => return Err(LangError::Unknown(input.to_string())),
            _ => return Err(malformed()),
        }
        let mut canonical = primary;
        for part in parts {
            let valid = (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                return Err(malformed());
            }
            canonical.push('-');
            // RFC 5646 §2.1.1 conventions: regions upper case, scripts title case.
            match part.len() {
                2 if part.chars().all(|c| c.is_ascii_alphabetic()) => canonical.push_str(&part.to_ascii_uppercase()),
                4 if part.chars().all(|c| c.is_ascii_alphabetic()) => {
                    let lower = part.to_ascii_lowercase();
                    canonical.push_str(&lower[..1].to_ascii_uppercase());
                    canonical.push_str(&lower[1..]);
                }
                _ => canonical.push_str(&part.to_ascii_lowercase()),
            }
        }
        Ok(LangTag(canonical))
    }
}

impl TryFrom<String> for LangTag {
    type Error = LangError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<LangTag> for String {
    fn from(tag: LangTag) -> String {
        tag.0
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The language a text reads as, when the guess is reliable: whatlang's
/// trigram model over the first few thousand characters (enough for a
/// news text; short texts rarely give a reliable guess and get `None`).
/// An import uses it to warn that a file declared as one language reads as
/// another, before it is segmented with the wrong rules.
pub fn detect(text: &str) -> Option<LangTag> {
    let sample: String = text.chars().take(DETECT_CHARS).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    let (_, tag) = ISO_639_3.iter().find(|(three, _)| *three == code)?;
    tag.parse().ok()
}

/// How much of a text [`detect`] reads.
const DETECT_CHARS: usize = 4_000;

/// whatlang's ISO 639-3 codes as the tags Verso uses.
const ISO_639_3: &[(&str, &str)] = &[
    ("eng", "en"),
    ("spa", "es"),
    ("fra", "fr"),
    ("deu", "de"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("pol", "pl"),
    ("ara", "ar"),
    ("cmn", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("tur", "tr"),
    ("cat", "ca"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("fin", "fi"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("hrv", "hr"),
    ("srp", "sr"),
    ("ron", "ro"),
    ("hun", "hu"),
    ("ell", "el"),
    ("bul", "bg"),
    ("heb", "he"),
    ("hin", "hi"),
    ("ind", "id"),
    ("vie", "vi"),
    ("tha", "th"),
    ("pes", "fa"),
    ("est", "et"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("bel", "be"),
    ("ben", "bn"),
    ("urd", "ur"),
    ("tgl", "tl"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, ()>) {
        let parsed = input.parse::<LangTag>();
        assert_eq!(parsed.as_ref().map(LangTag::as_str).map_err(|_| ()), expected, "input {input:?}");
    }

    #[test]
    fn accepts_and_canonicalises_well_formed_tags() {
        check("en", Ok("en"));
        check("ES", Ok("es"));
        check("pt-br", Ok("pt-BR"));
        check("zh_hant_tw", Ok("zh-Hant-TW"));
        check("es-419", Ok("es-419"));
        check("fil", Ok("fil"));
    }

    #[test]
    fn language_facts_come_from_one_table() {
        let facts = |tag: &str| tag.parse::<LangTag>().expect("tag").facts();
        assert_eq!(facts("ja").sentence_joiner, "");
        assert_eq!(facts("zh-Hant").sentence_joiner, "");
        assert_eq!(facts("th").sentence_joiner, " ");
        assert!(facts("th").words_unspaced && !facts("en").words_unspaced);
        assert!(facts("es-419").decimal_comma && facts("de").decimal_comma && facts("es-ES").decimal_comma);
        assert!(!facts("es-MX").decimal_comma && !facts("es-US").decimal_comma, "Mexico writes 380,000");
        for point in ["en", "hi", "ar", "ms", "zh", "ja", "ko", "he", "th"] {
            assert!(!facts(point).decimal_comma, "{point} writes a decimal point");
        }
    }

    #[test]
    fn refuses_unknown_and_malformed_tags() {
        check("qq", Err(()));
        check("english", Err(()));
        check("", Err(()));
        check("e", Err(()));
        check("en-", Err(()));
        check("en-toolongsubtag", Err(()));
        check("1n", Err(()));
    }

    #[test]
    fn a_news_text_is_recognised_and_a_scrap_is_not_guessed() {
        let spanish = "El Gobierno aprobó el martes un plan de vivienda de 3.000 millones de euros. El plan prevé \
                       construir 40.000 viviendas sociales hasta 2030, según informó el ministerio.";
        let english = "The Government approved on Tuesday a housing plan worth three billion euros. The plan foresees \
                       building 40,000 social homes by 2030, the ministry said.";
        assert_eq!(detect(spanish).map(|t| t.to_string()), Some("es".into()));
        assert_eq!(detect(english).map(|t| t.to_string()), Some("en".into()));
        assert_eq!(detect("OK"), None);
    }
}
