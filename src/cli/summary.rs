//! Summaries on the command line: add from text, check, link, mark,
//! approve, an LLM draft, and the project's article template.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use verso::formats::export::article;
use verso::session::Session;
use verso::store::Wait;
use verso::summary::{LinkDecision, LinkOrigin, SentenceKind, SummaryView};
use verso::{DocumentId, SegmentId};

use super::{open, print_json, read_text};

#[derive(Subcommand)]
pub enum SummaryAction {
    /// Ask an OpenAI-compatible profile for a draft summary of a document;
    /// it is stored as a draft summary and checked like any other.
    Draft {
        project: PathBuf,
        document: i64,
        #[arg(long)]
        profile: String,
        /// Summarise the translation (in the target language) instead of the source.
        #[arg(long)]
        target: bool,
    },
    /// Create a summary of source documents from a text or Markdown file
    /// (`#` headings pick sections; every sentence starts as a claim).
    Add {
        project: PathBuf,
        file: PathBuf,
        /// A source document id; repeat for several.
        #[arg(long = "source", required = true)]
        sources: Vec<i64>,
        #[arg(long)]
        title: Option<String>,
        /// Language of the summary (BCP 47): a source's own language or
        /// the language it is translated into.
        #[arg(long)]
        lang: String,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Link every sentence to its source passages and list the flags;
    /// exits non-zero when claims carry unresolved flags.
    Check {
        project: PathBuf,
        summary: i64,
        /// Link untranslated source passages through this machine-translation
        /// profile (translations kept in the project for linking only, never
        /// as revisions), from now on; `--mt off` switches that off.
        #[arg(long, value_name = "PROFILE")]
        mt: Option<String>,
        /// Ask this OpenAI-compatible profile's model whether each claim's
        /// evidence supports it (verdicts kept in the project, so unchanged
        /// claims are not asked again), from now on; `--judge off` stops.
        #[arg(long, value_name = "PROFILE")]
        judge: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Confirm (or add) a link between a summary sentence and a source segment.
    Link {
        project: PathBuf,
        sentence: i64,
        segment: i64,
        /// Reject the link instead.
        #[arg(long, conflicts_with = "clear")]
        reject: bool,
        /// Withdraw an earlier decision.
        #[arg(long)]
        clear: bool,
        #[arg(long)]
        author: Option<String>,
    },
    /// Show the project's article template for summary exports, or set it.
    Template {
        project: PathBuf,
        /// Use this minijinja template (it renders Markdown).
        #[arg(long, conflicts_with = "reset")]
        set: Option<PathBuf>,
        /// Go back to Verso's default template.
        #[arg(long)]
        reset: bool,
    },
    /// Mark a sentence as a claim (must be supported) or commentary.
    Mark { project: PathBuf, sentence: i64, kind: KindArg },
    /// Move a sentence to the end of another section (1 is the summary's
    /// first section).
    Move { project: PathBuf, sentence: i64, section: u32 },
    /// Approve the summary; refused while claims carry flags unless overridden.
    Approve {
        project: PathBuf,
        summary: i64,
        /// Approve despite open flags, recording why.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        #[arg(long)]
        author: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Claim,
    Commentary,
}

pub fn run(wait: Wait, action: SummaryAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        SummaryAction::Draft { project, document, profile, target } => {
            let mut session = open(&project, wait, None)?;
            let job = session.summary_draft_job(DocumentId(document), &profile, target)?;
            let p = job.client.profile();
            eprintln!("asking \"{}\" ({}, {}) for a draft of document {document}", p.name, p.kind.label(), p.url);
            let cancel = std::sync::atomic::AtomicBool::new(false);
            let markdown =
                tokio::runtime::Runtime::new()?.block_on(job.client.chat(&job.system, &job.user, &cancel))?;
            let summary = session.create_summary_draft(&job, &markdown)?;
            let view = session.summary(summary.id)?;
            writeln!(
                stdout,
                "created draft summary {}: \"{}\", {} sentences, {} claim(s) flagged",
                summary.id.0, summary.title, summary.segments, view.blocking
            )?;
        }
        SummaryAction::Add { project, file, sources, title, lang: summary_lang, author, json } => {
            let text = read_text(&file)?;
            let mut session = open(&project, wait, author)?;
            let sources: Vec<DocumentId> = sources.into_iter().map(DocumentId).collect();
            let title = title.unwrap_or_else(|| file.file_stem().unwrap_or_default().to_string_lossy().into_owned());
            let document = session.create_summary_from_text(&title, &summary_lang, sources, &text)?;
            if json {
                print_json(stdout, &document)?;
            } else {
                let id = document.id.0;
                writeln!(stdout, "created summary {id}: \"{}\", {} sentences", document.title, document.segments)?;
            }
        }
        SummaryAction::Check { project, summary, mt, judge, json } => {
            let mut session = open(&project, wait, None)?;
            let summary = DocumentId(summary);
            if let Some(profile) = mt {
                let profile = (profile != "off").then_some(profile);
                session.set_link_mt(summary, profile.as_deref())?;
            }
            if let Some(profile) = judge {
                let profile = (profile != "off").then_some(profile);
                session.set_judge(summary, profile.as_deref())?;
            }
            link_through_mt(&mut session, summary)?;
            let view = check_claims(&mut session, summary)?;
            if json {
                print_json(stdout, &view)?;
            } else {
                print_summary(stdout, &session, &view)?;
            }
            if view.blocking > 0 {
                bail!("{} claim sentence(s) have unresolved flags", view.blocking);
            }
        }
        SummaryAction::Link { project, sentence, segment, reject, clear, author } => {
            let mut session = open(&project, wait, author)?;
            let sentence = SegmentId(sentence);
            let decision = match (reject, clear) {
                (true, _) => LinkDecision::Rejected,
                (_, true) => LinkDecision::Cleared,
                _ => LinkDecision::Confirmed,
            };
            session.decide_link(sentence, SegmentId(segment), decision)?;
            writeln!(stdout, "sentence {}: link to segment {segment} {}", sentence.0, decision.as_str())?;
        }
        SummaryAction::Template { project, set, reset } => {
            let mut session = open(&project, wait, None)?;
            if let Some(path) = set {
                let template = read_text(&path)?;
                session.set_summary_template(Some(&template)).with_context(|| path.display().to_string())?;
                writeln!(stdout, "the project's summaries now export with {}", path.display())?;
            } else if reset {
                session.set_summary_template(None)?;
                writeln!(stdout, "the project's summaries export with Verso's default template again")?;
            } else {
                let template = session.summary_template()?.unwrap_or_else(|| article::DEFAULT_TEMPLATE.to_string());
                writeln!(stdout, "{template}")?;
            }
        }
        SummaryAction::Mark { project, sentence, kind } => {
            let kind = match kind {
                KindArg::Claim => SentenceKind::Claim,
                KindArg::Commentary => SentenceKind::Commentary,
            };
            open(&project, wait, None)?.set_sentence_kind(SegmentId(sentence), kind)?;
            writeln!(stdout, "sentence {sentence} is now {}", kind.as_str())?;
        }
        SummaryAction::Move { project, sentence, section } => {
            let Some(position) = section.checked_sub(1) else { bail!("sections are numbered from 1") };
            let view = open(&project, wait, None)?.move_summary_sentence(SegmentId(sentence), position)?;
            let title = view.sections.iter().find(|s| s.position == position).map_or("", |s| s.title.as_str());
            writeln!(stdout, "sentence {sentence} is now at the end of section {section} ({title})")?;
        }
        SummaryAction::Approve { project, summary, override_reason, author } => {
            let summary = DocumentId(summary);
            let view = open(&project, wait, author)?.approve_summary(summary, override_reason.as_deref())?;
            let approval = view.approval.context("the summary was approved but carries no approval")?;
            match approval.override_reason {
                Some(reason) => writeln!(
                    stdout,
                    "approved summary {} with {} open flag(s) overridden: {reason}",
                    summary.0, approval.open_flags
                )?,
                None => writeln!(stdout, "approved summary {}", summary.0)?,
            }
        }
    }
    Ok(())
}

/// Machine-translates the untranslated passages a summary links through,
/// when that is on; a service that fails is reported and the check goes
/// on with the rules alone.
fn link_through_mt(session: &mut Session, summary: DocumentId) -> anyhow::Result<SummaryView> {
    let job = match session.link_mt_job(summary) {
        Ok(job) => job,
        Err(error) => {
            eprintln!("not linking through machine translation: {error}");
            None
        }
    };
    let Some(job) = job else { return Ok(session.summary(summary)?) };
    let p = job.client.profile();
    eprintln!(
        "translating {} untranslated passage(s) with \"{}\" ({}, {}) for linking only",
        job.passages.len(),
        p.name,
        p.kind.label(),
        p.url
    );
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let runtime = tokio::runtime::Runtime::new()?;
    match runtime.block_on(job.client.translate(&job.request, &cancel, &mut |_, _| {})) {
        Ok(texts) => Ok(session.finish_link_mt(summary, Some(&job), Some(texts))?),
        Err(error) => {
            eprintln!("not linking through machine translation: {error}");
            Ok(session.summary(summary)?)
        }
    }
}

/// Puts the claims the model has not judged yet to it, when the claim
/// check is on; what goes wrong is reported and the rules' flags stand.
fn check_claims(session: &mut Session, summary: DocumentId) -> anyhow::Result<SummaryView> {
    let job = match session.judge_job(summary) {
        Ok(job) => job,
        Err(error) => {
            eprintln!("claims not checked by the model: {error}");
            None
        }
    };
    let Some(job) = job else { return Ok(session.summary(summary)?) };
    let p = job.client.profile();
    eprintln!("asking \"{}\" ({}) about {} claim(s), one at a time", p.name, p.url, job.claims.len());
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let outcome = tokio::runtime::Runtime::new()?.block_on(verso::session::run_judge(&job, &cancel, &mut |_, _| {}))?;
    let report = session.finish_judge(summary, Some(&job), outcome)?;
    for error in &report.errors {
        eprintln!("claim check: {error}");
    }
    Ok(report.view)
}

fn print_summary(out: &mut impl Write, session: &Session, view: &SummaryView) -> anyhow::Result<()> {
    let c = view.coverage;
    writeln!(
        out,
        "{}: {}/{} claims supported, {}/{} source passages cited{}",
        view.title,
        c.supported,
        c.claims,
        c.cited,
        c.passages,
        if view.approved { ", approved" } else { "" }
    )?;
    for section in view.sections.iter().filter(|s| !s.sentences.is_empty()) {
        writeln!(out, "\n## {}", section.title)?;
        for sentence in &section.sentences {
            let kind = if sentence.kind == SentenceKind::Commentary { " (commentary)" } else { "" };
            writeln!(out, "#{} {}{kind}  [support {:.0}%]", sentence.id.0, sentence.text, sentence.support * 100.0)?;
            for link in &sentence.links {
                let row = session.segment(link.segment)?;
                let text = match (&link.machine_translation, link.in_translation) {
                    (Some(machine), _) => format!("{} [{machine}]", row.source),
                    (None, true) => row.translation.unwrap_or_default(),
                    (None, false) => row.source,
                };
                let how = if link.stale {
                    "stale"
                } else if link.origin == LinkOrigin::Confirmed {
                    "confirmed"
                } else {
                    "found"
                };
                let reasons = super::files::reasons_text(&link.reasons);
                writeln!(out, "   ← segment {} ({how}; {reasons}): {text}", link.segment.0)?;
            }
            if let Some(verdict) = sentence.verdict.as_ref().filter(|v| v.supported) {
                writeln!(out, "   ✓ model {}: supported", verdict.model)?;
            }
            for flag in &sentence.flags {
                writeln!(
                    out,
                    "   ⚑ {}: {}",
                    serde_json::to_value(flag.kind)?.as_str().unwrap_or_default(),
                    flag.detail
                )?;
            }
        }
    }
    Ok(())
}
