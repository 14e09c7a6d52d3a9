//! What a window does with machine translation. Network calls are async
//! and run *outside* the session lock: the session prepares a job (profile,
//! key, texts), the caller awaits the service, and the session writes the
//! result in one transaction.

use serde::{Deserialize, Serialize};

use super::{Session, SessionError};
use crate::document::{DocumentId, DocumentKind, DocumentSummary, SegmentId};
use crate::mt::keys::{self, KeySource};
use crate::mt::{self, Client, Estimate, MtError, Profile, Request, Settings};
use crate::revision::RevisionId;
use crate::summary;

/// A profile as the settings page shows it: where its key comes from too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProfileView {
    pub profile: Profile,
    pub key: KeySource,
    /// The environment variable that can hold the key.
    pub key_variable: String,
    /// Where a key stored from here is kept, in words.
    pub key_store: String,
}

/// One profile's suggestion for a segment, or why there is none; names
/// where the text was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct MtSuggestion {
    pub profile: String,
    pub provider: mt::ProviderKind,
    pub url: String,
    pub text: Option<String>,
    pub error: Option<String>,
}

/// An enabled profile and its client, or why none could be made.
pub type ProfileClient = (Profile, Result<Client, MtError>);

/// Segments to translate and the request for them.
pub struct MtJob {
    pub client: Client,
    pub document: DocumentId,
    pub segments: Vec<(SegmentId, Option<RevisionId>)>,
    pub request: Request,
}

/// What a summary draft asks for and where it goes.
pub struct DraftJob {
    pub client: Client,
    pub system: String,
    pub user: String,
    pub title: String,
    pub lang: crate::LangTag,
    pub source: DocumentId,
}

impl Session {
    fn mt_settings(&self) -> Result<Settings, SessionError> {
        Ok(Settings::load(&self.config_dir)?)
    }

    pub fn mt_profiles(&self) -> Result<Vec<ProfileView>, SessionError> {
        Ok(self
            .mt_settings()?
            .profiles
            .into_iter()
            .map(|profile| ProfileView {
                key: keys::get(&profile.name).1,
                key_variable: keys::variable(&profile.name),
                key_store: keys::store(&profile.name),
                profile,
            })
            .collect())
    }

    pub fn save_mt_profile(&mut self, profile: Profile) -> Result<Vec<ProfileView>, SessionError> {
        let mut settings = self.mt_settings()?;
        settings.upsert(profile)?;
        settings.save(&self.config_dir)?;
        self.mt_profiles()
    }

    pub fn remove_mt_profile(&mut self, name: &str) -> Result<Vec<ProfileView>, SessionError> {
        let mut settings = self.mt_settings()?;
        settings.remove(name)?;
        settings.save(&self.config_dir)?;
        keys::remove(name);
        self.mt_profiles()
    }

    pub fn move_mt_profile(&mut self, name: &str, up: bool) -> Result<Vec<ProfileView>, SessionError> {
        let mut settings = self.mt_settings()?;
        settings.reorder(name, up)?;
        settings.save(&self.config_dir)?;
        self.mt_profiles()
    }

    /// Stores a key in the keyring (never in the settings file).
    pub fn set_mt_key(&mut self, name: &str, key: &str) -> Result<Vec<ProfileView>, SessionError> {
        self.mt_settings()?.get(name)?;
        keys::set(name, key)?;
        self.mt_profiles()
    }

    /// A client for a profile, refused if it is disabled or lacks a key.
    pub fn mt_client(&self, name: &str) -> Result<Client, SessionError> {
        let settings = self.mt_settings()?;
        let profile = settings.get(name)?;
        Ok(Client::new(profile, keys::get(&profile.name).0)?)
    }

    /// Clients for every enabled profile, in the user's order, or why one
    /// could not be made (a missing key).
    pub fn mt_clients(&self) -> Result<Vec<ProfileClient>, SessionError> {
        let settings = self.mt_settings()?;
        Ok(settings.enabled().map(|p| (p.clone(), Client::new(p, keys::get(&p.name).0))).collect())
    }

    /// The request for one segment: its text, neighbours and glossary terms.
    pub fn mt_segment_request(&self, segment: SegmentId) -> Result<Request, SessionError> {
        let project = self.project()?;
        let row = project.segment(segment)?;
        let (source, target) = project.languages(row.document_id)?;
        let context = project.neighbours(segment)?;
        let glossary = project
            .term_hits(segment)?
            .into_iter()
            .filter_map(|hit| hit.targets.first().map(|t| (hit.source.clone(), t.clone())))
            .collect();
        Ok(Request {
            source_lang: source.to_string(),
            target_lang: target.to_string(),
            texts: vec![row.source],
            glossary,
            context: vec![context],
        })
    }

    /// The untranslated segments of a document (or only those at the given
    /// 0-based positions), ready to send to `profile`.
    pub fn mt_document_job(
        &self,
        document: DocumentId,
        profile: &str,
        positions: Option<&[u32]>,
    ) -> Result<MtJob, SessionError> {
        let client = self.mt_client(profile)?;
        let project = self.project()?;
        let (source, target) = project.languages(document)?;
        let mut rows = project.untranslated(document)?;
        if let Some(positions) = positions {
            rows.retain(|u| positions.contains(&u.row.position));
        }
        Ok(MtJob {
            client,
            document,
            segments: rows.iter().map(|u| (u.row.id, u.row.revision)).collect(),
            request: Request {
                source_lang: source.to_string(),
                target_lang: target.to_string(),
                context: rows.iter().map(|u| (u.before.clone(), u.after.clone())).collect(),
                texts: rows.into_iter().map(|u| u.row.source).collect(),
                glossary: Vec::new(),
            },
        })
    }

    /// What translating a document with `profile` would send, and where.
    pub fn mt_estimate(&self, document: DocumentId, profile: &str) -> Result<Estimate, SessionError> {
        let job = self.mt_document_job(document, profile, None)?;
        let profile = job.client.profile();
        Ok(Estimate {
            profile: profile.name.clone(),
            provider: profile.kind,
            url: profile.url.clone(),
            segments: job.segments.len() as u32,
            characters: job.request.texts.iter().map(|t| t.chars().count() as u32).sum(),
            requests: job.client.requests_for(&job.request.texts),
        })
    }

    /// Writes a finished job's translations as drafts (`mt:<profile>`).
    pub fn apply_mt(&mut self, job: &MtJob, texts: Vec<String>) -> Result<u32, SessionError> {
        let author = self.info()?.author;
        let origin = format!("mt:{}", job.client.profile().name);
        let drafts: Vec<_> = job.segments.iter().zip(texts).map(|(&(s, base), text)| (s, base, text)).collect();
        Ok(self.project_mut()?.fill_drafts(&drafts, &origin, &author)?)
    }

    /// The request for an LLM summary draft of a document: its source text,
    /// or its translation when the summary is written in the target language.
    pub fn summary_draft_job(
        &self,
        document: DocumentId,
        profile: &str,
        in_target: bool,
    ) -> Result<DraftJob, SessionError> {
        let client = self.mt_client(profile)?;
        if client.profile().kind != mt::ProviderKind::Openai {
            return Err(
                MtError::Invalid(format!("{profile}: a summary draft needs an OpenAI-compatible profile")).into()
            );
        }
        let project = self.project()?;
        let doc = project.document(document)?;
        if doc.kind != DocumentKind::Translation {
            return Err(crate::store::StoreError::NotASource(document).into());
        }
        let rows = project.segments(document)?;
        let lang = if in_target { doc.target_lang.clone() } else { doc.source_lang.clone() };
        let mut text = String::new();
        let mut passage = None;
        for row in &rows {
            let sentence = if in_target { row.translation.as_deref().unwrap_or(&row.source) } else { &row.source };
            text.push_str(if passage == Some(row.passage) { " " } else { "\n\n" });
            text.push_str(sentence);
            passage = Some(row.passage);
        }
        let sections: Vec<String> = summary::DEFAULT_SECTIONS.iter().map(|s| format!("## {s}")).collect();
        let system = format!(
            "You write short, factual news summaries in the language with the code {lang}. Use only facts stated in \
             the user's text; copy names and figures exactly; add nothing from elsewhere. Answer in Markdown with \
             these section headings, each followed by a few sentences (leave a section out if the text gives \
             nothing for it):\n{}",
            sections.join("\n")
        );
        Ok(DraftJob {
            client,
            system,
            user: text.trim().to_string(),
            title: format!("Summary of {} (draft)", doc.title),
            lang,
            source: document,
        })
    }

    /// Stores an LLM draft as a draft summary; it is linked and checked like
    /// any other, so unsupported claims show their flags.
    pub fn create_summary_draft(&mut self, job: &DraftJob, markdown: &str) -> Result<DocumentSummary, SessionError> {
        let author = format!("{} (via {})", self.info()?.author, job.client.profile().name);
        let project = self.project_mut()?;
        let id = super::summary::create_from_text(
            project,
            &job.title,
            job.lang.clone(),
            vec![job.source],
            markdown,
            &author,
        )
        .map_err(SessionError::Summary)?;
        self.source_index = None;
        Ok(self.project()?.document(id)?)
    }
}

/// Every profile's suggestion for one request, in the user's order, each
/// with where the text went or why there is none. Runs without the session.
pub async fn suggestions(clients: Vec<ProfileClient>, request: &Request) -> Vec<MtSuggestion> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut out = Vec::with_capacity(clients.len());
    for (profile, client) in clients {
        let result = match client {
            Ok(client) => client.translate(request, &cancel, &mut |_, _| {}).await,
            Err(error) => Err(error),
        };
        let (text, error) = match result {
            Ok(texts) => (texts.into_iter().next(), None),
            Err(error) => (None, Some(error.to_string())),
        };
        out.push(MtSuggestion { profile: profile.name, provider: profile.kind, url: profile.url, text, error });
    }
    out
}
