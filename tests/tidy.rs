//! The architecture's invariants, checked on the sources (rust-analyzer's
//! "tidy" tests): the core never names Tauri, only the store speaks SQL, a
//! module uses only its layer and the ones below and modules form no cycle,
//! the UI never injects HTML and frames every dialog alike, a Tauri command
//! only calls the session, the command line only the session, and every
//! file of the core says what it owns.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core's modules by layer, bottom up; a module may use its own layer
/// and the ones below. `docs/architecture.md` shows the same table.
const LAYERS: &[(&str, &[&str])] = &[
    ("text and language", &["lang", "text"]),
    ("model", &["document", "revision"]),
    (
        "engines",
        &[
            "analysis",
            "overview",
            "segment",
            "diff",
            "align",
            "provenance",
            "qa",
            "tm",
            "glossary",
            "summary",
            "spelling",
            "search",
        ],
    ),
    ("formats and other I/O", &["formats", "keys", "mt", "recent", "team"]),
    ("store", &["store"]),
    ("session", &["session", "sample", "bench"]),
    ("edges: the command line", &["cli"]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules" || n == "dist") {
                continue;
            }
            files(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

fn rust_files(dir: &str) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    files(&root().join(dir), "rs", &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(root()).expect("under the root").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("read source");
            (name, text)
        })
        .collect()
}

/// The code of a Rust file without its comments (doc links name modules
/// they do not use).
fn code(text: &str) -> String {
    text.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// `src/tm/tmx.rs` → `tm`; the crate root and the CLI belong to no layer.
fn module_of(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(module, "lib" | "main")).then_some(module)
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// Which module uses which, from every `crate::name` in the code.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in rust_files("src") {
        let Some(module) = module_of(&file) else { continue };
        let code = code(&text);
        for (at, _) in code.match_indices("crate::") {
            let used: String =
                code[at + "crate::".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if used != module && layer_of(&used).is_some() {
                graph.entry(module.to_string()).or_default().insert(used);
            }
        }
    }
    graph
}

#[test]
fn every_core_module_has_a_layer() {
    for (file, _) in rust_files("src") {
        if let Some(module) = module_of(&file) {
            assert!(layer_of(module).is_some(), "{file}: module `{module}` is in no layer of tests/tidy.rs");
        }
    }
}

#[test]
fn modules_use_only_their_layer_and_the_ones_below() {
    for (module, used) in module_graph() {
        for other in used {
            assert!(
                layer_of(&other) <= layer_of(&module),
                "`{module}` uses `{other}`, a higher layer; move the shared piece down instead"
            );
        }
    }
}

#[test]
fn modules_import_each_other_in_no_cycle() {
    let graph = module_graph();
    let edges = |module: &str| -> Vec<String> {
        graph.get(module).map(|used| used.iter().cloned().collect()).unwrap_or_default()
    };
    // Depth-first search for a back edge; the path names the cycle.
    fn visit(
        module: &str,
        edges: &dyn Fn(&str) -> Vec<String>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in edges(module) {
            if let Some(cycle) = visit(&next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &edges, &mut Vec::new(), &mut done) {
            panic!("modules import each other in a cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_core_never_names_tauri() {
    for (file, text) in rust_files("src") {
        assert!(!code(&text).contains("tauri"), "{file} names tauri; the core must build without it");
    }
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let core_dependencies = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    assert!(!core_dependencies.contains("tauri"), "the core package depends on tauri");
}

#[test]
fn only_the_store_uses_rusqlite() {
    for (file, text) in rust_files("src") {
        if module_of(&file) != Some("store") {
            assert!(!code(&text).contains("rusqlite"), "{file} uses rusqlite; SQL lives in the store");
        }
    }
}

#[test]
fn the_command_line_goes_through_the_session() {
    for (file, text) in rust_files("src") {
        if file == "src/main.rs" || module_of(&file) == Some("cli") {
            let code = code(&text);
            assert!(!code.contains("Project"), "{file} opens a Project; the command line calls the session");
        }
    }
}

#[test]
fn every_core_file_starts_with_what_it_owns() {
    for (file, text) in rust_files("src") {
        assert!(text.starts_with("//!"), "{file} lacks its //! header saying what it owns");
    }
}

#[test]
fn the_ui_never_injects_html() {
    let mut paths = Vec::new();
    files(&root().join("ui/src"), "svelte", &mut paths);
    assert!(!paths.is_empty(), "no Svelte files found under ui/src");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(!text.contains("{@html"), "{} injects HTML; insert text nodes", path.display());
    }
}

#[test]
fn every_dialog_uses_the_one_dialog_frame() {
    let mut paths = Vec::new();
    files(&root().join("ui/src"), "svelte", &mut paths);
    for path in paths.iter().filter(|p| !p.ends_with("lib/Dialog.svelte")) {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(!text.contains("role=\"dialog\""), "{} draws its own dialog; use lib/Dialog.svelte", path.display());
    }
}

/// Commands that do more than one session call, and why.
const COMMANDS_BEYOND_ONE_CALL: &[(&str, &str)] = &[
    ("cancel_work", "sets the flag long work polls; no session call"),
    ("first_rows", "reports the time to the first rows when asked to (VERSO_TIMING); no session call"),
    ("mt_pretranslate", "prepares under the lock, awaits the network without it, writes the result"),
    ("summary_draft", "prepares under the lock, awaits the network without it, writes the result"),
    ("summary_link_mt", "prepares under the lock, awaits the network without it, writes the result"),
    ("judge_claims", "prepares under the lock, awaits the network without it, writes the result"),
];

#[test]
fn a_tauri_command_only_calls_the_session() {
    let commands = std::fs::read_to_string(root().join("src-tauri/src/commands.rs")).expect("commands.rs");
    let mut seen = 0;
    for part in commands.split("#[tauri::command").skip(1) {
        let name: String = part
            .split("fn ")
            .nth(1)
            .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
            .expect("a command function");
        let body = code(part.split("\n}\n").next().unwrap_or(part));
        seen += 1;
        for forbidden in ["std::fs", "rusqlite", "Project::", "verso::store::", "verso::formats::"] {
            assert!(!body.contains(forbidden), "command {name} uses {forbidden}; move that into the session");
        }
        let calls = body.matches("with_session(").count();
        if !COMMANDS_BEYOND_ONE_CALL.iter().any(|(known, _)| *known == name) {
            assert_eq!(calls, 1, "command {name} makes {calls} session calls; a command is one session call");
        }
    }
    assert!(seen > 30, "only {seen} commands found in commands.rs");
}
