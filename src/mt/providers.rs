//! Each service's documented request and answer. Batches stay within the
//! documented limits: DeepL 50 texts per request, Google (v2) 128,
//! LibreTranslate 50 (instances cap characters, not texts), and one
//! segment per chat request for OpenAI-compatible endpoints (the prompt
//! carries its neighbours and glossary terms).

use std::ops::Range;
use std::sync::atomic::AtomicBool;

use serde_json::{Value, json};

use super::{Client, MtError, Profile, ProviderKind, Request};

/// Characters per request kept under every service's body limit.
const MAX_CHARS: usize = 30_000;

fn max_texts(kind: ProviderKind) -> usize {
    match kind {
        ProviderKind::Deepl | ProviderKind::Libretranslate => 50,
        ProviderKind::Google => 128,
        ProviderKind::Openai => 1,
    }
}

/// How `texts` split into requests.
pub(super) fn batches(profile: &Profile, texts: &[String]) -> Vec<Range<usize>> {
    let limit = max_texts(profile.kind);
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        let length = text.chars().count();
        if i > start && (i - start == limit || chars + length > MAX_CHARS) {
            out.push(start..i);
            start = i;
            chars = 0;
        }
        chars += length;
    }
    if start < texts.len() {
        out.push(start..texts.len());
    }
    out
}

fn url(profile: &Profile, path: &str) -> String {
    format!("{}{path}", profile.url.trim_end_matches('/'))
}

/// DeepL wants upper-case codes and a variant for English and Portuguese
/// targets.
fn deepl_lang(tag: &str, target: bool) -> String {
    let upper = tag.to_ascii_uppercase();
    let primary = upper.split('-').next().unwrap_or_default().to_string();
    if !target {
        return primary;
    }
    match (primary.as_str(), upper.split_once('-')) {
        ("EN", Some((_, "GB"))) => "EN-GB".into(),
        ("EN", _) => "EN-US".into(),
        ("PT", Some((_, "BR"))) => "PT-BR".into(),
        ("PT", _) => "PT-PT".into(),
        _ => primary,
    }
}

fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

fn parse(client: &Client, body: &str) -> Result<Value, MtError> {
    serde_json::from_str(body).map_err(|e| client.malformed(format!("not JSON: {e}")))
}

fn strings(client: &Client, items: Option<&Vec<Value>>, field: Option<&str>) -> Result<Vec<String>, MtError> {
    let items = items.ok_or_else(|| client.malformed("the list of translations is missing".into()))?;
    items
        .iter()
        .map(|item| {
            let value = match field {
                Some(field) => item.get(field),
                None => Some(item),
            };
            value
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| client.malformed("a translation is not text".into()))
        })
        .collect()
}

const DEFAULT_PROMPT: &str = "You are a professional translator of news and official statements. Translate the \
user's text from {source_lang} into {target_lang}. Keep names, figures and placeholders like ⟦1⟧ exactly. \
Use these glossary terms: {glossary}. For context only, the sentence before was: {before} The sentence after is: \
{after} Reply with the translation only.";

fn fill(prompt: &str, request: &Request, index: usize) -> String {
    let glossary = if request.glossary.is_empty() {
        "(none)".to_string()
    } else {
        request.glossary.iter().map(|(s, t)| format!("{s} = {t}")).collect::<Vec<_>>().join("; ")
    };
    let (before, after) = request.context.get(index).cloned().unwrap_or_default();
    prompt
        .replace("{source_lang}", &request.source_lang)
        .replace("{target_lang}", &request.target_lang)
        .replace("{glossary}", &glossary)
        .replace("{before}", before.as_deref().unwrap_or("(none)"))
        .replace("{after}", after.as_deref().unwrap_or("(none)"))
}

pub(super) async fn translate_batch(
    client: &Client,
    request: &Request,
    range: Range<usize>,
    cancel: &AtomicBool,
) -> Result<Vec<String>, MtError> {
    let profile = &client.profile;
    let texts = &request.texts[range.clone()];
    let key = client.key.as_deref().unwrap_or_default();
    match profile.kind {
        ProviderKind::Deepl => {
            let mut body = json!({
                "text": texts,
                "source_lang": deepl_lang(&request.source_lang, false),
                "target_lang": deepl_lang(&request.target_lang, true),
            });
            if let Some(formality) = profile.formality.as_deref().filter(|f| *f != "default") {
                body["formality"] = json!(formality);
            }
            let endpoint = url(profile, "/v2/translate");
            let answer = client
                .send(
                    |http| http.post(&endpoint).header("Authorization", format!("DeepL-Auth-Key {key}")).json(&body),
                    cancel,
                )
                .await?;
            let value = parse(client, &answer)?;
            strings(client, value.get("translations").and_then(Value::as_array), Some("text"))
        }
        ProviderKind::Google => {
            let body = json!({
                "q": texts,
                "source": primary(&request.source_lang),
                "target": primary(&request.target_lang),
                "format": "text",
            });
            let endpoint = url(profile, "/language/translate/v2");
            let answer =
                client.send(|http| http.post(&endpoint).header("X-Goog-Api-Key", key).json(&body), cancel).await?;
            let value = parse(client, &answer)?;
            let list = value.get("data").and_then(|d| d.get("translations")).and_then(Value::as_array);
            strings(client, list, Some("translatedText"))
        }
        ProviderKind::Libretranslate => {
            let mut body = json!({
                "q": texts,
                "source": primary(&request.source_lang),
                "target": primary(&request.target_lang),
                "format": "text",
            });
            if !key.is_empty() {
                body["api_key"] = json!(key);
            }
            let endpoint = url(profile, "/translate");
            let answer = client.send(|http| http.post(&endpoint).json(&body), cancel).await?;
            let value = parse(client, &answer)?;
            match value.get("translatedText") {
                Some(Value::String(one)) if texts.len() == 1 => Ok(vec![one.clone()]),
                Some(Value::Array(list)) => strings(client, Some(list), None),
                _ => Err(client.malformed("no translatedText in the answer".into())),
            }
        }
        ProviderKind::Openai => {
            let mut out = Vec::new();
            for (offset, text) in texts.iter().enumerate() {
                let system = fill(profile.prompt.as_deref().unwrap_or(DEFAULT_PROMPT), request, range.start + offset);
                out.push(chat(client, &system, text, cancel).await?);
            }
            Ok(out)
        }
    }
}

/// One chat completion: `POST {base}/chat/completions`.
pub(super) async fn chat(client: &Client, system: &str, user: &str, cancel: &AtomicBool) -> Result<String, MtError> {
    let profile = &client.profile;
    if profile.kind != ProviderKind::Openai {
        return Err(MtError::Invalid(format!("{} is not an OpenAI-compatible profile", profile.name)));
    }
    let body = json!({
        "model": profile.model.as_deref().unwrap_or_default(),
        "temperature": 0,
        "stream": false,
        "messages": [
            { "role": "system", "content": system },
            { "role": "user", "content": user },
        ],
    });
    let endpoint = url(profile, "/chat/completions");
    let key = client.key.clone();
    let answer = client
        .send(
            |http| {
                let request = http.post(&endpoint).json(&body);
                match &key {
                    Some(key) => request.bearer_auth(key),
                    None => request,
                }
            },
            cancel,
        )
        .await?;
    let value = parse(client, &answer)?;
    value
        .get("choices")
        .and_then(|c| c.get(0))
        .and_then(|c| c.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .map(|text| text.trim().to_string())
        .ok_or_else(|| client.malformed("no choices[0].message.content in the answer".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_counts_and_characters() {
        let deepl = Profile::new("d", ProviderKind::Deepl);
        let texts: Vec<String> = (0..120).map(|i| format!("Sentence {i}.")).collect();
        assert_eq!(batches(&deepl, &texts), vec![0..50, 50..100, 100..120]);
        let google = Profile::new("g", ProviderKind::Google);
        assert_eq!(batches(&google, &texts), vec![0..120]);
        let long: Vec<String> = (0..3).map(|_| "x".repeat(20_000)).collect();
        assert_eq!(batches(&google, &long), vec![0..1, 1..2, 2..3]);
        assert!(batches(&google, &[]).is_empty());
    }

    #[test]
    fn deepl_codes_follow_its_documentation() {
        assert_eq!(deepl_lang("en", true), "EN-US");
        assert_eq!(deepl_lang("en-GB", true), "EN-GB");
        assert_eq!(deepl_lang("pt-BR", true), "PT-BR");
        assert_eq!(deepl_lang("es", true), "ES");
        assert_eq!(deepl_lang("en-US", false), "EN");
    }
}
