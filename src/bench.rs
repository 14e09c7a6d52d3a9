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
    percentile(&mut times, 0.5)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub mod readers;
pub mod summedits;

/// Peak resident memory of this process so far, in kB (Linux `VmHWM`).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()
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
            machine: false,
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
            origin: None,
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
    let translations: Vec<crate::formats::xliff::Translation> =
        (0..10_000).map(|i| Some((spanish[i % spanish.len()].clone(), Status::Translated))).collect();
    let project = dir.join("bench.verso");
    let id = {
        let mut store = crate::store::Project::open(&project).map_err(SessionError::from)?;
        let imported = crate::formats::xliff::Imported { document, translations, codes: Vec::new(), notes: Vec::new() };
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

/// A small deterministic generator (SplitMix64), so the synthetic memory is
/// the same on every run.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Replaces `edits` words of `sentence` by words of `donor`.
fn vary(sentence: &str, donor: &str, edits: u64, seed: u64) -> String {
    let mut words: Vec<&str> = sentence.split(' ').collect();
    let donors: Vec<&str> = donor.split(' ').collect();
    for e in 0..edits {
        let at = (mix(seed ^ e) % words.len() as u64) as usize;
        let from = (mix(seed ^ (e << 8)) % donors.len() as u64) as usize;
        words[at] = donors[from];
    }
    words.join(" ")
}

/// Pair `i` of the synthetic memory. The first round is the NTREX pairs
/// themselves; after that each pair joins the start of one NTREX pair to
/// the end of another (cut at 30–70% of the words, the same share on both
/// sides), and one in two gets a word swapped for a word of a third. So the
/// memory holds the phrases of news text in ever new sentences, rather than
/// hundreds of copies of each sentence.
pub fn synthetic_pair(english: &[String], spanish: &[String], i: u64) -> (String, String) {
    let n = english.len() as u64;
    let k = (i % n) as usize;
    if i < n {
        return (english[k].clone(), spanish[k].clone());
    }
    let seed = mix(i);
    let donor = (mix(seed) % n) as usize;
    let share = 30 + seed % 41;
    let splice = |a: &str, b: &str| {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
        let head = (a.len() as u64 * share / 100).max(1) as usize;
        let tail = (b.len() as u64 * share / 100) as usize;
        let mut out = a[..head.min(a.len())].to_vec();
        out.extend_from_slice(&b[tail.min(b.len())..]);
        out.join(" ")
    };
    let (mut source, mut target) = (splice(&english[k], &english[donor]), splice(&spanish[k], &spanish[donor]));
    if seed & 1 == 0 {
        let third = (mix(seed ^ 3) % n) as usize;
        source = vary(&source, &english[third], 1, seed);
        target = vary(&target, &spanish[third], 1, seed);
    }
    (source, target)
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}

/// A generated memory of `units` pairs (see [`synthetic_pair`]) written as
/// TMX, imported into a project file, then 1,000 fuzzy lookups of edited
/// NTREX sentences and 200 concordance searches.
pub fn tm(data: &Path, units: u64, out: &mut impl Write) -> Result<(), BenchError> {
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let dir = std::env::temp_dir().join(format!("verso-bench-tm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let result = tm_in(&dir, &english, &spanish, units, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn tm_in(
    dir: &Path,
    english: &[String],
    spanish: &[String],
    units: u64,
    out: &mut impl Write,
) -> Result<(), BenchError> {
    // A project kept from an earlier run skips generating and importing.
    if let Some(kept) = std::env::var_os("VERSO_BENCH_TM_PROJECT").map(std::path::PathBuf::from)
        && kept.is_file()
    {
        return tm_queries(&kept, english, out);
    }
    let tmx_path = dir.join("synthetic.tmx");
    let file = std::io::BufWriter::new(std::fs::File::create(&tmx_path)?);
    let mut writer = crate::formats::tmx::TmxWriter::start(file, "en-US")?;
    for i in 0..units {
        let (source, target) = synthetic_pair(english, spanish, i);
        let unit = crate::formats::tmx::TmxUnit {
            source_lang: "en-US".into(),
            target_lang: "es-ES".into(),
            source,
            target,
            author: Some("bench".into()),
            date: None,
        };
        writer.unit(&unit)?;
    }
    writer.finish()?.flush()?;
    let tmx_bytes = std::fs::metadata(&tmx_path)?.len();

    let project_path = dir.join("bench.verso");
    let mut project = crate::store::Project::create(&project_path).map_err(SessionError::from)?;
    let started = Instant::now();
    let (memory, _) = project
        .import_tmx(&tmx_path, "synthetic", 50, Some((&LangTag::english(), &LangTag::spanish())), &mut |_, _| true)
        .map_err(|e| BenchError::Write(std::io::Error::other(e.to_string())))?;
    let import = started.elapsed();
    let project_bytes = std::fs::metadata(&project_path)?.len();
    writeln!(
        out,
        "tm import {} units from TMX ({:.0} MB): {:.1} s (goal < 60 s), project file {:.0} MB, peak memory {}",
        memory.units,
        tmx_bytes as f64 / 1e6,
        import.as_secs_f64(),
        project_bytes as f64 / 1e6,
        peak_memory().unwrap_or_else(|| "unknown".into())
    )?;
    drop(project);
    if let Some(kept) = std::env::var_os("VERSO_BENCH_TM_PROJECT") {
        std::fs::copy(&project_path, kept)?;
    }
    tm_queries(&project_path, english, out)
}

/// What fuzzy lookups measured: each one's time, how many found a match
/// (and their best percentages summed), and of the queries whose own
/// sentence scores at least the threshold, how many found it or better.
struct Lookups {
    times: Vec<Duration>,
    found: usize,
    best_total: u64,
    seeded: usize,
    seed_found: usize,
}

/// Looks up each query (the sentence it was made from, the query) as the
/// editor does: top 5 at the default threshold.
fn lookups<'a>(
    project: &crate::store::Project,
    source_lang: &LangTag,
    target_lang: &LangTag,
    queries: impl Iterator<Item = (&'a str, String)>,
) -> Result<Lookups, BenchError> {
    let mut figures = Lookups { times: Vec::new(), found: 0, best_total: 0, seeded: 0, seed_found: 0 };
    for (original, sentence) in queries {
        let query = crate::tm::Query { source: &sentence, source_lang, target_lang, before: None, after: None };
        let started = Instant::now();
        let matches = project.lookup(&query, crate::tm::DEFAULT_THRESHOLD, 5).map_err(SessionError::from)?;
        figures.times.push(started.elapsed());
        if let Some(best) = matches.first() {
            figures.found += 1;
            figures.best_total += u64::from(best.percent);
        }
        // The sentence the query was made from is in the memory: a match
        // at least as good must be found whenever it reaches the threshold.
        let seed = crate::tm::score::percent(original, &sentence);
        if seed >= crate::tm::DEFAULT_THRESHOLD {
            figures.seeded += 1;
            figures.seed_found += usize::from(matches.first().is_some_and(|best| best.percent >= seed));
        }
    }
    Ok(figures)
}

fn tm_queries(project_path: &Path, english: &[String], out: &mut impl Write) -> Result<(), BenchError> {
    // Lookups run as the app runs them: a freshly opened project file.
    let project = crate::store::Project::open(project_path).map_err(SessionError::from)?;
    let queries = (0..1_000u64).map(|q| {
        let k = (mix(q ^ 0xABCD) % english.len() as u64) as usize;
        let donor = (mix(q) % english.len() as u64) as usize;
        (english[k].as_str(), vary(&english[k], &english[donor], 1 + q % 2, mix(q ^ 0x5EED)))
    });
    let Lookups { mut times, found, best_total, seeded, seed_found } =
        lookups(&project, &LangTag::english(), &LangTag::spanish(), queries)?;
    writeln!(
        out,
        "tm fuzzy lookup (1,000 edited NTREX sentences, top 5 ≥ 70%): p50 {:.1} ms, p95 {:.1} ms (goal < 20 ms), max {:.1} ms; {} found a match, mean best {:.0}%; the sentence each was made from (or better) found for {} of {} where it scores ≥ 70%",
        ms(percentile(&mut times, 0.5)),
        ms(percentile(&mut times, 0.95)),
        ms(percentile(&mut times, 1.0)),
        found,
        best_total as f64 / found.max(1) as f64,
        seed_found,
        seeded
    )?;

    let mut times = Vec::new();
    let mut hits = 0usize;
    for q in 0..200u64 {
        let words: Vec<&str> = english[(mix(q ^ 0xC0C0) % english.len() as u64) as usize].split(' ').collect();
        let at = (mix(q) % words.len() as u64) as usize;
        let phrase = words[at..(at + 1 + (q % 2) as usize).min(words.len())].join(" ");
        let started = Instant::now();
        hits += project.concordance(&phrase, crate::tm::SearchIn::Both, 50).map_err(SessionError::from)?.len();
        times.push(started.elapsed());
    }
    writeln!(
        out,
        "tm concordance (200 one- and two-word phrases, 50 newest hits): p50 {:.1} ms, p95 {:.1} ms (goal < 50 ms), max {:.1} ms, {} hits, peak memory {}",
        ms(percentile(&mut times, 0.5)),
        ms(percentile(&mut times, 0.95)),
        ms(percentile(&mut times, 1.0)),
        hits,
        peak_memory().unwrap_or_else(|| "unknown".into())
    )?;
    drop(project);
    analysis(project_path, english, out)
}

/// The analysis of a 10,000-segment document of edited NTREX sentences
/// (every fifth one repeated) against the memory, as `verso analyse` runs it.
fn analysis(project_path: &Path, english: &[String], out: &mut impl Write) -> Result<(), BenchError> {
    use crate::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
    let mut project = crate::store::Project::open(project_path).map_err(SessionError::from)?;
    let sentence = |i: u64| {
        let k = (mix(i ^ 0xA11A) % english.len() as u64) as usize;
        let donor = (mix(i) % english.len() as u64) as usize;
        if i % 5 == 4 { english[k].clone() } else { vary(&english[k], &english[donor], 1 + i % 3, mix(i ^ 0x5EED)) }
    };
    let passages: Vec<NewPassage> = (0..2_000u64)
        .map(|p| NewPassage {
            kind: PassageKind::Paragraph,
            level: 0,
            sentences: (0..5).map(|s| sentence(p * 5 + s)).collect(),
        })
        .collect();
    let document = project
        .add_document(&NewDocument {
            title: format!("analysis bench {}", std::process::id()),
            source_lang: LangTag::english(),
            target_lang: LangTag::spanish(),
            origin: "bench".into(),
            format: SourceFormat::Text,
            passages,
        })
        .map_err(SessionError::from)?;
    let started = Instant::now();
    let analysis = project
        .analyse(&[document], "bench".into(), &mut |_, _| true)
        .map_err(SessionError::from)?
        .ok_or_else(|| BenchError::Write(std::io::Error::other("the analysis was cancelled")))?;
    let took = started.elapsed();
    let bands: Vec<String> = analysis.bands.iter().map(|b| format!("{} {}", b.band.label(), b.words)).collect();
    writeln!(
        out,
        "analysis of a {}-segment document against the memory: {:.1} s (goal < 60 s); words by band: {}",
        analysis.segments,
        took.as_secs_f64(),
        bands.join(", ")
    )?;
    Ok(())
}

/// A translated document of `segments` NTREX sentences, straight into the
/// store (the set-up is not what is measured).
fn translated_document(
    project: &mut crate::store::Project,
    english: &[String],
    spanish: &[String],
    title: &str,
    segments: usize,
) -> Result<crate::document::DocumentId, BenchError> {
    use crate::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
    let passages: Vec<NewPassage> = (0..segments.div_ceil(5))
        .map(|p| NewPassage {
            kind: PassageKind::Paragraph,
            level: 0,
            sentences: (0..5).map(|s| english[(p * 5 + s) % english.len()].clone()).collect(),
        })
        .collect();
    let document = NewDocument {
        title: title.into(),
        source_lang: LangTag::english(),
        target_lang: LangTag::spanish(),
        origin: "bench".into(),
        format: SourceFormat::Text,
        passages,
    };
    let translations: Vec<crate::formats::xliff::Translation> =
        (0..segments).map(|i| Some((spanish[i % spanish.len()].clone(), Status::Translated))).collect();
    let imported = crate::formats::xliff::Imported { document, translations, codes: Vec::new(), notes: Vec::new() };
    Ok(project.add_translated_document(&imported, '2', "bench", "bench").map_err(SessionError::from)?)
}

fn folder_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Team projects: syncs of a 10,000-segment project with 1,000 segments
/// changed on each of two clones (through a bare repository on a path and,
/// when `git` is installed, `git daemon` on 127.0.0.1), then joining a
/// project of 100 documents, 100,000 segments and 300,000 revisions.
pub fn team(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let dir = std::env::temp_dir().join(format!("verso-bench-team-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| BenchError::Read { path: dir.clone(), source })?;
    let result = team_in(&dir, &english, &spanish, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn team_in(dir: &Path, english: &[String], spanish: &[String], out: &mut impl Write) -> Result<(), BenchError> {
    let remote = dir.join("team.git");
    git2::Repository::init_bare(&remote)
        .map_err(|e| BenchError::Read { path: remote.clone(), source: std::io::Error::other(e) })?;
    let daemon_port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port())?;
    // `git-daemon` itself: `git daemon` would run it as a child left behind by kill.
    let exec_path = std::process::Command::new("git").arg("--exec-path").output().ok();
    let exec_path = exec_path.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let mut daemon = std::process::Command::new(Path::new(&exec_path).join("git-daemon"))
        .args(["--export-all", "--reuseaddr", "--enable=receive-pack", "--listen=127.0.0.1"])
        .arg(format!("--port={daemon_port}"))
        .arg(format!("--base-path={}", dir.display()))
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok();
    let result = team_syncs(dir, &remote, daemon.as_ref().map(|_| daemon_port), english, spanish, out)
        .and_then(|()| team_clone(dir, english, spanish, out));
    if let Some(daemon) = &mut daemon {
        let _ = daemon.kill();
        let _ = daemon.wait();
    }
    result
}

fn edit_range(session: &mut Session, range: std::ops::Range<usize>, tag: &str) -> Result<(), BenchError> {
    let rows = session.segments(crate::document::DocumentId(1))?;
    for row in &rows[range] {
        let edit = TranslationEdit {
            segment: row.id,
            text: format!("{} ({tag})", row.translation.clone().unwrap_or_default()),
            status: Status::Translated,
            base: row.revision,
            origin: None,
        };
        session.save_translation(&edit)?;
    }
    Ok(())
}

fn team_syncs(
    dir: &Path,
    remote: &Path,
    daemon_port: Option<u16>,
    english: &[String],
    spanish: &[String],
    out: &mut impl Write,
) -> Result<(), BenchError> {
    let a_path = dir.join("a.verso");
    {
        let mut project = crate::store::Project::create(&a_path).map_err(SessionError::from)?;
        translated_document(&mut project, english, spanish, "Bench", 10_000)?;
    }
    let mut a = Session::for_command(dir.join("config"), Some("Ana".into()));
    a.open_project(&a_path)?;
    a.share_team(&remote.to_string_lossy())?;
    writeln!(
        out,
        "team projects, a 10,000-segment project, 1,000 segments changed on each of two clones (release build):"
    )?;
    let mut urls = vec![("bare repository on a path", remote.to_string_lossy().into_owned())];
    if let Some(port) = daemon_port {
        urls.push(("git daemon on 127.0.0.1", format!("git://127.0.0.1:{port}/team.git")));
    }
    for (round, (how, url)) in urls.into_iter().enumerate() {
        let b_path = dir.join(format!("b{round}.verso"));
        let mut b = Session::for_command(dir.join("config"), Some("Bo".into()));
        let started = Instant::now();
        b.join_team(&url, &b_path)?;
        let join = started.elapsed();
        let offset = round * 2_000;
        edit_range(&mut a, offset..offset + 1_000, "Ana")?;
        edit_range(&mut b, offset + 1_000..offset + 2_000, "Bo")?;
        let started = Instant::now();
        a.sync_team()?;
        let first = started.elapsed();
        let started = Instant::now();
        let report = b.sync_team()?;
        let second = started.elapsed();
        let started = Instant::now();
        let back = a.sync_team()?;
        let third = started.elapsed();
        writeln!(out, "  {how}:")?;
        writeln!(out, "    join (clone and build the project):  {:>8.1} ms", ms(join))?;
        writeln!(out, "    sync A (push 1,000 changes):         {:>8.1} ms  (goal < 2 s)", ms(first))?;
        writeln!(
            out,
            "    sync B (merge, take in {}, push):  {:>8.1} ms  (goal < 2 s)",
            report.revisions.len(),
            ms(second)
        )?;
        writeln!(
            out,
            "    sync A (take in {}):               {:>8.1} ms  (goal < 2 s)",
            back.revisions.len(),
            ms(third)
        )?;
    }
    writeln!(out, "  peak memory so far: {}", peak_memory().unwrap_or_else(|| "unknown".into()))?;
    team_memory(dir, &mut a, &remote.to_string_lossy(), english, spanish, out)
}

/// A 100,000-unit reference memory shared through the same project: its
/// one sync, a join that takes it in, and a quiet sync afterwards (which
/// should not pay for the memory).
fn team_memory(
    dir: &Path,
    a: &mut Session,
    remote: &str,
    english: &[String],
    spanish: &[String],
    out: &mut impl Write,
) -> Result<(), BenchError> {
    const UNITS: usize = 100_000;
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut tmx = String::from("<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n");
    for i in 0..UNITS {
        let (en, es) = (&english[i % english.len()], &spanish[i % spanish.len()]);
        tmx.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>{} ({i})</seg></tuv><tuv xml:lang=\"es\"><seg>{} ({i})</seg></tuv></tu>\n",
            escape(en),
            escape(es)
        ));
    }
    tmx.push_str("</body></tmx>\n");
    let path = dir.join("agency.tmx");
    std::fs::write(&path, tmx).map_err(|source| BenchError::Read { path: path.clone(), source })?;
    let started = Instant::now();
    a.sync_team()?;
    let quiet_before = started.elapsed();
    a.import_memory(&path, None, &mut |_, _| true)?;
    let started = Instant::now();
    a.sync_team()?;
    let shared = started.elapsed();
    let started = Instant::now();
    a.sync_team()?;
    let quiet_after = started.elapsed();
    let mut c = Session::for_command(dir.join("config"), Some("Cy".into()));
    let started = Instant::now();
    let joined = c.join_team(remote, &dir.join("c.verso"))?;
    let join = started.elapsed();
    writeln!(
        out,
        "  a {UNITS}-unit reference memory imported on A ({} MB of TMX):",
        path.metadata()?.len() / 1_000_000
    )?;
    writeln!(out, "    quiet sync A before it:              {:>8.1} ms", ms(quiet_before))?;
    writeln!(out, "    sync A (shares the memory):          {:>8.1} ms", ms(shared))?;
    writeln!(out, "    quiet sync A after it:               {:>8.1} ms", ms(quiet_after))?;
    writeln!(out, "    join C (project and {} memory):       {:>8.1} ms", joined.report.memories.len(), ms(join))?;
    writeln!(out, "  peak memory so far: {}", peak_memory().unwrap_or_else(|| "unknown".into()))?;
    Ok(())
}

fn team_clone(dir: &Path, english: &[String], spanish: &[String], out: &mut impl Write) -> Result<(), BenchError> {
    use crate::revision::Decision;
    let remote = dir.join("big.git");
    git2::Repository::init_bare(&remote)
        .map_err(|e| BenchError::Read { path: remote.clone(), source: std::io::Error::other(e) })?;
    let path = dir.join("big.verso");
    {
        let mut project = crate::store::Project::create(&path).map_err(SessionError::from)?;
        for d in 0..100 {
            let id = translated_document(&mut project, english, spanish, &format!("Bench {d}"), 1_000)?;
            let segments: Vec<_> = project.segments(id).map_err(SessionError::from)?.iter().map(|r| r.id).collect();
            project.bulk_review(&segments, Decision::Reviewed, "Bo").map_err(SessionError::from)?;
            project.bulk_review(&segments, Decision::Approved, "Cy").map_err(SessionError::from)?;
        }
    }
    let mut a = Session::for_command(dir.join("config"), Some("Ana".into()));
    a.open_project(&path)?;
    let started = Instant::now();
    a.share_team(&remote.to_string_lossy())?;
    let share = started.elapsed();
    let size = folder_size(&remote);
    let mut b = Session::for_command(dir.join("config"), Some("Bo".into()));
    let started = Instant::now();
    b.join_team(&remote.to_string_lossy(), &dir.join("big-b.verso"))?;
    let join = started.elapsed();
    edit_range(&mut a, 0..1_000, "1")?;
    let rows = a.segments(crate::document::DocumentId(2))?;
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    a.bulk_review(&ids, Decision::Reviewed)?;
    for d in 3..=10 {
        let ids: Vec<_> = a.segments(crate::document::DocumentId(d))?.iter().map(|r| r.id).collect();
        a.bulk_review(&ids, Decision::Reviewed)?;
    }
    a.sync_team()?;
    let grown = folder_size(&remote) - size;
    writeln!(out, "team projects, 100 documents, 100,000 segments, 300,000 revisions:")?;
    writeln!(out, "  share (write, commit, push):           {:>8.1} s", share.as_secs_f64())?;
    writeln!(out, "  join (clone and build the project):    {:>8.1} s  (goal < 15 s)", join.as_secs_f64())?;
    writeln!(out, "  repository size:                       {:>8.1} MB", size as f64 / 1e6)?;
    writeln!(out, "  growth for 10,000 more revisions:      {:>8.1} MB", grown as f64 / 1e6)?;
    writeln!(out, "  peak memory: {}", peak_memory().unwrap_or_else(|| "unknown".into()))?;
    Ok(())
}

/// `verso bench find`: a project of 100,000 translated NTREX segments (20
/// documents of 5,000), searched with a regular expression in translations
/// across every document; the time to the first screen of hits (100) and
/// to every hit, medians of five runs after one warm-up.
pub fn find(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    let english = lines(data, "ntrex_en_es_news/newstest2019-src.eng.txt")?;
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let dir = std::env::temp_dir().join(format!("verso-bench-find-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("find.verso");
    let mut project = crate::store::Project::create(&path).map_err(SessionError::from)?;
    let started = Instant::now();
    for d in 0..20 {
        translated_document(&mut project, &english, &spanish, &format!("Document {d}"), 5_000)?;
    }
    writeln!(out, "set-up: 100,000 translated segments in {:.1} s", started.elapsed().as_secs_f64())?;
    drop(project);
    let mut session = Session::for_command(dir.join("config"), Some("bench".into()));
    session.open_project(&path)?;
    for (name, text, limit) in [
        (r"first screen, (\d+) de (\w+)", r"(\d+) de (\w+)", 100),
        (r"every hit, (\d+) de (\w+)", r"(\d+) de (\w+)", 1_000_000),
        ("first screen, plain “gobierno”", "gobierno", 100),
    ] {
        let query = crate::session::find::FindQuery {
            options: crate::search::FindOptions {
                text: text.into(),
                regex: !name.contains("plain"),
                ..Default::default()
            },
            within: crate::search::FindIn::Target,
            document: None,
            status: None,
        };
        let mut times = Vec::new();
        let mut hits = 0;
        for run in 0..6 {
            let started = Instant::now();
            hits = session.find(&query, limit)?.hits.len();
            if run > 0 {
                times.push(started.elapsed());
            }
        }
        let goal = if limit == 100 { " (goal < 200 ms)" } else { "" };
        writeln!(out, "find {name}: {hits} hits, median {:.1} ms{goal}", ms(median(times)))?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `verso bench spelling`: checking a 200-word Spanish segment (NTREX
/// sentences joined) with the es_ES dictionary, median of 1,000 checks,
/// and the time to read the dictionary once.
pub fn spelling(data: &Path, out: &mut impl Write) -> Result<(), BenchError> {
    let spanish = lines(data, "ntrex_en_es_news/newstest2019-ref.spa.txt")?;
    let folders = crate::formats::hunspell::folders(None);
    let Some(aff) = crate::formats::hunspell::find(&LangTag::spanish(), &folders) else {
        writeln!(out, "no Spanish Hunspell dictionary installed (Debian: hunspell-es)")?;
        return Ok(());
    };
    let started = Instant::now();
    let speller = crate::formats::hunspell::load(&aff).map_err(SessionError::from)?;
    writeln!(out, "{}: read in {:.0} ms", aff.display(), ms(started.elapsed()))?;
    let mut segment = String::new();
    for line in spanish.iter().cycle() {
        if segment.split_whitespace().count() >= 200 {
            break;
        }
        segment.push_str(line);
        segment.push(' ');
    }
    let words = segment.split_whitespace().count();
    let known = std::collections::HashSet::new();
    let names = std::collections::HashSet::new();
    let mut times = Vec::new();
    let mut flagged = 0;
    for _ in 0..1_000 {
        let started = Instant::now();
        flagged = crate::spelling::misspellings(&speller, &segment, &names, &known).len();
        times.push(started.elapsed());
    }
    let mut sorted = times.clone();
    writeln!(
        out,
        "check a {words}-word segment: median {:.3} ms, p95 {:.3} ms ({flagged} words flagged; goal < 1 ms)",
        ms(median(times)),
        ms(percentile(&mut sorted, 0.95))
    )?;
    Ok(())
}

/// Where `verso bench tm-zh` reads Chinese text: Debian's `fortunes-zh`
/// (about 2 MB of modern and classical Chinese), or `VERSO_BENCH_ZH_TEXT`.
const CHINESE_TEXT: &str = "/usr/share/games/fortunes/chinese";

/// Chinese sentences of a text: split at sentence ends and line breaks,
/// terminal colour codes dropped, 8 to 80 characters, mostly Han, each once.
fn chinese_sentences(text: &str) -> Vec<String> {
    let colours = regex::Regex::new("\u{1b}\\[[0-9;]*m").expect("a valid constant");
    let text = colours.replace_all(text, "");
    let mut seen = std::collections::HashSet::new();
    text.split(['。', '！', '？', '\n', '%'])
        .map(|s| s.trim())
        .filter(|s| {
            let han = s.chars().filter(|c| crate::text::stands_alone(*c)).count();
            let all = s.chars().count();
            (8..=80).contains(&all) && han * 10 >= all * 8
        })
        .filter(|s| seen.insert(s.to_string()))
        .map(|s| format!("{s}。"))
        .collect()
}

/// Replaces `edits` two-character pieces of `sentence` with pieces of `donor`.
fn vary_chars(sentence: &str, donor: &str, edits: u64, seed: u64) -> String {
    let mut chars: Vec<char> = sentence.chars().collect();
    let donors: Vec<char> = donor.chars().filter(|c| crate::text::stands_alone(*c)).collect();
    for e in 0..edits {
        if chars.len() < 3 || donors.len() < 2 {
            break;
        }
        let at = (mix(seed ^ e) % (chars.len() as u64 - 2)) as usize;
        let from = (mix(seed ^ (e << 8)) % (donors.len() as u64 - 1)) as usize;
        chars[at] = donors[from];
        chars[at + 1] = donors[from + 1];
    }
    chars.into_iter().collect()
}

/// Unit `i` of the Chinese memory: the sentences themselves first, then
/// the start of one joined to the end of another (cut at 30–70% of the
/// characters), one in two with a piece of a third.
fn synthetic_chinese(sentences: &[String], i: u64) -> String {
    let n = sentences.len() as u64;
    let k = (i % n) as usize;
    if i < n {
        return sentences[k].clone();
    }
    let seed = mix(i);
    let donor = (mix(seed) % n) as usize;
    let share = 30 + seed % 41;
    let (a, b): (Vec<char>, Vec<char>) = (sentences[k].chars().collect(), sentences[donor].chars().collect());
    let head = (a.len() as u64 * share / 100).max(1) as usize;
    let tail = (b.len() as u64 * share / 100) as usize;
    let mut out: String = a[..head.min(a.len())].iter().chain(&b[tail.min(b.len())..]).collect();
    if seed & 1 == 0 {
        out = vary_chars(&out, &sentences[(mix(seed ^ 3) % n) as usize], 1, seed);
    }
    out
}

/// `verso bench tm-zh`: a Chinese → English memory of `units` units made
/// from `fortunes-zh`, imported, then 1,000 fuzzy lookups of its sentences
/// with one or two two-character pieces changed, as `verso bench tm` does
/// for English: time, and how often the sentence a query was made from (or
/// better) is found where it scores at least 70%.
pub fn tm_chinese(units: u64, out: &mut impl Write) -> Result<(), BenchError> {
    let path = std::env::var_os("VERSO_BENCH_ZH_TEXT").map(PathBuf::from).unwrap_or_else(|| CHINESE_TEXT.into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        writeln!(out, "{}: no Chinese text; install Debian's fortunes-zh or set VERSO_BENCH_ZH_TEXT", path.display())?;
        return Ok(());
    };
    let sentences = chinese_sentences(&text);
    writeln!(out, "{}: {} Chinese sentences", path.display(), sentences.len())?;
    let dir = std::env::temp_dir().join(format!("verso-bench-tm-zh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let result = tm_chinese_in(&dir, &sentences, units, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn tm_chinese_in(dir: &Path, sentences: &[String], units: u64, out: &mut impl Write) -> Result<(), BenchError> {
    let tmx_path = dir.join("zh.tmx");
    let file = std::io::BufWriter::new(std::fs::File::create(&tmx_path)?);
    let mut writer = crate::formats::tmx::TmxWriter::start(file, "zh-CN")?;
    for i in 0..units {
        let unit = crate::formats::tmx::TmxUnit {
            source_lang: "zh-CN".into(),
            target_lang: "en".into(),
            source: synthetic_chinese(sentences, i),
            target: format!("Unit {i}."),
            author: Some("bench".into()),
            date: None,
        };
        writer.unit(&unit)?;
    }
    writer.finish()?.flush()?;
    let (zh, en): (LangTag, LangTag) = ("zh".parse().expect("tag"), LangTag::english());
    let project_path = dir.join("zh.verso");
    let mut project = crate::store::Project::create(&project_path).map_err(SessionError::from)?;
    let started = Instant::now();
    let (memory, _) = project
        .import_tmx(&tmx_path, "chinese", 50, Some((&zh, &en)), &mut |_, _| true)
        .map_err(|e| BenchError::Write(std::io::Error::other(e.to_string())))?;
    writeln!(out, "tm-zh import {} units: {:.1} s", memory.units, started.elapsed().as_secs_f64())?;
    drop(project);
    let project = crate::store::Project::open(&project_path).map_err(SessionError::from)?;
    let queries = (0..1_000u64).map(|q| {
        let k = (mix(q ^ 0xABCD) % sentences.len() as u64) as usize;
        let donor = (mix(q) % sentences.len() as u64) as usize;
        (sentences[k].as_str(), vary_chars(&sentences[k], &sentences[donor], 1 + q % 2, mix(q ^ 0x5EED)))
    });
    let Lookups { mut times, found, seeded, seed_found, .. } = lookups(&project, &zh, &en, queries)?;
    writeln!(
        out,
        "tm-zh fuzzy lookup (1,000 edited Chinese sentences, top 5 ≥ 70%): p50 {:.1} ms, p95 {:.1} ms (goal < 20 ms), max {:.1} ms; {found} found a match; the sentence each was made from (or better) found for {seed_found} of {seeded} where it scores ≥ 70%",
        ms(percentile(&mut times, 0.5)),
        ms(percentile(&mut times, 0.95)),
        ms(percentile(&mut times, 1.0)),
    )?;
    Ok(())
}
