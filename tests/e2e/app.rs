//! End-to-end tests: the real Verso window, driven through tauri-driver and
//! WebKitWebDriver (run under Xvfb by `./verso.sh test`). Projects are
//! prepared and checked with the core on real files; the UI is used only
//! the way a translator would use it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// Shared with tests/mt.rs, which uses every helper; this file needs fewer.
#[allow(dead_code)]
#[path = "../support/loopback.rs"]
mod loopback;

use anyhow::{Context, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use verso::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
use verso::formats::import::{self, ImportRequest};
use verso::{Project, Status, TranslationEdit};

/// One test at a time: every test starts its own tauri-driver on one port
/// (a second app in the same test uses the next pair of ports).
static ONE_APP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const PORT: u16 = 4444;

fn app_binary() -> PathBuf {
    std::env::var_os("VERSO_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/verso-desktop"))
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let candidate = home.join("bin/tauri-driver");
    if candidate.is_file() { candidate } else { PathBuf::from("tauri-driver") }
}

/// tauri-driver and everything it started, killed as one process group.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

struct App {
    client: Client,
    _driver: Driver,
}

impl App {
    /// Starts the app with `args`, keeping its settings in `config`.
    async fn launch(args: &[&Path], config: &Path) -> anyhow::Result<App> {
        App::launch_on(args, config, PORT, None).await
    }

    /// Starts an app whose driver listens on `port` (and WebKitWebDriver on
    /// the next one), run by the OS user `user` when given.
    async fn launch_on(args: &[&Path], config: &Path, port: u16, user: Option<&str>) -> anyhow::Result<App> {
        let binary = app_binary();
        if !binary.is_file() {
            bail!("{} is missing: build the desktop app first (./verso.sh test does)", binary.display());
        }
        if std::env::var_os("DISPLAY").is_none() {
            bail!("no DISPLAY: run the end-to-end tests under xvfb-run (./verso.sh test does)");
        }
        use std::os::unix::process::CommandExt;
        let mut driver = Command::new(tauri_driver());
        if let Some(user) = user {
            driver.env("USER", user);
        }
        let child = driver
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("VERSO_CONFIG_DIR", config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("starting tauri-driver (cargo install tauri-driver --version 2.1.0 --locked)")?;
        let driver = Driver(child);
        let args: Vec<String> = args.iter().map(|a| a.display().to_string()).collect();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": binary, "args": args }));
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => bail!("could not start a WebDriver session: {error}"),
            }
        };
        Ok(App { client, _driver: driver })
    }

    async fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                bail!("timed out waiting for {css}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls a JavaScript expression until it is truthy.
    async fn wait_until(&self, what: &str, script: &str) -> anyhow::Result<serde_json::Value> {
        self.wait_until_within(what, script, Duration::from_secs(20)).await
    }

    async fn wait_until_within(&self, what: &str, script: &str, limit: Duration) -> anyhow::Result<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.client.execute(&format!("return ({script});"), vec![]).await?;
            if !(value.is_null() || value == json!(false) || value == json!(0) || value == json!("")) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                bail!("timed out waiting until {what} (last value {value})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for a toast saying `text`.
    async fn wait_for_toast(&self, text: &str, limit: Duration) -> anyhow::Result<()> {
        let script = format!(
            "[...document.querySelectorAll('[data-testid=toast]')].some(t => t.textContent.includes({text:?}))"
        );
        self.wait_until_within(&format!("a toast saying {text:?}"), &script, limit).await.map(drop)
    }

    /// From the open document: a new summary in English named `name`, with
    /// `text` added, once its `sentences` sentences are shown.
    async fn new_english_summary(&self, name: &str, text: &str, sentences: usize) -> anyhow::Result<()> {
        self.wait_for("[data-testid=new-summary]").await?.click().await?;
        self.wait_for("[data-testid=summary-name]").await?.send_keys(name).await?;
        let lang = self.wait_for("[data-testid=summary-lang]").await?;
        lang.clear().await?;
        lang.send_keys("en").await?;
        self.wait_for("[data-testid=summary-create]").await?.click().await?;
        self.wait_for("[data-testid=composer-text]").await?.send_keys(text).await?;
        self.wait_for("[data-testid=composer-add]").await?.click().await?;
        let shown = format!("document.querySelectorAll('[data-testid=summary-sentence]').length === {sentences}");
        self.wait_until("the summary's sentences", &shown).await.map(drop)
    }

    /// Runs an editor command from the palette (Ctrl+Shift+P), as a user
    /// who types its name and picks it would.
    async fn command(&self, id: &str) -> anyhow::Result<()> {
        self.wait_for("[data-testid=segment-list]").await?;
        press_ctrl_shift(self, 'p').await?;
        self.wait_for("[data-testid=command-query]").await?;
        let item = self.wait_for(&format!("[data-testid=command-{id}]")).await?;
        // The list scrolls; a user scrolls down to a command below the fold.
        self.eval(&format!("(() => {{ document.querySelector('[data-testid=command-{id}]').scrollIntoView({{ block: 'nearest' }}); return true; }})()"))
            .await?;
        item.click().await?;
        Ok(())
    }

    /// Picks `value` in the `<select>` with this test id, as a click would.
    async fn choose(&self, testid: &str, value: &str) -> anyhow::Result<()> {
        self.wait_for(&format!("[data-testid={testid}]")).await?;
        let script = format!(
            "(() => {{ const s = document.querySelector('[data-testid={testid}]'); s.value = {value:?}; \
               s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()"
        );
        self.eval(&script).await.map(drop)
    }

    /// Cancels the running long work once its progress bar has moved.
    async fn cancel_running_work(&self) -> anyhow::Result<()> {
        self.wait_until(
            "the progress bar moves",
            "Number(document.querySelector('[data-testid=work-progress]')?.dataset.done ?? 0) > 0",
        )
        .await?;
        self.wait_for("[data-testid=cancel-work]").await?.click().await?;
        self.wait_for_toast("cancelled", Duration::from_secs(20)).await
    }

    async fn eval(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(&format!("return ({script});"), vec![]).await?)
    }

    async fn quit(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// Opens a project the app had open: the app owns it until its process has
/// ended, which can take a moment after the WebDriver session is closed.
fn reopen(path: &Path) -> Result<Project, verso::StoreError> {
    Project::open_waiting(path, verso::store::Wait::Up(Duration::from_secs(15)))
}

async fn lock() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_APP.lock().await
}

fn project_with_text(dir: &Path, name: &str, text: &str) -> anyhow::Result<PathBuf> {
    let source = dir.join(name);
    std::fs::write(&source, text)?;
    let path = dir.join("project.verso");
    let mut project = Project::create(&path)?;
    let request = ImportRequest { path: source, source_lang: "en".parse()?, target_lang: "es".parse()?, title: None };
    project.add_document(&import::read_document(&request)?)?;
    Ok(path)
}

const ROW: &str = "[data-testid=segment-row]";

#[tokio::test]
async fn translation_typed_and_confirmed_survives_a_restart() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(
        dir.path(),
        "statement.txt",
        "The ministry spoke on Monday. Officials met in Washington, D.C. on Sept. 3, 2025. \
         The budget is $46 billion. Talks continue.",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=segment-target]")).await?;
    let source = app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=segment-source]")).await?;
    assert_eq!(source.text().await?, "The budget is $46 billion.");
    target.click().await?;
    target.send_keys("El presupuesto es de 46.000 millones de dólares.").await?;
    target.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "segment 3 is translated",
        &format!("document.querySelector(\"{ROW}[data-position='2']\").dataset.status === 'translated'"),
    )
    .await?;
    // Ctrl+Enter moved the cursor to the next segment.
    let focused = app.eval("document.activeElement.closest('[data-testid=segment-row]').dataset.position").await?;
    assert_eq!(focused, json!("3"));
    app.wait_until(
        "progress shows it",
        "document.querySelector('[data-testid=document-progress]').textContent.startsWith('1 / 4')",
    )
    .await?;
    app.quit().await?;

    // Stored for real, with the status, as one revision.
    let stored = reopen(&project)?;
    let doc = stored.documents()?[0].id;
    let row = &stored.segments(doc)?[2];
    assert_eq!(row.translation.as_deref(), Some("El presupuesto es de 46.000 millones de dólares."));
    assert_eq!(row.status, Status::Translated);
    drop(stored);

    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=segment-target]")).await?;
    assert_eq!(target.prop("value").await?.as_deref(), Some("El presupuesto es de 46.000 millones de dólares."));
    let status = app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=segment-status]")).await?;
    assert!(status.text().await?.contains("Translated"));
    app.quit().await
}

/// The `verso` command line built beside the app (by `cargo test` of the
/// core, which `./verso.sh test` runs first).
fn verso_cli() -> PathBuf {
    std::env::var_os("VERSO_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/verso"))
}

#[tokio::test]
async fn a_project_open_in_the_app_is_refused_elsewhere_and_nothing_the_app_saves_is_lost() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "statement.txt", "The ministry spoke on Monday. Talks continue.")?;
    let second = dir.path().join("prices.txt");
    std::fs::write(&second, "Prices rose in May. Markets fell.")?;
    let cli = verso_cli();
    if !cli.is_file() {
        bail!("{} is missing: build the command line first (cargo build; ./verso.sh test does)", cli.display());
    }
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    // A native file chooser in the project's folder, left open: GTK lists
    // the project's files from inside the app's process, as Import… and
    // Open… do.
    let folder = serde_json::to_string(&dir.path().display().to_string())?;
    app.eval(&format!(
        "(window.__TAURI_INTERNALS__.invoke('plugin:dialog|open', {{ options: {{ defaultPath: {folder}, title: 'Choose' }} }}), true)"
    ))
    .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    // A terminal command on the same project is refused and names the app.
    let refused = Command::new(&cli).arg("docs").arg(&project).output()?;
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "the command line used a project open in the app");
    assert!(message.contains("is open in verso-desktop (process"), "{message}");

    // The app keeps working: a new document and a confirmed segment.
    app.wait_for("[data-testid=import-button]").await?.click().await?;
    app.wait_for("[data-testid=import-path]").await?.send_keys(&second.display().to_string()).await?;
    app.wait_for("[data-testid=import-submit]").await?.click().await?;
    app.wait_until("two documents", "document.querySelectorAll('[data-testid=document-item]').length === 2").await?;
    app.wait_until(
        "the new document is shown",
        // The rows are redrawn when the new document opens: the row may be missing for a moment.
        &format!("document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-source]\")?.textContent === 'Prices rose in May.'"),
    )
    .await?;
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys("Los precios subieron en mayo.").await?;
    target.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "the segment is translated",
        &format!("document.querySelector(\"{ROW}[data-position='0']\")?.dataset.status === 'translated'"),
    )
    .await?;
    let refused_again = Command::new(&cli).arg("docs").arg(&project).output()?;
    assert!(!refused_again.status.success());
    // The app is killed, not closed: the command, waiting, takes over.
    drop(app);
    let listed = Command::new(&cli).args(["docs", "--wait=15", "--json"]).arg(&project).output()?;
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let documents: serde_json::Value = serde_json::from_slice(&listed.stdout)?;
    assert_eq!(documents.as_array().map(Vec::len), Some(2), "{documents}");
    assert_eq!(documents[1]["translated"], json!(1), "{documents}");
    let stored = reopen(&project)?;
    stored.integrity_check()?;
    let rows = stored.segments(stored.documents()?[1].id)?;
    assert_eq!(rows[0].translation.as_deref(), Some("Los precios subieron en mayo."));
    Ok(())
}

#[tokio::test]
async fn markup_in_a_source_is_shown_as_text_and_never_runs() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let payload_img = "Look <img src=x onerror=\"window.__pwned=1\"> here.";
    let payload_script = "Then <script>window.__pwned=2; document.title='owned'</script> there.";
    let project =
        project_with_text(dir.path(), "markup.txt", &format!("{payload_img}\n\n{payload_script}\n\n<b>Bold?</b> No."))?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let first = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-source]")).await?;
    assert_eq!(first.text().await?, payload_img);
    let second = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-source]")).await?;
    assert_eq!(second.text().await?, payload_script);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let injected = app.eval("document.querySelectorAll('[data-testid=segment-source] *').length").await?;
    assert_eq!(injected, json!(0), "source cells must hold text nodes only");
    assert_eq!(app.eval("window.__pwned === undefined").await?, json!(true));
    assert_eq!(app.client.title().await?, "Verso");
    assert!(app.client.get_alert_text().await.is_err(), "no alert may be open");
    app.quit().await
}

#[tokio::test]
async fn importing_a_binary_file_shows_a_readable_error_and_adds_nothing() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("empty.verso");
    Project::create(&project)?;
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=import-button]").await?.click().await?;
    let path = app.wait_for("[data-testid=import-path]").await?;
    path.send_keys(&binary.display().to_string()).await?;
    app.wait_for("[data-testid=import-submit]").await?.click().await?;
    let error = app.wait_for("[data-testid=import-error]").await?;
    let message = error.text().await?;
    assert!(message.contains("photo.txt") && message.contains("binary"), "{message}");
    assert_eq!(app.eval("document.querySelectorAll('[data-testid=document-item]').length").await?, json!(0));
    app.quit().await?;
    assert!(reopen(&project)?.documents()?.is_empty());
    Ok(())
}

#[tokio::test]
async fn the_import_dialog_reads_the_language_and_warns_when_another_is_declared() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("empty.verso");
    Project::create(&project)?;
    let file = dir.path().join("nota.md");
    std::fs::write(
        &file,
        "# Plan de vivienda\n\nEl Gobierno aprobó el martes un plan de vivienda de 3.000 millones de euros. \
         El plan prevé construir 40.000 viviendas sociales hasta 2030, según informó el ministerio.\n",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=import-button]").await?.click().await?;
    app.wait_for("[data-testid=import-path]").await?.send_keys(&file.display().to_string()).await?;
    // The dialog reads the file: Spanish, into English, titled by its heading.
    app.wait_until(
        "the languages are filled in from the file",
        "document.querySelector('[data-testid=import-from]').value === 'es' && \
           document.querySelector('[data-testid=import-to]').value === 'en'",
    )
    .await?;
    let placeholder = app.eval("document.getElementById('import-title-field').placeholder").await?;
    assert_eq!(placeholder, json!("Plan de vivienda"));
    // Declared as English, it warns.
    let from = app.wait_for("[data-testid=import-from]").await?;
    from.clear().await?;
    from.send_keys("en").await?;
    let warning = app.wait_for("[data-testid=lang-warning]").await?.text().await?;
    assert!(warning.contains("reads as Spanish (es)") && warning.contains("“en”"), "{warning}");
    app.client.find(Locator::Css("[data-testid=lang-warning] button")).await?.click().await?;
    app.wait_until("the warning is gone", "!document.querySelector('[data-testid=lang-warning]')").await?;
    app.wait_for("[data-testid=import-submit]").await?.click().await?;
    app.wait_until("the document is listed", "document.querySelectorAll('[data-testid=document-item]').length === 1")
        .await?;
    app.quit().await?;
    let stored = reopen(&project)?.documents()?;
    assert_eq!((stored[0].source_lang.as_str(), stored[0].target_lang.as_str()), ("es", "en"));
    assert_eq!(stored[0].title, "Plan de vivienda");
    Ok(())
}

#[tokio::test]
async fn start_screen_opens_the_sample_project() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let app = App::launch(&[], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=start-screen]").await?;
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        std::fs::create_dir_all(&shots)?;
        std::fs::write(Path::new(&shots).join("start-screen.png"), app.client.screenshot().await?)?;
    }
    app.wait_for("[data-testid=open-sample]").await?.click().await?;
    app.wait_for(&format!("{ROW}[data-position='0']")).await?;
    let progress = app.wait_for("[data-testid=document-progress]").await?.text().await?;
    assert_eq!(progress, "3 / 10 translated");
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        std::fs::write(Path::new(&shots).join("editor.png"), app.client.screenshot().await?)?;
    }
    app.quit().await?;
    assert!(dir.path().join("config/Sample project.verso").is_file());
    Ok(())
}

/// The first three articles of NTREX's English news (43 sentences), one
/// paragraph per line, the headline first: a typical news document.
fn ntrex_news() -> anyhow::Result<String> {
    let data = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let path = data.join("ntrex_en_es_news/newstest2019-src.eng.txt");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("NTREX test data not found at {}: set VERSO_TEST_DATA", path.display()))?;
    Ok(text.lines().take(43).collect::<Vec<_>>().join("\n\n"))
}

/// How many segment rows lie wholly inside the scrolling grid.
const ROWS_IN_VIEW: &str = "(() => { const box = document.querySelector('.rows-scroll').getBoundingClientRect(); \
    return [...document.querySelectorAll('[data-testid=segment-row]')].filter(r => { const b = r.getBoundingClientRect(); \
    return b.top >= box.top - 1 && b.bottom <= box.bottom + 1; }).length; })()";

#[tokio::test]
async fn the_compact_grid_shows_fifteen_rows_of_a_news_document_at_1200_by_800() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "news.txt", &ntrex_news()?)?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.client.set_window_size(1200, 800).await?;
    app.wait_for(&format!("{ROW}[data-position='2']")).await?;
    // The density is the user's choice and outlives the app: start comfortable.
    app.eval("(() => { const c = document.querySelector('[data-testid=compact]'); if (c.checked) c.click(); return true; })()").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let comfortable = app.eval(ROWS_IN_VIEW).await?.as_u64().unwrap_or(0);

    // Nothing in the editor's chrome wraps or is cut off: every item of
    // the header, the toolbar and the footer sits on one line inside it.
    let chrome = app
        .eval(
            "['.editor-header', '.editor .toolbar', '.editor .keys'].map(s => { const bar = document.querySelector(s); \
              const b = bar.getBoundingClientRect(); const items = [...bar.children].map(c => c.getBoundingClientRect()) \
              .filter(r => r.width > 0 && r.height > 0); \
              return { bar: s, apart: Math.max(...items.map(r => r.top)) - Math.min(...items.map(r => r.bottom)), \
              cut: items.some(r => r.right > b.right + 1) }; })",
        )
        .await?;
    for bar in chrome.as_array().context("the editor's bars")? {
        // Items on one line overlap vertically: the lowest top is above the highest bottom.
        assert!(
            bar["apart"].as_f64().unwrap_or(f64::MAX) < 0.0 && bar["cut"] == json!(false),
            "{bar} wraps or is cut off"
        );
    }
    let offsets = app
        .eval(
            "(() => { const heads = [...document.querySelectorAll('.column-heads span')].map(s => s.getBoundingClientRect().left); \
              const row = document.querySelector('[data-testid=segment-row]'); \
              const cells = ['.seg-source', '.seg-target', '.seg-status'].map(c => row.querySelector(c).getBoundingClientRect().left); \
              return cells.map((left, i) => Math.abs(left - heads[i + 1])); })()",
        )
        .await?;
    for offset in offsets.as_array().context("column offsets")? {
        assert!(offset.as_f64().unwrap_or(f64::MAX) <= 2.0, "a column header is not over its column: {offsets}");
    }

    app.wait_for("[data-testid=compact]").await?.click().await?;
    let shown =
        app.wait_until("fifteen whole rows in view", &format!("{ROWS_IN_VIEW} >= 15 && {ROWS_IN_VIEW}")).await?;
    eprintln!("rows in view at 1200×800: {comfortable} comfortable, {shown} compact");
    // The active row shows its whole text; the others at most two lines.
    let first = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-target]")).await?;
    first.click().await?;
    first.send_keys("Hay consternación entre algunos AM.").await?;
    app.wait_until(
        "the typed row is active",
        &format!("document.querySelector(\"{ROW}[data-position='1']\").classList.contains('active')"),
    )
    .await?;
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(800)).await;
        std::fs::create_dir_all(&shots)?;
        std::fs::write(Path::new(&shots).join("editor-compact.png"), app.client.screenshot().await?)?;
        app.client.set_window_size(1920, 1080).await?;
        tokio::time::sleep(Duration::from_millis(1200)).await;
        std::fs::write(Path::new(&shots).join("editor-compact-1920.png"), app.client.screenshot().await?)?;
        app.wait_for("[data-testid=compact]").await?.click().await?;
        tokio::time::sleep(Duration::from_millis(1200)).await;
        std::fs::write(Path::new(&shots).join("editor-1920.png"), app.client.screenshot().await?)?;
        app.wait_for("[data-testid=compact]").await?.click().await?;
    }
    // Back to the comfortable grid, which later launches start in.
    app.wait_for("[data-testid=compact]").await?.click().await?;
    app.wait_until("the comfortable grid", "!document.querySelector('.editor').classList.contains('compact')").await?;
    app.quit().await?;
    Ok(())
}

/// The value of the `name` part of the first bar of a chart.
fn bar_value(chart: &str, name: &str) -> String {
    format!(
        "Number(document.querySelector('[data-testid=chart-{chart}] [data-testid=bar-part][data-name=\"{name}\"]')?.dataset.value ?? 0)"
    )
}

#[tokio::test]
async fn the_overview_charts_progress_and_the_analysis_and_follows_an_approval() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("sample.verso");
    verso::sample::create_sample_project(&project)?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for(ROW).await?;
    app.wait_for("[data-testid=open-overview]").await?.click().await?;
    app.wait_for("[data-testid=chart-progress] svg").await?;
    let approved = app.eval(&bar_value("progress", "approved")).await?;
    assert_eq!(approved, json!(1), "the sample has one approved segment");
    assert_eq!(app.eval(&bar_value("progress", "translated")).await?, json!(2));
    // The numbers behind a chart, one click away.
    app.wait_for("[data-testid=chart-progress-table]").await?.click().await?;
    let table = app.wait_for("[data-testid=chart-progress] table").await?.text().await?;
    assert!(table.contains("Coastal desalination plan (sample)"), "{table}");
    app.wait_for("[data-testid=chart-progress-table]").await?.click().await?;

    app.wait_for("[data-testid=analyse]").await?.click().await?;
    app.wait_for("[data-testid=chart-analysis] svg").await?;
    let bands = app
        .eval("[...document.querySelectorAll('[data-testid=chart-analysis] [data-testid=bar-part]')].map(p => p.dataset.name)")
        .await?;
    assert!(bands.as_array().is_some_and(|b| !b.is_empty()), "the analysis is drawn: {bands}");
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(800)).await;
        std::fs::write(Path::new(&shots).join("overview.png"), app.client.screenshot().await?)?;
    }

    // Approve the translated segments of a passage; the chart follows.
    app.wait_for("[data-testid=document-item]").await?.click().await?;
    app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=segment-target]")).await?.click().await?;
    app.command("approve-passage").await?;
    app.wait_for_toast("Approved", Duration::from_secs(10)).await?;
    app.wait_for("[data-testid=open-overview]").await?.click().await?;
    app.wait_until("the progress chart counts the approval", &format!("{} > 1", bar_value("progress", "approved")))
        .await?;
    app.quit().await?;

    // The exported report opens in a browser engine with its charts.
    let report = dir.path().join("report.html");
    run_verso(&[
        "overview".as_ref(),
        project.as_os_str(),
        "--analyse".as_ref(),
        "--html".as_ref(),
        report.as_os_str(),
    ])?;
    let viewer = App::launch(&[], &dir.path().join("config-viewer")).await?;
    viewer.client.goto(&format!("file://{}", report.display())).await?;
    let charts = viewer
        .wait_until(
            "the report's charts are laid out",
            "[...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 300).length",
        )
        .await?;
    assert!(charts.as_u64().unwrap_or(0) >= 5, "{charts} charts drawn");
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(500)).await;
        std::fs::write(Path::new(&shots).join("report.png"), viewer.client.screenshot().await?)?;
    }
    viewer.quit().await?;
    Ok(())
}

#[tokio::test]
async fn a_ten_thousand_segment_document_opens_and_scrolls_virtualized() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("large.verso");
    let mut project = Project::create(&path)?;
    let passages = (0..2000)
        .map(|p| NewPassage {
            kind: if p % 50 == 0 { PassageKind::Heading } else { PassageKind::Paragraph },
            level: 2,
            sentences: (0..5)
                .map(|s| format!("Sentence {s} of passage {p} reports that the figure rose by {p}.{s} percent."))
                .collect(),
        })
        .collect();
    let document = NewDocument {
        title: "Large report".into(),
        source_lang: "en".parse()?,
        target_lang: "es".parse()?,
        origin: "generated".into(),
        format: SourceFormat::Text,
        passages,
    };
    let doc = project.add_document(&document)?;
    // Translate everything, name a version, then revise every tenth segment.
    for row in project.segments(doc)? {
        let text = format!("Frase {} del párrafo {}: la cifra subió.", row.position % 5, row.passage);
        project.save_translation(
            &TranslationEdit { segment: row.id, text, status: Status::Translated, base: None, origin: None },
            "e2e",
        )?;
    }
    project.create_version(doc, "v1", "e2e")?;
    for row in project.segments(doc)?.into_iter().filter(|r| r.position % 10 == 0) {
        let text = format!("Frase {} del párrafo {}: la cifra bajó un poco.", row.position % 5, row.passage);
        project.save_translation(
            &TranslationEdit { segment: row.id, text, status: Status::Reviewed, base: row.revision, origin: None },
            "e2e",
        )?;
    }
    drop(project);

    let started = Instant::now();
    let app = App::launch(&[&path], &dir.path().join("config")).await?;
    app.wait_for(&format!("{ROW}[data-position='0']")).await?;
    let to_first_row = started.elapsed();
    let open_ms = app.wait_until("the editor reports its open time", "document.body.dataset.lastOpenMs").await?;
    // The first screen comes first; the rest follows.
    app.wait_until(
        "every row is in the list",
        "document.querySelector('[data-testid=segment-list]').dataset.count === '10000'",
    )
    .await?;
    let mounted = app.eval("document.querySelectorAll('[data-testid=segment-row]').length").await?;
    let mounted = mounted.as_u64().unwrap_or(u64::MAX);
    assert!(mounted < 200, "rows must be virtualized, {mounted} mounted");
    // Jump to the end with the keyboard path's own scrolling, then check the last row.
    app.eval("(() => { const s = document.querySelector('[data-testid=segment-list] .rows-scroll > div'); s.scrollTop = s.scrollHeight; return true; })()").await?;
    app.wait_for(&format!("{ROW}[data-position='9999']")).await?;
    app.wait_for("[data-testid=review-changes]").await?.click().await?;
    app.wait_for("[data-testid=review-item]").await?;
    let review_ms = app.wait_until("the review view reports its time", "document.body.dataset.lastReviewMs").await?;
    let progress = app.wait_for("[data-testid=review-progress]").await?.text().await?;
    assert_eq!(progress, "0 of 1000 changed segments decided");
    println!(
        "10,000-segment review, 1,000 changed: first screen of changes in {review_ms} ms (command + diff + render)"
    );
    println!(
        "10,000-segment document: first row visible {:.2} s after launch (app start included); editor load {} ms",
        to_first_row.as_secs_f64(),
        open_ms
    );
    app.quit().await
}

/// Presses a key with Ctrl and Shift held, on whatever has the focus.
async fn press_ctrl_shift(app: &App, key: char) -> anyhow::Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: Key::Control.into() })
        .then(KeyAction::Down { value: Key::Shift.into() })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: Key::Shift.into() })
        .then(KeyAction::Up { value: Key::Control.into() });
    app.client.perform_actions(keys).await?;
    Ok(())
}

#[tokio::test]
async fn a_segment_is_split_at_the_caret_and_joined_again_from_the_keyboard() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(
        dir.path(),
        "long.txt",
        "The council approved the budget; the mayor signed it on Friday. Work starts in May.",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let first = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-source]")).await?;
    assert_eq!(first.text().await?, "The council approved the budget; the mayor signed it on Friday.");
    // The translator clicks just before "the mayor": a caret in the source.
    app.eval(
        "(() => { const cell = document.querySelector(\"[data-position='0'] [data-testid=segment-source]\");
                  const text = cell.firstChild; const at = text.data.indexOf('the mayor');
                  document.activeElement.blur();
                  window.getSelection().collapse(text, at); return true; })()",
    )
    .await?;
    press_ctrl_shift(&app, 's').await?;
    app.wait_until("the split shows three rows", "document.querySelectorAll('[data-testid=segment-row]').length === 3")
        .await?;
    let sources = app
        .eval("Array.from(document.querySelectorAll('[data-testid=segment-source]')).map(e => e.textContent)")
        .await?;
    assert_eq!(
        sources,
        json!(["The council approved the budget;", "the mayor signed it on Friday.", "Work starts in May."])
    );

    // Join the first row with the next one again, from its translation field.
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys(&(Key::Control + &Key::Shift + "j")).await?;
    app.wait_until("the join shows two rows", "document.querySelectorAll('[data-testid=segment-row]').length === 2")
        .await?;
    let joined = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-source]")).await?;
    assert_eq!(joined.text().await?, "The council approved the budget; the mayor signed it on Friday.");

    // Ctrl+Z outside a text box takes the join back, then the split.
    app.eval("(() => { document.activeElement.blur(); return true; })()").await?;
    press_ctrl(&app, 'z').await?;
    app.wait_until("the join is undone", "document.querySelectorAll('[data-testid=segment-row]').length === 3").await?;
    app.eval("(() => { document.activeElement.blur(); return true; })()").await?;
    press_ctrl(&app, 'z').await?;
    app.wait_until("the split is undone", "document.querySelectorAll('[data-testid=segment-row]').length === 2")
        .await?;
    app.quit().await?;

    // The project file agrees, and kept the history of all four edits.
    let stored = reopen(&project)?;
    let rows = stored.segments(stored.documents()?[0].id)?;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].source, "The council approved the budget; the mayor signed it on Friday.");
    assert_eq!(rows[1].source, "Work starts in May.");
    Ok(())
}

#[tokio::test]
async fn an_editor_reviews_changed_words_with_qa_in_view_rejects_with_a_category_and_approves() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project =
        project_with_text(dir.path(), "plan.txt", "The plants will supply 450,000 households. Work starts in May.")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let first = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    first.click().await?;
    first.send_keys("Las plantas abastecerán a 450.000 hogares.").await?;
    first.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "segment 1 is translated",
        &format!("document.querySelector(\"{ROW}[data-position='0']\").dataset.status === 'translated'"),
    )
    .await?;
    let second = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-target]")).await?;
    second.click().await?;
    second.send_keys("Las obras empiezan en mayo.").await?;
    second.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "segment 2 is translated",
        &format!("document.querySelector(\"{ROW}[data-position='1']\").dataset.status === 'translated'"),
    )
    .await?;

    app.command("create-version").await?;
    let name = app.wait_for("[data-testid=version-name]").await?;
    name.send_keys("Draft 1").await?;
    app.wait_for("[data-testid=version-save]").await?.click().await?;
    app.wait_for_toast("Version “Draft 1” saved", Duration::from_secs(10)).await?;

    // Edit again: a different number and one more word.
    let first = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    first.click().await?;
    app.eval(&format!(
        "(() => {{ const t = document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-target]\"); t.select(); return true; }})()"
    ))
    .await?;
    first.send_keys("Las plantas abastecerán a 500.000 hogares costeros.").await?;
    first.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "the second edit is stored",
        &format!("document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-target]\").value.includes('500.000')"),
    )
    .await?;
    let second = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-target]")).await?;
    second.click().await?;
    second.send_keys(&(Key::Control + "a")).await?;
    second.send_keys("Las obras comienzan en mayo.").await?;
    second.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "the second segment's edit is stored",
        &format!("document.querySelector(\"{ROW}[data-position='1'] [data-testid=segment-target]\").value.includes('comienzan')"),
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(400)).await;

    app.wait_for("[data-testid=review-changes]").await?.click().await?;
    app.wait_for("[data-testid=review-view]").await?;
    let item = app.wait_for("[data-testid=review-item]").await?;
    let deleted = app
        .eval("Array.from(document.querySelectorAll('[data-testid=review-item]')[0].querySelectorAll('del')).map(e => e.textContent)")
        .await?;
    let inserted = app
        .eval("Array.from(document.querySelectorAll('[data-testid=review-item]')[0].querySelectorAll('ins')).map(e => e.textContent)")
        .await?;
    assert_eq!(deleted, json!(["450.000"]), "a figure changes as a whole");
    assert_eq!(inserted, json!(["500.000", " costeros"]));
    let decoration = app
        .eval("getComputedStyle(document.querySelector('[data-testid=review-item] del')).textDecorationLine")
        .await?;
    assert_eq!(decoration, json!("line-through"), "deletions are marked by more than colour");
    let progress = app.wait_for("[data-testid=review-progress]").await?.text().await?;
    assert_eq!(progress, "0 of 2 changed segments decided");
    // The wrong figure's QA warning is in view where the decision is made.
    let warning = item.find(Locator::Css("[data-testid=review-qa]")).await?.text().await?;
    assert!(warning.contains("450,000"), "{warning}");

    // Reject the first with a category and a comment, approve the second.
    item.find(Locator::Css("[data-testid=reject]")).await?.click().await?;
    app.choose("reject-category", "numbers").await?;
    app.wait_for("[data-testid=reject-comment]").await?.send_keys("450.000 hogares, como en el original.").await?;
    app.wait_for("[data-testid=reject-submit]").await?.click().await?;
    let note = app.wait_for("[data-testid=review-note]").await?.text().await?;
    assert_eq!(note, "✗ Numbers: 450.000 hogares, como en el original.");
    let counts = app.wait_for("[data-testid=rejection-counts]").await?.text().await?;
    assert_eq!(counts, "Rejected: Numbers 1");
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        std::fs::write(Path::new(&shots).join("review.png"), app.client.screenshot().await?)?;
    }
    let items = app.client.find_all(Locator::Css("[data-testid=review-item]")).await?;
    items[1].find(Locator::Css("[data-testid=approve]")).await?.click().await?;
    app.wait_until(
        "the review progress counts the decisions",
        "document.querySelector('[data-testid=review-progress]').textContent === '2 of 2 changed segments decided'",
    )
    .await?;
    app.wait_until(
        "the document list shows one approved",
        "document.querySelector('[data-testid=document-approved]').textContent === '1 approved'",
    )
    .await?;
    // Back in the editor, the translator reads why the segment was rejected.
    app.wait_for("[data-testid=review-view] .editor-header button").await?.click().await?;
    app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?.click().await?;
    let why = app.wait_for("[data-testid=rejection]").await?.text().await?;
    assert!(why.contains("Numbers: 450.000 hogares, como en el original."), "{why}");
    app.quit().await?;

    let stored = reopen(&project)?;
    let rows = stored.segments(stored.documents()?[0].id)?;
    assert_eq!(
        (rows[0].status, rows[0].translation.as_deref()),
        (Status::Rejected, Some("Las plantas abastecerán a 500.000 hogares costeros."))
    );
    assert_eq!(stored.comments(rows[0].id)?[0].category, Some(verso::revision::ErrorCategory::Numbers));
    assert_eq!(rows[1].status, Status::Approved);
    Ok(())
}

#[tokio::test]
async fn a_source_and_its_translation_are_aligned_reviewed_and_confirmed() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("aligned.verso");
    Project::create(&project)?;
    let de = dir.path().join("bericht.txt");
    let fr = dir.path().join("rapport.txt");
    std::fs::write(
        &de,
        "Am 3. Mai 2021 bestiegen wir den Piz Bernina. Der Aufstieg dauerte sechs Stunden. Oben war es kalt. Wir kehrten um 18 Uhr zurück.\n",
    )?;
    std::fs::write(
        &fr,
        "Le 3 mai 2021, nous avons gravi le Piz Bernina. La montée a duré six heures et il faisait froid au sommet. Nous sommes rentrés à 18 heures.\n",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=import-button]").await?.click().await?;
    app.wait_for("[data-testid=import-path]").await?.send_keys(&de.display().to_string()).await?;
    // The dialog reads the file and fills in its language: wait for it, so
    // it does not overwrite what is typed below.
    app.wait_until("the language is read", "document.querySelector('[data-testid=import-from]').value === 'de'")
        .await?;
    app.wait_for("[data-testid=import-translation]").await?.send_keys(&fr.display().to_string()).await?;
    let from = app.wait_for("[data-testid=import-from]").await?;
    from.clear().await?;
    from.send_keys("de").await?;
    let to = app.wait_for("[data-testid=import-to]").await?;
    to.clear().await?;
    to.send_keys("fr").await?;
    app.wait_for("[data-testid=import-submit]").await?.click().await?;

    app.wait_for("[data-testid=alignment-banner]").await?;
    // The virtualized list renders its rows a frame after the data arrives.
    app.wait_until(
        "the aligned rows are rendered",
        "document.querySelectorAll('[data-testid=segment-row]').length === 3",
    )
    .await?;
    let pairs = app
        .eval("Array.from(document.querySelectorAll('[data-testid=segment-row]')).map(r => [r.querySelector('[data-testid=segment-source]').textContent, r.querySelector('textarea').value])")
        .await?;
    assert_eq!(
        pairs[0],
        json!(["Am 3. Mai 2021 bestiegen wir den Piz Bernina.", "Le 3 mai 2021, nous avons gravi le Piz Bernina."])
    );
    assert_eq!(
        pairs.as_array().map(Vec::len),
        Some(3),
        "the two short German sentences pair with one French one: {pairs}"
    );
    assert_eq!(app.eval("document.querySelectorAll('[data-testid=pairing]').length").await?, json!(3));

    // The translator merges the last two rows into one pair, from the keyboard.
    let second = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-target]")).await?;
    second.click().await?;
    second.send_keys(&(Key::Control + &Key::Shift + "j")).await?;
    app.wait_until("two rows remain", "document.querySelectorAll('[data-testid=segment-row]').length === 2").await?;

    app.wait_for("[data-testid=confirm-alignment]").await?.click().await?;
    app.wait_until(
        "every pair is confirmed",
        "(rows => rows.length === 2 && rows.every(r => r.dataset.status === 'translated'))(Array.from(document.querySelectorAll('[data-testid=segment-row]')))",
    )
    .await?;
    assert_eq!(app.eval("document.querySelector('[data-testid=alignment-banner]') === null").await?, json!(true));
    app.quit().await?;

    let stored = reopen(&project)?;
    assert_eq!(stored.translation_unit_count()?, 2, "the confirmed pairs went into the translation memory");
    let rows = stored.segments(stored.documents()?[0].id)?;
    assert_eq!(
        rows[1].translation.as_deref(),
        Some("La montée a duré six heures et il faisait froid au sommet. Nous sommes rentrés à 18 heures.")
    );
    Ok(())
}

#[tokio::test]
async fn a_summary_links_its_sentences_flags_a_wrong_percentage_and_blocks_approval() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(
        dir.path(),
        "statement.txt",
        "The Ministry of Water announced a plan to build three desalination plants on the northern coast. \
         The plants will supply 450,000 households by 2028. \
         Reservoir levels fell to 31% in August, the lowest figure since records began. \
         Environmental groups welcomed the plan.",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for(ROW).await?;
    app.wait_for("[data-testid=new-summary]").await?.click().await?;
    app.wait_for("[data-testid=new-summary-dialog]").await?;
    app.wait_for("[data-testid=summary-name]").await?.send_keys("Desalination summary").await?;
    let lang = app.wait_for("[data-testid=summary-lang]").await?;
    lang.clear().await?;
    lang.send_keys("en").await?;
    app.wait_for("[data-testid=summary-create]").await?.click().await?;
    app.wait_for("[data-testid=summary-view]").await?;

    let composer = app.wait_for("[data-testid=composer-text]").await?;
    composer
        .send_keys(
            "The ministry will build three desalination plants on the northern coast. \
             The plants will supply 450,000 households by 2028. \
             Reservoir levels fell to 13% in August.",
        )
        .await?;
    app.wait_for("[data-testid=composer-add]").await?.click().await?;
    app.wait_until("three sentences", "document.querySelectorAll('[data-testid=summary-sentence]').length === 3")
        .await?;
    let links = app
        .eval("Array.from(document.querySelectorAll('[data-testid=summary-sentence]')).map(s => Number(s.dataset.links) > 0)")
        .await?;
    assert_eq!(links, json!([true, true, true]), "every sentence is linked to a passage");
    let flags =
        app.eval("Array.from(document.querySelectorAll('[data-testid=flag]')).map(f => f.dataset.kind)").await?;
    assert_eq!(flags, json!(["number-mismatch"]));
    let title = app.eval("document.querySelector('[data-testid=flag]').title").await?;
    assert!(title.as_str().is_some_and(|t| t.contains("13%") && t.contains("31%")), "{title}");

    // Selecting a sentence highlights its evidence in the linked passage.
    app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(2) textarea")).await?.click().await?;
    app.wait_until(
        "a passage is linked",
        "document.querySelectorAll('[data-testid=source-passage][data-linked=true]').length > 0",
    )
    .await?;
    let evidence = app
        .eval(
            "Array.from(document.querySelectorAll('[data-testid=source-passage][data-linked=true] mark')).map(m => m.textContent)",
        )
        .await?;
    let words: Vec<String> = serde_json::from_value(evidence)?;
    assert!(
        ["households", "plants", "450,000", "2028"].iter().all(|word| words.iter().any(|w| w == word)),
        "{words:?}"
    );
    // Each linked passage says how it was found.
    let reasons = app
        .eval(
            "Array.from(document.querySelectorAll('[data-testid=source-passage][data-linked=true] [data-testid=link-reasons]')).map(r => r.textContent)",
        )
        .await?;
    let reasons: Vec<String> = serde_json::from_value(reasons)?;
    assert!(
        reasons.iter().any(|r| r.contains("shared words") && r.contains("figures") && r.contains("dates")),
        "{reasons:?}"
    );
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        std::fs::write(Path::new(&shots).join("summary.png"), app.client.screenshot().await?)?;
    }

    // Approving is blocked while the wrong percentage stands.
    app.wait_for("[data-testid=approve-summary]").await?.click().await?;
    let message = app.wait_for("[data-testid=blocked-message]").await?.text().await?;
    assert!(message.contains("13%"), "{message}");
    let flagged = app.wait_for("[data-testid=flagged-sentences]").await?.text().await?;
    assert!(flagged.contains("Reservoir levels fell to 13% in August."), "{flagged}");
    app.wait_until(
        "the reason field has the caret",
        "document.activeElement && document.activeElement.dataset.testid === 'override-reason'",
    )
    .await?;
    app.client.find(Locator::Css("[data-testid=override-dialog] button")).await?.click().await?;

    // Fixed, the flag goes away and the summary can be approved.
    let wrong = app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(3) textarea")).await?;
    wrong.click().await?;
    app.eval("(() => { const t = document.querySelector('[data-testid=summary-sentence]:nth-of-type(3) textarea'); t.select(); return true; })()")
        .await?;
    wrong.send_keys("Reservoir levels fell to 31% in August.").await?;
    app.wait_until("the flag is gone", "document.querySelectorAll('[data-testid=flag]').length === 0").await?;
    app.wait_for("[data-testid=approve-summary]").await?.click().await?;
    app.wait_for("[data-testid=summary-approved]").await?;

    // The export dialog previews the article with its citations.
    app.wait_for("[data-testid=export-summary]").await?.click().await?;
    app.wait_until(
        "the preview shows the article with footnotes",
        "(() => { const p = document.querySelector('[data-testid=export-preview]'); \
           return p && p.textContent.includes('Please verify the original source') && p.textContent.includes('[^3]: “Reservoir levels fell to 31%'); })()",
    )
    .await?;
    let rule = app.wait_for("[data-testid=citation-rule]").await?.text().await?;
    assert!(rule.contains("found automatically") && rule.contains("not verified against the source"), "{rule}");
    let draft = app.eval("document.querySelector('[data-testid=export-draft]').checked").await?;
    assert_eq!(draft, json!(false), "an approved summary exports as final");
    app.quit().await?;

    let stored = reopen(&project)?;
    let summary =
        stored.documents()?.into_iter().find(|d| d.kind == verso::DocumentKind::Summary).context("summary")?;
    assert_eq!((summary.segments, summary.approved), (3, 3));
    let texts: Vec<String> =
        stored.segments(summary.id)?.into_iter().map(|r| r.translation.unwrap_or_default()).collect();
    assert_eq!(texts[2], "Reservoir levels fell to 31% in August.");
    let approval = stored.summary_approval(summary.id)?.context("approval recorded")?;
    assert_eq!((approval.open_flags, approval.override_reason), (0, None));
    Ok(())
}

/// The section heading each summary sentence sits under, in order.
const SENTENCE_SECTIONS: &str = "Array.from(document.querySelectorAll('[data-testid=summary-sentence]')).map(s => \
    s.closest('[data-testid=summary-section]').querySelector('h2').textContent)";

#[tokio::test]
async fn a_summary_sentence_moves_sections_an_edit_after_approval_shows_and_the_source_line_names_the_outlet()
-> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(
        dir.path(),
        "statement.txt",
        "The Ministry of Water announced a plan to build three desalination plants on the northern coast. \
         The plants will supply 450,000 households by 2028. \
         Environmental groups welcomed the plan.",
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for(ROW).await?;
    app.new_english_summary(
        "Plan summary",
        "The ministry will build three desalination plants on the northern coast. \
         The plants will supply 450,000 households by 2028. \
         Environmental groups welcomed the plan.",
        3,
    )
    .await?;

    // Ctrl+Shift+↓ takes the selected sentence to the next section.
    let third = app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(3) textarea")).await?;
    third.click().await?;
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: Key::Control.into() })
        .then(KeyAction::Down { value: Key::Shift.into() })
        .then(KeyAction::Down { value: Key::Down.into() })
        .then(KeyAction::Up { value: Key::Down.into() })
        .then(KeyAction::Up { value: Key::Shift.into() })
        .then(KeyAction::Up { value: Key::Control.into() });
    app.client.perform_actions(keys).await?;
    app.wait_until(
        "the sentence is under Background and Context",
        &format!("JSON.stringify({SENTENCE_SECTIONS}) === JSON.stringify(['News Summary', 'News Summary', 'Background and Context'])"),
    )
    .await?;
    // The selected sentence offers the sections to move it to.
    app.choose("move-sentence", "2").await?;
    app.wait_until("the sentence is under Expert Analysis", &format!("{SENTENCE_SECTIONS}[2] === 'Expert Analysis'"))
        .await?;
    app.wait_for("[data-testid=approve-summary]").await?.click().await?;
    app.wait_for("[data-testid=summary-approved]").await?;
    let approved = app
        .eval("Array.from(document.querySelectorAll('[data-testid=sentence-status]')).map(s => s.textContent.trim())")
        .await?;
    assert_eq!(approved, json!(["★ Approved", "★ Approved", "★ Approved"]));

    // An edit takes the approval away: the others no longer wear its star.
    let first = app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(1) textarea")).await?;
    first.click().await?;
    first.send_keys(" soon").await?;
    app.wait_for("[data-testid=approve-summary]").await?;
    app.wait_until(
        "each sentence shows its own state",
        "(() => { const s = Array.from(document.querySelectorAll('[data-testid=sentence-status]')).map(s => s.textContent.trim()); \
           return s[0].includes('Draft') && s[1] === '✓ approved before the last change' && s[2] === '✓ approved before the last change'; })()",
    )
    .await?;

    // Where the statement was published, for the article's Source line;
    // an address that is not one is refused in words.
    app.wait_for("[data-testid=open-publication]").await?.click().await?;
    app.wait_for("[data-testid=publication-outlet]").await?.send_keys("Ministry of Water").await?;
    app.wait_for("[data-testid=publication-url]").await?.send_keys("water.example.gov/plan").await?;
    app.eval(
        "(() => { const d = document.querySelector('[data-testid=publication-date]'); d.value = '2025-09-03'; \
           d.dispatchEvent(new Event('input', { bubbles: true })); return true; })()",
    )
    .await?;
    app.wait_for("[data-testid=publication-save]").await?.click().await?;
    let error = app.wait_for("[data-testid=publication-error]").await?.text().await?;
    assert!(error.contains("is not a web address"), "{error}");
    let url = app.wait_for("[data-testid=publication-url]").await?;
    url.clear().await?;
    url.send_keys("https://water.example.gov/plan").await?;
    app.wait_for("[data-testid=publication-save]").await?.click().await?;
    app.wait_for_toast("Saved where the source was published", Duration::from_secs(10)).await?;
    app.wait_for("[data-testid=export-summary]").await?.click().await?;
    app.wait_until(
        "the preview's Source line names the outlet, the date and the address",
        "(document.querySelector('[data-testid=export-preview]')?.textContent ?? '').includes('Ministry of Water — statement, 2025-09-03 (<https://water.example.gov/plan>)')",
    )
    .await?;
    app.quit().await?;

    let stored = reopen(&project)?;
    let summary =
        stored.documents()?.into_iter().find(|d| d.kind == verso::DocumentKind::Summary).context("summary")?;
    let sections: Vec<u32> = stored.segments(summary.id)?.iter().map(|r| r.passage).collect();
    assert_eq!(sections, [0, 0, 2], "the move is stored");
    Ok(())
}

#[tokio::test]
async fn an_english_summary_of_an_untranslated_spanish_statement_links_via_machine_translation() -> anyhow::Result<()> {
    let _one = lock().await;
    // A LibreTranslate service on loopback answering with prepared translations.
    let prepared = [
        ("La ministra de Vivienda", "The Housing Minister presented a plan on Tuesday."),
        ("El plan prevé", "The plan foresees building 40,000 social homes by 2030."),
        ("La oposición criticó", "The opposition criticised that the plan comes late."),
    ];
    let server = loopback::serve(move |request, _| {
        let texts: Vec<String> = request.json()["q"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| q.as_str())
            .map(|q| prepared.iter().find(|(es, _)| q.starts_with(es)).map_or(String::new(), |(_, en)| en.to_string()))
            .collect();
        loopback::Reply::json(200, json!({ "translatedText": texts }).to_string()).after(Duration::from_millis(100))
    })
    .await;
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config)?;
    let mut profile = verso::mt::Profile::new("Libre", verso::mt::ProviderKind::Libretranslate);
    profile.url = server.url.clone();
    profile.enabled = true;
    verso::mt::Settings { profiles: vec![profile] }.save(&config)?;
    let source = dir.path().join("comunicado.txt");
    std::fs::write(
        &source,
        "La ministra de Vivienda presentó un plan el martes. \
         El plan prevé construir 40.000 viviendas sociales hasta 2030. \
         La oposición criticó que el plan llega tarde.",
    )?;
    let project = dir.path().join("project.verso");
    let mut created = Project::create(&project)?;
    let request = ImportRequest { path: source, source_lang: "es".parse()?, target_lang: "en".parse()?, title: None };
    created.add_document(&import::read_document(&request)?)?;
    drop(created);

    let app = App::launch(&[&project], &config).await?;
    app.wait_for(ROW).await?;
    app.new_english_summary(
        "Housing summary",
        "The opposition criticised the plan as late. The Housing Minister presented the plan on Tuesday.",
        2,
    )
    .await?;

    // Linking through machine translation, switched on in the summary's header.
    app.choose("link-mt", "Libre").await?;
    app.wait_until(
        "the passages are translated and the summary relinked",
        "!document.querySelector('[data-testid=progress-dialog]') && \
           [...document.querySelectorAll('[data-testid=summary-sentence]')].every(s => Number(s.dataset.links) > 0)",
    )
    .await?;
    app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(1) textarea")).await?.click().await?;
    app.wait_until(
        "the first sentence links via machine translation",
        "[...document.querySelectorAll('[data-testid=source-passage][data-linked=true] [data-testid=link-reasons]')] \
           .some(r => r.textContent.includes('via machine translation'))",
    )
    .await?;
    let links = app
        .eval("Array.from(document.querySelectorAll('[data-testid=summary-sentence]')).map(s => Number(s.dataset.links) > 0)")
        .await?;
    assert_eq!(links, json!([true, true]), "every sentence is linked");
    let shown = app
        .eval("Array.from(document.querySelectorAll('[data-testid=machine-translation]')).map(p => p.textContent)")
        .await?;
    assert!(shown.to_string().contains("The opposition criticised"), "the machine translation is shown: {shown}");
    let evidence = app
        .eval("Array.from(document.querySelectorAll('[data-testid=machine-translation] mark')).map(m => m.textContent)")
        .await?;
    assert!(evidence.to_string().contains("opposition"), "{evidence}");
    let flags = app
        .eval("document.querySelectorAll('[data-testid=summary-sentence]:nth-of-type(1) [data-testid=flag]').length")
        .await?;
    assert_eq!(flags, json!(0), "a sentence linked through machine translation is supported");
    app.quit().await?;

    // One request for the three passages; nothing stored as a translation.
    // (The editor, open first, asked for suggestions one sentence at a time.)
    let requests: Vec<serde_json::Value> = server.requests().iter().map(|r| r.json()).collect();
    let for_linking = requests.iter().filter(|r| r["q"].as_array().is_some_and(|q| q.len() == 3)).count();
    assert_eq!(for_linking, 1, "{requests:?}");
    let stored = reopen(&project)?;
    let rows = stored.segments(stored.documents()?[0].id)?;
    assert!(rows.iter().all(|r| r.translation.is_none() && r.revision.is_none()), "{rows:?}");
    Ok(())
}

#[tokio::test]
async fn a_claim_the_users_model_finds_unsupported_blocks_approval_until_fixed() -> anyhow::Result<()> {
    let _one = lock().await;
    // An OpenAI-compatible model on loopback: "No" to the claim that the
    // groups criticised the plan, "Yes" to every other.
    let server = loopback::serve(|request, _| {
        let user = request.json()["messages"][1]["content"].as_str().unwrap_or_default().to_string();
        let claim = user.rsplit("Claim: ").next().unwrap_or_default().to_string();
        let answer = if user.contains("Claim: ") && claim.contains("criticised") { "No" } else { "Yes" };
        let reply = json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": answer } }] });
        loopback::Reply::json(200, reply.to_string())
    })
    .await;
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config)?;
    let mut judge = verso::mt::Profile::new("Judge", verso::mt::ProviderKind::Openai);
    judge.url = format!("{}/v1", server.url);
    judge.model = Some("bespoke-minicheck".into());
    judge.enabled = true;
    verso::mt::Settings { profiles: vec![judge] }.save(&config)?;
    let project = project_with_text(
        dir.path(),
        "statement.txt",
        "The Ministry of Water announced a plan to build three desalination plants on the northern coast. \
         The plants will supply 450,000 households by 2028. \
         Environmental groups welcomed the plan.",
    )?;
    let app = App::launch(&[&project], &config).await?;
    app.wait_for(ROW).await?;
    app.new_english_summary(
        "Plants summary",
        "The plants will supply 450,000 households by 2028. Environmental groups criticised the plan.",
        2,
    )
    .await?;
    let before = app.eval("document.querySelectorAll('[data-testid=flag]').length").await?;
    assert_eq!(before, json!(0), "the rules alone find nothing wrong");

    app.choose("judge", "Judge").await?;
    app.wait_until(
        "the model's verdict is shown",
        "!document.querySelector('[data-testid=progress-dialog]') && \
           document.querySelectorAll('[data-testid=flag][data-kind=model-not-supported]').length === 1",
    )
    .await?;
    let badge = app.wait_for("[data-testid=flag][data-kind=model-not-supported]").await?.text().await?;
    assert!(badge.contains("model: not supported") && badge.contains("bespoke-minicheck"), "{badge}");
    let supported = app.eval("document.querySelectorAll('[data-testid=verdict]').length").await?;
    assert_eq!(supported, json!(1), "the other claim is marked as supported by the model");

    // Approval is blocked while the model's verdict stands.
    app.wait_for("[data-testid=approve-summary]").await?.click().await?;
    let message = app.wait_for("[data-testid=blocked-message]").await?.text().await?;
    assert!(message.contains("criticised"), "{message}");
    app.client.find(Locator::Css("[data-testid=override-dialog] button")).await?.click().await?;

    // Fixed and checked again, it may be approved.
    let wrong = app.client.find(Locator::Css("[data-testid=summary-sentence]:nth-of-type(2) textarea")).await?;
    wrong.click().await?;
    app.eval("(() => { const t = document.querySelector('[data-testid=summary-sentence]:nth-of-type(2) textarea'); t.select(); return true; })()")
        .await?;
    wrong.send_keys("Environmental groups welcomed the plan.").await?;
    app.wait_for("[data-testid=judge-run]").await?.click().await?;
    app.wait_until(
        "both claims are supported",
        "!document.querySelector('[data-testid=progress-dialog]') && \
           document.querySelectorAll('[data-testid=verdict]').length === 2 && \
           document.querySelectorAll('[data-testid=flag]').length === 0",
    )
    .await?;
    app.wait_for("[data-testid=approve-summary]").await?.click().await?;
    app.wait_for("[data-testid=summary-approved]").await?;
    app.quit().await?;

    let claims: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.json()["messages"][1]["content"].as_str().map(str::to_string))
        .filter(|user| user.contains("Claim: "))
        .collect();
    assert_eq!(claims.len(), 3, "two claims, then the rewritten one: {claims:?}");
    Ok(())
}

#[tokio::test]
async fn an_xliff_file_from_another_tool_imports_with_its_translations() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("cat.verso");
    Project::create(&project)?;
    let file = dir.path().join("from-another-tool.xlf");
    std::fs::write(
        &file,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de">
 <file id="f1">
  <unit id="1"><segment state="final"><source>The council met on Monday.</source><target>Der Rat tagte am Montag.</target></segment></unit>
  <unit id="2"><segment state="translated"><source>It approved <pc id="1">the budget</pc>.</source><target>Er billigte <pc id="1">den Haushalt</pc>.</target></segment></unit>
  <unit id="3"><segment><source>Members voted 12 to 3.</source></segment></unit>
 </file>
</xliff>
"#,
    )?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=import-button]").await?.click().await?;
    app.wait_for("[data-testid=import-path]").await?.send_keys(&file.display().to_string()).await?;
    app.wait_for("[data-testid=xliff-note]").await?;
    app.wait_for("[data-testid=import-submit]").await?.click().await?;
    app.wait_until("three rows", &format!("document.querySelectorAll('{ROW}').length === 3")).await?;
    let statuses =
        app.eval(&format!("Array.from(document.querySelectorAll('{ROW}')).map(r => r.dataset.status)")).await?;
    assert_eq!(statuses, json!(["approved", "translated", "new"]));
    let target = app
        .eval(&format!("document.querySelector(\"{ROW}[data-position='1'] [data-testid=segment-target]\").value"))
        .await?;
    assert_eq!(target, json!("Er billigte ⟦1⟧den Haushalt⟦/1⟧."), "inline codes stand as placeholders");

    // The export dialog offers XLIFF first (the source's format) and previews it with the codes restored.
    app.wait_for("[data-testid=export-document]").await?.click().await?;
    app.wait_until(
        "the XLIFF preview shows the code written back",
        "(() => { const p = document.querySelector('[data-testid=document-export-preview]'); \
           return p && p.textContent.includes('<target>Er billigte <pc id=\"1\">den Haushalt</pc>.</target>'); })()",
    )
    .await?;
    app.eval(
        "(() => { const s = document.querySelector('[data-testid=document-export-format]'); \
           s.value = 'review_html'; s.dispatchEvent(new Event('change')); return true; })()",
    )
    .await?;
    app.wait_until(
        "the review table preview",
        "document.querySelector('[data-testid=document-export-preview]').textContent.includes('<td>Der Rat tagte am Montag.</td>')",
    )
    .await?;
    app.quit().await?;
    let stored = reopen(&project)?;
    let document = &stored.documents()?[0];
    assert_eq!((document.source_lang.as_str(), document.target_lang.as_str()), ("en", "de"));
    Ok(())
}

/// A TMX file of `pairs`, English to Spanish.
fn tmx(dir: &Path, pairs: &[(String, String)]) -> anyhow::Result<PathBuf> {
    let path = dir.join("reference.tmx");
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n");
    for (source, target) in pairs {
        xml.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>{source}</seg></tuv><tuv xml:lang=\"es\"><seg>{target}</seg></tuv></tu>\n"
        ));
    }
    xml.push_str("</body></tmx>\n");
    std::fs::write(&path, xml)?;
    Ok(path)
}

#[tokio::test]
async fn memory_matches_glossary_terms_and_concordance_help_the_translator() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project_path = project_with_text(
        dir.path(),
        "rates.txt",
        "The central bank raised interest rates on Monday. Markets fell sharply.",
    )?;
    let stored = "The central bank raised interest rates on Tuesday.";
    let memory = tmx(
        dir.path(),
        &[
            (stored.into(), "El banco central subió los tipos de interés el martes.".into()),
            ("Oil prices rose.".into(), "Subieron los precios del petróleo.".into()),
        ],
    )?;
    let glossary = dir.path().join("terms.csv");
    std::fs::write(&glossary, "en,es,forbidden\ninterest rate,tipo de interés,\ninterest rate,tasa de interés,yes\n")?;
    let mut project = reopen(&project_path)?;
    let (en, es) = ("en".parse()?, "es".parse()?);
    project.import_tmx(&memory, "reference.tmx", 50, Some((&en, &es)), &mut |_, _| true)?;
    verso::session::import_glossary(&mut project, &glossary, &en, &es)?;
    // The second sentence, confirmed: an entry of the project memory.
    let second = project.segments(project.documents()?[0].id)?[1].id;
    let confirmed = TranslationEdit {
        segment: second,
        text: "Los mercados cayeron con fuerza.".into(),
        status: Status::Translated,
        base: None,
        origin: None,
    };
    project.save_translation(&confirmed, "e2e")?;
    drop(project);
    let expected = verso::tm::score::percent(stored, "The central bank raised interest rates on Monday.");

    let app = App::launch(&[&project_path], &dir.path().join("config")).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    let score = app.wait_for("[data-testid=tm-match] [data-testid=match-score]").await?;
    assert_eq!(score.text().await?, format!("{expected}%"));
    let deleted = app.wait_for("[data-testid=tm-match] .diff-del").await?.text().await?;
    let inserted = app.wait_for("[data-testid=tm-match] .diff-ins").await?.text().await?;
    assert_eq!((deleted.trim(), inserted.trim()), ("Tuesday", "Monday"));
    // The glossary term is marked in the source, inflected, with its translation.
    let mark = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=term-mark]")).await?;
    assert_eq!(mark.text().await?, "interest rates");
    let hit = app.wait_for("[data-testid=term-hit]").await?.text().await?;
    assert!(hit.contains("tipo de interés") && hit.contains("tasa de interés"), "{hit}");

    target.send_keys(&(Key::Control + "1")).await?;
    app.wait_until(
        "the match is in the translation box",
        &format!(
            "document.querySelector(\"{ROW}[data-position='0'] textarea\").value === 'El banco central subió los tipos de interés el martes.'"
        ),
    )
    .await?;
    // Clicking a glossary translation puts it at the caret.
    app.eval(&format!(
        "(() => {{ const a = document.querySelector(\"{ROW}[data-position='0'] textarea\"); a.focus(); a.setSelectionRange(0, 0); return true; }})()"
    ))
    .await?;
    app.wait_for("[data-testid=term-target]").await?.click().await?;
    app.wait_until(
        "the term is inserted at the caret",
        &format!(
            "document.querySelector(\"{ROW}[data-position='0'] textarea\").value.startsWith('tipo de interésEl banco')"
        ),
    )
    .await?;

    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(800)).await;
        std::fs::create_dir_all(&shots)?;
        std::fs::write(Path::new(&shots).join("assist.png"), app.client.screenshot().await?)?;
    }
    // Concordance from the keyboard, with highlighted hits.
    target.send_keys(&(Key::Control + "k")).await?;
    let query = app.wait_for("[data-testid=concordance-query]").await?;
    query.send_keys("central bank").await?;
    app.wait_until("a concordance hit", "document.querySelectorAll('[data-testid=concordance-hit]').length === 1")
        .await?;
    let marked = app
        .eval("[...document.querySelectorAll('[data-testid=concordance-hit] mark')].map(m => m.textContent)")
        .await?;
    assert_eq!(marked, json!(["central bank"]));
    // A delivered reference memory cannot be changed here.
    app.wait_for("[data-testid=unit-delete]").await?.click().await?;
    app.wait_for("[data-testid=unit-delete-confirm]").await?.click().await?;
    let refused = app.wait_for("[data-testid=concordance-error]").await?.text().await?;
    assert!(refused.contains("read-only"), "{refused}");

    // Translations only: "mercados" is in one; corrected, then part of it inserted.
    query.clear().await?;
    query.send_keys("mercados").await?;
    app.choose("concordance-within", "source").await?;
    app.wait_until(
        "no source holds it",
        "document.querySelector('[data-testid=concordance-count]').textContent === '0 hits'",
    )
    .await?;
    app.choose("concordance-within", "target").await?;
    app.wait_until(
        "one translation holds it",
        "document.querySelectorAll('[data-testid=concordance-hit]').length === 1",
    )
    .await?;
    app.wait_for("[data-testid=unit-edit]").await?.click().await?;
    // The form puts the caret in the source first; type once it has.
    app.wait_until("the source field has the caret", "document.activeElement?.dataset.testid === 'unit-source'")
        .await?;
    let corrected = app.wait_for("[data-testid=unit-target]").await?;
    corrected.click().await?;
    corrected.send_keys(&(Key::Control + "a")).await?;
    corrected.send_keys("Los mercados se desplomaron.").await?;
    app.wait_until(
        "the corrected translation is typed",
        "document.querySelector('[data-testid=unit-target]').value === 'Los mercados se desplomaron.'",
    )
    .await?;
    app.wait_for("[data-testid=unit-save]").await?.click().await?;
    let shown = app
        .wait_until(
            "the corrected entry is shown, or an error",
            "document.querySelector('[data-testid=concordance-error]')?.textContent \
               || document.querySelector('[data-testid=concordance-target]')?.textContent.trim() === 'Los mercados se desplomaron.'",
        )
        .await?;
    assert_eq!(shown, json!(true), "the correction was not saved");
    app.eval(
        "(() => { const t = document.querySelector('[data-testid=concordance-target]'); \
           const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT); let n; \
           while ((n = w.nextNode()) && !n.textContent.includes('se desplomaron')) {} \
           const at = n.textContent.indexOf('se desplomaron'); const r = document.createRange(); \
           r.setStart(n, at); r.setEnd(n, at + 'se desplomaron'.length); \
           const s = getSelection(); s.removeAllRanges(); s.addRange(r); return true; })()",
    )
    .await?;
    app.wait_for("[data-testid=unit-insert]").await?.click().await?;
    app.wait_until(
        "the selected words are inserted at the caret",
        &format!(
            "document.querySelector(\"{ROW}[data-position='0'] textarea\").value.startsWith('tipo de interésse desplomaronEl banco')"
        ),
    )
    .await?;
    // Deleted from the project memory, the entry is gone.
    target.send_keys(&(Key::Control + "k")).await?;
    let query = app.wait_for("[data-testid=concordance-query]").await?;
    query.send_keys("desplomaron").await?;
    app.wait_until("the corrected entry", "document.querySelectorAll('[data-testid=concordance-hit]').length === 1")
        .await?;
    app.wait_for("[data-testid=unit-delete]").await?.click().await?;
    app.wait_for("[data-testid=unit-delete-confirm]").await?.click().await?;
    app.wait_until(
        "no hit is left",
        "document.querySelector('[data-testid=concordance-count]').textContent === '0 hits'",
    )
    .await?;
    query.send_keys(&Key::Escape.to_string()).await?;
    app.wait_until("the dialog closed", "!document.querySelector('[data-testid=concordance-dialog]')").await?;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.quit().await?;

    // The inserted match was stored with its origin, then the typed change.
    let project = reopen(&project_path)?;
    let doc = project.documents()?[0].id;
    let row = &project.segments(doc)?[0];
    let history = project.revisions(row.id)?;
    assert!(history.iter().any(|r| r.origin.as_deref() == Some(format!("tm:{expected}").as_str())), "{history:?}");
    assert!(row.translation.as_deref().is_some_and(|t| t.starts_with("tipo de interés")));
    Ok(())
}

#[tokio::test]
async fn words_picked_in_the_source_and_the_translation_become_a_glossary_term_with_ctrl_e() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "rates.txt", "The central bank raised rates again. Markets fell.")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys("El banco central volvió a subir los tipos.").await?;
    // "central bank" selected in the source, then "banco central" in the translation.
    app.eval(&format!(
        "(() => {{ const cell = document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-source]\"); \
           const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let node; \
           while ((node = walker.nextNode()) && !node.textContent.includes('central bank')) {{}} \
           const at = node.textContent.indexOf('central bank'); const range = document.createRange(); \
           range.setStart(node, at); range.setEnd(node, at + 'central bank'.length); \
           const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range); return true; }})()"
    ))
    .await?;
    app.wait_until("the source pick is seen", "window.getSelection().toString() === 'central bank'").await?;
    app.eval(&format!(
        "(() => {{ const t = document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-target]\"); \
           t.focus(); t.setSelectionRange(3, 16); return t.value.slice(3, 16); }})()"
    ))
    .await?;
    target.send_keys(&(Key::Control + "e")).await?;
    app.wait_for("[data-testid=add-term-dialog]").await?;
    let picked = app
        .eval("[document.querySelector('[data-testid=add-term-source]').value, document.querySelector('[data-testid=add-term-target]').value]")
        .await?;
    assert_eq!(picked, json!(["central bank", "banco central"]));
    app.wait_for("[data-testid=add-term-save]").await?.click().await?;
    app.wait_for_toast("Added “central bank” → “banco central” to the glossary", Duration::from_secs(10)).await?;
    app.wait_until(
        "the new term shows for the segment",
        "[...document.querySelectorAll('[data-testid=term-hit]')].some(h => h.textContent.includes('banco central'))",
    )
    .await?;
    app.quit().await?;
    let stored = reopen(&project)?.glossary(&"en".parse()?, &"es".parse()?)?;
    assert_eq!(
        stored.iter().map(|t| (t.source.as_str(), t.target.as_str())).collect::<Vec<_>>(),
        [("central bank", "banco central")]
    );
    Ok(())
}

#[tokio::test]
async fn confirming_a_segment_fills_its_repetitions() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "thanks.txt", "Thank you. Prices rose. Thank you.")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    app.wait_for(ROW).await?;
    press_ctrl_shift(&app, 'p').await?;
    let filling = app.wait_for("[data-testid=command-fill-repetitions]").await?.text().await?;
    assert!(filling.contains(": on"), "on by default: {filling}");
    app.wait_for("[data-testid=command-query]").await?.send_keys(&Key::Escape.to_string()).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys("Gracias.").await?;
    target.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_for_toast("Filled 1 repetition with this translation", Duration::from_secs(10)).await?;
    app.wait_until(
        "the repetition shows the translation",
        &format!(
            "document.querySelector(\"{ROW}[data-position='2']\").dataset.status === 'translated' && \
             document.querySelector(\"{ROW}[data-position='2'] [data-testid=segment-target]\").value === 'Gracias.'"
        ),
    )
    .await?;
    app.quit().await?;
    let stored = reopen(&project)?;
    let texts: Vec<Option<String>> =
        stored.segments(stored.documents()?[0].id)?.into_iter().map(|r| r.translation).collect();
    assert_eq!(texts, vec![Some("Gracias.".into()), None, Some("Gracias.".into())]);
    Ok(())
}

#[tokio::test]
async fn a_locked_segment_cannot_be_edited_until_it_is_unlocked() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "headline.txt", "Ministry approves plan. Prices rose.")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let first = format!("{ROW}[data-position='0']");
    let target = app.wait_for(&format!("{first} [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys(&(Key::Control + "l")).await?;
    app.wait_for(&format!("{first} [data-testid=lock-mark]")).await?;
    target.send_keys("Texto nuevo").await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(target.prop("value").await?.as_deref(), Some(""), "a locked segment takes no typing");
    target.send_keys(&(Key::Control + "l")).await?;
    app.wait_until("unlocked", &format!("document.querySelector(\"{first}\").dataset.locked === 'false'")).await?;
    target.send_keys("El ministerio aprueba el plan.").await?;
    app.wait_until("the text is saved", &format!("document.querySelector(\"{first}\").dataset.status === 'draft'"))
        .await?;
    app.quit().await?;
    let stored = reopen(&project)?;
    let rows = stored.segments(stored.documents()?[0].id)?;
    assert_eq!(rows[0].translation.as_deref(), Some("El ministerio aprueba el plan."));
    assert!(!rows[0].locked);
    Ok(())
}

#[tokio::test]
async fn qa_marks_rows_and_a_reviewer_accepts_a_warning() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project_path = project_with_text(
        dir.path(),
        "budget.txt",
        "The budget is 46 billion. Exports rose 1,250.5 tonnes. He left. Prices fell.",
    )?;
    let mut project = reopen(&project_path)?;
    let doc = project.documents()?[0].id;
    let rows = project.segments(doc)?;
    let translations =
        ["El presupuesto es de 64.000 millones.", "Las exportaciones subieron 1.250,5 toneladas.", "Se fue"];
    for (row, text) in rows.iter().zip(translations) {
        let edit = TranslationEdit {
            segment: row.id,
            text: text.into(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        project.save_translation(&edit, "e2e")?;
    }
    drop(project);

    let app = App::launch(&[&project_path], &dir.path().join("config")).await?;
    // Row 1 has a figure mismatch, row 2 is correct in Spanish notation, row 3 lost its full stop.
    app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=qa-mark]")).await?;
    app.wait_for(&format!("{ROW}[data-position='2'] [data-testid=qa-mark]")).await?;
    let clean = app
        .eval(&format!("document.querySelector(\"{ROW}[data-position='1'] [data-testid=qa-mark]\") === null"))
        .await?;
    assert_eq!(clean, json!(true));
    app.wait_for("[data-testid=toggle-qa]").await?.click().await?;
    app.wait_for("[data-testid=qa-panel]").await?;
    // The warnings sit below the matches and glossary, not in their place.
    let both = app
        .eval(
            "(() => { const a = document.querySelector('[data-testid=assist-panel]')?.getBoundingClientRect(); \
               const q = document.querySelector('[data-testid=qa-panel]').getBoundingClientRect(); \
               return !!a && a.height > 100 && q.height > 100 && a.bottom <= q.top + 1 && Math.abs(a.left - q.left) < 1; })()",
        )
        .await?;
    assert_eq!(both, json!(true), "the QA panel shows with the memory panel");
    // Row 4 is not translated yet: progress, not a warning, until the final check.
    let untranslated_mark = format!("document.querySelector(\"{ROW}[data-position='3'] [data-testid=qa-mark]\")");
    assert_eq!(app.eval(&format!("{untranslated_mark} === null")).await?, json!(true));
    let working = app.wait_for("[data-testid=qa-open-count]").await?.text().await?;
    let open: u32 = working.trim_end_matches(" open").parse()?;
    app.wait_for("[data-testid=qa-final]").await?.click().await?;
    app.wait_until(
        "the final check counts the untranslated row",
        &format!(
            "document.querySelector('[data-testid=qa-open-count]').textContent === '{} open' && {untranslated_mark} !== null",
            open + 1
        ),
    )
    .await?;
    app.wait_for("[data-testid=qa-working]").await?.click().await?;
    app.wait_until(
        "back to the checks while translating",
        &format!("document.querySelector('[data-testid=qa-open-count]').textContent === '{working}'"),
    )
    .await?;
    // The profile says which checks run when: untranslated always, then back.
    app.wait_for("[data-testid=qa-profile]").await?.click().await?;
    app.choose("qa-when-untranslated", "always").await?;
    app.wait_until(
        "untranslated rows count while translating",
        &format!("document.querySelector('[data-testid=qa-open-count]').textContent === '{} open'", open + 1),
    )
    .await?;
    app.choose("qa-when-untranslated", "final").await?;
    app.wait_until(
        "the default profile again",
        &format!("document.querySelector('[data-testid=qa-open-count]').textContent === '{working}'"),
    )
    .await?;
    app.wait_for("[data-testid=qa-profile]").await?.click().await?;
    app.choose("qa-filter", "end_punctuation").await?;
    app.wait_until(
        "only end punctuation shows",
        "[...document.querySelectorAll('[data-testid=qa-issue]')].every(i => i.dataset.check === 'end_punctuation') && document.querySelectorAll('[data-testid=qa-issue]').length === 1",
    )
    .await?;
    app.wait_for("[data-testid=qa-accept]").await?.click().await?;
    app.wait_for("[data-testid=qa-reason]").await?.send_keys("Headline style: no full stop").await?;
    app.wait_for("[data-testid=qa-accept-save]").await?.click().await?;
    app.wait_until(
        "the warning left the open list",
        "document.querySelectorAll('[data-testid=qa-issue]').length === 0",
    )
    .await?;
    app.wait_until(
        "row 3 has no open warning",
        &format!("document.querySelector(\"{ROW}[data-position='2'] [data-testid=qa-mark]\") === null"),
    )
    .await?;
    app.quit().await?;

    let project = reopen(&project_path)?;
    let report = verso::session::qa_report_at(&project, &dir.path().join("config"), doc, verso::qa::QaStage::Final)?;
    let accepted: Vec<_> = report.issues.iter().filter(|i| i.accepted.is_some()).collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].check, verso::qa::QaCheck::EndPunctuation);
    assert_eq!(accepted[0].accepted.as_ref().map(|a| a.reason.as_str()), Some("Headline style: no full stop"));
    assert!(report.open().all(|i| (i.position == 0 && i.check == verso::qa::QaCheck::Numbers)
        || (i.position == 3 && i.check == verso::qa::QaCheck::Untranslated)));
    Ok(())
}

#[tokio::test]
async fn pretranslation_shows_progress_can_be_cancelled_and_fills_drafts() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let sentence =
        |i: usize| format!("Delegation {i} met the committee on trade and signed agreement number {i} today.");
    let text: String = (0..1500).map(|i| format!("{}\n\n", sentence(i))).collect();
    let project_path = project_with_text(dir.path(), "long.txt", &text)?;
    let pairs: Vec<(String, String)> = (0..1500)
        .map(|i| {
            (
                format!("Delegation {i} met the committee on trade and signed agreement number {i} yesterday."),
                format!("La delegación {i} se reunió con el comité de comercio y firmó el acuerdo número {i} ayer."),
            )
        })
        .collect();
    let memory = tmx(dir.path(), &pairs)?;
    let mut project = reopen(&project_path)?;
    let (en, es) = ("en".parse()?, "es".parse()?);
    project.import_tmx(&memory, "reference.tmx", 50, Some((&en, &es)), &mut |_, _| true)?;
    drop(project);

    let app = App::launch(&[&project_path], &dir.path().join("config")).await?;
    app.wait_for(&format!("{ROW}[data-position='0']")).await?;
    app.command("pretranslate").await?;
    app.cancel_running_work().await?;
    let status = app.eval(&format!("document.querySelector(\"{ROW}[data-position='0']\").dataset.status")).await?;
    assert_eq!(status, json!("new"));

    app.command("pretranslate").await?;
    app.wait_for_toast("Pre-translated 1500 of 1500", Duration::from_secs(120)).await?;
    let label = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=tm-origin]")).await?.text().await?;
    let expected = verso::tm::score::percent(&pairs[0].0, &sentence(0));
    assert_eq!(label, format!("TM {expected}%"));
    // The memories dialog lists the project memory and the reference one.
    app.command("manage-memories").await?;
    app.wait_until("two memories listed", "document.querySelectorAll('[data-testid=memory-row]').length === 2").await?;
    let rows = app.eval("[...document.querySelectorAll('[data-testid=memory-row]')].map(r => r.textContent)").await?;
    assert!(
        rows[1].as_str().is_some_and(|r| r.contains("reference.tmx") && r.replace(',', "").contains("1500")),
        "{rows}"
    );
    app.quit().await?;

    let project = reopen(&project_path)?;
    let doc = project.documents()?[0].id;
    let rows = project.segments(doc)?;
    assert!(
        rows.iter()
            .all(|r| r.status == Status::Draft && r.origin.as_deref() == Some(format!("tm:{expected}").as_str()))
    );
    assert_eq!(rows[7].translation.as_deref(), Some(pairs[7].1.as_str()));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn machine_suggestions_are_inserted_and_a_document_is_machine_translated_with_cancel() -> anyhow::Result<()> {
    let _one = lock().await;
    // An OpenAI-compatible service on loopback, a little slow, as a local LLM is.
    let server = loopback::serve(|request, _| {
        let body = request.json();
        let text = body["messages"][1]["content"].as_str().unwrap_or_default().to_string();
        let answer = serde_json::json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": format!("ES: {text}") } }] });
        loopback::Reply::json(200, answer.to_string()).after(Duration::from_millis(120))
    })
    .await;
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config)?;
    let mut profile = verso::mt::Profile::new("Loop LLM", verso::mt::ProviderKind::Openai);
    profile.url = format!("{}/v1", server.url);
    profile.model = Some("test-model".into());
    profile.enabled = true;
    verso::mt::Settings { profiles: vec![profile] }.save(&config)?;
    let text: String = (0..40).map(|i| format!("Sentence {i} of the statement.\n\n")).collect();
    let project_path = project_with_text(dir.path(), "statement.txt", &text)?;

    let app = App::launch(&[&project_path], &config).await?;
    let target = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    target.click().await?;
    let suggestion = app.wait_for("[data-testid=mt-suggestion] [data-testid=mt-text]").await?;
    assert_eq!(suggestion.text().await?, "ES: Sentence 0 of the statement.");
    let sent = app.wait_for("[data-testid=mt-suggestion] .mt-sent").await?.text().await?;
    assert!(sent.contains("Loop LLM") && sent.contains(&server.url), "{sent}");
    target.send_keys(&(Key::Alt + "1")).await?;
    app.wait_until(
        "the suggestion is stored as a draft",
        &format!("document.querySelector(\"{ROW}[data-position='0']\").dataset.status === 'draft'"),
    )
    .await?;

    app.command("mt-pretranslate").await?;
    let estimate = app.wait_for("[data-testid=mt-estimate]").await?.text().await?;
    assert!(estimate.contains("39 untranslated segments") && estimate.contains(&server.url), "{estimate}");
    app.wait_for("[data-testid=mt-batch-start]").await?.click().await?;
    app.cancel_running_work().await?;
    let status = app.eval(&format!("document.querySelector(\"{ROW}[data-position='1']\").dataset.status")).await?;
    assert_eq!(status, json!("new"), "a cancelled batch writes nothing");

    app.command("mt-pretranslate").await?;
    app.wait_for("[data-testid=mt-estimate]").await?;
    app.wait_for("[data-testid=mt-batch-start]").await?.click().await?;
    app.wait_for_toast("Machine-translated 39 segments", Duration::from_secs(60)).await?;
    app.quit().await?;

    // Every request was a documented chat completion, without a key (none set).
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.method == "POST" && r.path == "/v1/chat/completions"));
    assert!(requests.iter().all(|r| !r.headers.contains_key("authorization")));
    let project = reopen(&project_path)?;
    let doc = project.documents()?[0].id;
    let rows = project.segments(doc)?;
    assert!(rows.iter().all(|r| r.status == Status::Draft && r.origin.as_deref() == Some("mt:Loop LLM")), "{rows:?}");
    assert_eq!(rows[7].translation.as_deref(), Some("ES: Sentence 7 of the statement."));
    Ok(())
}

/// Runs the `verso` command line and returns its standard output.
fn run_verso(args: &[&std::ffi::OsStr]) -> anyhow::Result<String> {
    let output = Command::new(verso_cli()).args(args).output()?;
    if !output.status.success() {
        bail!("verso {:?}: {}", args, String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The translation of each segment of document 1 in a project, by the command line.
fn translations(project: &Path) -> anyhow::Result<Vec<Option<String>>> {
    let shown = run_verso(&["show".as_ref(), project.as_os_str(), "1".as_ref(), "--json".as_ref()])?;
    let rows: serde_json::Value = serde_json::from_str(&shown)?;
    Ok(rows
        .as_array()
        .map(|rows| rows.iter().map(|r| r["translation"].as_str().map(str::to_string)).collect())
        .unwrap_or_default())
}

#[tokio::test]
async fn a_team_project_syncs_with_another_clone_and_a_conflict_is_resolved_in_the_app() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    if !verso_cli().is_file() {
        bail!("{} is missing: build the command line first (cargo build; ./verso.sh test does)", verso_cli().display());
    }
    let remote = dir.path().join("team.git");
    let init = Command::new("git").arg("init").arg("--bare").arg("-q").arg(&remote).status()?;
    assert!(init.success(), "git init --bare");
    let ana = project_with_text(dir.path(), "statement.txt", "The ministry spoke on Monday. Talks continue.")?;
    let bo = dir.path().join("bo.verso");
    let (remote_arg, ana_arg, bo_arg) = (remote.as_os_str(), ana.as_os_str(), bo.as_os_str());
    run_verso(&["team".as_ref(), "share".as_ref(), ana_arg, remote_arg, "--author".as_ref(), "Ana".as_ref()])?;
    // Bo's clone is another machine, driven by the command line.
    run_verso(&["team".as_ref(), "clone".as_ref(), remote_arg, bo_arg, "--author".as_ref(), "Bo".as_ref()])?;
    let bo_sync = || run_verso(&["team".as_ref(), "sync".as_ref(), bo_arg, "--author".as_ref(), "Bo".as_ref()]);

    let app = App::launch(&[&ana], &dir.path().join("config")).await?;
    app.wait_for("[data-testid=team-bar]").await?;
    let syncs = "Number(document.querySelector('[data-testid=team-state]')?.dataset.syncs ?? 0)";
    app.wait_until("the sync on opening", &format!("{syncs} >= 1")).await?;
    // Clicks Sync now and waits until that sync has finished.
    let sync_now = || async {
        let before = app.eval(syncs).await?.as_u64().unwrap_or(0);
        app.wait_for("[data-testid=team-sync]").await?.click().await?;
        app.wait_until("the sync is done", &format!("{syncs} > {before}")).await
    };

    // A translation typed and synced in the app reaches Bo at his sync.
    let first = app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?;
    first.click().await?;
    first.send_keys("El ministerio habló el lunes.").await?;
    first.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "segment 1 is translated",
        &format!("document.querySelector(\"{ROW}[data-position='0']\")?.dataset.status === 'translated'"),
    )
    .await?;
    sync_now().await?;
    let state = app.eval("document.querySelector('[data-testid=team-state]').textContent").await?;
    assert!(state.as_str().is_some_and(|s| s.starts_with("Synced")), "{state}");
    bo_sync()?;
    assert_eq!(translations(&bo)?[0].as_deref(), Some("El ministerio habló el lunes."));

    // The same segment changed on both machines: both texts in the conflicts panel.
    run_verso(&[
        "set".as_ref(),
        bo_arg,
        "2".as_ref(),
        "Las conversaciones siguen.".as_ref(),
        "--status".as_ref(),
        "translated".as_ref(),
        "--author".as_ref(),
        "Bo".as_ref(),
    ])?;
    bo_sync()?;
    let second = app.wait_for(&format!("{ROW}[data-position='1'] [data-testid=segment-target]")).await?;
    second.click().await?;
    second.send_keys("Las negociaciones continúan.").await?;
    second.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "segment 2 is translated",
        &format!("document.querySelector(\"{ROW}[data-position='1']\")?.dataset.status === 'translated'"),
    )
    .await?;
    sync_now().await?;
    app.wait_for("[data-testid=team-conflicts-button]").await?.click().await?;
    app.wait_for("[data-testid=team-conflict]").await?;
    let mine = app.wait_for("[data-testid=conflict-mine]").await?.text().await?;
    let theirs = app.wait_for("[data-testid=conflict-theirs]").await?.text().await?;
    assert!(mine.contains("Las negociaciones continúan."), "{mine}");
    assert!(theirs.contains("Las conversaciones siguen.") && theirs.contains("Bo"), "{theirs}");
    app.wait_for("[data-testid=keep-mine]").await?.click().await?;
    app.wait_for("[data-testid=team-no-conflicts]").await?;
    app.wait_for("[data-testid=team-conflicts-close]").await?.click().await?;
    sync_now().await?;
    app.wait_until("no conflict is left", "!document.querySelector('[data-testid=team-conflicts-button]')").await?;
    bo_sync()?;
    let conflicts = run_verso(&["team".as_ref(), "conflicts".as_ref(), bo_arg, "--json".as_ref()])?;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&conflicts)?, json!([]), "{conflicts}");
    assert_eq!(translations(&bo)?[1].as_deref(), Some("Las negociaciones continúan."));
    app.quit().await?;
    Ok(())
}

/// Clicks *Sync now* in `app` and waits until that sync has finished.
async fn sync_now(app: &App) -> anyhow::Result<()> {
    let syncs = "Number(document.querySelector('[data-testid=team-state]')?.dataset.syncs ?? 0)";
    app.wait_until("the sync on opening", &format!("{syncs} >= 1")).await?;
    let before = app.eval(syncs).await?.as_u64().unwrap_or(0);
    app.wait_for("[data-testid=team-sync]").await?.click().await?;
    app.wait_until("the sync is done", &format!("{syncs} > {before}")).await?;
    Ok(())
}

/// Types `text` into the segment at `position` and confirms it.
async fn translate(app: &App, position: u32, text: &str) -> anyhow::Result<()> {
    let target = app.wait_for(&format!("{ROW}[data-position='{position}'] [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys(text).await?;
    target.send_keys(&(Key::Control + &Key::Enter)).await?;
    app.wait_until(
        "the segment is translated",
        &format!("document.querySelector(\"{ROW}[data-position='{position}']\")?.dataset.status === 'translated'"),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_apps_on_two_clones_exchange_a_translation_and_settle_a_conflict() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let remote = dir.path().join("team.git");
    let init = Command::new("git").arg("init").arg("--bare").arg("-q").arg(&remote).status()?;
    assert!(init.success(), "git init --bare");
    let ana = project_with_text(dir.path(), "statement.txt", "The ministry spoke on Monday. Talks continue.")?;
    let bo = dir.path().join("bo.verso");
    let (remote_arg, ana_arg, bo_arg) = (remote.as_os_str(), ana.as_os_str(), bo.as_os_str());
    run_verso(&["team".as_ref(), "share".as_ref(), ana_arg, remote_arg, "--author".as_ref(), "Ana".as_ref()])?;
    run_verso(&["team".as_ref(), "clone".as_ref(), remote_arg, bo_arg, "--author".as_ref(), "Bo".as_ref()])?;

    // Two people, two windows, two clones: as on two machines.
    let ana_app = App::launch_on(&[&ana], &dir.path().join("config-ana"), PORT, Some("Ana")).await?;
    let bo_app = App::launch_on(&[&bo], &dir.path().join("config-bo"), PORT + 2, Some("Bo")).await?;
    ana_app.wait_for("[data-testid=team-bar]").await?;
    bo_app.wait_for("[data-testid=team-bar]").await?;

    // Typed and synced in one window, it appears in the other after its sync.
    translate(&ana_app, 0, "El ministerio habló el lunes.").await?;
    sync_now(&ana_app).await?;
    sync_now(&bo_app).await?;
    bo_app
        .wait_until(
            "Ana's translation shows in Bo's window",
            &format!(
                "document.querySelector(\"{ROW}[data-position='0'] [data-testid=segment-target]\")?.value === 'El ministerio habló el lunes.'"
            ),
        )
        .await?;
    let incoming =
        bo_app.eval("document.querySelector('[data-testid=team-incoming-button]')?.textContent ?? ''").await?;
    assert!(incoming.as_str().is_some_and(|s| s.contains("incoming")), "{incoming}");

    // Both change the second segment: Bo's window shows both texts.
    translate(&ana_app, 1, "Las negociaciones continúan.").await?;
    translate(&bo_app, 1, "Las conversaciones siguen.").await?;
    sync_now(&ana_app).await?;
    sync_now(&bo_app).await?;
    // The editor's filter shows only the segment in conflict.
    bo_app.wait_for("[data-testid=team-conflicts-button]").await?;
    bo_app.wait_for("[data-testid=status-filter]").await?.select_by_value("conflicts").await?;
    bo_app
        .wait_until(
            "only the conflicted segment is listed",
            &format!("document.querySelectorAll(\"{ROW}\").length === 1 && !!document.querySelector(\"{ROW}[data-position='1']\")"),
        )
        .await?;
    bo_app.wait_for("[data-testid=status-filter]").await?.select_by_value("all").await?;
    bo_app.wait_for("[data-testid=team-conflicts-button]").await?.click().await?;
    bo_app.wait_for("[data-testid=team-conflict]").await?;
    let mine = bo_app.wait_for("[data-testid=conflict-mine]").await?.text().await?;
    let theirs = bo_app.wait_for("[data-testid=conflict-theirs]").await?.text().await?;
    assert!(mine.contains("Las conversaciones siguen."), "{mine}");
    assert!(theirs.contains("Las negociaciones continúan.") && theirs.contains("Ana"), "{theirs}");
    // Bo takes Ana's text; the choice reaches Ana's window at her sync.
    bo_app.wait_for("[data-testid=take-theirs]").await?.click().await?;
    bo_app.wait_for("[data-testid=team-no-conflicts]").await?;
    bo_app.wait_for("[data-testid=team-conflicts-close]").await?.click().await?;
    sync_now(&bo_app).await?;
    sync_now(&ana_app).await?;
    for app in [&ana_app, &bo_app] {
        app.wait_until("no conflict is left", "!document.querySelector('[data-testid=team-conflicts-button]')").await?;
        app.wait_until(
            "segment 2 reads Ana's text",
            &format!(
                "document.querySelector(\"{ROW}[data-position='1'] [data-testid=segment-target]\")?.value === 'Las negociaciones continúan.'"
            ),
        )
        .await?;
    }
    ana_app.quit().await?;
    bo_app.quit().await?;
    // Once both apps have let go of their projects, the clones agree.
    drop((reopen(&ana)?, reopen(&bo)?));
    assert_eq!(translations(&ana)?, translations(&bo)?);
    Ok(())
}

#[tokio::test]
async fn a_misspelled_word_is_underlined_and_a_suggestion_replaces_it() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "minister.txt", "The minister spoke. García Harfuch answered.")?;
    let app = App::launch(&[&project], &dir.path().join("config")).await?;
    let first = format!("{ROW}[data-position='0']");
    let target = app.wait_for(&format!("{first} [data-testid=segment-target]")).await?;
    target.click().await?;
    target.send_keys("El minsitro habló.").await?;
    // Underlined where the word is: the mark lies over the box's own text.
    app.wait_until(
        "the misspelled word is underlined",
        &format!(
            "(() => {{ const m = document.querySelector(\"{first} [data-testid=misspelled]\"); if (!m) return false; \
               const t = document.querySelector(\"{first} [data-testid=segment-target]\").getBoundingClientRect(); \
               const r = m.getBoundingClientRect(); \
               return m.textContent === 'minsitro' && r.left > t.left && r.right < t.right && r.top >= t.top && r.bottom <= t.bottom \
                 && getComputedStyle(m).textDecorationLine.includes('underline'); }})()"
        ),
    )
    .await?;
    // Caret in the word, Ctrl+. for corrections; the first replaces it.
    app.eval(&format!(
        "(() => {{ const t = document.querySelector(\"{first} [data-testid=segment-target]\"); t.focus(); t.setSelectionRange(5, 5); return true; }})()"
    ))
    .await?;
    target.send_keys(&(Key::Control + ".")).await?;
    app.wait_for("[data-testid=spelling-menu]").await?;
    let suggestion = app.wait_for("[data-testid=spelling-suggestion]").await?;
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(500)).await;
        std::fs::write(Path::new(&shots).join("spelling.png"), app.client.screenshot().await?)?;
    }
    assert_eq!(suggestion.text().await?, "ministro");
    suggestion.click().await?;
    app.wait_until(
        "the suggestion replaced the word and nothing is underlined",
        &format!(
            "document.querySelector(\"{first} [data-testid=segment-target]\").value === 'El ministro habló.' && \
             !document.querySelector(\"{first} [data-testid=misspelled]\")"
        ),
    )
    .await?;
    // A name the source does not use: added to the project dictionary.
    let second = format!("{ROW}[data-position='1']");
    let next = app.wait_for(&format!("{second} [data-testid=segment-target]")).await?;
    next.click().await?;
    next.send_keys("Respondió Harfuch y Ebrard.").await?;
    app.wait_until(
        "the name is underlined",
        &format!("document.querySelector(\"{second} [data-testid=misspelled]\")?.textContent === 'Ebrard'"),
    )
    .await?;
    // A right click on the word itself, with the caret elsewhere.
    app.eval(&format!(
        "(() => {{ const t = document.querySelector(\"{second} [data-testid=segment-target]\"); t.focus(); t.setSelectionRange(0, 0); \
           const r = document.querySelector(\"{second} [data-testid=misspelled]\").getBoundingClientRect(); \
           t.dispatchEvent(new MouseEvent('contextmenu', {{ clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }})); \
           return true; }})()"
    ))
    .await?;
    let menu = app.wait_for("[data-testid=spelling-menu]").await?.text().await?;
    assert!(menu.contains("Add “Ebrard” to the project dictionary"), "{menu}");
    app.wait_for("[data-testid=spelling-add]").await?.click().await?;
    app.wait_for_toast("Added “Ebrard” to the project dictionary", Duration::from_secs(10)).await?;
    app.wait_until("nothing is underlined", &format!("!document.querySelector(\"{second} [data-testid=misspelled]\")"))
        .await?;
    app.quit().await?;
    let stored = reopen(&project)?;
    assert_eq!(stored.project_words(&"es".parse()?)?, ["Ebrard"]);
    assert_eq!(stored.segments(stored.documents()?[0].id)?[0].translation.as_deref(), Some("El ministro habló."));
    Ok(())
}

#[tokio::test]
async fn a_project_wide_regex_replacement_is_previewed_and_undone_to_the_letter() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("sample.verso");
    let (project, document) = verso::sample::create_sample_project(&path)?;
    let before: Vec<(String, Option<String>, verso::Status)> =
        project.segments(document)?.into_iter().map(|r| (r.source, r.translation, r.status)).collect();
    drop(project);
    let app = App::launch(&[&path], &dir.path().join("config")).await?;
    app.wait_for(ROW).await?;
    press_ctrl_shift(&app, 'f').await?;
    let field = app.wait_for("[data-testid=find-text]").await?;
    app.wait_until("the project scope", "document.querySelector('[data-testid=find-scope]').value === 'project'")
        .await?;
    app.wait_for("[data-testid=find-regex]").await?.click().await?;
    field.send_keys(r"Ministerio (del \w+)").await?;
    app.wait_until(
        "hits are listed",
        "document.querySelectorAll('[data-testid=find-hit]').length === 3 && \
         document.querySelector('[data-testid=find-count]').textContent.includes('3 segments')",
    )
    .await?;
    app.wait_for("[data-testid=replace-text]").await?.send_keys("ministerio $1").await?;
    app.wait_for("[data-testid=replace-all]").await?.click().await?;
    app.wait_for("[data-testid=replace-preview]").await?;
    let changes = app.eval("document.querySelectorAll('[data-testid=replace-change]').length").await?;
    let inserted =
        app.eval("[...document.querySelectorAll('[data-testid=replace-change] ins')].map(e => e.textContent)").await?;
    assert_eq!(changes, json!(3));
    if let Some(shots) = std::env::var_os("VERSO_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(500)).await;
        std::fs::write(Path::new(&shots).join("replace-preview.png"), app.client.screenshot().await?)?;
    }
    assert!(inserted.to_string().contains("ministerio"), "the diff shows the new word: {inserted}");
    app.wait_for("[data-testid=replace-confirm]").await?.click().await?;
    app.wait_for_toast("Ctrl+Z or “Undo” takes it back", Duration::from_secs(10)).await?;
    app.wait_until(
        "the rows show the replacement",
        &format!("[...document.querySelectorAll(\"{ROW} [data-testid=segment-target]\")].some(t => t.value.includes('ministerio del Agua'))"),
    )
    .await?;
    // Ctrl+Z outside a text box takes the whole replacement back.
    app.eval("(() => { document.activeElement.blur(); return true; })()").await?;
    press_ctrl(&app, 'z').await?;
    app.wait_for_toast("Replacement undone", Duration::from_secs(10)).await?;
    app.quit().await?;
    let project = reopen(&path)?;
    let after: Vec<(String, Option<String>, verso::Status)> =
        project.segments(document)?.into_iter().map(|r| (r.source, r.translation, r.status)).collect();
    assert_eq!(after, before, "undo leaves every segment as it was");
    let history = project.revisions(project.segments(document)?[0].id)?;
    assert!(history.iter().any(|r| r.origin.as_deref() == Some("undo")), "the undo is recorded as revisions");
    Ok(())
}

#[tokio::test]
async fn a_changed_shortcut_is_refused_on_a_clash_and_works_after_a_restart() -> anyhow::Result<()> {
    let _one = lock().await;
    let dir = tempfile::tempdir()?;
    let project = project_with_text(dir.path(), "rates.txt", "The central bank raised rates again. Markets fell.")?;
    let config = dir.path().join("config");
    let app = App::launch(&[&project], &config).await?;
    app.wait_for(ROW).await?;
    app.command("shortcuts").await?;
    app.wait_for("[data-testid=shortcuts-search]").await?.send_keys("concordance").await?;
    app.wait_until(
        "only the concordance is listed",
        "document.querySelectorAll('[data-testid^=shortcut-]:is(tr)').length === 1",
    )
    .await?;
    let row = "[data-testid=shortcut-open-concordance]";
    // A clash: Ctrl+F belongs to find, and is refused by name.
    app.wait_for(&format!("{row} [data-testid=shortcut-change]")).await?.click().await?;
    press_ctrl(&app, 'f').await?;
    let error = app.wait_for("[data-testid=shortcuts-error]").await?.text().await?;
    assert!(error.contains("Ctrl+F is already the shortcut of “Find and replace in this document”"), "{error}");
    press_ctrl_shift(&app, 'y').await?;
    app.wait_until(
        "the new keys are shown",
        &format!("document.querySelector('{row} [data-testid=shortcut-keys]')?.textContent === 'Ctrl+Shift+Y'"),
    )
    .await?;
    app.wait_for("[data-testid=shortcuts-close]").await?.click().await?;
    app.quit().await?;

    let app = App::launch(&[&project], &config).await?;
    app.wait_for(ROW).await?;
    app.wait_for(&format!("{ROW}[data-position='0'] [data-testid=segment-target]")).await?.click().await?;
    press_ctrl_shift(&app, 'y').await?;
    app.wait_for("[data-testid=concordance-dialog]").await?;
    app.quit().await?;
    let stored = std::fs::read_to_string(config.join("shortcuts.json"))?;
    assert!(stored.contains("\"open-concordance\": \"Ctrl+Shift+Y\""), "{stored}");
    Ok(())
}

async fn press_ctrl(app: &App, key: char) -> anyhow::Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: Key::Control.into() })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: Key::Control.into() });
    app.client.perform_actions(keys).await?;
    Ok(())
}
