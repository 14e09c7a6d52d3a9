//! Quantities as news states them: a value, what it measures, and how
//! firmly it is said. "Every three months" and "every 90 days" are one
//! interval; "within two days" is "within 48 hours"; "more than 10,000"
//! is borne out by 10,500 and contradicted by 9,000; a rise "of 3 points"
//! is not a rise "of 3%". A summary's quantities are compared with the
//! source's through [`agrees`], in the writer's words.
//!
//! Units are read where the text states them, in English, Spanish,
//! French, German, Italian and Portuguese; a number with no unit keeps
//! comparing by value alone, as before.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::lang::LangTag;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    Percent,
    /// Percentage points: a change between two percentages.
    Points,
    Money,
    Year,
    Count,
}

/// What a unit measures; values are kept in one base unit per dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Days.
    Duration,
    /// Metres.
    Distance,
    /// Kilograms.
    Mass,
    /// Square metres.
    Area,
    /// Degrees Celsius.
    Temperature,
}

/// A quantity in base units, as an interval: a month is 28 to 31 days, so
/// "three months" is 84 to 93 days and holds "90 days" but not "60 days".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub dimension: Dimension,
    pub low: f64,
    pub high: f64,
}

/// How firmly a figure is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    #[default]
    Exact,
    /// "about", "around", "some", "roughly": within a tenth either way; also
    /// fractions in words ("half").
    About,
    /// "nearly", "almost": up to a tenth below, not above.
    Nearly,
    /// "more than", "over".
    MoreThan,
    /// "at least".
    AtLeast,
    /// "less than", "fewer than", "under".
    LessThan,
    /// "up to", "at most".
    AtMost,
    /// "between X and Y": `value` to `upper`.
    Between,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number as written, scaled ("$46 billion" is 46e9; "three months" is 3).
    pub value: f64,
    pub kind: NumberKind,
    /// The quantity in the writer's words, qualifier and unit included
    /// ("more than 10,000", "three months").
    pub text: String,
    /// Where it stands in the text (bytes), qualifier and unit included,
    /// for highlighting.
    pub range: Range<usize>,
    /// Where the figure itself stands: the words around it (its unit
    /// among them) say what it counts.
    pub figure: Range<usize>,
    /// Spelled out ("three"): matched, but never flagged, since "one of
    /// them" is rarely a claim about a count.
    pub is_written: bool,
    /// The unit stated with it, in base units.
    pub measure: Option<Measure>,
    pub bound: Bound,
    /// The top of a range ("between 10 and 12"), with `bound` `Between`.
    pub upper: Option<f64>,
    /// The other reading of a figure whose one mark could group thousands
    /// or mark decimals ("16.000", "380,000"): translators of one variety
    /// write both, so a comparison accepts either.
    pub alternative: Option<f64>,
}

fn number_pattern() -> &'static regex::Regex {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        regex::Regex::new(
            r"(?ix)
            (?P<cur>[$€£]|US\$|\b(?:USD|EUR|GBP)\s)?\s?
            (?P<num>\d{1,3}(?:[.,\u{202f}\u{a0}\x20]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)
            (?:\s?(?P<pts>\bpercentage\s+points?\b|\bpuntos\s+porcentuales\b|\bpoints?\s+de\s+pourcentage\b|\bprozentpunkte?n?\b|\bpunti\s+percentuali\b|\bpontos\s+percentuais\b|\bpp\b))?
            (?:\s?(?P<pct>%|\bper\s?cent\b|\bpercent\b|\bpor\s+ciento\b|\bprozent\b|\bpour\s+cent\b|\bper\s+cento\b|\bpor\s+cento\b))?
            (?:\s?(?P<scale>\btrillion\b|\bbillion\b|bn\b|\bmillion\b|mn\b|\bthousand\b|\bmil\s+millones\b|\bmillones\b|\bmillón\b|\bmilliarden?\b|\bmillionen?\b|\bmilliards?\b|\bmillions?\b|\bmiliardi\b|\bmilioni\b|\bbilhões\b|\bmilhões\b|m\b|k\b))?
            (?:\s?(?:de\s)?(?P<unit>\bdollars?\b|\beuros?\b|\bd[oó]lares\b|\bpounds?\b|\busd\b|\beur\b))?",
        )
        .expect("the number pattern is a valid constant")
    })
}

const WRITTEN: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("uno", 1.0),
    ("una", 1.0),
    ("dos", 2.0),
    ("tres", 3.0),
    ("cuatro", 4.0),
    ("cinco", 5.0),
    ("seis", 6.0),
    ("siete", 7.0),
    ("ocho", 8.0),
    ("nueve", 9.0),
    ("diez", 10.0),
    // Not "once" (11): it is an English word too.
    ("doce", 12.0),
    ("trece", 13.0),
    ("catorce", 14.0),
    ("quince", 15.0),
    ("veinte", 20.0),
    ("treinta", 30.0),
    ("cuarenta", 40.0),
    ("cincuenta", 50.0),
    ("sesenta", 60.0),
    ("setenta", 70.0),
    ("ochenta", 80.0),
    ("noventa", 90.0),
    ("cien", 100.0),
];

/// Parts of a whole and multiples, in words: a percentage stated loosely
/// (`Bound::About`), or a rise ("doubled" is a rise of 100%).
const FRACTIONS: &[(&str, f64)] = &[
    ("half", 50.0),
    ("mitad", 50.0),
    ("moitié", 50.0),
    ("hälfte", 50.0),
    ("metà", 50.0),
    ("metade", 50.0),
    ("third", 100.0 / 3.0),
    ("tercio", 100.0 / 3.0),
    ("tiers", 100.0 / 3.0),
    ("drittel", 100.0 / 3.0),
    ("terzo", 100.0 / 3.0),
    ("terço", 100.0 / 3.0),
    ("doubled", 100.0),
    ("duplicó", 100.0),
    ("duplicado", 100.0),
    ("doublé", 100.0),
    ("verdoppelt", 100.0),
    ("raddoppiato", 100.0),
    ("dobrou", 100.0),
    ("tripled", 200.0),
    ("triplicó", 200.0),
    ("triplicado", 200.0),
    ("triplé", 200.0),
    ("verdreifacht", 200.0),
    ("triplicato", 200.0),
    ("triplicou", 200.0),
];

/// Fractions that are ordinals too ("a third quarter decline"): a part
/// only after an article or "one" and before "of" ("a third of voters",
/// "un tercio de", "un tiers des", "ein Drittel der").
const NEEDS_ARTICLE: &[&str] = &["third", "tercio", "tiers", "drittel", "terzo", "terço"];

fn is_part(text: &str, word: Range<usize>) -> bool {
    let before = text[..word.start].trim_end();
    let article = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or_default().to_lowercase();
    let after = text[word.end..].trim_start();
    let of = after.split(|c: char| !c.is_alphabetic()).next().unwrap_or_default().to_lowercase();
    matches!(article.as_str(), "a" | "one" | "un" | "una" | "um" | "uma" | "ein" | "einem" | "einer" | "le" | "el")
        && matches!(
            of.as_str(),
            "of" | "de" | "des" | "du" | "der" | "di" | "dei" | "delle" | "do" | "dos" | "da" | "das"
        )
}

/// Unit words (lower case) with their dimension and the interval one unit
/// spans in base units.
const UNITS: &[(&[&str], Dimension, f64, f64)] = {
    use Dimension::*;
    &[
        (
            &[
                "second", "seconds", "secs", "segundo", "segundos", "seconde", "secondes", "sekunde", "sekunden",
                "secondo", "secondi",
            ],
            Duration,
            1.0 / 86_400.0,
            1.0 / 86_400.0,
        ),
        (
            &["minute", "minutes", "mins", "minuto", "minutos", "minuten", "minuti"],
            Duration,
            1.0 / 1_440.0,
            1.0 / 1_440.0,
        ),
        (
            &["hour", "hours", "hrs", "hora", "horas", "heure", "heures", "stunde", "stunden", "ora", "ore"],
            Duration,
            1.0 / 24.0,
            1.0 / 24.0,
        ),
        (
            &["day", "days", "día", "días", "dia", "dias", "jour", "jours", "tag", "tage", "tagen", "giorno", "giorni"],
            Duration,
            1.0,
            1.0,
        ),
        (
            &["week", "weeks", "semana", "semanas", "semaine", "semaines", "woche", "wochen", "settimana", "settimane"],
            Duration,
            7.0,
            7.0,
        ),
        (
            &["fortnight", "fortnights", "quincena", "quincenas", "quinzaine", "quinzaines", "quinzena", "quinzenas"],
            Duration,
            14.0,
            15.0,
        ),
        (
            &["month", "months", "mes", "meses", "mois", "monat", "monate", "monaten", "mese", "mesi", "mês"],
            Duration,
            28.0,
            31.0,
        ),
        (
            &["quarter", "quarters", "trimestre", "trimestres", "quartal", "quartale", "quartalen", "trimestri"],
            Duration,
            89.0,
            92.0,
        ),
        (
            &[
                "year", "years", "año", "años", "an", "ans", "année", "années", "jahr", "jahre", "jahren", "anno",
                "anni", "ano", "anos",
            ],
            Duration,
            365.0,
            366.0,
        ),
        (
            &[
                "decade",
                "decades",
                "década",
                "décadas",
                "décennie",
                "décennies",
                "jahrzehnt",
                "jahrzehnte",
                "decennio",
                "decenni",
            ],
            Duration,
            3_652.0,
            3_653.0,
        ),
        (
            &[
                "km",
                "kilometre",
                "kilometres",
                "kilometer",
                "kilometers",
                "kilómetro",
                "kilómetros",
                "kilomètre",
                "kilomètres",
                "chilometro",
                "chilometri",
                "quilômetro",
                "quilômetros",
                "quilómetros",
            ],
            Distance,
            1_000.0,
            1_000.0,
        ),
        (&["metre", "metres", "meter", "meters", "metro", "metros", "mètre", "mètres", "metri"], Distance, 1.0, 1.0),
        (&["cm", "centimetre", "centimetres", "centimeter", "centimeters", "centímetros"], Distance, 0.01, 0.01),
        (&["mile", "miles", "milla", "millas"], Distance, 1_609.344, 1_609.344),
        (&["foot", "feet", "ft", "pie", "pies"], Distance, 0.3048, 0.3048),
        (
            &[
                "kg",
                "kilogram",
                "kilograms",
                "kilogramme",
                "kilogrammes",
                "kilo",
                "kilos",
                "kilogramo",
                "kilogramos",
                "kilogramm",
                "chilogrammi",
                "quilos",
            ],
            Mass,
            1.0,
            1.0,
        ),
        (
            &["tonne", "tonnes", "tonelada", "toneladas", "tonnen", "tonnellata", "tonnellate", "t"],
            Mass,
            1_000.0,
            1_000.0,
        ),
        // A "ton" is 907 kg in the US and 1,016 kg in the UK.
        (&["ton", "tons"], Mass, 907.0, 1_016.0),
        (&["g", "gram", "grams", "gramme", "grammes", "gramo", "gramos", "gramm", "grammi"], Mass, 0.001, 0.001),
        (&["lb", "lbs"], Mass, 0.453_592, 0.453_592),
        (
            &["hectare", "hectares", "hectárea", "hectáreas", "ha", "hektar", "ettari", "ettaro"],
            Area,
            10_000.0,
            10_000.0,
        ),
        (&["km²", "km2"], Area, 1e6, 1e6),
        (&["acre", "acres"], Area, 4_046.856, 4_046.856),
        (&["°c", "ºc"], Temperature, 1.0, 1.0),
    ]
};

/// Words that qualify the figure after them, by language-neutral meaning.
const QUALIFIERS: &[(&str, Bound)] = &[
    ("more than", Bound::MoreThan),
    ("over", Bound::MoreThan),
    ("above", Bound::MoreThan),
    ("más del", Bound::MoreThan),
    ("más de", Bound::MoreThan),
    ("superior al", Bound::MoreThan),
    ("superior a", Bound::MoreThan),
    ("plus de", Bound::MoreThan),
    ("mehr als", Bound::MoreThan),
    ("über", Bound::MoreThan),
    ("più di", Bound::MoreThan),
    ("oltre", Bound::MoreThan),
    ("mais de", Bound::MoreThan),
    ("at least", Bound::AtLeast),
    ("al menos", Bound::AtLeast),
    ("por lo menos", Bound::AtLeast),
    ("au moins", Bound::AtLeast),
    ("mindestens", Bound::AtLeast),
    ("almeno", Bound::AtLeast),
    ("pelo menos", Bound::AtLeast),
    ("less than", Bound::LessThan),
    ("fewer than", Bound::LessThan),
    ("under", Bound::LessThan),
    ("below", Bound::LessThan),
    ("menos del", Bound::LessThan),
    ("menos de", Bound::LessThan),
    ("inferior al", Bound::LessThan),
    ("inferior a", Bound::LessThan),
    ("moins de", Bound::LessThan),
    ("weniger als", Bound::LessThan),
    ("meno di", Bound::LessThan),
    ("up to", Bound::AtMost),
    ("at most", Bound::AtMost),
    ("hasta", Bound::AtMost),
    ("jusqu'à", Bound::AtMost),
    ("bis zu", Bound::AtMost),
    ("fino a", Bound::AtMost),
    ("até", Bound::AtMost),
    ("nearly", Bound::Nearly),
    ("almost", Bound::Nearly),
    ("casi el", Bound::Nearly),
    ("casi", Bound::Nearly),
    ("close to", Bound::Nearly),
    ("presque", Bound::Nearly),
    ("près de", Bound::Nearly),
    ("fast", Bound::Nearly),
    ("quasi", Bound::Nearly),
    ("quase", Bound::Nearly),
    ("about", Bound::About),
    ("around", Bound::About),
    ("roughly", Bound::About),
    ("approximately", Bound::About),
    ("some", Bound::About),
    ("alrededor del", Bound::About),
    ("alrededor de", Bound::About),
    ("cerca del", Bound::About),
    ("cerca de", Bound::About),
    ("unos", Bound::About),
    ("unas", Bound::About),
    ("aproximadamente", Bound::About),
    ("environ", Bound::About),
    ("quelque", Bound::About),
    ("etwa", Bound::About),
    ("rund", Bound::About),
    ("ungefähr", Bound::About),
    ("circa", Bound::About),
    ("cerca di", Bound::About),
];

/// Words that open a range ("between 10 and 12") and join its ends.
const RANGE_OPENERS: &[&str] = &["between", "entre", "zwischen", "tra", "fra"];
const RANGE_JOINERS: &[&str] = &["and", "y", "e", "et", "und", "to", "a"];

/// Numbers in a text, normalised: "11,017" (English) and "11.017"
/// (Spanish) are both 11017; "53 per cent" is 53 percent; "$46 billion"
/// is 46,000,000,000 in money; "three months" is a duration of 84 to 93
/// days; "more than 10,000" is a lower bound.
pub fn quantities(text: &str, lang: &LangTag) -> Vec<Quantity> {
    let decimal_comma = lang.facts().decimal_comma;
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(mut caps) = number_pattern().captures_at(text, at) {
        let Some(mut num) = caps.name("num") else { break };
        // A space groups thousands only when no digit follows: "Q3 2020"
        // is "3" and "2020", not "3 202" and "0".
        if text[num.end()..].starts_with(|c: char| c.is_ascii_digit())
            && let Some(cut) = num.as_str().find([' ', '\u{a0}', '\u{202f}'])
            && let Some(first) =
                number_pattern().captures_at(&text[..num.start() + cut], caps.get(0).map_or(num.start(), |m| m.start()))
        {
            caps = first;
            num = caps.name("num").expect("the pattern's figure is not optional");
        }
        // The figure is never empty, so the search always moves on.
        at = caps.get(0).map_or(num.end(), |m| m.end());
        let raw = num.as_str();
        let written: String = raw.nfkc().collect();
        let value: Option<f64> = text::plain_figure(&written, decimal_comma).parse().ok();
        let Some(mut value) = value else { continue };
        // Spanish is written both ways across its regions (and by one
        // translator in one text); other languages keep to one.
        let other: Option<f64> = text::plain_figure(&written, !decimal_comma).parse().ok();
        let mut alternative = other.filter(|o| lang.primary() == "es" && !same_value(*o, value));
        // Part of a name ("COVID-19", "G7", "F-35"), not a quantity.
        let start = caps.name("cur").map_or(num.start(), |c| c.start());
        let before: Vec<char> = text[..start].chars().rev().take(2).collect();
        if before.first().is_some_and(|c| c.is_alphabetic())
            || (before.first() == Some(&'-') && before.get(1).is_some_and(|c| c.is_alphabetic()))
        {
            continue;
        }
        let mut scale = caps.name("scale").map(|s| s.as_str().to_lowercase());
        // "m" and "k" mean million and thousand only in amounts of money ("$8.2m"); "5 m" is five metres.
        if matches!(scale.as_deref(), Some("m" | "k")) && caps.name("cur").is_none() {
            scale = None;
        }
        let factor = match scale.as_deref() {
            Some("trillion") => 1e12,
            Some(
                "billion" | "bn" | "mil millones" | "milliarde" | "milliarden" | "milliard" | "milliards" | "miliardi"
                | "bilhões",
            ) => 1e9,
            Some("million" | "mn" | "m" | "millones" | "millón" | "millionen" | "millions" | "milioni" | "milhões") => {
                1e6
            }
            Some("thousand" | "k") => 1e3,
            _ => 1.0,
        };
        value *= factor;
        alternative = alternative.map(|a| a * factor);
        let kind = if caps.name("pts").is_some() {
            NumberKind::Points
        } else if caps.name("pct").is_some() {
            NumberKind::Percent
        } else if caps.name("cur").is_some() || caps.name("unit").is_some() {
            NumberKind::Money
        } else if scale.is_none() && value.fract() == 0.0 && (1900.0..=2100.0).contains(&value) && raw.len() == 4 {
            NumberKind::Year
        } else {
            NumberKind::Count
        };
        let whole = caps.get(0).map_or(num.range(), |m| m.range());
        let trimmed = text[whole.clone()].trim();
        let lead = text[whole.clone()].len() - text[whole.clone()].trim_start().len();
        let range = whole.start + lead..whole.start + lead + trimmed.len();
        out.push(Quantity {
            value,
            kind,
            text: String::new(),
            figure: range.clone(),
            range,
            is_written: false,
            measure: None,
            bound: Bound::Exact,
            upper: None,
            alternative,
        });
    }
    let mut offset = 0;
    let mut words = Vec::new();
    for token in text.split(|c: char| !c.is_alphabetic()) {
        if !token.is_empty() {
            words.push((token.to_lowercase(), offset..offset + token.len()));
        }
        // Every separator is one character; step over it.
        offset += token.len() + text[offset + token.len()..].chars().next().map_or(0, char::len_utf8);
    }
    let number_word = |word: &str| WRITTEN.iter().find(|(w, _)| *w == word).map(|(_, v)| *v);
    let mut skip = 0;
    for (i, (lower, range)) in words.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let range = range.clone();
        if let Some(value) = number_word(lower) {
            // Tens and a unit: "twenty five", "twenty-five", "treinta y cinco".
            let unit =
                |j: usize| words.get(j).and_then(|(w, r)| number_word(w).filter(|u| *u < 10.0).map(|u| (u, r.end)));
            // Only a space or a hyphen between word `j - 1` and word `j`.
            let joined = |j: usize| {
                words
                    .get(j)
                    .is_some_and(|(_, r)| text[words[j - 1].1.end..r.start].chars().all(|c| matches!(c, ' ' | '-')))
            };
            let compound = if (20.0..100.0).contains(&value) && value % 10.0 == 0.0 {
                match (unit(i + 1), words.get(i + 1)) {
                    (Some((u, end)), _) if joined(i + 1) => Some((u, end, 1)),
                    (None, Some((y, _))) if y == "y" && joined(i + 1) && joined(i + 2) => {
                        unit(i + 2).map(|(u, end)| (u, end, 2))
                    }
                    _ => None,
                }
            } else {
                None
            };
            match compound {
                Some((u, end, words_used)) => {
                    skip = words_used;
                    out.push(written(value + u, NumberKind::Count, range.start..end, Bound::Exact));
                }
                None => out.push(written(value, NumberKind::Count, range.clone(), Bound::Exact)),
            }
        } else if let Some((_, value)) = FRACTIONS.iter().find(|(w, _)| *w == lower)
            && (!NEEDS_ARTICLE.contains(&lower.as_str()) || is_part(text, range.clone()))
        {
            out.push(written(*value, NumberKind::Percent, range.clone(), Bound::About));
        } else if matches!(lower.as_str(), "a" | "an" | "un" | "une" | "ein" | "eine")
            && unit_after(text, range.end).is_some_and(|(_, (dimension, _, _))| dimension == Dimension::Duration)
        {
            // "a fortnight", "an hour", "un año": one of the unit.
            out.push(written(1.0, NumberKind::Count, range.clone(), Bound::Exact));
        }
    }
    out.sort_by_key(|q| q.range.start);
    for quantity in &mut out {
        qualify(text, quantity);
    }
    join_ranges(text, &mut out);
    for quantity in &mut out {
        quantity.text = text[quantity.range.clone()].to_string();
    }
    out
}

fn written(value: f64, kind: NumberKind, range: Range<usize>, bound: Bound) -> Quantity {
    Quantity {
        value,
        kind,
        text: String::new(),
        figure: range.clone(),
        range,
        is_written: true,
        measure: None,
        bound,
        upper: None,
        alternative: None,
    }
}

/// The unit word right after `end` (past spaces, a hyphen as in "90-day",
/// or "de"/"of" as in "3 millones de toneladas"): where it ends, and its
/// dimension and interval.
fn unit_after(text: &str, end: usize) -> Option<(usize, (Dimension, f64, f64))> {
    let rest = &text[end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\u{a0}', '\u{202f}', '-']).len();
    let mut at = end + skipped;
    for filler in ["de ", "of "] {
        if text[at..].starts_with(filler) {
            at += filler.len();
        }
    }
    let word_len = text[at..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '°' | 'º' | '²')))
        .map_or(text.len() - at, |(i, _)| i);
    if word_len == 0 {
        return None;
    }
    let word = text[at..at + word_len].to_lowercase();
    // "square kilometres" and "kilómetros cuadrados": a distance squared.
    if matches!(word.as_str(), "square" | "sq") {
        let (end, (dimension, low, high)) = unit_after(text, at + word_len)?;
        return (dimension == Dimension::Distance).then_some((end, (Dimension::Area, low * low, high * high)));
    }
    let (dimension, low, high) =
        UNITS.iter().find(|(words, _, _, _)| words.contains(&word.as_str())).map(|(_, d, l, h)| (*d, *l, *h))?;
    let end = at + word_len;
    if dimension == Dimension::Distance {
        let next = text[end..].trim_start();
        let squared = ["cuadrados", "carrés", "quadrati", "quadrados"].iter().find(|w| next.starts_with(*w));
        if let Some(squared) = squared {
            let end = text.len() - next.len() + squared.len();
            return Some((end, (Dimension::Area, low * low, high * high)));
        }
    }
    Some((end, (dimension, low, high)))
}

/// Reads the unit after a quantity and the qualifier before it, widening
/// its range to cover both.
fn qualify(text: &str, quantity: &mut Quantity) {
    if quantity.kind == NumberKind::Count
        && let Some((end, (dimension, low, high))) = unit_after(text, quantity.range.end)
    {
        // A single letter ("t", "g") counts only right after digits.
        let word = text[quantity.range.end..end].trim_start_matches([' ', '-']);
        if word.chars().count() > 1 || !quantity.is_written {
            quantity.measure = Some(Measure { dimension, low: quantity.value * low, high: quantity.value * high });
            quantity.range.end = end;
        }
    }
    let before = tail(text, quantity.range.start).to_lowercase();
    let before = before.trim_end();
    for (phrase, bound) in QUALIFIERS {
        if before.ends_with(phrase)
            && before[..before.len() - phrase.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
        {
            if quantity.bound == Bound::Exact {
                quantity.bound = *bound;
            }
            // Widen to the qualifier, found in the original text by length.
            let original_before = text[..quantity.range.start].trim_end();
            let start = original_before
                .char_indices()
                .rev()
                .nth(phrase.chars().count() - 1)
                .map_or(quantity.range.start, |(i, _)| i);
            quantity.range.start = start;
            break;
        }
    }
}

/// The few words before `end` (at most 40 bytes, whole characters): where
/// a qualifier or a range's opener stands, without lowercasing the whole
/// text before every figure.
fn tail(text: &str, end: usize) -> &str {
    let mut start = end.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..end]
}

/// "between 10 and 12" (and "entre 10 y 12"): the first
/// quantity takes the second as its top, and the second is dropped.
fn join_ranges(text: &str, quantities: &mut Vec<Quantity>) {
    let mut i = 0;
    while i + 1 < quantities.len() {
        let (first, second) = (&quantities[i], &quantities[i + 1]);
        let gap = text[first.range.end..second.range.start].trim().to_lowercase();
        let before = tail(text, first.range.start).trim_end().to_lowercase();
        // Only after an opener: "from 10 to 12" is a change, not a range.
        let opened = RANGE_OPENERS.iter().any(|o| {
            before.ends_with(o)
                && before[..before.len() - o.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
        });
        let joined = opened && RANGE_JOINERS.contains(&gap.as_str());
        // "between 30 and 43 percent": the bare first end takes the kind of
        // the second.
        let kinds = first.kind == second.kind || (first.kind == NumberKind::Count && first.measure.is_none());
        if joined && kinds && first.value < second.value && first.is_written == second.is_written {
            let opener_start = text[..first.range.start].trim_end().len()
                - RANGE_OPENERS.iter().find(|o| before.ends_with(*o)).map_or(0, |o| o.len());
            let second = quantities.remove(i + 1);
            let first = &mut quantities[i];
            first.range.start = first.range.start.min(opener_start);
            first.bound = Bound::Between;
            first.kind = second.kind;
            first.upper = Some(second.value);
            first.measure = match (first.measure, second.measure) {
                (None, Some(unit)) => Some(Measure { low: unit.low * first.value / second.value, ..unit }),
                (Some(from), Some(to)) => Some(Measure { high: to.high, ..from }),
                (measure, None) => measure,
            };
            first.range.end = second.range.end;
        }
        i += 1;
    }
}

/// Whether two quantities can say the same thing: the same kind of figure
/// (a percentage and percentage points are compared, to be told apart),
/// and where both state units, the same dimension.
pub fn comparable(a: &Quantity, b: &Quantity) -> bool {
    let kinds = a.kind == b.kind
        || matches!(
            (a.kind, b.kind),
            (NumberKind::Percent, NumberKind::Points) | (NumberKind::Points, NumberKind::Percent)
        );
    let dimensions = match (a.measure, b.measure) {
        (Some(x), Some(y)) => x.dimension == y.dimension,
        _ => true,
    };
    kinds && dimensions
}

/// Whether the source's `source` bears out the summary's `claim`: the
/// same value, or one within what the claim's words allow (its bound, its
/// unit's interval after conversion). Percentages and percentage points
/// never bear each other out.
pub fn agrees(claim: &Quantity, source: &Quantity) -> bool {
    let points = |q: &Quantity| q.kind == NumberKind::Points;
    if points(claim) != points(source) && matches!(claim.kind, NumberKind::Percent | NumberKind::Points) {
        return false;
    }
    // Both in units of one dimension: compare the intervals they span.
    if let (Some(c), Some(s)) = (claim.measure, source.measure) {
        if c.dimension != s.dimension {
            return false;
        }
        let (low, high) = claim_interval(claim.bound, c.low, c.high);
        let tolerance = 1e-6 * high.abs().max(1.0);
        return s.high >= low - tolerance && s.low <= high + tolerance;
    }
    let readings = |q: &Quantity| [Some(q.value), q.alternative].into_iter().flatten().collect::<Vec<f64>>();
    if readings(claim).iter().any(|c| readings(source).iter().any(|s| same_value(*c, *s))) {
        return true;
    }
    // A threshold is compared with the source's threshold as stated:
    // "below $30 billion" is not what a source saying "below $26 billion"
    // said, though one implies the other.
    if source.bound != Bound::Exact && claim.bound != Bound::Exact {
        return false;
    }
    let (low, high) = claim_interval(claim.bound, claim.value, claim.upper.unwrap_or(claim.value));
    let wanted = |v: f64| v >= low - 1e-9 * v.abs().max(1.0) && v <= high + 1e-9 * v.abs().max(1.0);
    wanted(source.value) || source.upper.is_some_and(|u| source.value <= high && u >= low)
}

/// The values a claim's words allow, given what it states: one value
/// (`low` = `high`), a unit's interval, or a range.
fn claim_interval(bound: Bound, low: f64, high: f64) -> (f64, f64) {
    let nudge = |v: f64| v.abs() * 1e-9 + f64::EPSILON;
    match bound {
        Bound::Exact | Bound::Between => (low, high),
        Bound::About => (low - low.abs() / 10.0, high + high.abs() / 10.0),
        Bound::Nearly => (low - low.abs() / 10.0, high),
        // A bound still names its neighbourhood: "more than 10,000" is said
        // of 12,000, not of 50,000, and "below $30 billion" is not borne
        // out by a $0.13 dividend in the same paragraph.
        Bound::MoreThan => (low + nudge(low), 2.0 * high),
        Bound::AtLeast => (low, 2.0 * high),
        Bound::LessThan => (low / 2.0, high - nudge(high)),
        Bound::AtMost => (low / 2.0, high),
    }
}

pub fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> LangTag {
        LangTag::english()
    }

    /// The one quantity of `text` (an article read as "one" aside).
    fn one(text: &str, lang: &str) -> Quantity {
        let found = quantities(text, &lang.parse().expect("tag"));
        let stated: Vec<Quantity> =
            found.into_iter().filter(|q| q.value != 1.0 || !q.is_written || q.measure.is_some()).collect();
        assert_eq!(stated.len(), 1, "{text}: {stated:?}");
        stated.into_iter().next().expect("one")
    }

    fn agree(claim: &str, claim_lang: &str, source: &str, source_lang: &str) -> bool {
        agrees(&one(claim, claim_lang), &one(source, source_lang))
    }

    #[test]
    fn figures_in_words_and_beside_labels_read_whole() {
        // "Q3" is a label; its digit never takes the year's first digits.
        let found = quantities("net sales for Q3 2020 fell", &en());
        assert_eq!(found.iter().map(|q| (q.value, q.kind)).collect::<Vec<_>>(), [(2020.0, NumberKind::Year)]);
        // Thousands grouped with a space still read as one figure.
        assert_eq!(one("11 017 people", "en").value, 11017.0);
        for text in ["twenty five Euros", "twenty-five Euros", "twenty - five Euros"] {
            let q = one(text, "en");
            assert_eq!((q.value, q.text.as_str()), (25.0, text.trim_end_matches(" Euros")), "{text}");
        }
        assert_eq!(one("treinta y cinco personas", "es").value, 35.0);
        assert_eq!(one("ninety days", "en").value, 90.0);
        // "Once" is an English word, not the Spanish eleven.
        assert!(quantities("once a week", &en()).iter().all(|q| q.value != 11.0));
    }

    #[test]
    fn durations_compare_after_conversion_with_months_as_intervals() {
        assert!(agree("every three months", "en", "every 90 days", "en"));
        assert!(!agree("every three months", "en", "every 60 days", "en"));
        assert!(agree("within two days", "en", "within 48 hours", "en"));
        assert!(agree("a fortnight later", "en", "14 days later", "en"));
        assert!(agree("dentro de dos semanas", "es", "within 14 days", "en"));
        assert!(!agree("within two days", "en", "within 72 hours", "en"));
        assert_eq!(one("every three months", "en").text, "three months");
        assert_eq!(one("a 90-day period", "en").text, "90-day");
    }

    #[test]
    fn distances_weights_areas_and_temperatures_need_units_on_both_sides() {
        assert!(agree("a 5 km stretch", "en", "5,000 metres of road", "en"));
        assert!(!agree("a 5 km stretch", "en", "5 miles of road", "en"));
        assert!(agree("3 tonnes of food", "en", "3.000 kilos de comida", "es"));
        assert!(agree("200 hectares burned", "en", "2 km² burned", "en"));
        assert!(agree("reached 40 °C", "en", "alcanzó 40ºC", "es"));
        // A number without a unit still compares by value.
        assert!(agree("5 stretches", "en", "5 km", "en"));
    }

    #[test]
    fn qualifiers_decide_what_a_figure_allows() {
        assert!(agree("more than 10,000 people", "en", "10,500 people", "en"));
        assert!(!agree("more than 10,000 people", "en", "9,000 people", "en"));
        assert!(agree("nearly 10,000", "en", "9,600", "en"));
        assert!(!agree("nearly 10,000", "en", "10,400", "en"));
        assert!(agree("about 10,000", "en", "10,400", "en"));
        assert!(agree("más de 300 muertos", "es", "312 dead", "en"));
        assert!(agree("at least 12", "en", "12", "en"));
        assert!(!agree("fewer than 50", "en", "52", "en"));
        assert_eq!(one("more than 10,000 people", "en").text, "more than 10,000");
        assert_eq!(one("Más de 300 muertos", "es").text, "Más de 300");
    }

    #[test]
    fn percentages_points_fractions_and_multiples() {
        assert!(!agree("rose 3%", "en", "rose 3 percentage points", "en"));
        assert!(agree("subió 3 puntos porcentuales", "es", "rose 3 percentage points", "en"));
        assert!(agree("half of the posts", "en", "50% of the posts", "en"));
        assert!(agree("half of the posts", "en", "48% of the posts", "en"));
        assert!(!agree("half of the posts", "en", "40% of the posts", "en"));
        assert!(agree("prices doubled", "en", "prices rose 100%", "en"));
        assert!(agree("a third of voters", "en", "33% of voters", "en"));
        assert!(quantities("a third quarter decline", &en()).is_empty());
        // Thresholds compare as stated.
        assert!(!agree("below $30 billion", "en", "below $26 billion", "en"));
        assert!(agree("below $30 billion", "en", "$27 billion", "en"));
    }

    #[test]
    fn a_figure_with_one_ambiguous_mark_matches_either_reading() {
        // Mexican translators write both "380,000" and "16.000".
        assert!(agree("más de 16.000 personas", "es", "more than 16,000 people", "en"));
        assert!(agree("más de 380,000 habitantes", "es", "more than 380,000 people", "en"));
        assert!(agree("7,1 grados", "es", "7.1 degrees", "en"));
        assert!(!agree("2,5 millones", "es", "2,500 million", "en"));
    }

    #[test]
    fn ranges_and_money_written_several_ways() {
        assert!(agree("between 10 and 12 deaths", "en", "11 deaths", "en"));
        assert!(!agree("between 10 and 12 deaths", "en", "15 deaths", "en"));
        assert!(agree("entre 10 y 12 muertos", "es", "11 dead", "en"));
        assert_eq!(one("between 10 and 12 deaths", "en").text, "between 10 and 12");
        let dollars = |t: &str| one(t, "en");
        for text in ["$46 billion", "46,000 million dollars", "USD 46 bn"] {
            let q = dollars(text);
            assert_eq!((q.value, q.kind), (46e9, NumberKind::Money), "{text}");
        }
        assert_eq!(quantities("In 2023 — three plants, a $46 billion plan", &en()).len(), 3);
    }
}
