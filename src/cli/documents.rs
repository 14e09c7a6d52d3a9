//! Projects and their documents: create, import, list, show, translate,
//! split and join, versions and diffs, review, export, QA and
//! pre-translation.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use verso::document::Publication;
use verso::formats::export::{self, article::SummaryFormat};
use verso::mt::profile::default_config_dir;
use verso::qa::{QaCheck, QaWhen};
use verso::revision::{Decision, ErrorCategory, VersionId};
use verso::session::{DocumentExport, Session};
use verso::store::Wait;
use verso::{DocumentId, SegmentId, SegmentRow, SourceFormat, Status};

use super::{open, print_json, write_output};

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
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
pub enum VersionAction {
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

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DecisionArg {
    Reviewed,
    Approve,
    Reject,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
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

#[derive(Args)]
pub struct InitArgs {
    pub project: PathBuf,
}

#[derive(Args)]
pub struct SampleArgs {
    pub project: PathBuf,
}

#[derive(Args)]
pub struct ImportArgs {
    pub project: PathBuf,
    pub file: PathBuf,
    /// Source language (BCP 47, e.g. en); XLIFF files name their own.
    #[arg(long)]
    pub from: Option<String>,
    /// Target language (BCP 47, e.g. es); for XLIFF, used when the file names none.
    #[arg(long)]
    pub to: Option<String>,
    /// Take back an XLIFF file exported from this document and edited
    /// elsewhere: changed targets and states become new revisions.
    #[arg(long, value_name = "DOCUMENT")]
    pub into: Option<i64>,
    /// Read FILE as XLIFF whatever its extension.
    #[arg(long)]
    pub xliff: bool,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DocsArgs {
    pub project: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    pub project: PathBuf,
    pub document: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct SetArgs {
    pub project: PathBuf,
    pub segment: i64,
    pub text: String,
    #[arg(long, value_enum, default_value = "draft")]
    pub status: StatusArg,
    /// Name recorded on the revision (default: the project's author, then $USER).
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct SplitArgs {
    pub project: PathBuf,
    pub segment: i64,
    /// Character offset in the source where the second segment starts.
    pub at: usize,
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct JoinArgs {
    pub project: PathBuf,
    pub segment: i64,
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DiffArgs {
    pub project: PathBuf,
    pub document: i64,
    /// Version name or id.
    #[arg(long)]
    pub from: String,
    /// Version name or id; "now" for the current state.
    #[arg(long, default_value = "now")]
    pub to: String,
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Compare character by character whatever the language.
    #[arg(long)]
    pub chars: bool,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct ReviewArgs {
    pub project: PathBuf,
    pub segment: i64,
    #[arg(value_enum)]
    pub decision: DecisionArg,
    /// Required to reject: what is wrong.
    #[arg(long)]
    pub comment: Option<String>,
    /// With a rejection: the kind of error (accuracy, fluency, terminology,
    /// style, locale, numbers).
    #[arg(long, value_parser = parse_category)]
    pub category: Option<ErrorCategory>,
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn parse_category(text: &str) -> Result<ErrorCategory, String> {
    ErrorCategory::parse(text).ok_or_else(|| {
        let known: Vec<&str> = ErrorCategory::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown category {text:?}; use one of {}", known.join(", "))
    })
}

#[derive(Args)]
pub struct PublishedArgs {
    pub project: PathBuf,
    pub document: i64,
    /// The outlet, e.g. "state.gov-Western Hemisphere" ("" forgets it).
    #[arg(long)]
    pub outlet: Option<String>,
    /// The web address it was published at.
    #[arg(long)]
    pub url: Option<String>,
    /// The day it was published, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct AnalyseArgs {
    pub project: PathBuf,
    /// One document; without it, every translation in the project.
    pub document: Option<i64>,
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    pub json: bool,
    /// Write the analysis as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the analysis as a web page to this file.
    #[arg(long, value_name = "FILE", conflicts_with = "csv")]
    pub html: Option<PathBuf>,
}

#[derive(Args)]
pub struct OverviewArgs {
    pub project: PathBuf,
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    pub json: bool,
    /// Write the report as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the report as a self-contained web page, charts included.
    #[arg(long, value_name = "FILE", conflicts_with = "csv")]
    pub html: Option<PathBuf>,
    /// Include the project's analysis (it takes a while on a large memory).
    #[arg(long)]
    pub analyse: bool,
}

#[derive(Args)]
pub struct RejectionsArgs {
    pub project: PathBuf,
    pub document: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    pub project: PathBuf,
    pub document: i64,
    #[arg(long, value_enum, default_value = "txt")]
    pub format: FormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Export a summary that is not approved yet, marked DRAFT.
    #[arg(long)]
    pub draft: bool,
}

#[derive(Args)]
pub struct QaArgs {
    pub project: PathBuf,
    pub document: i64,
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write the report as an HTML page to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Args)]
pub struct QaProfileArgs {
    pub project: PathBuf,
    /// e.g. `double_space=never numbers=final untranslated=always`.
    pub changes: Vec<String>,
}

#[derive(Args)]
pub struct PretranslateArgs {
    pub project: PathBuf,
    pub document: i64,
    /// Lowest match percentage used.
    #[arg(long, default_value_t = verso::tm::DEFAULT_THRESHOLD)]
    pub threshold: u8,
    #[arg(long)]
    pub author: Option<String>,
}

pub fn init(args: InitArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    Session::for_command(default_config_dir(), None).create_project(&args.project)?;
    writeln!(stdout, "created {}", args.project.display())?;
    Ok(())
}

pub fn sample(args: SampleArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let (_, id) = verso::sample::create_sample_project(&args.project)?;
    writeln!(stdout, "created {} with sample document {}", args.project.display(), id.0)?;
    Ok(())
}

pub fn import(args: ImportArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let ImportArgs { project, file, from, to, into, xliff, title, json } = args;
    let mut session = open(&project, wait, None)?;
    let is_xliff =
        xliff || file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlf") || e.eq_ignore_ascii_case("xliff"));
    if let Some(document) = into {
        let changed = session.update_from_xliff(DocumentId(document), &file)?;
        writeln!(stdout, "updated {changed} segments of document {document} from {}", file.display())?;
        return Ok(());
    }
    let summary = if is_xliff {
        session.import_xliff(&file, title, to.as_deref())?
    } else {
        let (Some(from), Some(to)) = (from, to) else { bail!("--from and --to are needed for a text file") };
        if let Ok(verso::session::ImportPreview { lang: Some(reads_as), .. }) = session.preview_import(&file)
            && !from.eq_ignore_ascii_case(&reads_as)
            && from.split('-').next().is_none_or(|primary| !primary.eq_ignore_ascii_case(&reads_as))
        {
            eprintln!(
                "warning: {} reads as {reads_as}, not {from}: its sentences are split with the rules of {from}; \
                 import it again with --from {reads_as} if {from} was a mistake",
                file.display()
            );
        }
        session.import(&file, &from, &to, title)?
    };
    if json {
        print_json(stdout, &summary)
    } else {
        writeln!(stdout, "imported document {}: \"{}\", {} segments", summary.id.0, summary.title, summary.segments)?;
        Ok(())
    }
}

pub fn docs(args: DocsArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let documents = open(&args.project, wait, None)?.documents()?;
    if args.json {
        return print_json(stdout, &documents);
    }
    if documents.is_empty() {
        writeln!(stdout, "no documents yet; add one with `verso import`")?;
    }
    for doc in documents {
        writeln!(
            stdout,
            "{:>4}  {}  {}→{}  {}/{} translated",
            doc.id.0, doc.title, doc.source_lang, doc.target_lang, doc.translated, doc.segments
        )?;
    }
    Ok(())
}

pub fn show(args: ShowArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let rows = open(&args.project, wait, None)?.segments(DocumentId(args.document))?;
    if args.json { print_json(stdout, &rows) } else { print_side_by_side(stdout, &rows) }
}

pub fn set(args: SetArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let SetArgs { project, segment, text, status, author, json } = args;
    let revision = open(&project, wait, author)?.set_translation(SegmentId(segment), text, status.into())?;
    if json {
        print_json(stdout, &revision)
    } else {
        writeln!(stdout, "segment {segment}: revision {} ({})", revision.id.0, revision.status.as_str())?;
        Ok(())
    }
}

pub fn split(args: SplitArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let SplitArgs { project, segment, at, author, json } = args;
    let rows = open(&project, wait, author)?.split_segment(SegmentId(segment), at)?;
    // The second part is the row right after the one that was split.
    let new = rows
        .iter()
        .skip_while(|r| r.id.0 != segment)
        .nth(1)
        .map(|r| r.id.0)
        .context("the split segment is missing from its document")?;
    if json {
        print_json(stdout, &serde_json::json!({ "segment": segment, "new_segment": new }))
    } else {
        writeln!(stdout, "segment {segment} split; the second part is segment {new}")?;
        Ok(())
    }
}

pub fn join(args: JoinArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let JoinArgs { project, segment, author, json } = args;
    let rows = open(&project, wait, author)?.join_with_next(SegmentId(segment))?;
    let row = rows.into_iter().find(|r| r.id.0 == segment).context("the joined segment is missing")?;
    if json {
        print_json(stdout, &row)
    } else {
        writeln!(stdout, "segment {segment} now reads: {}", row.source)?;
        Ok(())
    }
}

pub fn diff(args: DiffArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let DiffArgs { project, document, from, to, format, chars, output } = args;
    let session = open(&project, wait, None)?;
    let document = DocumentId(document);
    let pick = |name: &str| -> anyhow::Result<Option<VersionId>> {
        Ok(if name == "now" { None } else { Some(session.find_version(document, name)?.id) })
    };
    let (from, to) = (pick(&from)?, pick(&to)?);
    let content = match format {
        ReportFormat::Html => session.change_report(document, from, to, chars, false)?,
        ReportFormat::Md => session.change_report(document, from, to, chars, true)?,
        ReportFormat::Json => serde_json::to_string_pretty(&session.diff_document(document, from, to, chars)?)? + "\n",
    };
    write_output(output.as_deref(), content.as_bytes(), stdout)
}

pub fn review(args: ReviewArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let ReviewArgs { project, segment, decision, comment, category, author, json } = args;
    let decision = match decision {
        DecisionArg::Reviewed => Decision::Reviewed,
        DecisionArg::Approve => Decision::Approved,
        DecisionArg::Reject => Decision::Rejected,
    };
    let revision =
        open(&project, wait, author)?.review_revision(SegmentId(segment), decision, comment.as_deref(), category)?;
    if json {
        print_json(stdout, &revision)
    } else {
        writeln!(stdout, "segment {segment}: {} (revision {})", revision.status.as_str(), revision.id.0)?;
        Ok(())
    }
}

pub fn published(args: PublishedArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let PublishedArgs { project, document, outlet, url, date, author, json } = args;
    let mut session = open(&project, wait, author)?;
    let document = DocumentId(document);
    let mut summary = session.document(document)?;
    if outlet.is_some() || url.is_some() || date.is_some() {
        let current = summary.publication;
        let changed = Publication {
            outlet: outlet.unwrap_or(current.outlet),
            url: url.unwrap_or(current.url),
            date: date.unwrap_or(current.date),
        };
        summary = session.set_publication(document, &changed)?;
    }
    if json {
        return print_json(stdout, &summary.publication);
    }
    let shown = |field: &str| if field.is_empty() { "(not given)".to_string() } else { field.to_string() };
    let p = &summary.publication;
    writeln!(stdout, "outlet: {}\nurl:    {}\ndate:   {}", shown(&p.outlet), shown(&p.url), shown(&p.date))?;
    Ok(())
}

/// Runs an analysis, with a progress line on standard error.
fn run_analysis(session: &Session, document: Option<i64>) -> anyhow::Result<verso::analysis::Analysis> {
    let mut shown = 0;
    let analysis = session.analyse(document.map(DocumentId), &mut |done, total| {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if percent >= shown + 10 || done == total {
            eprint!("\ranalysing: {percent}% of {total} segments");
            shown = percent;
        }
        true
    })?;
    eprintln!();
    analysis.context("the analysis was cancelled")
}

pub fn analyse(args: AnalyseArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let AnalyseArgs { project, document, json, csv, html } = args;
    let session = open(&project, wait, None)?;
    let analysis = run_analysis(&session, document)?;
    if json {
        return print_json(stdout, &analysis);
    }
    if let Some(path) = csv {
        write_output(Some(&path), export::report::analysis_csv(&analysis).as_bytes(), stdout)?;
        return Ok(writeln!(stdout, "wrote {}", path.display())?);
    }
    if let Some(path) = html {
        write_output(Some(&path), export::report::analysis_html(&analysis).as_bytes(), stdout)?;
        return Ok(writeln!(stdout, "wrote {}", path.display())?);
    }
    writeln!(stdout, "{}: {} segments, {} words", analysis.scope, analysis.segments, analysis.words)?;
    writeln!(stdout, "{:<18} {:>9} {:>9} {:>11}", "band", "segments", "words", "characters")?;
    for band in &analysis.bands {
        writeln!(stdout, "{:<18} {:>9} {:>9} {:>11}", band.band.label(), band.segments, band.words, band.characters)?;
    }
    Ok(())
}

pub fn overview(args: OverviewArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let OverviewArgs { project, json, csv, html, analyse } = args;
    let mut session = open(&project, wait, None)?;
    let analysis = if analyse { Some(run_analysis(&session, None)?) } else { None };
    if let Some((path, format)) =
        html.map(|p| (p, verso::session::ReportFormat::Html)).or(csv.map(|p| (p, verso::session::ReportFormat::Csv)))
    {
        session.write_report(&path, format, analysis.as_ref())?;
        return Ok(writeln!(stdout, "wrote {}", path.display())?);
    }
    let overview = session.overview()?;
    if json {
        return print_json(stdout, &overview);
    }
    writeln!(stdout, "{}", overview.project)?;
    for document in &overview.documents {
        let counts: Vec<String> = document
            .statuses
            .iter()
            .filter(|s| s.count > 0)
            .map(|s| format!("{} {}", s.count, s.status.as_str()))
            .collect();
        writeln!(stdout, "  {}: {}", document.title, counts.join(", "))?;
    }
    let open: u32 = overview.qa.iter().map(|c| c.count).sum();
    let rejected: u32 = overview.rejections.iter().map(|c| c.count).sum();
    writeln!(stdout, "  {open} open QA warnings, {rejected} rejections, {} review days", overview.activity.len())?;
    for summary in &overview.summaries {
        writeln!(
            stdout,
            "  summary {}: {}/{} claims supported, {} open flags{}",
            summary.title,
            summary.supported,
            summary.claims,
            summary.open_flags,
            if summary.approved { ", approved" } else { "" }
        )?;
    }
    if let Some(analysis) = &analysis {
        writeln!(stdout, "  analysis: {} words", analysis.words)?;
    }
    Ok(())
}

pub fn rejections(args: RejectionsArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let RejectionsArgs { project, document, json } = args;
    let counts = open(&project, wait, None)?.rejections(DocumentId(document))?;
    if json {
        return print_json(stdout, &counts);
    }
    for count in counts {
        writeln!(stdout, "{:<12} {}", count.category.as_str(), count.count)?;
    }
    Ok(())
}

pub fn export(args: ExportArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let ExportArgs { project, document, format, output, draft } = args;
    let mut session = open(&project, wait, None)?;
    let document = DocumentId(document);
    let summary = session.document(document)?;
    if summary.kind == verso::DocumentKind::Summary {
        let format = match format {
            FormatArg::Md => SummaryFormat::Markdown,
            FormatArg::Html => SummaryFormat::Html,
            FormatArg::Docx => SummaryFormat::Docx,
            FormatArg::Json => SummaryFormat::Json,
            _ => bail!("a summary exports as md, html, docx or json (--format)"),
        };
        let bytes = session.summary_bytes(document, format, draft)?;
        return write_output(output.as_deref(), &bytes, stdout);
    }
    let format = match format {
        FormatArg::Txt => DocumentExport::Text,
        FormatArg::Md => DocumentExport::Markdown,
        FormatArg::Html => DocumentExport::Html,
        FormatArg::Docx => DocumentExport::Docx,
        FormatArg::BilingualHtml => DocumentExport::ReviewHtml,
        FormatArg::BilingualDocx => DocumentExport::ReviewDocx,
        FormatArg::Xliff2 => DocumentExport::Xliff2,
        FormatArg::Xliff12 => DocumentExport::Xliff12,
        FormatArg::Tmx => DocumentExport::Tmx,
        FormatArg::Target => match summary.format {
            SourceFormat::Markdown => DocumentExport::Markdown,
            SourceFormat::Html => DocumentExport::Html,
            SourceFormat::Docx => DocumentExport::Docx,
            SourceFormat::Text | SourceFormat::Xliff => DocumentExport::Text,
        },
        FormatArg::Json => bail!("json is for summaries; a translation exports as xliff2 for other programs"),
    };
    let (bytes, written) = session.document_bytes(document, format)?;
    write_output(output.as_deref(), &bytes, stdout)?;
    if written.untranslated > 0 {
        eprintln!(
            "verso: warning: incomplete translation: {} of {} segments are untranslated and were written in the source language",
            written.untranslated, written.units
        );
    }
    Ok(())
}

pub fn qa_profile(args: QaProfileArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let QaProfileArgs { project, changes } = args;
    let mut session = open(&project, wait, None)?;
    let mut profile = session.qa_profile()?;
    for change in &changes {
        let (check, when) = change.split_once('=').with_context(|| format!("{change:?}: write CHECK=WHEN"))?;
        let check = QaCheck::parse(check.trim()).with_context(|| {
            let known: Vec<&str> = QaCheck::ALL.iter().map(|c| c.as_str()).collect();
            format!("{change:?}: no check is called {check:?}; the checks are {}", known.join(", "))
        })?;
        let when =
            QaWhen::parse(when.trim()).with_context(|| format!("{change:?}: say when as always, final or never"))?;
        for setting in profile.checks.iter_mut().filter(|s| s.check == check) {
            setting.when = when;
        }
    }
    if !changes.is_empty() {
        profile = session.set_qa_profile(&profile)?;
    }
    for setting in &profile.checks {
        writeln!(stdout, "{:<16} {}", setting.check.as_str(), setting.when.as_str())?;
    }
    Ok(())
}

pub fn qa(args: QaArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let QaArgs { project, document, json, html } = args;
    let report = open(&project, wait, None)?.qa_report(DocumentId(document))?;
    if json {
        print_json(stdout, &report)?;
    } else if let Some(path) = html {
        write_output(Some(&path), export::qa_report_html(&report).as_bytes(), stdout)?;
        writeln!(stdout, "wrote {}", path.display())?;
    } else {
        for issue in &report.issues {
            let accepted = issue.accepted.as_ref().map(|a| format!(" (accepted by {}: {})", a.author, a.reason));
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
    Ok(())
}

pub fn pretranslate(args: PretranslateArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let PretranslateArgs { project, document, threshold, author } = args;
    let mut last = 0;
    let outcome = open(&project, wait, author)?.pretranslate(DocumentId(document), threshold, &mut |done, total| {
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
    Ok(())
}

pub fn version(action: VersionAction, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        VersionAction::Create { project, document, name, author } => {
            let versions = open(&project, wait, author)?.create_version(DocumentId(document), &name)?;
            let version = versions.iter().find(|v| v.name == name.trim()).context("the new version is missing")?;
            writeln!(stdout, "version {} \"{}\": {} segments", version.id.0, version.name, version.segments)?;
        }
        VersionAction::List { project, document, json } => {
            let versions = open(&project, wait, None)?.versions(DocumentId(document))?;
            if json {
                return print_json(stdout, &versions);
            }
            if versions.is_empty() {
                writeln!(stdout, "no versions yet; create one with `verso version create`")?;
            }
            for v in versions {
                writeln!(stdout, "{:>4}  {}  by {} at {}", v.id.0, v.name, v.author, v.created_at)?;
            }
        }
    }
    Ok(())
}
