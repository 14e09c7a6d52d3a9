//! Batch machine translation of 1,000 NTREX sentences through a loopback
//! server speaking each provider's API: requests sent and wall time, with
//! an instant server and with 25 ms of latency per request.

#[allow(dead_code)]
#[path = "../tests/support/loopback.rs"]
mod loopback;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use loopback::{Recorded, Reply, serve};
use serde_json::{Value, json};
use verso::mt::{Client, Profile, ProviderKind, Request};

fn answer(kind: ProviderKind, request: &Recorded) -> String {
    let body = request.json();
    let texts = |field: &str| -> Vec<String> {
        body[field]
            .as_array()
            .map(|a| a.iter().map(|t| format!("ES {}", t.as_str().unwrap_or(""))).collect())
            .unwrap_or_default()
    };
    match kind {
        ProviderKind::Deepl => {
            json!({ "translations": texts("text").iter().map(|t| json!({ "detected_source_language": "EN", "text": t })).collect::<Vec<Value>>() })
        }
        ProviderKind::Google => {
            json!({ "data": { "translations": texts("q").iter().map(|t| json!({ "translatedText": t })).collect::<Vec<Value>>() } })
        }
        ProviderKind::Libretranslate => json!({ "translatedText": texts("q") }),
        ProviderKind::Openai => {
            let user = body["messages"][1]["content"].as_str().unwrap_or_default();
            json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": format!("ES {user}") } }] })
        }
    }
    .to_string()
}

#[tokio::main]
async fn main() {
    let data = verso::bench::data_dir().join("ntrex_en_es_news/newstest2019-src.eng.txt");
    let english = std::fs::read_to_string(&data)
        .unwrap_or_else(|e| panic!("{}: {e} (set VERSO_TEST_DATA to the shared data folder)", data.display()));
    let texts: Vec<String> = english.lines().take(1000).map(str::to_string).collect();
    let characters: usize = texts.iter().map(|t| t.chars().count()).sum();
    let request = Request { source_lang: "en".into(), target_lang: "es".into(), texts, ..Request::default() };
    println!(
        "mt batch: 1,000 NTREX sentences ({characters} characters), one request at a time, through a loopback server"
    );
    for latency in [Duration::ZERO, Duration::from_millis(25)] {
        for kind in [ProviderKind::Deepl, ProviderKind::Google, ProviderKind::Libretranslate, ProviderKind::Openai] {
            let server = serve(move |r, _| Reply::json(200, answer(kind, r)).after(latency)).await;
            let mut profile = Profile::new("bench", kind);
            profile.url = if kind == ProviderKind::Openai { format!("{}/v1", server.url) } else { server.url.clone() };
            profile.model = Some("bench-model".into());
            profile.enabled = true;
            let client = Client::new(&profile, Some("bench-key".into())).expect("client");
            let started = Instant::now();
            let out = client.translate(&request, &AtomicBool::new(false), &mut |_, _| {}).await.expect("translate");
            let elapsed = started.elapsed();
            assert_eq!(out.len(), 1000);
            println!(
                "  {:<26} server latency {:>2} ms: {:>4} requests, {:>6.2} s",
                kind.label(),
                latency.as_millis(),
                server.requests().len(),
                elapsed.as_secs_f64()
            );
        }
    }
}
