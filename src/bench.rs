//! Speed figures anyone can reproduce: `verso bench align|provenance`
//! (and `cargo bench`, which calls the same functions). They read public
//! data from the data folder (`VERSO_TEST_DATA`, by default
//! `../shared/data`) and print what they measured.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::lang::LangTag;
use crate::provenance::{Linker, SourceSegment};
use crate::revision::{Status, TranslationEdit};
use crate::session::{Session, SessionError};
use crate::summary::SentenceKind;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(
        "{path}: public test data not found; set VERSO_TEST_DATA to the folder holding ntrex_en_es_news/ \
         (../shared/data in a checkout)"
    )]
    NoData { path: PathBuf },
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Align(#[from] crate::align::AlignError),
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}

/// The data folder: `VERSO_TEST_DATA`, else `../shared/data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("VERSO_TEST_DATA").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from)
}

fn lines(data: &Path, relative: &str) -> Result<Vec<String>, BenchError> {
    if !data.is_dir() {
        return Err(BenchError::NoData { path: data.to_path_buf() });
    }
    let path = data.join(relative);
    let text = std::fs::read_to_string(&path).map_err(|source| BenchError::Read { path, source })?;
    Ok(text.lines().map(str::to_string).collect())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Peak resident memory of this process so far (Linux `VmHWM`).
pub fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_string())
}

/// Two 20,000-sentence documents: NTREX English and Spanish news repeated,
/// every 37th Spanish sentence deleted and every 23rd pair merged.
pub fn align(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let (mut source, mut target) = (Vec::new(), Vec::new());
    let mut i = 0usize;
    while source.len() < 20_000 {
        let k = i % english.len();
        source.push(english[k].clone());
        if i % 37 != 5 {
            if i % 23 == 7 {
                let next = (k + 1) % english.len();
                source.push(english[next].clone());
                target.push(format!("{} {}", spanish[k], spanish[next]));
                i += 1;
            } else {
                target.push(spanish[k].clone());
            }
        }
        i += 1;
    }
    let started = Instant::now();
    let beads = crate::align::align(
        &source.iter().map(String::as_str).collect::<Vec<_>>(),
        &target.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    let elapsed = started.elapsed();
    writeln!(
        out,
        "align {} × {} sentences (NTREX en/es, deletions and merges): {:.2} s, {} beads, peak memory {} (goal < 2 s)",
        source.len(),
        target.len(),
        elapsed.as_secs_f64(),
        beads.len(),
        peak_memory().unwrap_or_else(|| "unknown".into())
    )?;
    Ok(())
}

/// Fifty summary sentences made from source sentences: shortened, and one
/// in seven given a percentage the source does not have.
fn summary_sentences(english: &[String]) -> Vec<String> {
    (0..50)
        .map(|i| {
            let words: Vec<&str> = english[i * 37 % english.len()].split_whitespace().collect();
            let mut kept: Vec<String> = words.iter().take(words.len().clamp(4, 14)).map(|w| w.to_string()).collect();
            if i % 7 == 0 {
                kept.push(format!("{}%", 10 + i));
            }
            format!("{}.", kept.join(" "))
        })
        .collect()
}

/// Linking a 50-sentence summary against 10,000 source segments (NTREX
/// English with Spanish translations), re-linking one edited sentence,
/// and the same through a real project file as the summary screen does.
pub fn provenance(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    const SEGMENTS: usize = 10_000;
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let (en, es) = (LangTag::english(), LangTag::spanish());
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
    let mut flagged = 0;
    for _ in 0..5 {
        let started = Instant::now();
        flagged = summary.iter().map(|s| linker.check(s, &en)).filter(|c| !c.flags.is_empty()).count();
        whole.push(started.elapsed());
    }
    let mut single = Vec::new();
    for sentence in &summary {
        let edited = sentence.replacen(' ', " new ", 1);
        let started = Instant::now();
        std::hint::black_box(linker.check(&edited, &en));
        single.push(started.elapsed());
    }
    let worst = single.iter().max().copied().unwrap_or_default();
    writeln!(
        out,
        "provenance, {SEGMENTS} source segments with translations, 50-sentence summary ({flagged} flagged):"
    )?;
    writeln!(out, "  index the sources once:               {:>8.1} ms", ms(index_time))?;
    writeln!(out, "  link all 50 sentences (median of 5):  {:>8.1} ms  (goal < 100 ms)", ms(median(whole)))?;
    writeln!(
        out,
        "  re-link one edited sentence:          {:>8.2} ms median, {:.2} ms worst  (goal < 10 ms)",
        ms(median(single)),
        ms(worst)
    )?;

    let dir = std::env::temp_dir().join(format!("verso-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let result = provenance_through_project(&dir, &english, &summary, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn provenance_through_project(
    dir: &Path,
    english: &[String],
    summary: &[String],
    out: &mut impl Write,
) -> Result<(), BenchError> {
    let source_file = dir.join("news.txt");
    let text: String = (0..10_000).map(|i| format!("{}\n\n", english[i % english.len()])).collect();
    std::fs::write(&source_file, text).map_err(|source| BenchError::Read { path: source_file.clone(), source })?;
    let mut session = Session::new(dir.join("config"), "bench".into());
    session.create_project(&dir.join("bench.verso"))?;
    let document = session.import(&source_file, "en", "es", None)?.id;
    let summary_doc = session.create_summary("Bench", "en", &[document], None)?.id;
    let started = Instant::now();
    let view = session.add_summary_text(summary_doc, 0, &summary.join(" "), SentenceKind::Claim)?;
    let first = started.elapsed();
    let mut cached = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(session.summary(summary_doc)?);
        cached.push(started.elapsed());
    }
    let stored = session.segments(document)?.len();
    if let Some(sentence) = view.sections.first().and_then(|s| s.sentences.first()) {
        let started = Instant::now();
        session.save_translation(&TranslationEdit {
            segment: sentence.id,
            text: format!("{} again", sentence.text),
            status: Status::Draft,
            base: sentence.revision,
        })?;
        session.summary(summary_doc)?;
        writeln!(out, "  through a project file ({stored} source segments stored):")?;
        writeln!(out, "    first summary view (indexes the sources):  {:>8.1} ms", ms(first))?;
        writeln!(out, "    summary view, sources unchanged (median):  {:>8.1} ms", ms(median(cached)))?;
        writeln!(out, "    save one sentence and relink the summary:  {:>8.1} ms", ms(started.elapsed()))?;
    }
    Ok(())
}

/// A 10,000-segment translated document exported to XLIFF 2.1 and DOCX
/// and imported back (XLIFF into the same document, DOCX as a new one).
pub fn formats(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let dir = std::env::temp_dir().join(format!("verso-bench-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let result = formats_in(&dir, &english, &spanish, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn formats_in(dir: &Path, english: &[String], spanish: &[String], out: &mut impl Write) -> Result<(), BenchError> {
    use crate::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
    let mut session = Session::new(dir.join("config"), "bench".into());
    session.create_project(&dir.join("bench.verso"))?;
    let passages: Vec<NewPassage> = (0..2_000)
        .map(|p| NewPassage {
            kind: if p % 20 == 0 { PassageKind::Heading } else { PassageKind::Paragraph },
            level: if p % 20 == 0 { 2 } else { 0 },
            sentences: (0..5).map(|s| english[(p * 5 + s) % english.len()].clone()).collect(),
        })
        .collect();
    let document = NewDocument {
        title: "Bench".into(),
        source_lang: LangTag::english(),
        target_lang: LangTag::spanish(),
        origin: "bench".into(),
        format: SourceFormat::Text,
        passages,
    };
    let translations: Vec<crate::xliff::Translation> =
        (0..10_000).map(|i| Some((spanish[i % spanish.len()].clone(), Status::Translated))).collect();
    let project = dir.join("bench.verso");
    let id = {
        let mut store = crate::store::Project::open(&project).map_err(SessionError::from)?;
        let imported = crate::xliff::Imported { document, translations, codes: Vec::new(), notes: Vec::new() };
        store.add_translated_document(&imported, '2', "bench", "bench").map_err(SessionError::from)?
    };
    session.open_project(&project)?;
    let docx = dir.join("bench.docx");
    let started = Instant::now();
    session.export_document(id, crate::session::DocumentExport::Docx, &docx)?;
    let export_docx = started.elapsed();
    let started = Instant::now();
    let imported = session.import(&docx, "es", "en", None)?;
    let import_docx = started.elapsed();
    let xliff = dir.join("bench.xlf");
    let started = Instant::now();
    let units = session.export_document(id, crate::session::DocumentExport::Xliff2, &xliff)?.units;
    let export_xliff = started.elapsed();
    // Every target edited elsewhere, so the import writes 10,000 revisions.
    let edited = std::fs::read_to_string(&xliff)
        .map_err(|source| BenchError::Read { path: xliff.clone(), source })?
        .replace("</target>", " (revisado)</target>");
    std::fs::write(&xliff, edited).map_err(|source| BenchError::Read { path: xliff.clone(), source })?;
    let started = Instant::now();
    let changed = session.update_from_xliff(id, &xliff)?;
    let import_xliff = started.elapsed();
    writeln!(out, "formats, a {units}-segment translated document (release build):")?;
    writeln!(out, "  export XLIFF 2.1:                      {:>8.1} ms  (goal < 1 s)", ms(export_xliff))?;
    writeln!(
        out,
        "  import it back, every target edited:   {:>8.1} ms  ({changed} revisions; goal < 1 s)",
        ms(import_xliff)
    )?;
    writeln!(out, "  export the translation as DOCX:        {:>8.1} ms  (goal < 1 s)", ms(export_docx))?;
    writeln!(
        out,
        "  import that DOCX as a new document:    {:>8.1} ms  ({} segments; goal < 1 s)",
        ms(import_docx),
        imported.segments
    )?;
    Ok(())
}
