//! Tools for plain files that touch no project: sentence splitting (with
//! Verso's rules or an SRX file), Verso's rules as SRX, alignment of a text
//! and its translation, the summary check on two files, and the benchmarks.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use verso::LangTag;
use verso::segment::srx::SrxDocument;
use verso::segment::{self, Rules, Segmenter};

use super::{lang, read_text, write_atomically};

#[derive(Clone, Copy, ValueEnum)]
pub enum BenchArg {
    /// Align two 20,000-sentence documents.
    Align,
    /// Link a 50-sentence summary to 10,000 source segments.
    Provenance,
    /// Export and import a 10,000-segment document as XLIFF and DOCX.
    Formats,
    /// Import a generated translation memory (1,000,000 units, or
    /// VERSO_BENCH_TM_UNITS) and time fuzzy lookups and concordance.
    Tm,
    /// Sync two clones of a 10,000-segment team project; join a
    /// 100,000-segment one.
    Team,
    /// Feed every reader a large valid file and a large hostile one
    /// (VERSO_BENCH_READERS_MB each, 60 by default: under the 64 MB limit of source files): time and peak memory.
    Readers,
    /// The summary check on SummEdits (balanced accuracy per domain): the
    /// rules, and with --judge a claim-check model alone and with them.
    Summedits,
    /// A regular expression over 100,000 translated segments: the first
    /// screen of hits and every hit.
    Find,
    /// Spell-check a 200-word Spanish segment with the system's es_ES dictionary.
    Spelling,
    /// A Chinese memory (1,000,000 units, or VERSO_BENCH_TM_UNITS) made from
    /// Debian's fortunes-zh: fuzzy lookups of edited sentences.
    TmZh,
}

#[derive(Args)]
pub struct SegmentArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub lang: String,
    /// Use these SRX 2.0 rules instead of Verso's own.
    #[arg(long)]
    pub srx: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
    /// Print only the count, throughput and peak memory (to stderr).
    #[arg(long)]
    pub stats: bool,
}

#[derive(Args)]
pub struct AlignArgs {
    pub source: PathBuf,
    pub target: PathBuf,
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    /// Take each line as one sentence (pre-segmented test sets).
    #[arg(long)]
    pub lines: bool,
    #[arg(long)]
    pub json: bool,
    /// Write the aligned pairs as TMX 1.4b.
    #[arg(long, conflicts_with = "json")]
    pub tmx: bool,
    /// Print time and peak memory to stderr.
    #[arg(long)]
    pub stats: bool,
}

#[derive(Args)]
pub struct CheckSummaryArgs {
    pub summary: PathBuf,
    #[arg(long)]
    pub source: PathBuf,
    /// Language of the source.
    #[arg(long)]
    pub from: String,
    /// Language of the summary (default: the source's).
    #[arg(long)]
    pub lang: Option<String>,
    /// A glossary (TBX, CSV or TSV) from the source's language to the
    /// summary's: links sentences to passages that use its terms.
    #[arg(long)]
    pub glossary: Option<PathBuf>,
    /// A translation memory (TMX) between the source's language and the
    /// summary's: word pairs learned from it link sentences to passages.
    #[arg(long, value_name = "FILE.tmx")]
    pub memory: Option<PathBuf>,
    /// Machine-translate the source into the summary's language with this
    /// profile, to link through (for this check only).
    #[arg(long, value_name = "PROFILE")]
    pub mt: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    pub what: BenchArg,
    /// summedits: also ask this OpenAI-compatible profile's model about
    /// every summary sentence.
    #[arg(long, value_name = "PROFILE")]
    pub judge: Option<String>,
    /// summedits: one domain only (e.g. news).
    #[arg(long)]
    pub domain: Option<String>,
    /// summedits: at most this many items per domain.
    #[arg(long)]
    pub limit: Option<usize>,
    /// summedits: the split measured (the rules were tuned on evaluation).
    #[arg(long, default_value = "test")]
    pub split: String,
}

#[derive(Args)]
pub struct SrxExportArgs {
    #[arg(long)]
    pub lang: String,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn segment(args: SegmentArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let SegmentArgs { file, lang: tag, srx, json, stats } = args;
    let tag = lang(&tag)?;
    let rules = match srx {
        Some(path) => Rules::Srx(verso::formats::srx::read(&path)?.segmenter(&tag)?),
        None => Rules::Builtin(Segmenter::new(&tag)),
    };
    let input = std::fs::File::open(&file).with_context(|| format!("{}: cannot read the file", file.display()))?;
    let started = std::time::Instant::now();
    let mut count = 0u64;
    let mut out = std::io::BufWriter::new(&mut *stdout);
    if json && !stats {
        out.write_all(b"[")?;
    }
    let bytes = segment::segment_stream(
        &file,
        std::io::BufReader::with_capacity(1 << 16, input),
        &rules,
        |start, end, text| {
            count += 1;
            if stats {
                Ok(())
            } else if json {
                let separator = if count > 1 { ",\n" } else { "\n" };
                let item = serde_json::json!({ "start": start, "end": end, "text": text });
                write!(out, "{separator}  {item}")
            } else {
                writeln!(out, "{}", text.replace(['\n', '\r'], " "))
            }
        },
    )?;
    if json && !stats {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    if stats {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "{count} sentences, {:.1} MB in {seconds:.2} s = {:.1} MB/s, peak memory {}",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / seconds,
            verso::bench::peak_memory().unwrap_or_else(|| "unknown".into())
        );
    }
    Ok(())
}

pub fn align(args: AlignArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let AlignArgs { source, target, from, to, lines, json, tmx, stats } = args;
    let (from, to) = (lang(&from)?, lang(&to)?);
    let read = |path: &Path, tag: &LangTag| -> anyhow::Result<Vec<String>> {
        let text = read_text(path)?;
        Ok(if lines {
            text.lines().map(str::to_string).collect()
        } else {
            segment::split_text(&text, tag).map(|s| s.replace(['\n', '\r'], " ")).collect()
        })
    };
    let (src, tgt) = (read(&source, &from)?, read(&target, &to)?);
    let started = std::time::Instant::now();
    let beads = verso::align::align(
        &src.iter().map(String::as_str).collect::<Vec<_>>(),
        &tgt.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    let elapsed = started.elapsed();
    let join =
        |ids: &[u32], side: &[String]| ids.iter().map(|&i| side[i as usize].as_str()).collect::<Vec<_>>().join(" ");
    if json {
        let items: Vec<_> = beads
            .iter()
            .map(|b| {
                serde_json::json!({
                    "source": b.source, "target": b.target, "confidence": b.confidence,
                    "source_text": join(&b.source, &src), "target_text": join(&b.target, &tgt),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *stdout, &items)?;
        writeln!(stdout)?;
    } else if tmx {
        stdout.write_all(
            verso::formats::tmx::pairs_document(
                beads
                    .iter()
                    .filter(|b| !b.source.is_empty() && !b.target.is_empty())
                    .map(|b| (join(&b.source, &src), join(&b.target, &tgt))),
                from.as_str(),
                to.as_str(),
            )
            .as_bytes(),
        )?;
    } else {
        for bead in &beads {
            writeln!(stdout, "{}", bead.to_gold_format())?;
        }
    }
    let doubtful = beads.iter().filter(|b| b.confidence < verso::align::LOW_CONFIDENCE).count();
    let (short, long) = (src.len().min(tgt.len()), src.len().max(tgt.len()));
    if long > 2 * short.max(1) {
        eprintln!(
            "verso: warning: the texts differ widely in length ({} and {} sentences); the alignment is doubtful",
            src.len(),
            tgt.len()
        );
    }
    if doubtful * 3 > beads.len() {
        eprintln!(
            "verso: warning: {doubtful} of {} beads have low confidence; check the alignment (are these really the same text?)",
            beads.len()
        );
    }
    if stats {
        eprintln!(
            "{} × {} sentences aligned in {:.2} s, {} beads, peak memory {}",
            src.len(),
            tgt.len(),
            elapsed.as_secs_f64(),
            beads.len(),
            verso::bench::peak_memory().unwrap_or_else(|| "unknown".into())
        );
    }
    Ok(())
}

pub fn check_summary(args: CheckSummaryArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let CheckSummaryArgs { summary, source, from, lang: summary_lang, glossary, memory, mt, json } = args;
    let source_lang = lang(&from)?;
    let summary_lang = match summary_lang {
        Some(tag) => lang(&tag)?,
        None => source_lang.clone(),
    };
    let (source_text, summary_text) = (read_text(&source)?, read_text(&summary)?);
    let mut sources: Vec<verso::provenance::SourceSegment> = segment::split_text(&source_text, &source_lang)
        .map(|s| verso::provenance::SourceSegment {
            text: s.replace(['\n', '\r'], " "),
            translation: None,
            machine: false,
        })
        .collect();
    if let Some(profile) = mt.filter(|_| summary_lang != source_lang) {
        let client =
            verso::session::Session::for_command(verso::mt::profile::default_config_dir(), None).mt_client(&profile)?;
        let request = verso::mt::Request {
            source_lang: source_lang.to_string(),
            target_lang: summary_lang.to_string(),
            texts: sources.iter().map(|s| s.text.clone()).collect(),
            glossary: Vec::new(),
            context: vec![(None, None); sources.len()],
        };
        eprintln!("translating {} source sentence(s) with \"{profile}\" for linking only", sources.len());
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let texts = tokio::runtime::Runtime::new()?.block_on(client.translate(&request, &cancel, &mut |_, _| {}))?;
        for (source, text) in sources.iter_mut().zip(texts) {
            source.translation = Some(text);
            source.machine = true;
        }
    }
    let texts: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
    let terms: Vec<(String, String)> = match &glossary {
        Some(path) => verso::formats::glossary::read(path, &source_lang, &summary_lang)?
            .into_iter()
            .filter(|t| !t.forbidden)
            .map(|t| (t.source, t.target))
            .collect(),
        None => Vec::new(),
    };
    let examples = match &memory {
        Some(path) => memory_pairs(path, &source_lang, &summary_lang)?,
        None => Vec::new(),
    };
    let lexicon = (glossary.is_some() || memory.is_some()).then(|| {
        verso::glossary::Lexicon::from_pairs(terms, verso::align::word_pairs(&examples), &source_lang, &summary_lang)
    });
    let target_lang = (summary_lang != source_lang).then(|| summary_lang.clone());
    let linker = verso::provenance::Linker::with_lexicon(sources, source_lang, target_lang, lexicon);
    let checks: Vec<_> =
        segment::split_text(&summary_text, &summary_lang).map(|s| linker.check(s, &summary_lang)).collect();
    if json {
        serde_json::to_writer_pretty(&mut *stdout, &checks)?;
        writeln!(stdout)?;
    } else {
        for (n, check) in checks.iter().enumerate() {
            writeln!(stdout, "{}. {}  [support {:.0}%]", n + 1, check.sentence, check.support * 100.0)?;
            for link in &check.links {
                let reasons = reasons_text(&link.reasons);
                writeln!(stdout, "   ← source {} ({reasons}): {}", link.segment + 1, texts[link.segment])?;
            }
            for flag in &check.flags {
                writeln!(
                    stdout,
                    "   ⚑ {}: {}",
                    serde_json::to_value(flag.kind)?.as_str().unwrap_or_default(),
                    flag.detail
                )?;
            }
        }
    }
    Ok(())
}

/// Up to [`verso::glossary::LEXICON_MEMORY_PAIRS`] translation pairs of a
/// TMX file from `source` to `target` (units written the other way round
/// are turned around).
fn memory_pairs(path: &Path, source: &LangTag, target: &LangTag) -> anyhow::Result<Vec<(String, String)>> {
    use verso::formats::tmx::{self, Flow};
    let mut pairs = Vec::new();
    let (from, to) = (source.as_str(), target.as_str());
    tmx::read(
        path,
        |unit| {
            if tmx::same_language(&unit.source_lang, from) && tmx::same_language(&unit.target_lang, to) {
                pairs.push((unit.source, unit.target));
            } else if tmx::same_language(&unit.source_lang, to) && tmx::same_language(&unit.target_lang, from) {
                pairs.push((unit.target, unit.source));
            }
            if pairs.len() >= verso::glossary::LEXICON_MEMORY_PAIRS { Flow::Stop } else { Flow::Continue }
        },
        |_, _| Flow::Continue,
    )?;
    if pairs.is_empty() {
        anyhow::bail!("{}: no translation unit between {from} and {to}", path.display());
    }
    Ok(pairs)
}

/// How links were found, in words: "shared words, machine translation".
pub(crate) fn reasons_text(reasons: &[verso::provenance::LinkReason]) -> String {
    let words: Vec<String> = reasons
        .iter()
        .filter_map(|r| serde_json::to_value(r).ok().and_then(|v| v.as_str().map(|s| s.replace('-', " "))))
        .collect();
    words.join(", ")
}

pub fn bench(args: BenchArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let BenchArgs { what, judge, domain, limit, split } = args;
    let data = verso::bench::data_dir();
    match what {
        BenchArg::Align => verso::bench::align(&data, stdout)?,
        BenchArg::Provenance => verso::bench::provenance(&data, stdout)?,
        BenchArg::Formats => verso::bench::formats(&data, stdout)?,
        BenchArg::Team => verso::bench::team(&data, stdout)?,
        BenchArg::Readers => match std::env::var(verso::bench::readers::CHILD_ENV) {
            // This process is one case, run by the parent below.
            Ok(task) => verso::bench::readers::read_one(&task, stdout)?,
            Err(_) => {
                let megabytes = std::env::var("VERSO_BENCH_READERS_MB").ok().and_then(|n| n.parse().ok());
                verso::bench::readers::readers(&std::env::current_exe()?, megabytes.unwrap_or(60), stdout)?
            }
        },
        BenchArg::Summedits => summedits(&data, judge, domain.as_deref(), limit, &split, stdout)?,
        BenchArg::Find => verso::bench::find(&data, stdout)?,
        BenchArg::Spelling => verso::bench::spelling(&data, stdout)?,
        BenchArg::TmZh => {
            let units = std::env::var("VERSO_BENCH_TM_UNITS").ok().and_then(|n| n.parse().ok());
            verso::bench::tm_chinese(units.unwrap_or(1_000_000), stdout)?
        }
        BenchArg::Tm => {
            let units = std::env::var("VERSO_BENCH_TM_UNITS").ok().and_then(|n| n.parse().ok());
            verso::bench::tm(&data, units.unwrap_or(1_000_000), stdout)?
        }
    }
    Ok(())
}

/// `verso bench summedits`: the rules, and the judge where one answers.
fn summedits(
    data: &Path,
    judge: Option<String>,
    domain: Option<&str>,
    limit: Option<usize>,
    split: &str,
    stdout: &mut impl Write,
) -> anyhow::Result<()> {
    use verso::bench::summedits;
    use verso::provenance::judge as claim;
    let (docs, items) = summedits::load(data, split, domain, limit)?;
    let threshold = {
        let (docs, tuning) = summedits::load(data, "evaluation", None, None)?;
        summedits::tune(&docs, &tuning)
    };
    let client = match judge {
        Some(profile) => Some(
            verso::session::Session::for_command(verso::mt::profile::default_config_dir(), None).mt_client(&profile)?,
        ),
        None => None,
    };
    let name = client.as_ref().map(|c| {
        let p = c.profile();
        format!("{} at {}", p.model.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| p.name.clone()), p.url)
    });
    let runtime = tokio::runtime::Runtime::new()?;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut failure: Option<String> = None;
    let mut answered = 0usize;
    let mut ask = |_: &summedits::Item, sentence: &str, evidence: &str| -> Option<bool> {
        let client = client.as_ref()?;
        if failure.is_some() {
            return None;
        }
        match runtime.block_on(client.chat(claim::SYSTEM, &claim::prompt(sentence, evidence), &cancel)) {
            Ok(answer) => {
                answered += 1;
                claim::parse(&answer).ok()
            }
            Err(error) => {
                failure = Some(error.to_string());
                None
            }
        }
    };
    let total = items.len();
    let scores = summedits::measure(&docs, &items, threshold, &mut ask, &mut |done| {
        if name.is_some() && done % 25 == 0 {
            eprintln!("{done} of {total} items");
        }
    });
    let judged = name.as_deref().filter(|_| answered > 0);
    if let (Some(name), Some(error)) = (&name, &failure) {
        eprintln!("the judge {name} stopped answering: {error}");
    }
    if name.is_some() && judged.is_none() {
        writeln!(stdout, "no model answered; measuring the rules alone")?;
    }
    summedits::report(&scores, threshold, judged, stdout)?;
    Ok(())
}

pub fn srx_export(args: SrxExportArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let SrxExportArgs { lang: tag, output } = args;
    let xml = verso::formats::srx::write(&SrxDocument::from_builtin(&lang(&tag)?));
    match output {
        Some(path) => write_atomically(&path, xml.as_bytes())?,
        None => stdout.write_all(xml.as_bytes())?,
    }
    Ok(())
}
