//! The public Golden Rules segmentation suites (pragmatic_segmenter and
//! pySBD), read case by case from `$VERSO_TEST_DATA/golden_rules`.
//!
//! Every case must pass, or be listed with a reason in
//! `tests/segmentation_exceptions.txt`; a listed case that starts passing
//! fails too, so the list stays honest. The accuracy report is printed and
//! checked against the goals in docs/benchmarks.md.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde_json::Value;
use verso::LangTag;
use verso::segment;

fn data_dir() -> PathBuf {
    let dir = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
        .join("golden_rules");
    assert!(
        dir.is_dir(),
        "Golden Rules data not found at {}: set VERSO_TEST_DATA to the shared data folder",
        dir.display()
    );
    dir
}

struct Case {
    suite: &'static str,
    id: String,
    lang: String,
    text: String,
    expected: Vec<String>,
}

fn load(suite: &'static str, file: &str) -> Vec<Case> {
    let content = std::fs::read_to_string(data_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    content
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}: {e}"));
            let id = match &record["id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Case {
                suite,
                id,
                lang: record["lang"].as_str().unwrap_or("en").to_string(),
                text: record["text"].as_str().unwrap_or_default().to_string(),
                expected: record["expected"]
                    .as_array()
                    .map(|items| items.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Sentences compared as upstream does (trimmed), with runs of white space
/// folded (removed in Chinese and Japanese, where it carries no meaning):
/// Verso never rewrites text, so a case whose expectation joins a line
/// break into a space still counts when the boundaries agree.
fn normalize(sentence: &str, lang: &str) -> String {
    let separator = if matches!(lang, "ja" | "zh") { "" } else { " " };
    sentence.split_whitespace().collect::<Vec<_>>().join(separator)
}

fn exceptions() -> HashMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/segmentation_exceptions.txt");
    let content = std::fs::read_to_string(&path).unwrap_or_default();
    content
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (key, reason) = line.split_once(" — ").unwrap_or_else(|| panic!("exception without a reason: {line}"));
            (key.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

/// Whether the expected sentences are not the input's own characters
/// (white space aside): such a case asks the segmenter to rewrite text.
fn expects_rewrite(case: &Case) -> bool {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    fold(&case.expected.join(" ")) != fold(&case.text)
}

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
    /// Listed as `rewrite` or `convention`: outside the accuracy goal.
    excused: usize,
}

#[test]
fn golden_rules_pass_or_are_listed_with_a_reason() {
    let mut cases = load("en52", "en_golden_rules_52.jsonl");
    cases.extend(load("pysbd48", "pysbd_en_benchmark_48.jsonl"));
    cases.extend(load("pragmatic", "pragmatic_segmenter_specs.jsonl"));
    cases.extend(load("pysbd", "pysbd_tests.jsonl"));
    let listed = exceptions();
    let mut tally: BTreeMap<(&str, String), Tally> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut dump = String::new();
    for case in &cases {
        let lang: LangTag = case.lang.parse().unwrap_or_else(|_| LangTag::english());
        let got: Vec<String> = segment::split_text(&case.text, &lang)
            .map(|s| normalize(s, &case.lang))
            .filter(|s| !s.is_empty())
            .collect();
        let want: Vec<String> =
            case.expected.iter().map(|s| normalize(s, &case.lang)).filter(|s| !s.is_empty()).collect();
        let passed = got == want;
        let key = format!("{}:{}", case.suite, case.id);
        let entry = tally.entry((case.suite, case.lang.clone())).or_default();
        entry.total += 1;
        entry.passed += usize::from(passed);
        match (passed, listed.get(&key)) {
            (false, None) => {
                problems.push(key.clone());
                dump.push_str(&format!(
                    "{key} [{}]\n  text: {:?}\n  want: {want:?}\n  got:  {got:?}\n",
                    case.lang, case.text
                ));
            }
            (true, Some(_)) => problems.push(format!("{key} passes now: remove it from the exception list")),
            (false, Some(reason)) => {
                if reason.starts_with("rewrite:") && !expects_rewrite(case) {
                    problems
                        .push(format!("{key} is listed as a rewrite but its expected sentences are the input's text"));
                }
                if reason.starts_with("rewrite:") || reason.starts_with("convention:") {
                    entry.excused += 1;
                }
            }
            (true, None) => {}
        }
    }
    println!("\nGolden Rules accuracy: whole case must match; goal = excluding listed rewrite/convention cases");
    println!("  {:<10} {:<4} {:>9} {:>8} {:>8}", "suite", "lang", "passed", "raw", "goal");
    let mut by_suite: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for ((suite, lang), t) in &tally {
        let raw = 100.0 * t.passed as f64 / t.total as f64;
        let scored = 100.0 * t.passed as f64 / (t.total - t.excused).max(1) as f64;
        println!("  {suite:<10} {lang:<4} {:>4}/{:<4} {raw:>7.2}% {scored:>7.2}%", t.passed, t.total);
        let goal = match (*suite, lang.as_str()) {
            ("en52" | "pysbd48", _) => Some(98.0),
            (_, "en") => None,
            _ => Some(95.0),
        };
        if goal.is_some_and(|g| scored < g) {
            misses.push(format!("{suite} {lang}: {scored:.2}% is below the goal"));
        }
        let s = by_suite.entry(suite).or_default();
        s.passed += t.passed;
        s.total += t.total;
        s.excused += t.excused;
    }
    for (suite, t) in &by_suite {
        let raw = 100.0 * t.passed as f64 / t.total as f64;
        let scored = 100.0 * t.passed as f64 / (t.total - t.excused).max(1) as f64;
        println!("  {suite:<10} all  {:>4}/{:<4} {raw:>7.2}% {scored:>7.2}%", t.passed, t.total);
    }
    if let Some(path) = std::env::var_os("VERSO_SEGMENT_FAILURES") {
        std::fs::write(path, &dump).expect("write failures");
    }
    assert!(
        problems.is_empty(),
        "{} cases differ from the reviewed list:\n{}\n{dump}",
        problems.len(),
        problems.join("\n")
    );
    assert!(misses.is_empty(), "accuracy goals missed:\n{}", misses.join("\n"));
}
