//! Translation memories and the glossary on the command line: import,
//! export, list, remove, look up, search, correct.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use verso::DocumentId;
use verso::store::Wait;
use verso::tm::SearchIn;

use super::{lang, open, print_json};

#[derive(Subcommand)]
pub enum TmAction {
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
        /// Search the sources only, the translations only, or both.
        #[arg(long = "in", value_enum, default_value = "both")]
        within: SideArg,
        #[arg(long)]
        json: bool,
    },
    /// Correct a memory entry (its id is `unit` in `concordance --json`).
    Edit {
        project: PathBuf,
        unit: i64,
        #[arg(long)]
        source: String,
        #[arg(long)]
        target: String,
    },
    /// Delete a memory entry.
    Delete { project: PathBuf, unit: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SideArg {
    Both,
    Source,
    Target,
}

#[derive(Subcommand)]
pub enum GlossaryAction {
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

pub fn run_tm(wait: Wait, action: TmAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        TmAction::Import { project, file, document, priority } => {
            let mut session = open(&project, wait, None)?;
            let mut last = 0;
            let (memory, stats) = session.import_memory_with_priority(
                &file,
                document.map(DocumentId),
                priority,
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
                "memory {}: \"{}\", {} units ({} <tu> skipped: no source-language or target variant, or a segment over 64 KB)",
                memory.id.0, memory.name, memory.units, stats.skipped
            )?;
        }
        TmAction::Export { project, memory, file } => {
            let count = open(&project, wait, None)?.export_memory(verso::tm::MemoryId(memory), &file)?;
            let units = if count == 1 { "unit" } else { "units" };
            writeln!(stdout, "wrote {count} {units} to {}", file.display())?;
        }
        TmAction::List { project, json } => {
            let memories = open(&project, wait, None)?.memories()?;
            if json {
                print_json(stdout, &memories)?;
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
            open(&project, wait, None)?.remove_memory(verso::tm::MemoryId(memory))?;
            writeln!(stdout, "removed memory {memory}")?;
        }
        TmAction::Lookup { project, sentence, from, to, threshold, limit, json } => {
            let session = open(&project, wait, None)?;
            let (from, to) = (lang(&from)?, lang(&to)?);
            let query =
                verso::tm::Query { source: &sentence, source_lang: &from, target_lang: &to, before: None, after: None };
            let matches = session.lookup(&query, threshold, limit)?;
            if json {
                print_json(stdout, &matches)?;
            } else {
                for m in &matches {
                    writeln!(stdout, "{:>3}%  {}\n      {}\n      ({})", m.percent, m.source, m.target, m.memory_name)?;
                }
                if matches.is_empty() {
                    writeln!(stdout, "no match of {threshold}% or more")?;
                }
            }
        }
        TmAction::Edit { project, unit, source, target } => {
            open(&project, wait, None)?.edit_memory_unit(unit, &source, &target)?;
            writeln!(stdout, "memory entry {unit} changed")?;
        }
        TmAction::Delete { project, unit } => {
            open(&project, wait, None)?.delete_memory_unit(unit)?;
            writeln!(stdout, "memory entry {unit} deleted")?;
        }
        TmAction::Concordance { project, query, within, json } => {
            let within = match within {
                SideArg::Both => SearchIn::Both,
                SideArg::Source => SearchIn::Source,
                SideArg::Target => SearchIn::Target,
            };
            let hits = open(&project, wait, None)?.concordance(&query, within)?;
            if json {
                print_json(stdout, &hits)?;
            } else {
                for hit in &hits {
                    writeln!(stdout, "{}\n  {}\n  ({})", hit.source, hit.target, hit.memory_name)?;
                }
            }
        }
    }
    Ok(())
}

pub fn run_glossary(wait: Wait, action: GlossaryAction, stdout: &mut impl Write) -> anyhow::Result<()> {
    match action {
        GlossaryAction::Import { project, file, from, to } => {
            let (read, added) = open(&project, wait, None)?.import_glossary_pair(&file, &lang(&from)?, &lang(&to)?)?;
            writeln!(stdout, "{read} term pairs read, {added} new")?;
        }
        GlossaryAction::Export { project, file, from, to } => {
            let count = open(&project, wait, None)?.export_glossary_pair(&lang(&from)?, &lang(&to)?, &file)?;
            writeln!(stdout, "wrote {count} term pairs to {}", file.display())?;
        }
        GlossaryAction::List { project, from, to, json } => {
            let terms = open(&project, wait, None)?.glossary_pair(&lang(&from)?, &lang(&to)?)?;
            if json {
                print_json(stdout, &terms)?;
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
