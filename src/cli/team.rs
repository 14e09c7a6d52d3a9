//! Team projects on the command line: share a project through a Git
//! remote, join one, sync, and settle the segments two people changed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use verso::SegmentId;
use verso::session::{Keep, Session, SyncReport};
use verso::store::Wait;

use super::{open, print_json};

#[derive(Subcommand)]
pub enum TeamAction {
    /// Make a project a team project and push it to an empty Git remote
    /// (a path, file://, git://, ssh:// or https:// URL).
    Share {
        project: PathBuf,
        remote: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// Join a team project: clone REMOTE into a new project file.
    Clone {
        remote: String,
        project: PathBuf,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send your work and take in the team's.
    Sync {
        project: PathBuf,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The remote, unpushed work and open conflicts.
    Status {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Segments two people changed from the same text, with both sides.
    Conflicts {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Save an access token for an http(s) remote's server in the system
    /// keyring (read from stdin; never stored in the project).
    Login { remote: String },
    /// Forget the token saved for an http(s) remote's server.
    Logout { remote: String },
    /// End a conflict: --keep mine, --keep theirs, or --keep "the merged text".
    Resolve {
        project: PathBuf,
        segment: i64,
        #[arg(long)]
        keep: String,
        #[arg(long)]
        author: Option<String>,
    },
}

pub fn run(wait: Wait, action: TeamAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        TeamAction::Share { project, remote, author } => {
            let mut session = open(&project, wait, author)?;
            let status = session.share_team(&remote)?;
            let pushed = if status.unpushed { "committed here; sync to push it" } else { "pushed" };
            writeln!(stdout, "shared {} with {} ({pushed})", project.display(), status.remote)?;
        }
        TeamAction::Clone { remote, project, author, json } => {
            let mut session = Session::for_command(verso::mt::profile::default_config_dir(), author);
            let report = session.join_team(&remote, &project)?.report;
            if json {
                print_json(stdout, &report)?;
            } else {
                writeln!(stdout, "joined {remote} as {}", project.display())?;
                print_report(stdout, &report)?;
            }
        }
        TeamAction::Sync { project, author, json } => {
            let report = open(&project, wait, author)?.sync_team()?;
            if json {
                print_json(stdout, &report)?;
            } else {
                print_report(stdout, &report)?;
            }
        }
        TeamAction::Status { project, json } => {
            let status = open(&project, wait, None)?
                .team_status()?
                .with_context(|| format!("{}: not a team project; share it first", project.display()))?;
            if json {
                print_json(stdout, &status)?;
            } else {
                writeln!(stdout, "remote: {}", status.remote)?;
                writeln!(stdout, "unpushed work: {}", if status.unpushed { "yes" } else { "no" })?;
                writeln!(stdout, "conflicts: {}", status.conflicts)?;
            }
        }
        TeamAction::Conflicts { project, json } => {
            let conflicts = open(&project, wait, None)?.team_conflicts()?;
            if json {
                print_json(stdout, &conflicts)?;
            } else if conflicts.is_empty() {
                writeln!(stdout, "no conflicts")?;
            } else {
                for conflict in conflicts {
                    writeln!(
                        stdout,
                        "segment {} ({} #{}): {}",
                        conflict.segment.0,
                        conflict.document,
                        conflict.position + 1,
                        conflict.source
                    )?;
                    for side in conflict.sides {
                        let whose = if side.mine { "mine" } else { "theirs" };
                        writeln!(stdout, "  {whose:6} {} {}: {}", side.author, side.at, side.text)?;
                    }
                }
            }
        }
        TeamAction::Login { remote } => {
            let mut token = String::new();
            std::io::stdin().read_line(&mut token)?;
            let server =
                Session::for_command(verso::mt::profile::default_config_dir(), None).save_git_token(&remote, &token)?;
            writeln!(stdout, "saved the token for {server} in the system keyring")?;
        }
        TeamAction::Logout { remote } => {
            let server =
                Session::for_command(verso::mt::profile::default_config_dir(), None).forget_git_token(&remote)?;
            writeln!(stdout, "forgot the token for {server}")?;
        }
        TeamAction::Resolve { project, segment, keep, author } => {
            let keep = match keep.as_str() {
                "mine" => Keep::Mine,
                "theirs" => Keep::Theirs,
                text => Keep::Text(text.to_string()),
            };
            let side = open(&project, wait, author)?.resolve_team_conflict(SegmentId(segment), keep)?;
            writeln!(
                stdout,
                "segment {segment} now reads: {} (revision {}; sync to share it)",
                side.text, side.revision.0
            )?;
        }
    }
    Ok(())
}

fn print_report(stdout: &mut impl Write, report: &SyncReport) -> anyhow::Result<()> {
    for title in &report.new_documents {
        writeln!(stdout, "new document: {title}")?;
    }
    for (document, position, author) in &report.revisions {
        writeln!(stdout, "{author} changed {document} #{}", position + 1)?;
    }
    for (label, count) in [
        ("new comments", report.comments),
        ("summary sentences added, taken out or brought back", report.sentences),
        ("link decisions", report.link_decisions),
        ("glossary terms", report.terms),
        ("dictionary words", report.words),
        ("accepted QA warnings", report.accepted_warnings),
        ("changes to where a source was published", report.publications),
    ] {
        if count > 0 {
            writeln!(stdout, "{count} {label}")?;
        }
    }
    for (summary, author) in &report.approvals {
        writeln!(stdout, "{author} approved {summary}")?;
    }
    for (document, version) in &report.versions {
        writeln!(stdout, "new version of {document}: {version}")?;
    }
    for memory in &report.memories {
        writeln!(stdout, "new reference memory: {memory}")?;
    }
    if report.memories_removed > 0 {
        writeln!(stdout, "{} reference memories removed by others", report.memories_removed)?;
    }
    writeln!(
        stdout,
        "{} incoming changes; your work is on the remote; {} conflicts",
        report.revisions.len(),
        report.conflicts
    )?;
    Ok(())
}
