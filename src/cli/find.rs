//! `verso find`, `verso replace` and `verso undo`: search the project's
//! segments, replace in translations with a preview, take a replacement back.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;
use verso::search::{FindIn, FindOptions};
use verso::session::find::FindQuery;
use verso::store::Wait;
use verso::{DocumentId, Status};

use super::{open, print_json};

/// What `find` and `replace` share.
#[derive(Args)]
pub struct Pattern {
    pub project: PathBuf,
    /// Text to find (a regular expression with --regex).
    pub pattern: String,
    #[arg(long)]
    pub regex: bool,
    #[arg(long)]
    pub whole_word: bool,
    #[arg(long)]
    pub match_case: bool,
    /// source, target or both (replace never changes the source).
    #[arg(long = "in", default_value = "target")]
    pub within: String,
    /// Only this document (default: every translation document).
    #[arg(long)]
    pub document: Option<i64>,
    /// Only segments with this status (new, draft, translated, reviewed, approved, rejected).
    #[arg(long)]
    pub status: Option<String>,
}

impl Pattern {
    fn query(&self) -> anyhow::Result<FindQuery> {
        let Some(within) = FindIn::parse(&self.within) else {
            bail!("--in takes source, target or both, not “{}”", self.within)
        };
        let status = match &self.status {
            Some(name) => match Status::parse(name) {
                Some(status) => Some(status),
                None => bail!("--status: “{name}” is not a status"),
            },
            None => None,
        };
        Ok(FindQuery {
            options: FindOptions {
                text: self.pattern.clone(),
                regex: self.regex,
                whole_word: self.whole_word,
                match_case: self.match_case,
            },
            within,
            document: self.document.map(DocumentId),
            status,
        })
    }
}

#[derive(Args)]
pub struct FindArgs {
    #[command(flatten)]
    pub pattern: Pattern,
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ReplaceArgs {
    #[command(flatten)]
    pub pattern: Pattern,
    /// The replacement; with --regex, $1 is the pattern's first group.
    pub replacement: String,
    /// Show what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub author: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct UndoArgs {
    pub project: PathBuf,
    /// The change to take back, as `verso replace` named it (replace:…).
    pub change: String,
    #[arg(long)]
    pub author: Option<String>,
}

pub fn find(args: FindArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let query = args.pattern.query()?;
    let found = open(&args.pattern.project, wait, None)?.find(&query, args.limit)?;
    if args.json {
        return print_json(stdout, &found);
    }
    for hit in &found.hits {
        let side = if hit.target_spans.is_empty() { &hit.source } else { &hit.target };
        writeln!(stdout, "{} #{}\t{side}", hit.document.0, hit.position + 1)?;
    }
    let more = if found.complete { "" } else { " (more not shown: --limit)" };
    writeln!(stdout, "{} found{more}", counted(found.hits.len(), "segment"))?;
    Ok(())
}

pub fn replace(args: ReplaceArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let query = args.pattern.query()?;
    let mut session = open(&args.pattern.project, wait, args.author)?;
    if args.dry_run {
        let preview = session.replace_preview(&query, &args.replacement)?;
        if args.json {
            return print_json(stdout, &preview);
        }
        for change in &preview {
            let locked = if change.locked { " (locked: left as it is)" } else { "" };
            writeln!(
                stdout,
                "{} #{}{locked}\n  - {}\n  + {}",
                change.document.0,
                change.position + 1,
                change.before,
                change.after
            )?;
        }
        writeln!(stdout, "{} would change; nothing written", counted(preview.len(), "translation"))?;
        return Ok(());
    }
    let outcome = session.replace_all(&query, &args.replacement)?;
    if args.json {
        return print_json(stdout, &outcome);
    }
    writeln!(stdout, "{} changed as {}", counted(outcome.changed as usize, "translation"), outcome.change)?;
    if outcome.locked > 0 {
        writeln!(stdout, "{} left as they are", counted(outcome.locked as usize, "locked segment"))?;
    }
    writeln!(stdout, "undo with: verso undo {} {}", args.pattern.project.display(), outcome.change)?;
    Ok(())
}

pub fn undo(args: UndoArgs, wait: Wait, stdout: &mut impl Write) -> anyhow::Result<()> {
    let outcome = open(&args.project, wait, args.author)?.undo_change(&args.change)?;
    writeln!(stdout, "{} restored", counted(outcome.restored as usize, "translation"))?;
    if outcome.left > 0 {
        writeln!(stdout, "{} changed again since, left as they are", outcome.left)?;
    }
    Ok(())
}

/// "1 translation", "3 translations".
fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}
