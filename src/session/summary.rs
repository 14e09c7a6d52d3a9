//! The summary use cases: indexing a summary's sources for linking (their
//! translations, the glossary and the memory as a dictionary), the view of
//! every sentence with its links and flags, approval refused while claims
//! carry flags unless a reason is recorded, people's link decisions, and a
//! summary made from text.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::SessionError;
use crate::align;
use crate::document::{DocumentId, DocumentSummary, SegmentId};
use crate::formats::export::{self, article, article::SummaryFormat};
use crate::glossary::{LEXICON_MEMORY_PAIRS, Lexicon};
use crate::lang::LangTag;
use crate::mt::MtError;
use crate::provenance::{Flag, FlagKind, LinkReason, Linker, SourceSegment, judge};
use crate::revision::{RevisionId, Status};
use crate::store::{Project, StoreError};
use crate::summary::{
    Approval, ClaimChecker, Coverage, DEFAULT_SECTIONS, LinkDecision, LinkOrigin, LinkView, MachineLink, ModelVerdict,
    NewSummary, SectionView, SentenceKind, SentenceView, SourceDocument, StoredDecision, SummaryView, outline,
};
use crate::text::Span;

/// Source passages to machine-translate for linking a summary, and where.
pub struct LinkMtJob {
    pub client: crate::mt::Client,
    pub via: MachineLink,
    /// (passage, its source text), in the order of `request.texts`.
    pub passages: Vec<(SegmentId, String)>,
    pub request: crate::mt::Request,
}

/// Claim sentences to put to the user's model, each with its evidence.
pub struct JudgeJob {
    pub client: crate::mt::Client,
    pub checker: ClaimChecker,
    /// (claim, evidence), one request each.
    pub claims: Vec<(String, String)>,
}

/// What the model said: (claim, evidence, supported) for every clear
/// answer, and what went wrong, in words.
#[derive(Debug, Default)]
pub struct JudgeOutcome {
    pub verdicts: Vec<(String, String, bool)>,
    pub errors: Vec<String>,
}

/// The summary after a claim check, how many claims were judged, and the
/// errors (a refused key, a timeout, an unclear answer) that left claims
/// unjudged; the rules' flags stand either way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct JudgeReport {
    pub view: SummaryView,
    pub judged: u32,
    pub errors: Vec<String>,
}

/// Asks the model about each claim of `job`, one at a time (a local model
/// serves one request at a time anyway). `cancel` is looked at between
/// claims and while waiting; cancelled, nothing is returned to keep. A
/// service error ends the run (the next claims would fail alike); an
/// unclear answer leaves its claim unjudged and the run goes on.
pub async fn run_judge(
    job: &JudgeJob,
    cancel: &AtomicBool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<JudgeOutcome, MtError> {
    let mut outcome = JudgeOutcome::default();
    let total = job.claims.len();
    for (done, (claim, evidence)) in job.claims.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Err(MtError::Cancelled);
        }
        match job.client.chat(judge::SYSTEM, &judge::prompt(claim, evidence), cancel).await {
            Ok(answer) => match judge::parse(&answer) {
                Ok(supported) => outcome.verdicts.push((claim.clone(), evidence.clone(), supported)),
                Err(unclear) => outcome.errors.push(format!("“{}”: {unclear}", short(claim))),
            },
            Err(MtError::Cancelled) => return Err(MtError::Cancelled),
            Err(error) => {
                outcome.errors.push(error.to_string());
                break;
            }
        }
        progress(done + 1, total);
    }
    Ok(outcome)
}

/// A claim as a message quotes it.
fn short(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text.to_string()
    }
}

/// Below this share of words in common with the text it had when a link was
/// confirmed, a sentence has changed enough that the confirmation is stale.
const STALE_BELOW: f32 = 0.8;

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the summary cannot be approved: {open} claim sentence(s) have unresolved flags: {}; fix them, mark them as \
         commentary, or approve with a reason for overriding",
        flagged_list(flagged)
    )]
    Blocked { open: u32, flagged: Vec<(String, String)> },
    #[error("the summary has no sentences to approve")]
    Empty,
    #[error("segment {0} is not one of this summary's source passages")]
    NotASourcePassage(i64),
}

/// Every flagged sentence with its flags, for the message that refuses
/// approval: "“…” (31% here, 13% in the source)", one after the other.
fn flagged_list(flagged: &[(String, String)]) -> String {
    flagged.iter().map(|(sentence, flags)| format!("“{sentence}” ({flags})")).collect::<Vec<_>>().join("; ")
}

/// The source passages of a summary, indexed once for linking. Rebuilt
/// only when the sources change (see [`SourceIndex::is_current`]).
pub struct SourceIndex {
    summary: DocumentId,
    /// The summary's source documents (fixed when it is created).
    documents: Vec<DocumentId>,
    stamp: (i64, i64, i64),
    /// Of the glossary and memory the lexicon was built from.
    dictionary: (i64, i64),
    /// The machine translations linked through, and of their table.
    machine: (Option<MachineLink>, (i64, i64, Option<String>)),
    linker: Linker,
    passages: Vec<(DocumentId, SegmentId)>,
    by_id: HashMap<SegmentId, usize>,
}

impl SourceIndex {
    /// Indexes the summary's source passages; untranslated ones are
    /// linked through their machine translations made with `via`, if any.
    pub fn build(
        project: &Project,
        summary: DocumentId,
        via: Option<&MachineLink>,
    ) -> Result<SourceIndex, SummaryError> {
        let documents = project.summary_sources(summary)?;
        let stamp = project.segments_stamp(&documents)?;
        let dictionary = project.dictionary_stamp()?;
        let machine = (via.cloned(), project.link_translations_stamp()?);
        let machine_translations = match via {
            Some(via) => project.link_translations(via)?,
            None => HashMap::new(),
        };
        let mut sources = Vec::new();
        let mut passages = Vec::new();
        let mut languages = None;
        for &document in &documents {
            languages.get_or_insert(project.languages(document)?);
            for row in project.segments(document)? {
                passages.push((document, row.id));
                let translation = row.translation.filter(|t| !t.trim().is_empty());
                let segment = match (translation, machine_translations.get(&row.id)) {
                    (Some(translation), _) => {
                        SourceSegment { text: row.source, translation: Some(translation), machine: false }
                    }
                    (None, Some((sent, text))) if *sent == row.source => {
                        SourceSegment { text: row.source, translation: Some(text.clone()), machine: true }
                    }
                    (None, _) => SourceSegment { text: row.source, translation: None, machine: false },
                };
                sources.push(segment);
            }
        }
        let (source_lang, target_lang) = match languages {
            Some((source, target)) => (source, Some(target)),
            None => (project.languages(summary)?.0, None),
        };
        let by_id = passages.iter().enumerate().map(|(i, (_, id))| (*id, i)).collect();
        let lexicon = match &target_lang {
            Some(target) => lexicon(project, &source_lang, target)?,
            None => None,
        };
        let linker = Linker::with_lexicon(sources, source_lang, target_lang, lexicon);
        Ok(SourceIndex { summary, documents, stamp, dictionary, machine, linker, passages, by_id })
    }

    /// Whether no source passage was added, joined or retranslated, no
    /// glossary term or memory unit added or removed, and no machine
    /// translation for linking made or switched, since this index was built.
    pub fn is_current(
        &self,
        project: &Project,
        summary: DocumentId,
        via: Option<&MachineLink>,
    ) -> Result<bool, SummaryError> {
        Ok(self.summary == summary
            && self.machine.0.as_ref() == via
            && project.segments_stamp(&self.documents)? == self.stamp
            && project.dictionary_stamp()? == self.dictionary
            && project.link_translations_stamp()? == self.machine.1)
    }

    pub fn linker(&self) -> &Linker {
        &self.linker
    }
}

/// The glossary of the sources' language pair and word pairs learned from
/// its translation memory: how a summary sentence finds a source segment
/// nobody has translated yet.
fn lexicon(project: &Project, source: &LangTag, target: &LangTag) -> Result<Option<Lexicon>, SummaryError> {
    let terms = project.glossary(source, target)?;
    let memory = project.translation_pairs(source, target, LEXICON_MEMORY_PAIRS)?;
    let lexicon = Lexicon::from_terms(&terms, align::word_pairs(&memory), source, target);
    Ok((!lexicon.is_empty()).then_some(lexicon))
}

/// Byte ranges in `text` as character offsets.
fn char_spans(text: &str, ranges: &[Range<usize>]) -> Vec<Span> {
    let offset = |byte: usize| text.get(..byte).map_or(0, |prefix| prefix.chars().count()) as u32;
    ranges.iter().map(|r| Span { start: offset(r.start), end: offset(r.end) }).collect()
}

/// Share of words two texts have in common, in order.
fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_words(a, b).ratio()
}

/// What the claim check is given for a sentence: its linked passages with
/// their neighbours; empty when nothing is linked.
fn claim_evidence(index: &SourceIndex, sentence: &SentenceView) -> String {
    let linked: Vec<usize> = sentence.links.iter().filter_map(|l| index.by_id.get(&l.segment).copied()).collect();
    judge::evidence(index.linker.sources(), &linked)
}

/// Adds the claim check's verdict, kept for this claim and evidence, to a
/// claim sentence: a verdict of "not supported" is a flag like the rules'.
fn add_verdict(
    project: &Project,
    index: &SourceIndex,
    checker: &ClaimChecker,
    sentence: &mut SentenceView,
) -> Result<(), SummaryError> {
    if sentence.kind != SentenceKind::Claim || sentence.links.is_empty() {
        return Ok(());
    }
    let evidence = claim_evidence(index, sentence);
    let Some(supported) = project.claim_verdict(checker, sentence.text.trim(), &evidence)? else { return Ok(()) };
    let model = if checker.model.is_empty() { checker.profile.clone() } else { checker.model.clone() };
    if !supported {
        sentence.flags.push(Flag {
            kind: FlagKind::ModelNotSupported,
            detail: format!("{model} says the linked passages do not support this claim"),
        });
        sentence.blocking = true;
    }
    sentence.verdict = Some(ModelVerdict { model, supported });
    Ok(())
}

/// Links and flags for every sentence of a summary, with coverage; with a
/// claim checker, its verdicts too.
pub fn view(
    project: &Project,
    summary: DocumentId,
    index: &SourceIndex,
    checker: Option<&ClaimChecker>,
) -> Result<SummaryView, SummaryError> {
    let document = project.summary_document(summary)?;
    let lang = project.languages(summary)?.0;
    let kinds = project.sentence_kinds(summary)?;
    let mut decisions: HashMap<SegmentId, Vec<StoredDecision>> = HashMap::new();
    for decision in project.link_decisions(summary)? {
        decisions.entry(decision.sentence).or_default().push(decision);
    }
    let mut sections: Vec<SectionView> = project
        .summary_sections(summary)?
        .into_iter()
        .map(|s| SectionView { position: s.position, title: s.title, sentences: Vec::new() })
        .collect();
    let mut cited = HashSet::new();
    let mut coverage = Coverage { claims: 0, supported: 0, passages: index.passages.len() as u32, cited: 0 };
    let mut blocking = 0;
    let mut all_approved = true;
    let mut any = false;
    for row in project.segments(summary)? {
        let text = row.translation.clone().unwrap_or_default();
        let kind = kinds.get(&row.id).copied().unwrap_or(SentenceKind::Claim);
        let mut sentence = sentence_view(index, &lang, row.id, row.revision, text, row.status, kind, &decisions);
        if let Some(checker) = checker {
            add_verdict(project, index, checker, &mut sentence)?;
        }
        if !sentence.text.trim().is_empty() {
            any = true;
            all_approved &= sentence.status == Status::Approved;
            if kind == SentenceKind::Claim {
                coverage.claims += 1;
                if !sentence.flags.iter().any(|f| f.kind == FlagKind::Unsupported) {
                    coverage.supported += 1;
                }
            }
            cited.extend(sentence.links.iter().map(|l| l.segment));
            blocking += u32::from(sentence.blocking);
        }
        if let Some(section) = sections.iter_mut().find(|s| s.position == row.passage) {
            section.sentences.push(sentence);
        }
    }
    coverage.cited = cited.len() as u32;
    Ok(SummaryView {
        id: summary,
        title: document.title,
        lang: lang.as_str().to_string(),
        sources: index
            .documents
            .iter()
            .map(|&id| Ok(SourceDocument { id, title: project.document(id)?.title }))
            .collect::<Result<_, StoreError>>()?,
        references: project.summary_references(summary)?,
        sections,
        coverage,
        blocking,
        approved: any && all_approved,
        approval: project.summary_approval(summary)?,
        link_mt: project.link_mt_profile()?,
        citation_rule: article::citation_rule(),
        judge: project.judge_profile()?,
    })
}

#[allow(clippy::too_many_arguments)]
fn sentence_view(
    index: &SourceIndex,
    lang: &LangTag,
    id: SegmentId,
    revision: Option<RevisionId>,
    text: String,
    status: Status,
    kind: SentenceKind,
    decisions: &HashMap<SegmentId, Vec<StoredDecision>>,
) -> SentenceView {
    let mine = decisions.get(&id).map_or(&[][..], Vec::as_slice);
    let decided = |wanted: LinkDecision| -> Vec<(usize, &StoredDecision)> {
        mine.iter()
            .filter(|d| d.decision == wanted)
            .filter_map(|d| index.by_id.get(&d.source).map(|&i| (i, d)))
            .collect()
    };
    let confirmed = decided(LinkDecision::Confirmed);
    let rejected: Vec<usize> = decided(LinkDecision::Rejected).into_iter().map(|(i, _)| i).collect();
    let mut view = SentenceView {
        id,
        revision,
        text,
        status,
        kind,
        support: 0.0,
        links: Vec::new(),
        flags: Vec::new(),
        rejected: rejected.iter().map(|&i| index.passages[i].1).collect(),
        blocking: false,
        verdict: None,
    };
    if view.text.trim().is_empty() {
        return view;
    }
    let confirmed_indices: Vec<usize> = confirmed.iter().map(|(i, _)| *i).collect();
    let check = index.linker.check_decided(&view.text, lang, &confirmed_indices, &rejected);
    let mut human_support = false;
    for link in &check.links {
        let (document, segment) = index.passages[link.segment];
        let decision = confirmed.iter().find(|(i, _)| *i == link.segment).map(|(_, d)| d);
        let stale = decision.is_some_and(|d| similarity(&d.sentence_text, &view.text) < STALE_BELOW);
        human_support |= decision.is_some() && !stale;
        let source = &index.linker.sources()[link.segment];
        let passage_text = if link.in_translation { source.translation.as_deref().unwrap_or("") } else { &source.text };
        view.links.push(LinkView {
            document,
            segment,
            support: link.support,
            sentence_spans: char_spans(&view.text, &link.sentence_spans),
            passage_spans: char_spans(passage_text, &link.segment_spans),
            in_translation: link.in_translation,
            origin: if decision.is_some() { LinkOrigin::Confirmed } else { LinkOrigin::Found },
            stale,
            reasons: decision.map(|_| LinkReason::Decision).into_iter().chain(link.reasons.iter().copied()).collect(),
            machine_translation: (link.in_translation && source.machine).then(|| passage_text.to_string()),
        });
    }
    view.support = check.support;
    view.flags = check
        .flags
        .into_iter()
        .filter(|f| f.kind != FlagKind::Unsupported || (kind == SentenceKind::Claim && !human_support))
        .collect();
    view.blocking = kind == SentenceKind::Claim && !view.flags.is_empty();
    view
}

/// Approves every sentence of a summary, refusing while claim sentences
/// carry flags unless `override_reason` says why they may stand.
pub fn approve(
    project: &mut Project,
    summary: DocumentId,
    index: &SourceIndex,
    checker: Option<&ClaimChecker>,
    override_reason: Option<&str>,
    author: &str,
) -> Result<Approval, SummaryError> {
    let current = view(project, summary, index, checker)?;
    let sentences: Vec<&SentenceView> =
        current.sections.iter().flat_map(|s| &s.sentences).filter(|s| !s.text.trim().is_empty()).collect();
    if sentences.is_empty() {
        return Err(SummaryError::Empty);
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    if current.blocking > 0 && reason.is_none() {
        let flagged = sentences
            .iter()
            .filter(|s| s.blocking)
            .map(|s| (s.text.clone(), s.flags.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; ")))
            .collect();
        return Err(SummaryError::Blocked { open: current.blocking, flagged });
    }
    let ids: Vec<SegmentId> = sentences.iter().map(|s| s.id).collect();
    Ok(project.approve_summary(summary, &ids, current.blocking, reason, author)?)
}

/// Records a person's decision on a link, after checking that the passage
/// is one of the summary's sources.
pub fn decide(
    project: &mut Project,
    index: &SourceIndex,
    sentence: SegmentId,
    source: SegmentId,
    decision: LinkDecision,
    author: &str,
) -> Result<(), SummaryError> {
    if !index.by_id.contains_key(&source) {
        return Err(SummaryError::NotASourcePassage(source.0));
    }
    let text = project.segment(sentence)?.translation.unwrap_or_default();
    project.decide_link(sentence, source, decision, &text, author)?;
    Ok(())
}

/// Creates a summary of `sources` from text (see [`outline`]): the default
/// sections, plus any other heading the text uses, all sentences claims.
pub fn create_from_text(
    project: &mut Project,
    title: &str,
    lang: LangTag,
    sources: Vec<DocumentId>,
    text: &str,
    author: &str,
) -> Result<DocumentId, SummaryError> {
    let parts = outline(text, &lang);
    let mut sections: Vec<String> = DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect();
    for (heading, _) in &parts {
        if !sections.iter().any(|s| s.eq_ignore_ascii_case(heading)) {
            sections.push(heading.clone());
        }
    }
    let summary = project.create_summary(&NewSummary {
        title: title.to_string(),
        lang,
        sources,
        sections: sections.clone(),
        references: Vec::new(),
    })?;
    for (heading, sentences) in &parts {
        let position = sections.iter().position(|s| s.eq_ignore_ascii_case(heading)).unwrap_or(0) as u32;
        project.add_summary_sentences(summary, position, sentences, SentenceKind::Claim, author)?;
    }
    Ok(summary)
}

/// Summaries: every change returns the whole summary, relinked.
impl super::Session {
    /// Creates a summary of `sources`, with the default article sections
    /// unless others are given.
    pub fn create_summary(
        &mut self,
        title: &str,
        lang: &str,
        sources: &[DocumentId],
        sections: Option<Vec<String>>,
    ) -> Result<DocumentSummary, SessionError> {
        let summary = NewSummary {
            title: title.trim().to_string(),
            lang: lang.parse()?,
            sources: sources.to_vec(),
            sections: sections
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect()),
            references: Vec::new(),
        };
        let project = self.project_mut()?;
        let id = project.create_summary(&summary)?;
        Ok(project.document(id)?)
    }

    /// The source index for `summary`, rebuilt only if its sources changed.
    fn index_for(&mut self, summary: DocumentId) -> Result<(), SessionError> {
        let via = self.machine_link(summary)?;
        let project = self.project.as_ref().ok_or(SessionError::NoProject)?;
        let current = match &self.source_index {
            Some(index) => index.is_current(project, summary, via.as_ref())?,
            None => false,
        };
        if !current {
            self.source_index = Some(SourceIndex::build(project, summary, via.as_ref())?);
        }
        Ok(())
    }

    /// What `summary` is linked through when linking through machine
    /// translation is on: its profile and model, into the language its
    /// sources are translated into. `None` when it is off, when the summary
    /// is in its sources' own language, or when the profile was removed.
    fn machine_link(&self, summary: DocumentId) -> Result<Option<MachineLink>, SessionError> {
        let project = self.project()?;
        let Some(name) = project.link_mt_profile()? else { return Ok(None) };
        let Some(&first) = project.summary_sources(summary)?.first() else { return Ok(None) };
        let (source_lang, target_lang) = project.languages(first)?;
        if project.languages(summary)?.0 == source_lang {
            return Ok(None);
        }
        let settings = crate::mt::Settings::load(&self.config_dir)?;
        let Ok(profile) = settings.get(&name) else { return Ok(None) };
        Ok(Some(MachineLink {
            profile: profile.name.clone(),
            model: profile.model.clone().unwrap_or_default(),
            target_lang,
        }))
    }

    /// Switches linking summaries through machine translation on, with a
    /// profile, or off; the profile must exist. Kept in the project.
    pub fn set_link_mt(&mut self, summary: DocumentId, profile: Option<&str>) -> Result<SummaryView, SessionError> {
        if let Some(name) = profile {
            crate::mt::Settings::load(&self.config_dir)?.get(name)?;
        }
        self.project_mut()?.set_link_mt_profile(profile)?;
        self.summary(summary)
    }

    /// The untranslated source passages of `summary` that have no machine
    /// translation for linking yet, ready to send; `None` when linking
    /// through machine translation is off or nothing is missing. Refused
    /// when the profile is switched off or lacks its key.
    pub fn link_mt_job(&self, summary: DocumentId) -> Result<Option<LinkMtJob>, SessionError> {
        let Some(via) = self.machine_link(summary)? else { return Ok(None) };
        let project = self.project()?;
        let made = project.link_translations(&via)?;
        let mut passages = Vec::new();
        let mut source_lang = None;
        for document in project.summary_sources(summary)? {
            source_lang.get_or_insert(project.languages(document)?.0);
            for row in project.segments(document)? {
                let translated = row.translation.as_deref().is_some_and(|t| !t.trim().is_empty());
                let cached = made.get(&row.id).is_some_and(|(sent, _)| *sent == row.source);
                if !translated && !cached && !row.source.trim().is_empty() {
                    passages.push((row.id, row.source));
                }
            }
        }
        let (Some(source_lang), false) = (source_lang, passages.is_empty()) else { return Ok(None) };
        let client = self.mt_client(&via.profile)?;
        let texts: Vec<String> = passages.iter().map(|(_, text)| text.clone()).collect();
        let request = crate::mt::Request {
            source_lang: source_lang.to_string(),
            target_lang: via.target_lang.to_string(),
            context: vec![(None, None); texts.len()],
            texts,
            glossary: Vec::new(),
        };
        Ok(Some(LinkMtJob { client, via, passages, request }))
    }

    /// Keeps the machine translations a [`LinkMtJob`] brought back (for
    /// linking only, never as revisions) and returns the summary relinked.
    pub fn finish_link_mt(
        &mut self,
        summary: DocumentId,
        job: Option<&LinkMtJob>,
        texts: Option<Vec<String>>,
    ) -> Result<SummaryView, SessionError> {
        if let (Some(job), Some(texts)) = (job, texts) {
            if texts.len() != job.passages.len() {
                return Err(SessionError::Mt(crate::mt::MtError::Invalid(format!(
                    "{} passages sent, {} translations received",
                    job.passages.len(),
                    texts.len()
                ))));
            }
            let made: Vec<(SegmentId, String, String)> =
                job.passages.iter().zip(texts).map(|((id, source), text)| (*id, source.clone(), text)).collect();
            self.project_mut()?.add_link_translations(&job.via, &made)?;
        }
        self.summary(summary)
    }

    pub fn summary(&mut self, summary: DocumentId) -> Result<SummaryView, SessionError> {
        self.index_for(summary)?;
        let checker = self.claim_checker()?;
        let (Some(project), Some(index)) = (&self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        Ok(view(project, summary, index, checker.as_ref())?)
    }

    /// The model that checks claims when the user switched that on, or
    /// `None` (also when its profile was removed since).
    fn claim_checker(&self) -> Result<Option<ClaimChecker>, SessionError> {
        let Some(name) = self.project()?.judge_profile()? else { return Ok(None) };
        let settings = crate::mt::Settings::load(&self.config_dir)?;
        let Ok(profile) = settings.get(&name) else { return Ok(None) };
        Ok(Some(ClaimChecker {
            profile: profile.name.clone(),
            model: profile.model.clone().unwrap_or_default(),
            prompt_version: judge::PROMPT_VERSION,
        }))
    }

    /// Switches the claim check on, with an OpenAI-compatible profile
    /// (Ollama, llama.cpp server, vLLM, a hosted service), or off.
    pub fn set_judge(&mut self, summary: DocumentId, profile: Option<&str>) -> Result<SummaryView, SessionError> {
        if let Some(name) = profile {
            let settings = crate::mt::Settings::load(&self.config_dir)?;
            let found = settings.get(name)?;
            if found.kind != crate::mt::ProviderKind::Openai {
                return Err(SessionError::Mt(crate::mt::MtError::Invalid(format!(
                    "\"{name}\" is a {} profile; the claim check needs a language model behind an OpenAI-compatible \
                     endpoint (Ollama, llama.cpp server, vLLM or a hosted service)",
                    found.kind.label()
                ))));
            }
        }
        self.project_mut()?.set_judge_profile(profile)?;
        self.summary(summary)
    }

    /// The claim sentences the model has not yet judged with their current
    /// evidence, ready to send; `None` when the check is off or nothing is
    /// missing. Refused when the profile is switched off or lacks its key.
    pub fn judge_job(&mut self, summary: DocumentId) -> Result<Option<JudgeJob>, SessionError> {
        let Some(checker) = self.claim_checker()? else { return Ok(None) };
        self.index_for(summary)?;
        let (Some(project), Some(index)) = (&self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        let current = view(project, summary, index, Some(&checker))?;
        let mut claims: Vec<(String, String)> = Vec::new();
        for sentence in current.sections.iter().flat_map(|s| &s.sentences) {
            if sentence.kind != SentenceKind::Claim || sentence.links.is_empty() || sentence.verdict.is_some() {
                continue;
            }
            let claim = (sentence.text.trim().to_string(), claim_evidence(index, sentence));
            if !claim.0.is_empty() && !claims.contains(&claim) {
                claims.push(claim);
            }
        }
        if claims.is_empty() {
            return Ok(None);
        }
        let client = self.mt_client(&checker.profile)?;
        Ok(Some(JudgeJob { client, checker, claims }))
    }

    /// Keeps the verdicts a [`JudgeJob`] brought back and returns the
    /// summary with them, and what went wrong in words.
    pub fn finish_judge(
        &mut self,
        summary: DocumentId,
        job: Option<&JudgeJob>,
        outcome: JudgeOutcome,
    ) -> Result<JudgeReport, SessionError> {
        if let Some(job) = job
            && !outcome.verdicts.is_empty()
        {
            self.project_mut()?.add_claim_verdicts(&job.checker, &outcome.verdicts)?;
        }
        Ok(JudgeReport { view: self.summary(summary)?, judged: outcome.verdicts.len() as u32, errors: outcome.errors })
    }

    /// Splits pasted or typed text into sentences and appends them to a section.
    pub fn add_summary_text(
        &mut self,
        summary: DocumentId,
        section: u32,
        text: &str,
        kind: SentenceKind,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let lang = project.languages(summary)?.0;
        let sentences: Vec<String> = crate::segment::split_text(text, &lang).map(str::to_string).collect();
        project.add_summary_sentences(summary, section, &sentences, kind, &author)?;
        self.summary(summary)
    }

    pub fn remove_summary_sentence(&mut self, sentence: SegmentId) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let summary = project.segment(sentence)?.document_id;
        project.remove_summary_sentence(sentence, &author)?;
        self.summary(summary)
    }

    /// Undoes a removal: the sentence comes back at the end of its section.
    pub fn restore_summary_sentence(
        &mut self,
        summary: DocumentId,
        sentence: SegmentId,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        self.project_mut()?.restore_summary_sentence(summary, sentence, &author)?;
        self.summary(summary)
    }

    /// Moves a sentence to the end of another section (by position).
    pub fn move_summary_sentence(&mut self, sentence: SegmentId, section: u32) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let summary = project.segment(sentence)?.document_id;
        project.move_summary_sentence(sentence, section, &author)?;
        self.summary(summary)
    }

    pub fn set_sentence_kind(&mut self, sentence: SegmentId, kind: SentenceKind) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let summary = project.segment(sentence)?.document_id;
        project.set_sentence_kind(sentence, kind, &author)?;
        self.summary(summary)
    }

    pub fn decide_link(
        &mut self,
        sentence: SegmentId,
        source: SegmentId,
        decision: LinkDecision,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let summary = self.project()?.segment(sentence)?.document_id;
        self.index_for(summary)?;
        let (Some(project), Some(index)) = (&mut self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        decide(project, index, sentence, source, decision, &author)?;
        self.summary(summary)
    }

    /// The summary as it would export, in Markdown (or JSON), for a preview.
    pub fn preview_summary(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        draft: bool,
    ) -> Result<String, SessionError> {
        let view = self.summary(summary)?;
        let format = if format == SummaryFormat::Json { SummaryFormat::Json } else { SummaryFormat::Markdown };
        let bytes = summary_file(self.project()?, &view, format, draft)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Writes the summary to `path`; refused unless approved or `draft`.
    pub fn export_summary(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        path: &Path,
        draft: bool,
    ) -> Result<(), SessionError> {
        let view = self.summary(summary)?;
        let bytes = summary_file(self.project()?, &view, format, draft)?;
        export::write_atomically(path, &bytes)
            .map_err(|source| SessionError::Write { path: path.to_path_buf(), source })
    }

    /// Approves the summary; refused while claims carry flags, unless
    /// `override_reason` records why they may stand.
    pub fn approve_summary(
        &mut self,
        summary: DocumentId,
        override_reason: Option<&str>,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        self.index_for(summary)?;
        let checker = self.claim_checker()?;
        let (Some(project), Some(index)) = (&mut self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        approve(project, summary, index, checker.as_ref(), override_reason, &author)?;
        self.summary(summary)
    }

    /// An approved (or, with `draft`, any) summary as article bytes.
    pub fn summary_bytes(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        draft: bool,
    ) -> Result<Vec<u8>, SessionError> {
        let view = self.summary(summary)?;
        summary_file(self.project()?, &view, format, draft)
    }

    /// Creates a summary of `sources` from text: `#` headings name
    /// sections, the rest are claim sentences.
    pub fn create_summary_from_text(
        &mut self,
        title: &str,
        lang: &str,
        sources: Vec<DocumentId>,
        text: &str,
    ) -> Result<DocumentSummary, SessionError> {
        let lang: LangTag = lang.parse()?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let id = create_from_text(project, title, lang, sources, text, &author)?;
        Ok(project.document(id)?)
    }

    /// The project's article template, or `None` for Verso's default.
    pub fn summary_template(&self) -> Result<Option<String>, SessionError> {
        Ok(self.project()?.summary_template()?)
    }

    /// Sets the project's article template (checked first), or resets it.
    pub fn set_summary_template(&mut self, template: Option<&str>) -> Result<(), SessionError> {
        if let Some(template) = template {
            article::check_template(template)?;
        }
        Ok(self.project_mut()?.set_summary_template(template)?)
    }
}

/// A checked summary as an article file: its sources and cited passages
/// looked up, rendered with the project's template (or the default);
/// refused when not approved unless `draft`.
pub fn summary_file(
    project: &Project,
    view: &SummaryView,
    format: SummaryFormat,
    draft: bool,
) -> Result<Vec<u8>, SessionError> {
    let mut cited = article::Cited::default();
    for source in &view.sources {
        cited.documents.insert(source.id, project.document(source.id)?);
    }
    for segment in article::Cited::passages_of(view) {
        if let std::collections::hash_map::Entry::Vacant(entry) = cited.passages.entry(segment) {
            entry.insert(project.segment(segment)?);
        }
    }
    let template = project.summary_template()?;
    Ok(article::export(view, &cited, template.as_deref(), format, draft)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "Año 2023: 31 %";
        let start = text.find("2023").expect("found");
        let year = start..start + 4;
        assert_eq!(char_spans(text, std::slice::from_ref(&year)), [Span { start: 4, end: 8 }]);
    }

    #[test]
    fn a_small_edit_keeps_a_confirmation_and_a_rewrite_makes_it_stale() {
        let before = "Reservoirs fell to 31% in August after a dry summer.";
        assert!(similarity(before, "Reservoirs fell to 31% in August after a very dry summer.") >= STALE_BELOW);
        assert!(similarity(before, "The minister promised new plants by 2028.") < STALE_BELOW);
    }
}
