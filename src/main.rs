//! The `verso` command line: the core's operations for batch use and scripts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use verso::formats::export::article::{self, SummaryFormat};
use verso::formats::export::{self, TargetFormat};
use verso::formats::import;
use verso::revision::Decision;
use verso::segment::srx::SrxDocument;
use verso::segment::{self, Rules, Segmenter};
use verso::session::summary::{self as summary_case, SourceIndex};
use verso::session::{self, ExchangeFormat};
use verso::store::Wait;
use verso::store::lock::LockError;
use verso::summary::{self, LinkDecision, LinkOrigin, SentenceKind};
use verso::{DocumentId, LangTag, Project, SegmentId, SegmentRow, Status, TranslationEdit};

#[derive(Parser)]
#[command(name = "verso", version, about = "Checked translations and summaries of news and official statements")]
struct Cli {
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
    Init { project: PathBuf },
    /// Create a project holding Verso's sample statement and translation.
    Sample { project: PathBuf },
    /// Import a source text (.txt, .md) or an XLIFF file (.xlf, .xliff:
    /// 2.x or 1.2, with its translations) as a new document.
    Import {
        project: PathBuf,
        file: PathBuf,
        /// Source language (BCP 47, e.g. en); XLIFF files name their own.
        #[arg(long)]
        from: Option<String>,
        /// Target language (BCP 47, e.g. es); for XLIFF, used when the file names none.
        #[arg(long)]
        to: Option<String>,
        /// Take back an XLIFF file exported from this document and edited
        /// elsewhere: changed targets and states become new revisions.
        #[arg(long, value_name = "DOCUMENT")]
        into: Option<i64>,
        /// Read FILE as XLIFF whatever its extension.
        #[arg(long)]
        xliff: bool,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the documents with their progress.
    Docs {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show a document's source and translation side by side.
    Show {
        project: PathBuf,
        document: i64,
        #[arg(long)]
        json: bool,
    },
    /// Store a new translation of one segment (a new revision).
    Set {
        project: PathBuf,
        segment: i64,
        text: String,
        #[arg(long, value_enum, default_value = "draft")]
        status: StatusArg,
        /// Name recorded on the revision (default: the project's author, then $USER).
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Split a segment in two at a character offset of its source.
    Split {
        project: PathBuf,
        segment: i64,
        /// Character offset in the source where the second segment starts.
        at: usize,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Join a segment with the segment after it.
    Join {
        project: PathBuf,
        segment: i64,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Named versions of a document's translation.
    Version {
        #[command(subcommand)]
        action: VersionAction,
    },
    /// Compare two versions of a document (or a version and now), word by word.
    Diff {
        project: PathBuf,
        document: i64,
        /// Version name or id.
        #[arg(long)]
        from: String,
        /// Version name or id; "now" for the current state.
        #[arg(long, default_value = "now")]
        to: String,
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Compare character by character whatever the language.
        #[arg(long)]
        chars: bool,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Record a review decision on a segment.
    Review {
        project: PathBuf,
        segment: i64,
        #[arg(value_enum)]
        decision: DecisionArg,
        /// Required to reject: what is wrong.
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write a document's translation; untranslated segments keep their source text.
    Export {
        project: PathBuf,
        document: i64,
        #[arg(long, value_enum, default_value = "txt")]
        format: FormatArg,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Export a summary that is not approved yet, marked DRAFT.
        #[arg(long)]
        draft: bool,
    },
    /// Split a text file into sentences (streams: any file size).
    Segment {
        file: PathBuf,
        #[arg(long)]
        lang: String,
        /// Use these SRX 2.0 rules instead of Verso's own.
        #[arg(long)]
        srx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Print only the count, throughput and peak memory (to stderr).
        #[arg(long)]
        stats: bool,
    },
    /// Align a text with its translation, sentence by sentence.
    Align {
        source: PathBuf,
        target: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Take each line as one sentence (pre-segmented test sets).
        #[arg(long)]
        lines: bool,
        #[arg(long)]
        json: bool,
        /// Write the aligned pairs as TMX 1.4b.
        #[arg(long, conflicts_with = "json")]
        tmx: bool,
        /// Print time and peak memory to stderr.
        #[arg(long)]
        stats: bool,
    },
    /// Check a summary against its source: links per sentence and flags.
    CheckSummary {
        summary: PathBuf,
        #[arg(long)]
        source: PathBuf,
        /// Language of the source.
        #[arg(long)]
        from: String,
        /// Language of the summary (default: the source's).
        #[arg(long)]
        lang: Option<String>,
        /// A glossary (TBX, CSV or TSV) from the source's language to the
        /// summary's: links sentences to passages that use its terms.
        #[arg(long)]
        glossary: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Print speed figures measured on public data (VERSO_TEST_DATA).
    Bench { what: BenchArg },
    /// Translation memories: import, export, list, look up, search.
    Tm {
        #[command(subcommand)]
        action: TmAction,
    },
    /// Machine translation: provider profiles, keys, translating documents.
    Mt {
        #[command(subcommand)]
        action: MtAction,
    },
    /// The project glossary: import TBX or CSV/TSV, export TBX, list.
    Glossary {
        #[command(subcommand)]
        action: GlossaryAction,
    },
    /// Run the QA checks on a document; exits 1 while warnings are open.
    Qa {
        project: PathBuf,
        document: i64,
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Write the report as an HTML page to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Fill every untranslated segment with its best memory match as a draft.
    Pretranslate {
        project: PathBuf,
        document: i64,
        /// Lowest match percentage used.
        #[arg(long, default_value_t = verso::tm::DEFAULT_THRESHOLD)]
        threshold: u8,
        #[arg(long)]
        author: Option<String>,
    },
    /// Summaries traced to their sources: write, check, link, approve.
    Summary {
        #[command(subcommand)]
        action: SummaryAction,
    },
    /// Write Verso's abbreviation and terminator rules for a language as SRX 2.0.
    SrxExport {
        #[arg(long)]
        lang: String,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Draft,
    Translated,
    Reviewed,
    Approved,
    Rejected,
}

impl From<StatusArg> for Status {
    fn from(arg: StatusArg) -> Status {
        match arg {
            StatusArg::Draft => Status::Draft,
            StatusArg::Translated => Status::Translated,
            StatusArg::Reviewed => Status::Reviewed,
            StatusArg::Approved => Status::Approved,
            StatusArg::Rejected => Status::Rejected,
        }
    }
}

#[derive(Subcommand)]
enum VersionAction {
    /// Name the document's current translation.
    Create {
        project: PathBuf,
        document: i64,
        name: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// List a document's versions.
    List {
        project: PathBuf,
        document: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TmAction {
    /// Import a TMX file as a read-only reference memory.
    Import {
        project: PathBuf,
        file: PathBuf,
        /// Keep only pairs of this document's languages.
        #[arg(long)]
        document: Option<i64>,
        /// Ranks matches of equal percentage (project memory: 100).
        #[arg(long, default_value_t = 50)]
        priority: i64,
    },
    /// Write a memory (1 is the project memory) as TMX 1.4b.
    Export { project: PathBuf, memory: i64, file: PathBuf },
    /// List the memories with their sizes.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Remove a reference memory.
    Remove { project: PathBuf, memory: i64 },
    /// Fuzzy matches for a sentence.
    Lookup {
        project: PathBuf,
        sentence: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value_t = verso::tm::DEFAULT_THRESHOLD)]
        threshold: u8,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Units holding a word or phrase, in source or target.
    Concordance {
        project: PathBuf,
        query: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum MtAction {
    /// Provider profiles, kept in the settings folder (VERSO_CONFIG_DIR).
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
    /// Store a profile's API key in the system keyring (read from stdin).
    Key { name: String },
    /// Translate a document's untranslated segments (or the given
    /// positions, 1-based: "1,4-7") as drafts, origin mt:<profile>.
    Translate {
        project: PathBuf,
        document: i64,
        #[arg(long)]
        profile: String,
        #[arg(long)]
        segments: Option<String>,
    },
}

#[derive(Subcommand)]
enum ProfileAction {
    /// Add or replace a profile (switched off unless --enable).
    Add {
        name: String,
        /// deepl, google, libretranslate or openai (Ollama, llama.cpp, vLLM).
        #[arg(long)]
        provider: String,
        /// Base URL; the provider's public endpoint when left out.
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        model: Option<String>,
        #[arg(long)]
        formality: Option<String>,
        /// System prompt for OpenAI-compatible profiles, with {source_lang},
        /// {target_lang}, {glossary}, {before}, {after}.
        #[arg(long)]
        prompt: Option<String>,
        #[arg(long)]
        enable: bool,
        #[arg(long, default_value_t = 30)]
        timeout: u32,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Remove {
        name: String,
    },
}

#[derive(Subcommand)]
enum GlossaryAction {
    /// Add the terms of a TBX or CSV/TSV file for a language pair.
    Import {
        project: PathBuf,
        file: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Write the glossary of a language pair as TBX.
    Export {
        project: PathBuf,
        file: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// List the terms of a language pair.
    List {
        project: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SummaryAction {
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
enum BenchArg {
    /// Align two 20,000-sentence documents.
    Align,
    /// Link a 50-sentence summary to 10,000 source segments.
    Provenance,
    /// Export and import a 10,000-segment document as XLIFF and DOCX.
    Formats,
    /// Import a generated translation memory (1,000,000 units, or
    /// VERSO_BENCH_TM_UNITS) and time fuzzy lookups and concordance.
    Tm,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Claim,
    Commentary,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecisionArg {
    Reviewed,
    Approve,
    Reject,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Txt,
    Md,
    Html,
    Docx,
    Json,
    /// XLIFF 2.1 (translations, with states and comments).
    Xliff2,
    /// XLIFF 1.2.
    Xliff12,
    /// TMX 1.4b, approved pairs only.
    Tmx,
    /// Source | target | status | comments, as a web page.
    BilingualHtml,
    /// The same review table as a Word document.
    BilingualDocx,
    /// The translation in the source's own format (text, Markdown, HTML, DOCX).
    Target,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = error.to_string();
            // Many errors already quote their cause ("{path}: {source}").
            for cause in error.chain().skip(1).map(ToString::to_string) {
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            eprintln!("verso: {message}");
            let in_use = error.chain().any(|cause| {
                matches!(
                    cause.downcast_ref::<verso::StoreError>(),
                    Some(verso::StoreError::Lock(LockError::InUse { .. }))
                )
            });
            if in_use {
                eprintln!("verso: or run the command again with --wait to wait until it is closed");
            }
            ExitCode::FAILURE
        }
    }
}

/// `verso show … | head` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn lang(tag: &str) -> anyhow::Result<LangTag> {
    Ok(tag.parse()?)
}

/// How long `--wait` waits for the project's owner to close it.
fn wait_of(arg: Option<&str>) -> anyhow::Result<Wait> {
    Ok(match arg {
        None => Wait::No,
        Some("forever") => Wait::Forever,
        Some(seconds) => match seconds.parse::<u64>() {
            Ok(seconds) => Wait::Up(std::time::Duration::from_secs(seconds)),
            Err(_) => bail!("--wait takes a number of seconds (--wait=30), or nothing to wait as long as it takes"),
        },
    })
}

fn open(project: &Path, wait: Wait) -> Result<Project, verso::StoreError> {
    Project::open_waiting(project, wait)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let stdout = &mut std::io::stdout().lock();
    let wait = wait_of(cli.wait.as_deref())?;
    match cli.command {
        Command::Init { project } => {
            Project::create(&project)?;
            writeln!(stdout, "created {}", project.display())?;
        }
        Command::Sample { project } => {
            let (_, id) = verso::sample::create_sample_project(&project)?;
            writeln!(stdout, "created {} with sample document {}", project.display(), id.0)?;
        }
        Command::Import { project, file, from, to, into, xliff, title, json } => {
            let is_xliff = xliff
                || file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlf") || e.eq_ignore_ascii_case("xliff"));
            let summary = if into.is_some() || is_xliff {
                let mut project = open(&project, wait)?;
                let author = author_name(&project, None)?;
                if let Some(document) = into {
                    let changed = session::update_from_xliff(&mut project, DocumentId(document), &file, &author)?;
                    writeln!(stdout, "updated {changed} segments of document {document} from {}", file.display())?;
                    return Ok(());
                }
                let id = session::import_xliff(&mut project, &file, title, to.as_deref(), &author)?;
                project.document(id)?
            } else {
                let (Some(from), Some(to)) = (from, to) else { bail!("--from and --to are needed for a text file") };
                // The desktop's import: a Word or web page source is kept so
                // its translation can be written back into the same file.
                session_with(&project, wait)?.import(&file, &from, &to, title)?
            };
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &summary)?;
                writeln!(stdout)?;
            } else {
                let id = summary.id;
                writeln!(stdout, "imported document {}: \"{}\", {} segments", id.0, summary.title, summary.segments)?;
            }
        }
        Command::Docs { project, json } => {
            let documents = open(&project, wait)?.documents()?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &documents)?;
                writeln!(stdout)?;
            } else if documents.is_empty() {
                writeln!(stdout, "no documents yet; add one with `verso import`")?;
            } else {
                for doc in documents {
                    writeln!(
                        stdout,
                        "{:>4}  {}  {}→{}  {}/{} translated",
                        doc.id.0, doc.title, doc.source_lang, doc.target_lang, doc.translated, doc.segments
                    )?;
                }
            }
        }
        Command::Show { project, document, json } => {
            let rows = open(&project, wait)?.segments(DocumentId(document))?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &rows)?;
                writeln!(stdout)?;
            } else {
                print_side_by_side(stdout, &rows)?;
            }
        }
        Command::Version { action: VersionAction::Create { project, document, name, author } } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let version = project.create_version(DocumentId(document), name.trim(), &author)?;
            writeln!(stdout, "version {} \"{}\": {} segments", version.id.0, version.name, version.segments)?;
        }
        Command::Version { action: VersionAction::List { project, document, json } } => {
            let versions = open(&project, wait)?.versions(DocumentId(document))?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &versions)?;
                writeln!(stdout)?;
            } else if versions.is_empty() {
                writeln!(stdout, "no versions yet; create one with `verso version create`")?;
            } else {
                for v in versions {
                    writeln!(stdout, "{:>4}  {}  by {} at {}", v.id.0, v.name, v.author, v.created_at)?;
                }
            }
        }
        Command::Diff { project, document, from, to, format, chars, output } => {
            let project = open(&project, wait)?;
            let document = DocumentId(document);
            let pick = |name: &str| -> anyhow::Result<Option<verso::revision::VersionId>> {
                Ok(if name == "now" { None } else { Some(project.find_version(document, name)?.id) })
            };
            let result = verso::session::compare(&project, document, pick(&from)?, pick(&to)?, chars)?;
            let summary = project.document(document)?;
            let context = verso::formats::export::ReportContext {
                document_title: &summary.title,
                source_lang: summary.source_lang.as_str(),
                target_lang: summary.target_lang.as_str(),
            };
            let content = match format {
                ReportFormat::Html => verso::formats::export::change_report_html(&result, &context),
                ReportFormat::Md => verso::formats::export::change_report_markdown(&result, &context),
                ReportFormat::Json => serde_json::to_string_pretty(&result)? + "\n",
            };
            match output {
                Some(path) => write_atomically(&path, content.as_bytes())?,
                None => stdout.write_all(content.as_bytes())?,
            }
        }
        Command::Review { project, segment, decision, comment, author, json } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let decision = match decision {
                DecisionArg::Reviewed => Decision::Reviewed,
                DecisionArg::Approve => Decision::Approved,
                DecisionArg::Reject => Decision::Rejected,
            };
            let revision = project.review(SegmentId(segment), decision, comment.as_deref(), &author)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &revision)?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "segment {segment}: {} (revision {})", revision.status.as_str(), revision.id.0)?;
            }
        }
        Command::Split { project, segment, at, author, json } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let new = project.split_segment(SegmentId(segment), at, &author)?;
            if json {
                serde_json::to_writer_pretty(
                    &mut *stdout,
                    &serde_json::json!({ "segment": segment, "new_segment": new.0 }),
                )?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "segment {segment} split; the second part is segment {}", new.0)?;
            }
        }
        Command::Join { project, segment, author, json } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            project.join_with_next(SegmentId(segment), &author)?;
            let row = project.segment(SegmentId(segment))?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &row)?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "segment {segment} now reads: {}", row.source)?;
            }
        }
        Command::Set { project, segment, text, status, author, json } => {
            let mut project = open(&project, wait)?;
            let row = project.segment(SegmentId(segment))?;
            let author = author_name(&project, author)?;
            let edit =
                TranslationEdit { segment: row.id, text, status: status.into(), base: row.revision, origin: None };
            let revision = project.save_translation(&edit, &author)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &revision)?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "segment {segment}: revision {} ({})", revision.id.0, revision.status.as_str())?;
            }
        }
        Command::Export { project, document, format, output, draft } => {
            let project = open(&project, wait)?;
            let document = DocumentId(document);
            if project.document(document)?.kind == verso::DocumentKind::Summary {
                let format = match format {
                    FormatArg::Md => SummaryFormat::Markdown,
                    FormatArg::Html => SummaryFormat::Html,
                    FormatArg::Docx => SummaryFormat::Docx,
                    FormatArg::Json => SummaryFormat::Json,
                    _ => bail!("a summary exports as md, html, docx or json (--format)"),
                };
                let view = summary_case::view(&project, document, &SourceIndex::build(&project, document)?)?;
                let bytes = session::summary_file(&project, &view, format, draft)?;
                match output {
                    Some(path) => write_atomically(&path, &bytes)?,
                    None => stdout.write_all(&bytes)?,
                }
                return Ok(());
            }
            let target = match format {
                FormatArg::Txt => TargetFormat::Text,
                FormatArg::Md => TargetFormat::Markdown,
                FormatArg::Html => TargetFormat::Html,
                FormatArg::Docx => TargetFormat::Docx,
                FormatArg::BilingualHtml => TargetFormat::BilingualHtml,
                FormatArg::BilingualDocx => TargetFormat::BilingualDocx,
                FormatArg::Target => match project.document(document)?.format {
                    verso::SourceFormat::Markdown => TargetFormat::Markdown,
                    verso::SourceFormat::Html => TargetFormat::Html,
                    verso::SourceFormat::Docx => TargetFormat::Docx,
                    verso::SourceFormat::Text | verso::SourceFormat::Xliff => TargetFormat::Text,
                },
                FormatArg::Json => bail!("json is for summaries; a translation exports as xliff2 for other programs"),
                FormatArg::Xliff2 | FormatArg::Xliff12 | FormatArg::Tmx => {
                    let exchange = match format {
                        FormatArg::Xliff12 => ExchangeFormat::Xliff12,
                        FormatArg::Tmx => ExchangeFormat::Tmx,
                        _ => ExchangeFormat::Xliff2,
                    };
                    let (content, _) = session::exchange_file(&project, document, exchange)?;
                    match output {
                        Some(path) => write_atomically(&path, content.as_bytes())?,
                        None => stdout.write_all(content.as_bytes())?,
                    }
                    return Ok(());
                }
            };
            let (bytes, exported) = session::translation_file(&project, document, target)?;
            match output {
                Some(path) => write_atomically(&path, &bytes)?,
                None => stdout.write_all(&bytes)?,
            }
            if !exported.is_complete() {
                eprintln!(
                    "verso: warning: incomplete translation: {} of {} segments are untranslated and were written in the source language",
                    exported.untranslated, exported.segments
                );
            }
        }
        Command::Segment { file, lang: tag, srx, json, stats } => {
            let tag = lang(&tag)?;
            let rules = match srx {
                Some(path) => Rules::Srx(verso::formats::srx::read(&path)?.segmenter(&tag)?),
                None => Rules::Builtin(Segmenter::new(&tag)),
            };
            let input =
                std::fs::File::open(&file).with_context(|| format!("{}: cannot read the file", file.display()))?;
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
        }
        Command::Align { source, target, from, to, lines, json, tmx, stats } => {
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
            let join = |ids: &[u32], side: &[String]| {
                ids.iter().map(|&i| side[i as usize].as_str()).collect::<Vec<_>>().join(" ")
            };
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
                    verso::formats::export::tmx_pairs(
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
        }
        Command::CheckSummary { summary, source, from, lang: summary_lang, glossary, json } => {
            let source_lang = lang(&from)?;
            let summary_lang = match summary_lang {
                Some(tag) => lang(&tag)?,
                None => source_lang.clone(),
            };
            let (source_text, summary_text) = (read_text(&source)?, read_text(&summary)?);
            let sources: Vec<verso::provenance::SourceSegment> = segment::split_text(&source_text, &source_lang)
                .map(|s| verso::provenance::SourceSegment { text: s.replace(['\n', '\r'], " "), translation: None })
                .collect();
            let texts: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
            let lexicon = match &glossary {
                Some(path) => {
                    let pairs: Vec<(String, String)> =
                        verso::formats::glossary::read(path, &source_lang, &summary_lang)?
                            .into_iter()
                            .filter(|t| !t.forbidden)
                            .map(|t| (t.source, t.target))
                            .collect();
                    Some(verso::glossary::Lexicon::new(&pairs, &source_lang, &summary_lang))
                }
                None => None,
            };
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
                        writeln!(stdout, "   ← source {}: {}", link.segment + 1, texts[link.segment])?;
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
        }
        Command::Summary { action } => run_summary(wait, action, stdout)?,
        Command::Tm { action } => run_tm(wait, action, stdout)?,
        Command::Glossary { action } => run_glossary(wait, action, stdout)?,
        Command::Mt { action } => run_mt(wait, action, stdout)?,
        Command::Qa { project, document, json, html } => {
            let project = open(&project, wait)?;
            let report = project.qa_report(DocumentId(document))?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &report)?;
                writeln!(stdout)?;
            } else if let Some(path) = html {
                write_atomically(&path, export::qa_report_html(&report).as_bytes())?;
                writeln!(stdout, "wrote {}", path.display())?;
            } else {
                for issue in &report.issues {
                    let accepted =
                        issue.accepted.as_ref().map(|a| format!(" (accepted by {}: {})", a.author, a.reason));
                    writeln!(
                        stdout,
                        "segment {:>4}  {:<26} {}{}",
                        issue.position + 1,
                        issue.check.label(),
                        issue.message,
                        accepted.unwrap_or_default()
                    )?;
                }
            }
            let open = report.open().count();
            if open > 0 {
                bail!("{open} QA warning(s) open in \"{}\"", report.document_title);
            }
        }
        Command::Pretranslate { project, document, threshold, author } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let mut last = 0;
            let outcome = project.pretranslate(DocumentId(document), threshold, &author, &mut |done, total| {
                if total >= 200 && done * 10 / total.max(1) > last {
                    last = done * 10 / total.max(1);
                    eprintln!("pre-translating: {done} / {total}");
                }
                true
            })?;
            writeln!(
                stdout,
                "filled {} of {} untranslated segments from memory ({} exact, threshold {threshold}%), as drafts",
                outcome.filled, outcome.examined, outcome.exact
            )?;
        }
        Command::Bench { what } => {
            let data = verso::bench::data_dir();
            match what {
                BenchArg::Align => verso::bench::align(&data, stdout)?,
                BenchArg::Provenance => verso::bench::provenance(&data, stdout)?,
                BenchArg::Formats => verso::bench::formats(&data, stdout)?,
                BenchArg::Tm => {
                    let units = std::env::var("VERSO_BENCH_TM_UNITS").ok().and_then(|n| n.parse().ok());
                    verso::bench::tm(&data, units.unwrap_or(1_000_000), stdout)?
                }
            }
        }
        Command::SrxExport { lang: tag, output } => {
            let xml = verso::formats::srx::write(&SrxDocument::from_builtin(&lang(&tag)?));
            match output {
                Some(path) => write_atomically(&path, xml.as_bytes())?,
                None => stdout.write_all(xml.as_bytes())?,
            }
        }
    }
    Ok(())
}

fn run_summary(wait: Wait, action: SummaryAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        SummaryAction::Draft { project, document, profile, target } => {
            let mut session = session_with(&project, wait)?;
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
            let mut project = open(&project, wait)?;
            let sources: Vec<DocumentId> = sources.into_iter().map(DocumentId).collect();
            let summary_lang = lang(&summary_lang)?;
            let title = title.unwrap_or_else(|| file.file_stem().unwrap_or_default().to_string_lossy().into_owned());
            let author = author_name(&project, author)?;
            let id = summary_case::create_from_text(&mut project, &title, summary_lang, sources, &text, &author)?;
            let document = project.document(id)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &document)?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "created summary {}: \"{}\", {} sentences", id.0, document.title, document.segments)?;
            }
        }
        SummaryAction::Check { project, summary, json } => {
            let project = open(&project, wait)?;
            let summary = DocumentId(summary);
            let index = SourceIndex::build(&project, summary)?;
            let view = summary_case::view(&project, summary, &index)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &view)?;
                writeln!(stdout)?;
            } else {
                print_summary(stdout, &project, &view)?;
            }
            if view.blocking > 0 {
                bail!("{} claim sentence(s) have unresolved flags", view.blocking);
            }
        }
        SummaryAction::Link { project, sentence, segment, reject, clear, author } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let sentence = SegmentId(sentence);
            let index = SourceIndex::build(&project, project.segment(sentence)?.document_id)?;
            let decision = match (reject, clear) {
                (true, _) => LinkDecision::Rejected,
                (_, true) => LinkDecision::Cleared,
                _ => LinkDecision::Confirmed,
            };
            summary_case::decide(&mut project, &index, sentence, SegmentId(segment), decision, &author)?;
            writeln!(stdout, "sentence {}: link to segment {segment} {}", sentence.0, decision.as_str())?;
        }
        SummaryAction::Template { project, set, reset } => {
            let mut project = open(&project, wait)?;
            if let Some(path) = set {
                let template = read_text(&path)?;
                article::check_template(&template).with_context(|| path.display().to_string())?;
                project.set_summary_template(Some(&template))?;
                writeln!(stdout, "the project's summaries now export with {}", path.display())?;
            } else if reset {
                project.set_summary_template(None)?;
                writeln!(stdout, "the project's summaries export with Verso's default template again")?;
            } else {
                let template = project.summary_template()?.unwrap_or_else(|| article::DEFAULT_TEMPLATE.to_string());
                writeln!(stdout, "{template}")?;
            }
        }
        SummaryAction::Mark { project, sentence, kind } => {
            let kind = match kind {
                KindArg::Claim => SentenceKind::Claim,
                KindArg::Commentary => SentenceKind::Commentary,
            };
            open(&project, wait)?.set_sentence_kind(SegmentId(sentence), kind)?;
            writeln!(stdout, "sentence {sentence} is now {}", kind.as_str())?;
        }
        SummaryAction::Approve { project, summary, override_reason, author } => {
            let mut project = open(&project, wait)?;
            let author = author_name(&project, author)?;
            let summary = DocumentId(summary);
            let index = SourceIndex::build(&project, summary)?;
            let approval = summary_case::approve(&mut project, summary, &index, override_reason.as_deref(), &author)?;
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

fn run_tm(wait: Wait, action: TmAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        TmAction::Import { project, file, document, priority } => {
            let mut project = open(&project, wait)?;
            let langs = document.map(|d| project.languages(DocumentId(d))).transpose()?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut last = 0;
            let (memory, stats) = project.import_tmx(
                &file,
                &name,
                priority,
                langs.as_ref().map(|(s, t)| (s, t)),
                &mut |done, total| {
                    let tenth = done * 10 / total.max(1);
                    if total > 10_000_000 && tenth > last {
                        last = tenth;
                        eprintln!("importing: {}%", tenth * 10);
                    }
                    true
                },
            )?;
            writeln!(
                stdout,
                "memory {}: \"{}\", {} units ({} <tu> skipped: no source-language or target variant)",
                memory.id.0, memory.name, memory.units, stats.skipped
            )?;
        }
        TmAction::Export { project, memory, file } => {
            let count = open(&project, wait)?.export_memory(verso::tm::MemoryId(memory), &file)?;
            writeln!(stdout, "wrote {count} units to {}", file.display())?;
        }
        TmAction::List { project, json } => {
            let memories = open(&project, wait)?.memories()?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &memories)?;
                writeln!(stdout)?;
            } else {
                for m in memories {
                    let kind = if m.read_only { "reference" } else { "project" };
                    writeln!(
                        stdout,
                        "{:>3}  {:<9} priority {:>3}  {:>9} units  {}",
                        m.id.0, kind, m.priority, m.units, m.name
                    )?;
                }
            }
        }
        TmAction::Remove { project, memory } => {
            open(&project, wait)?.remove_memory(verso::tm::MemoryId(memory))?;
            writeln!(stdout, "removed memory {memory}")?;
        }
        TmAction::Lookup { project, sentence, from, to, threshold, limit, json } => {
            let project = open(&project, wait)?;
            let (from, to) = (lang(&from)?, lang(&to)?);
            let query =
                verso::tm::Query { source: &sentence, source_lang: &from, target_lang: &to, before: None, after: None };
            let matches = project.lookup(&query, threshold, limit)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &matches)?;
                writeln!(stdout)?;
            } else {
                for m in &matches {
                    writeln!(stdout, "{:>3}%  {}\n      {}\n      ({})", m.percent, m.source, m.target, m.memory_name)?;
                }
                if matches.is_empty() {
                    writeln!(stdout, "no match of {threshold}% or more")?;
                }
            }
        }
        TmAction::Concordance { project, query, json } => {
            let hits = open(&project, wait)?.concordance(&query, 50)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &hits)?;
                writeln!(stdout)?;
            } else {
                for hit in &hits {
                    writeln!(stdout, "{}\n  {}\n  ({})", hit.source, hit.target, hit.memory_name)?;
                }
            }
        }
    }
    Ok(())
}

/// A session for commands that use settings (machine translation).
fn session_with(project: &Path, wait: Wait) -> anyhow::Result<verso::session::Session> {
    let mut session = verso::session::Session::new(verso::mt::profile::default_config_dir(), session::default_author());
    session.open_project_waiting(project, wait)?;
    Ok(session)
}

/// "1,4-7" → positions 0, 3, 4, 5, 6.
fn positions(list: &str) -> anyhow::Result<Vec<u32>> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let number =
            |n: &str| n.trim().parse::<u32>().ok().filter(|&n| n > 0).context(format!("bad segment number {n:?}"));
        match part.split_once('-') {
            Some((a, b)) => out.extend(number(a)? - 1..number(b)?),
            None => out.push(number(part)? - 1),
        }
    }
    Ok(out)
}

fn run_mt(wait: Wait, action: MtAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    use verso::mt::{Profile, ProviderKind, Settings};
    let config = verso::mt::profile::default_config_dir();
    match action {
        MtAction::Profile {
            action: ProfileAction::Add { name, provider, url, model, formality, prompt, enable, timeout },
        } => {
            let kind = ProviderKind::parse(&provider)
                .with_context(|| format!("unknown provider {provider:?}: deepl, google, libretranslate or openai"))?;
            let mut profile = Profile::new(&name, kind);
            if let Some(url) = url {
                profile.url = url;
            }
            profile.model = model;
            profile.formality = formality;
            profile.prompt = prompt;
            profile.enabled = enable;
            profile.timeout_secs = timeout;
            let mut settings = Settings::load(&config)?;
            settings.upsert(profile)?;
            settings.save(&config)?;
            writeln!(
                stdout,
                "saved profile \"{name}\" ({}, {})",
                kind.label(),
                if enable { "enabled" } else { "switched off" }
            )?;
        }
        MtAction::Profile { action: ProfileAction::List { json } } => {
            let settings = Settings::load(&config)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &settings.profiles)?;
                writeln!(stdout)?;
            } else {
                for p in &settings.profiles {
                    let (_, source) = verso::mt::keys::get(&p.name);
                    let state = if p.enabled { "on " } else { "off" };
                    writeln!(stdout, "{state}  {:<24} {:<24} {}  key: {source:?}", p.name, p.kind.label(), p.url)?;
                }
            }
        }
        MtAction::Profile { action: ProfileAction::Remove { name } } => {
            let mut settings = Settings::load(&config)?;
            settings.remove(&name)?;
            settings.save(&config)?;
            verso::mt::keys::remove(&name);
            writeln!(stdout, "removed profile \"{name}\"")?;
        }
        MtAction::Key { name } => {
            Settings::load(&config)?.get(&name)?;
            let mut key = String::new();
            std::io::stdin().read_line(&mut key)?;
            verso::mt::keys::set(&name, &key)?;
            writeln!(stdout, "stored the key of \"{name}\" in the system keyring")?;
        }
        MtAction::Translate { project, document, profile, segments } => {
            let mut session = session_with(&project, wait)?;
            let positions = segments.as_deref().map(positions).transpose()?;
            let job = session.mt_document_job(DocumentId(document), &profile, positions.as_deref())?;
            let p = job.client.profile();
            eprintln!(
                "sending {} segments ({} characters) to \"{}\" ({}, {})",
                job.segments.len(),
                job.request.texts.iter().map(|t| t.chars().count()).sum::<usize>(),
                p.name,
                p.kind.label(),
                p.url
            );
            let cancel = std::sync::atomic::AtomicBool::new(false);
            let runtime = tokio::runtime::Runtime::new()?;
            let texts = runtime.block_on(job.client.translate(&job.request, &cancel, &mut |done, total| {
                if total >= 100 {
                    eprintln!("translated {done} / {total}");
                }
            }))?;
            let written = session.apply_mt(&job, texts)?;
            writeln!(stdout, "{written} segments translated as drafts (origin mt:{profile})")?;
        }
    }
    Ok(())
}

fn run_glossary(wait: Wait, action: GlossaryAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        GlossaryAction::Import { project, file, from, to } => {
            let (read, added) =
                session::import_glossary(&mut open(&project, wait)?, &file, &lang(&from)?, &lang(&to)?)?;
            writeln!(stdout, "{read} term pairs read, {added} new")?;
        }
        GlossaryAction::Export { project, file, from, to } => {
            let count = session::export_glossary(&open(&project, wait)?, &lang(&from)?, &lang(&to)?, &file)?;
            writeln!(stdout, "wrote {count} term pairs to {}", file.display())?;
        }
        GlossaryAction::List { project, from, to, json } => {
            let terms = open(&project, wait)?.glossary(&lang(&from)?, &lang(&to)?)?;
            if json {
                serde_json::to_writer_pretty(&mut *stdout, &terms)?;
                writeln!(stdout)?;
            } else {
                for t in terms {
                    let mark = if t.forbidden { "  (forbidden)" } else { "" };
                    writeln!(stdout, "{} → {}{mark}", t.source, t.target)?;
                }
            }
        }
    }
    Ok(())
}

fn print_summary(out: &mut impl Write, project: &Project, view: &summary::SummaryView) -> anyhow::Result<()> {
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
                let row = project.segment(link.segment)?;
                let text = if link.in_translation { row.translation.unwrap_or_default() } else { row.source };
                let how = if link.stale {
                    "stale"
                } else if link.origin == LinkOrigin::Confirmed {
                    "confirmed"
                } else {
                    "found"
                };
                writeln!(out, "   ← segment {} ({how}): {text}", link.segment.0)?;
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

/// The name recorded on revisions: `--author`, else the project's author,
/// else the login name.
fn author_name(project: &Project, given: Option<String>) -> anyhow::Result<String> {
    Ok(match given {
        Some(name) => name,
        None => project.author()?.unwrap_or_else(session::default_author),
    })
}

/// A text file decoded as import decodes it (BOMs, UTF-16, refusals).
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read the file", path.display()))?;
    Ok(import::decode(path, &bytes)?)
}

fn write_atomically(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    export::write_atomically(path, content).with_context(|| format!("{}: cannot write", path.display()))
}

const COLUMN: usize = 46;

fn print_side_by_side(out: &mut impl Write, rows: &[SegmentRow]) -> anyhow::Result<()> {
    if rows.is_empty() {
        bail!("the document has no segments");
    }
    let mut passage = None;
    for row in rows {
        if passage.is_some_and(|p| p != row.passage) {
            writeln!(out)?;
        }
        passage = Some(row.passage);
        let left = wrap(&row.source, COLUMN);
        let right = wrap(row.translation.as_deref().unwrap_or(""), COLUMN);
        writeln!(out, "#{:<6} {:<11} ", row.id.0, format!("[{}]", row.status.as_str()))?;
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            let pad = COLUMN.saturating_sub(l.chars().count());
            writeln!(out, "  {l}{}  │ {r}", " ".repeat(pad))?;
        }
    }
    Ok(())
}

/// Greedy word wrap by characters; a word longer than the width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let line = lines.last_mut().expect("lines is never empty");
            let used = line.chars().count();
            let needed = word.chars().count() + usize::from(used > 0);
            if used + needed <= width {
                if used > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if used == 0 {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                line.push_str(&head);
                lines.push(String::new());
                if word.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(String::new());
        }
    }
    lines.retain(|line| !line.is_empty());
    lines
}
