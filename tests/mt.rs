//! Machine-translation clients against real HTTP servers on loopback that
//! check each request as the provider documents it (`tests/fixtures/mt/`)
//! and answer with documented responses, errors included.

#[path = "support/loopback.rs"]
mod loopback;

#[path = "support/secret_service.rs"]
mod secret_service;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use loopback::{Reply, serve};
use serde_json::Value;
use verso::mt::{Client, MtError, Profile, ProviderKind, Request, RetryPolicy};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mt").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture JSON")
}

fn profile(kind: ProviderKind, url: &str) -> Profile {
    let mut profile = Profile::new("Loop test", kind);
    profile.url = url.to_string();
    profile.enabled = true;
    profile.timeout_secs = 5;
    profile
}

fn two_sentences() -> Request {
    Request {
        source_lang: "en".into(),
        target_lang: "es".into(),
        texts: vec!["The minister spoke on Monday.".into(), "Prices rose.".into()],
        ..Request::default()
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy { attempts: 4, first_wait: Duration::from_millis(20), longest_wait: Duration::from_secs(3) }
}

async fn run(client: &Client, request: &Request) -> Result<Vec<String>, MtError> {
    client.translate(request, &AtomicBool::new(false), &mut |_, _| {}).await
}

#[tokio::test]
async fn deepl_requests_and_answers_as_documented() {
    let server = serve(|_, _| Reply::json(200, fixture("deepl.response.json"))).await;
    let mut p = profile(ProviderKind::Deepl, &server.url);
    p.formality = Some("more".into());
    let client = Client::new(&p, Some("deepl-test:fx".into())).expect("client");
    let texts = run(&client, &two_sentences()).await.expect("translate");
    assert_eq!(texts, vec!["El ministro habló el lunes.", "Los precios subieron."]);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v2/translate"));
    assert_eq!(r.headers["authorization"], "DeepL-Auth-Key deepl-test:fx");
    assert!(r.headers["content-type"].starts_with("application/json"));
    assert_eq!(r.json(), fixture_json("deepl.request.json"));
}

#[tokio::test]
async fn google_v2_takes_the_key_in_a_header_never_the_url() {
    let server = serve(|_, _| Reply::json(200, fixture("google.response.json"))).await;
    let client = Client::new(&profile(ProviderKind::Google, &server.url), Some("AIza-test".into())).expect("client");
    let texts = run(&client, &two_sentences()).await.expect("translate");
    assert_eq!(texts[1], "Los precios subieron.");
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/language/translate/v2"));
    assert_eq!(r.headers["x-goog-api-key"], "AIza-test");
    assert!(!r.path.contains("AIza"));
    assert_eq!(r.json(), fixture_json("google.request.json"));
}

#[tokio::test]
async fn libretranslate_sends_an_array_and_the_optional_key() {
    let server = serve(|_, _| Reply::json(200, fixture("libretranslate.response.json"))).await;
    let client = Client::new(&profile(ProviderKind::Libretranslate, &server.url), Some("libre-test-key".into()))
        .expect("client");
    let texts = run(&client, &two_sentences()).await.expect("translate");
    assert_eq!(texts[0], "El ministro habló el lunes.");
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/translate"));
    assert_eq!(r.json(), fixture_json("libretranslate.request.json"));
    // Without a key, no api_key field (a self-hosted instance needs none).
    let client = Client::new(&profile(ProviderKind::Libretranslate, &server.url), None).expect("client");
    run(&client, &two_sentences()).await.expect("translate");
    assert!(server.requests()[1].json().get("api_key").is_none());
}

#[tokio::test]
async fn openai_compatible_chat_fills_the_prompt_with_languages_glossary_and_neighbours() {
    let server = serve(|_, _| Reply::json(200, fixture("openai.response.json"))).await;
    let mut p = profile(ProviderKind::Openai, &format!("{}/v1", server.url));
    p.model = Some("llama3".into());
    p.prompt = Some(
        "Translate from {source_lang} to {target_lang}. Terms: {glossary}. Before: {before}. After: {after}".into(),
    );
    let client = Client::new(&p, Some("sk-test".into())).expect("client");
    let request = Request {
        source_lang: "en".into(),
        target_lang: "es".into(),
        texts: vec!["The minister spoke on Monday.".into()],
        glossary: vec![("interest rate".into(), "tipo de interés".into())],
        context: vec![(None, Some("Prices rose.".into()))],
    };
    assert_eq!(run(&client, &request).await.expect("translate"), vec!["El ministro habló el lunes."]);
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/chat/completions"));
    assert_eq!(r.headers["authorization"], "Bearer sk-test");
    assert_eq!(r.json(), fixture_json("openai.request.json"));
}

#[tokio::test]
async fn refused_keys_and_quotas_get_clear_messages_without_the_key() {
    let server = serve(|r, _| match r.headers.get("authorization").map(String::as_str) {
        Some("DeepL-Auth-Key quota-gone") => Reply::json(456, r#"{"message":"Quota exceeded"}"#),
        _ => Reply::json(403, r#"{"message":"Wrong endpoint"}"#),
    })
    .await;
    let p = profile(ProviderKind::Deepl, &server.url);
    let error =
        run(&Client::new(&p, Some("wrong-secret-key".into())).expect("c"), &two_sentences()).await.expect_err("403");
    assert!(matches!(error, MtError::Auth { status: 403, .. }), "{error}");
    assert!(error.to_string().contains("Loop test") && !error.to_string().contains("wrong-secret-key"), "{error}");
    let error = run(&Client::new(&p, Some("quota-gone".into())).expect("c"), &two_sentences()).await.expect_err("456");
    assert!(matches!(error, MtError::Quota { status: 456, .. }), "{error}");
    // A key-less DeepL profile and a disabled one send nothing at all.
    assert!(matches!(Client::new(&p, None), Err(MtError::NoKey { .. })));
    let mut off = p.clone();
    off.enabled = false;
    assert!(matches!(Client::new(&off, Some("k".into())), Err(MtError::Disabled(_))));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_honouring_retry_after() {
    let server = serve(|_, n| match n {
        0 => Reply::json(429, r#"{"message":"Too many requests"}"#).header("Retry-After", "1"),
        1 => Reply::json(503, "Service Unavailable"),
        _ => Reply::json(200, fixture("deepl.response.json")),
    })
    .await;
    let client =
        Client::new(&profile(ProviderKind::Deepl, &server.url), Some("k".into())).expect("c").with_retry(quick());
    let started = Instant::now();
    let texts = run(&client, &two_sentences()).await.expect("retried");
    assert_eq!(texts.len(), 2);
    assert_eq!(server.requests().len(), 3);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was honoured");

    let failing = serve(|_, _| Reply::json(500, "boom")).await;
    let client =
        Client::new(&profile(ProviderKind::Google, &failing.url), Some("k".into())).expect("c").with_retry(quick());
    let error = run(&client, &two_sentences()).await.expect_err("gives up");
    assert!(matches!(error, MtError::Http { status: 500, .. }), "{error}");
    assert_eq!(failing.requests().len(), 4, "four attempts, then a clear error");
}

#[tokio::test]
async fn malformed_answers_and_slow_servers_fail_cleanly() {
    let broken = serve(|_, _| Reply::json(200, r#"{"translations": [{"text": 42}"#)).await;
    let client = Client::new(&profile(ProviderKind::Deepl, &broken.url), Some("k".into())).expect("c");
    let error = run(&client, &two_sentences()).await.expect_err("malformed");
    assert!(matches!(error, MtError::Malformed { .. }), "{error}");
    let short = serve(|_, _| Reply::json(200, r#"{"translations": [{"text": "uno"}]}"#)).await;
    let client = Client::new(&profile(ProviderKind::Deepl, &short.url), Some("k".into())).expect("c");
    let error = run(&client, &two_sentences()).await.expect_err("count");
    assert!(error.to_string().contains("2 texts sent, 1 translations received"), "{error}");

    let slow = serve(|_, _| Reply::json(200, fixture("google.response.json")).after(Duration::from_secs(3))).await;
    let mut p = profile(ProviderKind::Google, &slow.url);
    p.timeout_secs = 1;
    let client = Client::new(&p, Some("k".into())).expect("c").with_retry(RetryPolicy { attempts: 1, ..quick() });
    let started = Instant::now();
    let error = run(&client, &two_sentences()).await.expect_err("timeout");
    assert!(error.to_string().contains("no answer within 1 s"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn batches_follow_the_provider_limits_and_cancel_between_them() {
    let server = serve(|r, _| {
        let texts = r.json()["text"].as_array().map(Vec::len).unwrap_or(0);
        let items: Vec<Value> = (0..texts).map(|i| serde_json::json!({ "text": format!("t{i}") })).collect();
        Reply::json(200, serde_json::json!({ "translations": items }).to_string())
    })
    .await;
    let client = Client::new(&profile(ProviderKind::Deepl, &server.url), Some("k".into())).expect("c");
    let request = Request {
        source_lang: "en".into(),
        target_lang: "es".into(),
        texts: (0..120).map(|i| format!("Sentence {i}.")).collect(),
        ..Request::default()
    };
    let mut seen = Vec::new();
    let texts = client.translate(&request, &AtomicBool::new(false), &mut |done, total| seen.push((done, total))).await;
    assert_eq!(texts.expect("translate").len(), 120);
    let sizes: Vec<usize> = server.requests().iter().map(|r| r.json()["text"].as_array().map_or(0, Vec::len)).collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    assert_eq!(seen, vec![(50, 120), (100, 120), (120, 120)]);

    let cancel = AtomicBool::new(false);
    let error = client
        .translate(&request, &cancel, &mut |_, _| cancel.store(true, Ordering::SeqCst))
        .await
        .expect_err("cancelled");
    assert!(matches!(error, MtError::Cancelled));
    assert_eq!(server.requests().len(), 4, "one more request, then the cancel");
}

fn verso(config: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_verso"));
    command.env("VERSO_CONFIG_DIR", config).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run verso")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_translates_a_document_and_the_key_is_never_stored() {
    const KEY: &str = "planted-key-7f3a9c";
    let server = serve(|r, _| {
        let texts = r.json()["q"].as_array().map(Vec::len).unwrap_or(0);
        let out: Vec<String> = (0..texts).map(|i| format!("Traducción {i}.")).collect();
        Reply::json(200, serde_json::json!({ "translatedText": out }).to_string())
    })
    .await;
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config");
    let project = dir.path().join("p.verso");
    let source = dir.path().join("a.txt");
    std::fs::write(&source, "The minister spoke. Prices rose. Talks went on.").expect("write");
    let p = project.to_str().expect("utf8");
    let env = [("VERSO_LOOP_KEY", KEY)];
    let mut outputs = Vec::new();
    for args in [
        vec!["init", p],
        vec!["import", p, source.to_str().expect("utf8"), "--from", "en", "--to", "es"],
        vec!["mt", "profile", "add", "loop", "--provider", "libretranslate", "--url", &server.url],
    ] {
        let output = verso(&config, &env, &args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        outputs.push(output);
    }
    // Switched off: refused, nothing sent.
    let output = verso(&config, &env, &["mt", "translate", p, "1", "--profile", "loop"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("switched off"));
    assert!(server.requests().is_empty());
    outputs.push(output);
    let output = verso(
        &config,
        &env,
        &["mt", "profile", "add", "loop", "--provider", "libretranslate", "--url", &server.url, "--enable"],
    );
    assert!(output.status.success());
    let output = verso(&config, &env, &["mt", "translate", p, "1", "--profile", "loop", "--segments", "1,3"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("2 segments translated"));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&server.url), "the user is told where text goes");
    outputs.push(output);
    let output = verso(&config, &env, &["mt", "profile", "list"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("Environment"));
    outputs.push(output);
    // The key went to the service...
    assert_eq!(server.requests()[0].json()["api_key"], KEY);
    // ...and the segments are drafts from MT, never approved.
    let stored = verso::Project::open(&project).expect("open");
    let doc = stored.documents().expect("docs")[0].id;
    let rows = stored.segments(doc).expect("rows");
    assert_eq!(rows[0].translation.as_deref(), Some("Traducción 0."));
    assert_eq!((rows[0].status, rows[0].origin.as_deref()), (verso::Status::Draft, Some("mt:loop")));
    assert!(rows[1].translation.is_none());
    drop(stored);
    // ...but is in no file Verso wrote and no output it printed.
    let mut files = vec![config.join("mt-profiles.json"), project.clone()];
    files.extend(["p.verso-wal", "p.verso-shm"].iter().map(|n| dir.path().join(n)).filter(|f| f.exists()));
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "{} holds the key", file.display());
    }
    for output in outputs {
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains(KEY)
                && !String::from_utf8_lossy(&output.stderr).contains(KEY)
        );
    }
}

/// Runs against a real Ollama (or any OpenAI-compatible) server when
/// `VERSO_TEST_OLLAMA_URL` is set (model: `VERSO_TEST_OLLAMA_MODEL`, default llama3).
#[tokio::test]
async fn a_real_openai_compatible_endpoint_when_configured() {
    let Ok(url) = std::env::var("VERSO_TEST_OLLAMA_URL") else {
        println!("skipped: set VERSO_TEST_OLLAMA_URL (e.g. http://localhost:11434/v1) to run against a real endpoint");
        return;
    };
    let mut p = profile(ProviderKind::Openai, &url);
    p.model = Some(std::env::var("VERSO_TEST_OLLAMA_MODEL").unwrap_or_else(|_| "llama3".into()));
    p.timeout_secs = 120;
    let client = Client::new(&p, std::env::var("VERSO_TEST_OLLAMA_KEY").ok()).expect("client");
    let texts = run(&client, &two_sentences()).await.expect("a real answer");
    println!("{url}: {texts:?}");
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().all(|t| !t.trim().is_empty()));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_llm_summary_draft_is_stored_as_a_draft_and_its_unsupported_claims_are_flagged() {
    // The model answers with one supported sentence and one with a wrong figure.
    let server = serve(|r, _| {
        let body = r.json();
        assert_eq!(body["model"], "llama3");
        assert!(body["messages"][0]["content"].as_str().is_some_and(|s| s.contains("## News Summary")));
        assert!(body["messages"][1]["content"].as_str().is_some_and(|s| s.contains("46 billion")));
        let draft = "## News Summary\n\nThe budget is 46 billion dollars. Unemployment fell to 3 percent.\n";
        Reply::json(
            200,
            serde_json::json!({ "choices": [{ "message": { "role": "assistant", "content": draft } }] }).to_string(),
        )
    })
    .await;
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config");
    let mut profile = profile(ProviderKind::Openai, &format!("{}/v1", server.url));
    profile.model = Some("llama3".into());
    verso::mt::Settings { profiles: vec![profile] }.save(&config).expect("settings");
    let source = dir.path().join("a.txt");
    std::fs::write(&source, "The budget is 46 billion dollars. Unemployment fell to 4 percent in March.")
        .expect("write");
    let mut session = verso::session::Session::new(config, "ana".into());
    session.create_project(&dir.path().join("p.verso")).expect("project");
    let doc = session.import(&source, "en", "es", None).expect("import").id;

    let job = session.summary_draft_job(doc, "Loop test", false).expect("job");
    let markdown = job.client.chat(&job.system, &job.user, &AtomicBool::new(false)).await.expect("draft");
    let summary = session.create_summary_draft(&job, &markdown).expect("stored");
    assert_eq!(summary.kind, verso::DocumentKind::Summary);
    let view = session.summary(summary.id).expect("view");
    let sentences: Vec<_> = view.sections.iter().flat_map(|s| s.sentences.iter()).collect();
    assert_eq!(sentences.len(), 2);
    assert!(sentences.iter().all(|s| s.status == verso::Status::Draft));
    assert!(sentences[0].flags.is_empty(), "{:?}", sentences[0].flags);
    assert!(!sentences[1].flags.is_empty(), "the wrong figure is flagged");
    assert_eq!(view.blocking, 1);
}

/// An API key stored from the command line lands in a real desktop
/// keyring (GNOME Keyring's Secret Service on a private D-Bus), is found
/// again by a new process, and is forgotten with its profile; without a
/// Secret Service the message names the environment variable instead.
#[test]
fn an_api_key_is_kept_in_the_desktop_keyring_across_processes() {
    let dir = tempfile::tempdir().expect("dir");
    let keyring = secret_service::SecretService::start(dir.path());
    let config = dir.path().join("config");
    let run = |args: &[&str], stdin: &str, desktop: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_verso"));
        command.args(args).env("VERSO_CONFIG_DIR", &config).env_remove("VERSO_DEEPL_WORK_KEY");
        if desktop {
            command.envs(keyring.env());
        } else {
            command.env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", dir.path().join("no-bus").display()));
        }
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("verso");
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin");
        let out = child.wait_with_output().expect("verso");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let add = ["mt", "profile", "add", "deepl-work", "--provider", "deepl", "--url", "http://127.0.0.1:9"];
    assert!(run(&add, "", true).0);
    let (ok, said) = run(&["mt", "key", "deepl-work"], "k3y-in-the-desktop\n", true);
    assert!(ok && said.contains("the desktop keyring (Secret Service)"), "{said}");
    let (ok, said) = run(&["mt", "profile", "list"], "", true);
    assert!(ok && said.contains("key: Keyring"), "a new process finds it: {said}");
    assert!(!said.contains("k3y-in-the-desktop"), "never printed");
    assert!(run(&["mt", "profile", "remove", "deepl-work"], "", true).0);
    assert!(run(&add, "", true).0);
    let (_, said) = run(&["mt", "profile", "list"], "", true);
    assert!(said.contains("key: None"), "forgotten with its profile: {said}");

    // No Secret Service: the kernel's keyring, or none; either way the
    // variable that keeps a key is named.
    let (_, said) = run(&["mt", "key", "deepl-work"], "k3y\n", false);
    assert!(said.contains("VERSO_DEEPL_WORK_KEY") && !said.contains("Secret Service)"), "{said}");
    run(&["mt", "profile", "remove", "deepl-work"], "", false);
}
