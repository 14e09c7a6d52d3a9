//! Linking a 50-sentence summary against 10,000 source segments, and
//! re-linking one edited sentence, printed as figures. Run with
//! `cargo bench --bench provenance`. Sources are NTREX English news
//! sentences (with their Spanish translations) repeated to 10,000
//! segments; the summary is 50 of those sentences shortened, a few with a
//! changed number. Also measured through a real project file, as the
//! desktop summary screen asks for it.

mod common;

use std::time::{Duration, Instant};

use verso::provenance::{Linker, SourceSegment};
use verso::session::Session;
use verso::summary::SentenceKind;
use verso::{LangTag, TranslationEdit};

const SEGMENTS: usize = 10_000;

fn summary_sentences(english: &[String]) -> Vec<String> {
    (0..50)
        .map(|i| {
            let words: Vec<&str> = english[i * 37 % english.len()].split_whitespace().collect();
            let mut kept: Vec<String> = words.iter().take(words.len().clamp(4, 14)).map(|w| w.to_string()).collect();
            if i % 7 == 0 {
                kept.push(format!("{}%", 10 + i));
            }
            let mut sentence = kept.join(" ");
            sentence.push('.');
            sentence
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let english = common::lines("ntrex_en_es_news/newstest2019-src.eng.txt");
    let spanish = common::lines("ntrex_en_es_news/newstest2019-ref.spa.txt");
    let en: LangTag = "en".parse().expect("tag");
    let es: LangTag = "es".parse().expect("tag");
    let sources: Vec<SourceSegment> = (0..SEGMENTS)
        .map(|i| SourceSegment {
            text: english[i % english.len()].clone(),
            translation: Some(spanish[i % spanish.len()].clone()),
        })
        .collect();
    let summary = summary_sentences(&english);

    let started = Instant::now();
    let linker = Linker::new(sources, en.clone(), Some(es));
    let index_time = started.elapsed();
    let mut whole = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let flagged = summary.iter().map(|s| linker.check(s, &en)).filter(|c| !c.flags.is_empty()).count();
        whole.push(started.elapsed());
        assert!(flagged >= 1, "the changed numbers are flagged");
    }
    let mut single = Vec::new();
    for sentence in &summary {
        let edited = sentence.replacen(' ', " new ", 1);
        let started = Instant::now();
        std::hint::black_box(linker.check(&edited, &en));
        single.push(started.elapsed());
    }
    println!("provenance, {SEGMENTS} source segments (with translations), 50-sentence summary:");
    println!("  index the sources once:             {:>8.1} ms", index_time.as_secs_f64() * 1e3);
    println!("  link all 50 sentences (median of 5): {:>8.1} ms  (goal < 100 ms)", median(whole).as_secs_f64() * 1e3);
    println!(
        "  re-link one edited sentence:         {:>8.2} ms median, {:.2} ms worst  (goal < 10 ms)",
        median(single.clone()).as_secs_f64() * 1e3,
        single.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );

    // Through a real project file and the session the desktop uses.
    let dir = tempfile::tempdir().expect("tempdir");
    let source_file = dir.path().join("news.txt");
    let text: String = (0..SEGMENTS).map(|i| format!("{}\n\n", english[i % english.len()])).collect();
    std::fs::write(&source_file, text).expect("write");
    let mut session = Session::new(dir.path().join("config"), "bench".into());
    session.create_project(&dir.path().join("bench.verso")).expect("project");
    let document = session.import(&source_file, "en", "es", None).expect("import").id;
    let summary_doc = session.create_summary("Bench", "en", &[document], None).expect("summary").id;
    let started = Instant::now();
    let view = session.add_summary_text(summary_doc, 0, &summary.join(" "), SentenceKind::Claim).expect("add");
    let first = started.elapsed();
    let mut cached = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(session.summary(summary_doc).expect("view"));
        cached.push(started.elapsed());
    }
    let sentence = view.sections[0].sentences[0].clone();
    let started = Instant::now();
    let edit = TranslationEdit {
        segment: sentence.id,
        text: format!("{} again", sentence.text),
        status: verso::Status::Draft,
        base: sentence.revision,
    };
    session.save_translation(&edit).expect("save");
    session.summary(summary_doc).expect("view");
    let save_and_relink = started.elapsed();
    println!("  through the project file ({} segments stored):", session.segments(document).expect("rows").len());
    println!("    first summary view (indexes the sources):  {:>8.1} ms", first.as_secs_f64() * 1e3);
    println!("    summary view, sources unchanged (median):  {:>8.1} ms", median(cached).as_secs_f64() * 1e3);
    println!("    save one sentence and relink the summary:  {:>8.1} ms", save_and_relink.as_secs_f64() * 1e3);
}
