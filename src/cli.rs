//! The `verso` command line: one module per group of commands, each
//! opening the project through the core's `Session` (the same use cases the
//! desktop calls), printing results for people or `--json` for scripts.
//! Plain-file tools (segment, align, check-summary, bench) call the engines
//! directly: they touch no project.

mod documents;
mod files;
mod find;
mod memory;
mod mt;
mod summary;
mod team;

use std::path::Path;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use verso::LangTag;
use verso::formats::{export, import};
use verso::session::{Session, SessionError};
use verso::store::lock::LockError;
use verso::store::{StoreError, Wait};

#[derive(Parser)]
#[command(name = "verso", version, about = "Checked translations and summaries of news and official statements")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When the project is open in another process (the desktop app), wait
    /// for it to be closed: as long as it takes, or `--wait=SECONDS`.
    #[arg(long, global = true, value_name = "SECONDS", num_args = 0..=1, require_equals = true, default_missing_value = "forever")]
    wait: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty project file.
    Init(documents::InitArgs),
    /// Create a project holding Verso's sample statement and translation.
    Sample(documents::SampleArgs),
    /// Import a source text (.txt, .md) or an XLIFF file (.xlf, .xliff:
    /// 2.x or 1.2, with its translations) as a new document.
    Import(documents::ImportArgs),
    /// List the documents with their progress.
    Docs(documents::DocsArgs),
    /// Show a document's source and translation side by side.
    Show(documents::ShowArgs),
    /// Store a new translation of one segment (a new revision).
    Set(documents::SetArgs),
    /// Split a segment in two at a character offset of its source.
    Split(documents::SplitArgs),
    /// Join a segment with the segment after it.
    Join(documents::JoinArgs),
    /// Named versions of a document's translation.
    Version {
        #[command(subcommand)]
        action: documents::VersionAction,
    },
    /// Compare two versions of a document (or a version and now), word by word.
    Diff(documents::DiffArgs),
    /// Record a review decision on a segment.
    Review(documents::ReviewArgs),
    /// Words and segments by match band (repetitions, 101%, 100%, 95–99 …
    /// no match) against every memory: of one document, or of all.
    Analyse(documents::AnalyseArgs),
    /// The project at a glance: progress, review activity, people, open
    /// checks, summaries; `--html`/`--csv` write the report.
    Overview(documents::OverviewArgs),
    /// A document's rejections, counted by error category.
    Rejections(documents::RejectionsArgs),
    /// Where a source document was published (outlet, address, date), for
    /// the Source line of summaries; shown, or changed with the options.
    Published(documents::PublishedArgs),
    /// Write a document's translation; untranslated segments keep their source text.
    Export(documents::ExportArgs),
    /// Split a text file into sentences (streams: any file size).
    Segment(files::SegmentArgs),
    /// Align a text with its translation, sentence by sentence.
    Align(files::AlignArgs),
    /// Check a summary against its source: links per sentence and flags.
    CheckSummary(files::CheckSummaryArgs),
    /// Print speed figures measured on public data (VERSO_TEST_DATA).
    Bench(files::BenchArgs),
    /// Translation memories: import, export, list, look up, search.
    Tm {
        #[command(subcommand)]
        action: memory::TmAction,
    },
    /// Team projects over Git: share, clone, sync, conflicts.
    Team {
        #[command(subcommand)]
        action: team::TeamAction,
    },
    /// Machine translation: provider profiles, keys, translating documents.
    Mt {
        #[command(subcommand)]
        action: mt::MtAction,
    },
    /// The project glossary: import TBX or CSV/TSV, export TBX, list.
    Glossary {
        #[command(subcommand)]
        action: memory::GlossaryAction,
    },
    /// Run the QA checks on a document; exits 1 while warnings are open.
    Qa(documents::QaArgs),
    /// The project's QA profile: which checks run, and when (always, in the
    /// final check only, or never); `CHECK=WHEN` pairs change it.
    QaProfile(documents::QaProfileArgs),
    /// Fill every untranslated segment with its best memory match as a draft.
    Pretranslate(documents::PretranslateArgs),
    /// Summaries traced to their sources: write, check, link, approve.
    Summary {
        #[command(subcommand)]
        action: summary::SummaryAction,
    },
    /// Write Verso's abbreviation and terminator rules for a language as SRX 2.0.
    SrxExport(files::SrxExportArgs),
    /// Find text or a regular expression in sources, translations or both.
    Find(find::FindArgs),
    /// Replace in translations across the project (--dry-run shows every change first).
    Replace(find::ReplaceArgs),
    /// Take back a replacement (`verso replace` prints its name).
    Undo(find::UndoArgs),
}

/// Runs one command; the error, if any, is printed by `main`.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let stdout = &mut std::io::stdout().lock();
    let wait = wait_of(cli.wait.as_deref())?;
    match cli.command {
        Command::Init(args) => documents::init(args, stdout),
        Command::Sample(args) => documents::sample(args, stdout),
        Command::Import(args) => documents::import(args, wait, stdout),
        Command::Docs(args) => documents::docs(args, wait, stdout),
        Command::Show(args) => documents::show(args, wait, stdout),
        Command::Set(args) => documents::set(args, wait, stdout),
        Command::Split(args) => documents::split(args, wait, stdout),
        Command::Join(args) => documents::join(args, wait, stdout),
        Command::Version { action } => documents::version(action, wait, stdout),
        Command::Diff(args) => documents::diff(args, wait, stdout),
        Command::Review(args) => documents::review(args, wait, stdout),
        Command::Rejections(args) => documents::rejections(args, wait, stdout),
        Command::Find(args) => find::find(args, wait, stdout),
        Command::Replace(args) => find::replace(args, wait, stdout),
        Command::Undo(args) => find::undo(args, wait, stdout),
        Command::Analyse(args) => documents::analyse(args, wait, stdout),
        Command::Overview(args) => documents::overview(args, wait, stdout),
        Command::Published(args) => documents::published(args, wait, stdout),
        Command::Export(args) => documents::export(args, wait, stdout),
        Command::Segment(args) => files::segment(args, stdout),
        Command::Align(args) => files::align(args, stdout),
        Command::CheckSummary(args) => files::check_summary(args, stdout),
        Command::Bench(args) => files::bench(args, stdout),
        Command::Tm { action } => memory::run_tm(wait, action, stdout),
        Command::Mt { action } => mt::run(wait, action, stdout),
        Command::Team { action } => team::run(wait, action, stdout),
        Command::Glossary { action } => memory::run_glossary(wait, action, stdout),
        Command::Qa(args) => documents::qa(args, wait, stdout),
        Command::QaProfile(args) => documents::qa_profile(args, wait, stdout),
        Command::Pretranslate(args) => documents::pretranslate(args, wait, stdout),
        Command::Summary { action } => summary::run(wait, action, stdout),
        Command::SrxExport(args) => files::srx_export(args, stdout),
    }
}

pub(crate) fn lang(tag: &str) -> anyhow::Result<LangTag> {
    Ok(tag.parse()?)
}

/// How long `--wait` waits for the project's owner to close it.
pub(crate) fn wait_of(arg: Option<&str>) -> anyhow::Result<Wait> {
    Ok(match arg {
        None => Wait::No,
        Some("forever") => Wait::Forever,
        Some(seconds) => match seconds.parse::<u64>() {
            Ok(seconds) => Wait::Up(std::time::Duration::from_secs(seconds)),
            Err(_) => bail!("--wait takes a number of seconds (--wait=30), or nothing to wait as long as it takes"),
        },
    })
}

/// The project at `path`, opened for this one command through a session
/// (the desktop's use cases); `author`, when given, is recorded on what it
/// writes.
pub(crate) fn open(project: &Path, wait: Wait, author: Option<String>) -> anyhow::Result<Session> {
    let mut session = Session::for_command(verso::mt::profile::default_config_dir(), author);
    if wait == Wait::No {
        session.open_project(project)?;
        return Ok(session);
    }
    // Said once, on stderr, so a command that waits behind a long import
    // is seen waiting rather than hanging.
    match session.open_project(project) {
        Err(SessionError::Store(StoreError::Lock(LockError::InUse { holder, .. }))) => {
            eprintln!("Waiting for {holder} to close {}…", project.display());
            session.open_project_waiting(project, wait)?;
        }
        opened => {
            opened?;
        }
    }
    Ok(session)
}

/// `value` as pretty JSON and a newline: every `--json` output.
pub(crate) fn print_json(stdout: &mut impl std::io::Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// Writes `bytes` to `path` (atomically), or to standard output.
pub(crate) fn write_output(path: Option<&Path>, bytes: &[u8], stdout: &mut impl std::io::Write) -> anyhow::Result<()> {
    match path {
        Some(path) => write_atomically(path, bytes),
        None => Ok(stdout.write_all(bytes)?),
    }
}

/// A text file decoded as import decodes it (BOMs, UTF-16, refusals).
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read the file", path.display()))?;
    Ok(import::decode(path, &bytes)?)
}

pub(crate) fn write_atomically(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    export::write_atomically(path, content).with_context(|| format!("{}: cannot write", path.display()))
}
