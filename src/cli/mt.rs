//! Machine translation on the command line: provider profiles, keys kept
//! in the OS keyring, and translating a document's segments as drafts.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use verso::DocumentId;
use verso::store::Wait;

use super::open;

#[derive(Subcommand)]
pub enum MtAction {
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
pub enum ProfileAction {
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

pub fn run(wait: Wait, action: MtAction, stdout: &mut impl Write) -> anyhow::Result<()> {
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
            writeln!(stdout, "stored the key of \"{name}\" in {}", verso::mt::keys::store(&name))?;
        }
        MtAction::Translate { project, document, profile, segments } => {
            let mut session = open(&project, wait, None)?;
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
