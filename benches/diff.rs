//! Diff speed and readability, printed as figures. Run with
//! `cargo bench --bench diff`.
//!
//! 1. A 10,000-segment project where 10% of segments were revised: the
//!    whole core path (two snapshots read from SQLite, then the diff), and
//!    the diff alone with each algorithm.
//! 2. NTREX English→Spanish: the first human translation against the
//!    second (1,997 sentence pairs), per algorithm, with a readability
//!    proxy: change hunks per changed sentence (fewer, larger hunks read
//!    as phrases rather than confetti).
//! 3. The Wikipedia revision pair in diff_speedtest, as one text.

mod common;

use std::time::Instant;

use verso::diff::{self, DiffAlgorithm, Granularity, SpanKind};
use verso::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
use verso::{Project, Status, TranslationEdit};

const ALGORITHMS: [DiffAlgorithm; 4] =
    [DiffAlgorithm::Auto, DiffAlgorithm::Myers, DiffAlgorithm::Patience, DiffAlgorithm::Histogram];

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[samples.len() / 2]
}

fn main() {
    let read = |f: &str| common::lines(&format!("ntrex_en_es_news/{f}"));
    let english = read("newstest2019-src.eng.txt");
    let first = read("newstest2019-ref.spa.txt");
    let second = read("newstest2019-ref-2.spa.txt");

    // 1. A 10,000-segment document, 10% revised.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut project = Project::create(&dir.path().join("bench.verso")).expect("project");
    let n = 10_000;
    let document = NewDocument {
        title: "bench".into(),
        source_lang: "en".parse().expect("tag"),
        target_lang: "es".parse().expect("tag"),
        origin: "bench".into(),
        format: SourceFormat::Text,
        passages: (0..n / 10)
            .map(|p| NewPassage {
                kind: PassageKind::Paragraph,
                level: 0,
                sentences: (0..10).map(|s| english[(p * 10 + s) % english.len()].clone()).collect(),
            })
            .collect(),
    };
    let doc = project.add_document(&document).expect("add");
    let rows = project.segments(doc).expect("rows");
    for (i, row) in rows.iter().enumerate() {
        let edit = TranslationEdit {
            segment: row.id,
            text: first[i % first.len()].clone(),
            status: Status::Translated,
            base: None,
            origin: None,
        };
        project.save_translation(&edit, "bench").expect("save");
    }
    let version = project.create_version(doc, "v1", "bench").expect("version");
    let mut revised = 0;
    for (i, row) in rows.iter().enumerate().filter(|(i, _)| i % 10 == 3) {
        let text = second[i % second.len()].clone();
        let text = if text == first[i % first.len()] { format!("{text} (revisado)") } else { text };
        let base = project.segment(row.id).expect("row").revision;
        project
            .save_translation(
                &TranslationEdit { segment: row.id, text, status: Status::Reviewed, base, origin: None },
                "bench",
            )
            .expect("revise");
        revised += 1;
    }
    let mut core = Vec::new();
    let mut changed = 0;
    for _ in 0..7 {
        let started = Instant::now();
        let result = verso::session::compare(&project, doc, Some(version.id), None, false).expect("compare");
        core.push(started.elapsed().as_secs_f64() * 1000.0);
        changed = result.stats.segments_changed;
    }
    println!(
        "10,000 segments, {revised} revised: version vs now, whole core path (SQLite snapshots + diff, Auto): {:.1} ms median ({changed} changed)",
        median(core)
    );
    let reads: Vec<f64> = (0..7)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(project.snapshots(doc, Some(version.id), None).expect("snapshots"));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!("  of which reading both snapshots from SQLite: {:.1} ms median", median(reads));
    let (old, new) = project.snapshots(doc, Some(version.id), None).expect("snapshots");
    for algorithm in ALGORITHMS {
        let samples: Vec<f64> = (0..7)
            .map(|_| {
                let started = Instant::now();
                let result = diff::diff_documents("v1", &old, "now", &new, Granularity::Word, algorithm);
                assert_eq!(result.stats.segments_changed, changed);
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        println!("  diff alone, {algorithm:?}: {:.1} ms median", median(samples));
    }

    // 2. Two human translations of the same news: a real revision pair.
    println!("NTREX es: first vs second human translation, {} sentence pairs", first.len().min(second.len()));
    for algorithm in ALGORITHMS {
        let started = Instant::now();
        let (mut changed, mut hunks, mut inserted, mut deleted, mut edit) = (0u32, 0u32, 0u32, 0u32, 0f32);
        for (a, b) in first.iter().zip(&second) {
            let d = diff::diff_text(a, b, Granularity::Word, algorithm);
            if d.is_changed() {
                changed += 1;
                edit += d.edit_percent;
                inserted += d.words_inserted;
                deleted += d.words_deleted;
                // A hunk is a run of deletes/inserts between equal spans.
                let mut in_hunk = false;
                for span in &d.spans {
                    let is_change = span.kind != SpanKind::Equal;
                    if is_change && !in_hunk {
                        hunks += 1;
                    }
                    in_hunk = is_change;
                }
            }
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  {algorithm:?}: {ms:.1} ms, {changed} changed, {:.2} hunks per changed sentence, {inserted} words inserted / {deleted} deleted, mean edit {:.1}%",
            hunks as f32 / changed.max(1) as f32,
            edit / changed.max(1) as f32
        );
    }

    // 3. The Wikipedia revision pair as one text.
    let speed = common::data_dir().join("diff_speedtest");
    let a = std::fs::read_to_string(speed.join("speedtest1.txt")).expect("speedtest1");
    let b = std::fs::read_to_string(speed.join("speedtest2.txt")).expect("speedtest2");
    for algorithm in ALGORITHMS {
        let samples: Vec<f64> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let d = diff::diff_text(&a, &b, Granularity::Word, algorithm);
                std::hint::black_box(d);
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        let d = diff::diff_text(&a, &b, Granularity::Word, algorithm);
        println!(
            "diff_speedtest (Wikipedia revision, {} / {} bytes), {algorithm:?}: {:.1} ms, {} spans, {} words inserted / {} deleted",
            a.len(),
            b.len(),
            median(samples),
            d.spans.len(),
            d.words_inserted,
            d.words_deleted
        );
    }
}
