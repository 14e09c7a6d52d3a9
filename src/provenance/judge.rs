//! The claim check: asking the user's own language model whether the
//! evidence Verso found supports a claim, one claim per request, in the
//! style small fact-checking models are trained on ("Document: … Claim: …",
//! answered Yes or No), and reading the answer strictly.
//!
//! Only the prompt and the parser live here; the session sends the request
//! and keeps each verdict per (claim, evidence, model, prompt version).

use serde::Deserialize;

use super::SourceSegment;

/// Changes whenever the prompt's wording does, so no verdict given to an
/// older prompt is reused.
pub const PROMPT_VERSION: u32 = 1;

/// Told once per request; the document and the claim follow in the user
/// message.
pub const SYSTEM: &str = "You check claims against a document. Answer Yes if everything the claim states is \
supported by the document, and No otherwise. Answer with one word: Yes or No.";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the model's answer is neither Yes nor No: \"{0}\"")]
pub struct UnclearAnswer(pub String);

/// The evidence for a claim: the passages it is linked to with their
/// neighbours (one each side), each in its own language and, where there
/// is one, in translation, in the order of the source.
pub fn evidence(sources: &[SourceSegment], linked: &[usize]) -> String {
    let mut wanted: Vec<usize> = linked
        .iter()
        .flat_map(|&i| i.saturating_sub(1)..=(i + 1).min(sources.len().saturating_sub(1)))
        .filter(|&i| i < sources.len())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = String::new();
    for i in wanted {
        let source = &sources[i];
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(source.text.trim());
        if let Some(translation) = source.translation.as_deref().filter(|t| !t.trim().is_empty()) {
            out.push_str(" [");
            out.push_str(translation.trim());
            out.push(']');
        }
    }
    out
}

/// The user message for one claim.
pub fn prompt(claim: &str, evidence: &str) -> String {
    format!("Document: {evidence}\nClaim: {}", claim.trim())
}

/// What a model said, read strictly: a plain Yes or No (with
/// punctuation, inside Markdown emphasis or a code block), a JSON object
/// with an answer, or reasoning that ends in a stated verdict ("Answer:
/// No"). Anything else is unclear, never guessed.
pub fn parse(answer: &str) -> Result<bool, UnclearAnswer> {
    let unclear = || UnclearAnswer(excerpt(answer));
    let plain: String = answer.chars().filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>')).collect();
    let plain = plain.trim();
    let body = plain.strip_prefix("json").unwrap_or(plain).trim();
    if body.starts_with('{') {
        return from_json(body).ok_or_else(unclear);
    }
    if let Some(verdict) = word(body) {
        return Ok(verdict);
    }
    let lines: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // A verdict stated after reasoning: the last line that states one.
    for line in lines.iter().rev() {
        let lower = line.to_lowercase();
        for label in ["final answer", "answer", "verdict", "label", "conclusion"] {
            if let Some(rest) = lower.strip_prefix(label) {
                let rest = rest.trim_start_matches([':', '-', ' ', '=']);
                if let Some(verdict) = first_word(rest) {
                    return Ok(verdict);
                }
            }
        }
    }
    // "Yes. The document says …" / "No, the document gives 31%."
    if let Some(verdict) = lines.first().and_then(|l| leading_word(l)) {
        return Ok(verdict);
    }
    if let Some(verdict) = lines.last().and_then(|l| word(l)) {
        return Ok(verdict);
    }
    Err(unclear())
}

/// The whole text as one verdict word (punctuation around it allowed).
fn word(text: &str) -> Option<bool> {
    let bare = text.trim().trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace()).to_lowercase();
    match bare.as_str() {
        "yes" | "true" | "supported" | "sí" | "si" | "oui" | "ja" => Some(true),
        "no" | "false" | "not supported" | "unsupported" | "non" | "nein" => Some(false),
        _ => None,
    }
}

fn first_word(text: &str) -> Option<bool> {
    let end = text.find(|c: char| !c.is_alphanumeric()).unwrap_or(text.len());
    word(&text[..end])
}

/// A verdict word opening a sentence and followed by punctuation.
fn leading_word(line: &str) -> Option<bool> {
    let end = line.find(|c: char| !c.is_alphanumeric())?;
    let after = line[end..].chars().next()?;
    matches!(after, '.' | ',' | '!' | ';' | ':').then(|| word(&line[..end])).flatten()
}

fn from_json(text: &str) -> Option<bool> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Flag(bool),
        Text(String),
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    ["answer", "verdict", "label", "supported", "result"].iter().find_map(|key| match serde_json::from_value::<Value>(
        object.get(*key)?.clone(),
    )
    .ok()?
    {
        Value::Flag(flag) => Some(flag),
        Value::Text(text) => word(&text),
    })
}

/// The start of an answer, for a message.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 80 { format!("{}…", line.chars().take(80).collect::<String>()) } else { line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_strictly() {
        for (answer, verdict) in [
            ("Yes", true),
            ("No", false),
            ("yes.", true),
            ("No!", false),
            ("**Yes**", true),
            ("```\nNo\n```", false),
            ("{\"answer\": \"yes\"}", true),
            ("```json\n{\"supported\": false}\n```", false),
            ("{\"verdict\": \"Not supported\"}", false),
            ("The document gives 31%, the claim 13%.\nAnswer: No", false),
            ("Let me check each figure. Both agree.\n\n**Final answer:** Yes", true),
            ("Yes. The document states the plants will supply 450,000 households.", true),
            ("No, the document says August.", false),
            ("Reasoning: the dates match.\nYes", true),
        ] {
            assert_eq!(parse(answer), Ok(verdict), "{answer:?}");
        }
        for unclear in ["", "Maybe", "It depends on the reading.", "{\"score\": 0.7}", "Yesterday the minister said"] {
            assert!(parse(unclear).is_err(), "{unclear:?} must be unclear");
        }
        let long = "I cannot tell. ".repeat(40);
        assert!(parse(&long).expect_err("unclear").0.chars().count() <= 81);
    }

    #[test]
    fn evidence_is_the_linked_passages_with_their_neighbours_and_translations() {
        let sources: Vec<SourceSegment> = ["A.", "B.", "C.", "D.", "E."]
            .iter()
            .map(|t| SourceSegment { text: t.to_string(), translation: None, machine: false })
            .collect();
        let mut sources = sources;
        sources[2].translation = Some("C in English.".into());
        assert_eq!(evidence(&sources, &[2]), "B.\nC. [C in English.]\nD.");
        assert_eq!(evidence(&sources, &[0, 4]), "A.\nB.\nD.\nE.");
        assert_eq!(evidence(&sources, &[]), "");
        assert_eq!(prompt(" Prices rose. ", "A."), "Document: A.\nClaim: Prices rose.");
    }
}
