//! Tauri commands: each turns a UI request into one core call and the
//! result into a serialisable reply. Errors become [`ErrorReply`]s.

use std::path::PathBuf;

use std::sync::atomic::Ordering;

use tauri::State;
use tauri::ipc::Channel;
use verso::analysis::Analysis;
use verso::diff::DocumentDiff;
use verso::document::Publication;
use verso::formats::export::article::SummaryFormat;
use verso::glossary::{Term, TermHit};
use verso::mt::{Estimate, MtError, Profile};
use verso::overview::Overview;
use verso::qa::{QaCheck, QaProfile, QaReport, QaStage};
use verso::recent::RecentProject;
use verso::revision::{BulkOutcome, CategoryCount, Comment, Decision, ErrorCategory, Version, VersionId};
use verso::session::Progress;
use verso::session::ReportFormat;
use verso::session::find::{FindQuery, FindResult, ReplaceOutcome, ReplacePreview, UndoOutcome};
use verso::session::shortcuts::Shortcuts;
use verso::session::spelling::SpellingView;
use verso::session::{ConflictSide, ConflictView, Joined, Keep, SyncReport, TeamStatus};
use verso::session::{
    DocumentExport, ErrorKind, ErrorReply, ExportPreview, HistoryEntry, ProjectInfo, Session, SessionError,
};
use verso::session::{ImportPreview, JudgeReport, MtSuggestion, ProfileView};
use verso::store::Pretranslated;
use verso::summary::{LinkDecision, SentenceKind, SummaryView};
use verso::tm::{ConcordanceHit, Memory, MemoryId, SearchIn, TmMatch};
use verso::{DocumentId, DocumentSummary, Revision, RevisionId, SegmentId, SegmentRow, TranslationEdit};

use crate::AppState;

type Reply<T> = Result<T, ErrorReply>;

fn with_session<T>(state: &AppState, action: impl FnOnce(&mut Session) -> Result<T, SessionError>) -> Reply<T> {
    let mut session = state.session.lock().map_err(|_| ErrorReply {
        kind: ErrorKind::Storage,
        message: "Verso hit an internal error earlier; restart it to continue (saved work is safe).".into(),
        conflict: None,
    })?;
    action(&mut session).map_err(|error| ErrorReply::from(&error))
}

/// Opens the project named on the command line, the first time it is asked.
#[tauri::command(async)]
pub fn startup_project(state: State<'_, AppState>) -> Reply<Option<ProjectInfo>> {
    let path = state.startup_project.lock().ok().and_then(|mut p| p.take());
    match path {
        Some(path) => with_session(&state, |s| s.open_project(&path)).map(Some),
        None => Ok(None),
    }
}

/// The editor's first rows are on screen. With `VERSO_TIMING` set, says how
/// long after the process started (`./verso.sh bench-first-screen`), and
/// with `VERSO_TIMING=exit` quits, so a script can time many starts.
#[tauri::command]
pub fn first_rows(app: tauri::AppHandle, state: State<'_, AppState>, segments: u32) {
    let Some(timing) = std::env::var_os("VERSO_TIMING") else { return };
    eprintln!(
        "first rows of {segments} segments on screen {:.0} ms after the app started",
        state.started.elapsed().as_secs_f64() * 1000.0
    );
    if timing == "exit" {
        app.exit(0);
    }
}

#[tauri::command(async)]
pub fn recent_projects(state: State<'_, AppState>) -> Reply<Vec<RecentProject>> {
    with_session(&state, |s| Ok(s.recent_projects()))
}

#[tauri::command(async)]
pub fn open_project(state: State<'_, AppState>, path: PathBuf) -> Reply<ProjectInfo> {
    with_session(&state, |s| s.open_project(&path))
}

#[tauri::command(async)]
pub fn create_project(state: State<'_, AppState>, path: PathBuf) -> Reply<ProjectInfo> {
    with_session(&state, |s| s.create_project(&path))
}

#[tauri::command(async)]
pub fn team_join(state: State<'_, AppState>, remote: String, path: PathBuf) -> Reply<Joined> {
    with_session(&state, |s| s.join_team(&remote, &path))
}

#[tauri::command(async)]
pub fn team_share(state: State<'_, AppState>, remote: String) -> Reply<TeamStatus> {
    with_session(&state, |s| s.share_team(&remote))
}

/// Saves an access token for an HTTP remote's server in the OS keyring.
#[tauri::command(async)]
pub fn team_token(state: State<'_, AppState>, remote: String, token: String) -> Reply<String> {
    with_session(&state, |s| s.save_git_token(&remote, &token))
}

#[tauri::command(async)]
pub fn team_sync(state: State<'_, AppState>) -> Reply<SyncReport> {
    with_session(&state, Session::sync_team)
}

#[tauri::command(async)]
pub fn team_status(state: State<'_, AppState>) -> Reply<Option<TeamStatus>> {
    with_session(&state, |s| s.team_status())
}

#[tauri::command(async)]
pub fn team_conflicts(state: State<'_, AppState>) -> Reply<Vec<ConflictView>> {
    with_session(&state, |s| s.team_conflicts())
}

#[tauri::command(async)]
pub fn team_resolve(state: State<'_, AppState>, segment: SegmentId, keep: Keep) -> Reply<ConflictSide> {
    with_session(&state, |s| s.resolve_team_conflict(segment, keep))
}

#[tauri::command(async)]
pub fn open_sample(state: State<'_, AppState>) -> Reply<ProjectInfo> {
    with_session(&state, Session::open_sample)
}

#[tauri::command(async)]
pub fn close_project(state: State<'_, AppState>) -> Reply<()> {
    with_session(&state, |s| {
        s.close_project();
        Ok(())
    })
}

#[tauri::command(async)]
pub fn list_documents(state: State<'_, AppState>) -> Reply<Vec<DocumentSummary>> {
    with_session(&state, |s| s.documents())
}

#[tauri::command(async)]
pub fn import_document(
    state: State<'_, AppState>,
    path: PathBuf,
    source_lang: String,
    target_lang: String,
    title: Option<String>,
) -> Reply<DocumentSummary> {
    with_session(&state, |s| s.import(&path, &source_lang, &target_lang, title))
}

#[tauri::command(async)]
pub fn document_segments(state: State<'_, AppState>, document: DocumentId) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.segments(document))
}

#[tauri::command(async)]
pub fn document_segments_head(state: State<'_, AppState>, document: DocumentId, limit: u32) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.segments_head(document, limit))
}

#[tauri::command(async)]
pub fn save_translation(state: State<'_, AppState>, edit: TranslationEdit) -> Reply<Revision> {
    with_session(&state, |s| s.save_translation(&edit))
}

#[tauri::command(async)]
pub fn split_segment(state: State<'_, AppState>, segment: SegmentId, at: usize) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.split_segment(segment, at))
}

#[tauri::command(async)]
pub fn join_segments(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.join_with_next(segment))
}

#[tauri::command(async)]
pub fn set_author(state: State<'_, AppState>, name: String) -> Reply<ProjectInfo> {
    with_session(&state, |s| s.set_author(&name))
}

#[tauri::command(async)]
pub fn review_segment(
    state: State<'_, AppState>,
    segment: SegmentId,
    decision: Decision,
    comment: Option<String>,
    category: Option<ErrorCategory>,
) -> Reply<SegmentRow> {
    with_session(&state, |s| s.review(segment, decision, comment.as_deref(), category))
}

#[tauri::command(async)]
pub fn set_publication(
    state: State<'_, AppState>,
    document: DocumentId,
    publication: Publication,
) -> Reply<DocumentSummary> {
    with_session(&state, |s| s.set_publication(document, &publication))
}

#[tauri::command(async)]
pub fn rejection_counts(state: State<'_, AppState>, document: DocumentId) -> Reply<Vec<CategoryCount>> {
    with_session(&state, |s| s.rejections(document))
}

#[tauri::command(async)]
pub fn bulk_review(state: State<'_, AppState>, segments: Vec<SegmentId>, decision: Decision) -> Reply<BulkOutcome> {
    with_session(&state, |s| s.bulk_review(&segments, decision))
}

#[tauri::command(async)]
pub fn segment_comments(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<Comment>> {
    with_session(&state, |s| s.comments(segment))
}

#[tauri::command(async)]
pub fn add_comment(state: State<'_, AppState>, segment: SegmentId, text: String) -> Reply<Vec<Comment>> {
    with_session(&state, |s| s.add_comment(segment, &text))
}

#[tauri::command(async)]
pub fn segment_history(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<HistoryEntry>> {
    with_session(&state, |s| s.history(segment))
}

#[tauri::command(async)]
pub fn restore_revision(state: State<'_, AppState>, segment: SegmentId, revision: RevisionId) -> Reply<SegmentRow> {
    with_session(&state, |s| s.restore(segment, revision))
}

#[tauri::command(async)]
pub fn list_versions(state: State<'_, AppState>, document: DocumentId) -> Reply<Vec<Version>> {
    with_session(&state, |s| s.versions(document))
}

#[tauri::command(async)]
pub fn create_version(state: State<'_, AppState>, document: DocumentId, name: String) -> Reply<Vec<Version>> {
    with_session(&state, |s| s.create_version(document, &name))
}

#[tauri::command(async)]
pub fn diff_document(
    state: State<'_, AppState>,
    document: DocumentId,
    from: Option<VersionId>,
    to: Option<VersionId>,
    by_character: bool,
) -> Reply<DocumentDiff> {
    with_session(&state, |s| s.diff_document(document, from, to, by_character))
}

#[tauri::command(async)]
pub fn export_change_report(
    state: State<'_, AppState>,
    document: DocumentId,
    from: Option<VersionId>,
    to: Option<VersionId>,
    path: PathBuf,
) -> Reply<()> {
    with_session(&state, |s| s.write_change_report(document, from, to, &path))
}

#[tauri::command(async)]
pub fn import_with_translation(
    state: State<'_, AppState>,
    path: PathBuf,
    translation: PathBuf,
    source_lang: String,
    target_lang: String,
    title: Option<String>,
) -> Reply<DocumentSummary> {
    with_session(&state, |s| s.import_with_translation(&path, &translation, &source_lang, &target_lang, title))
}

#[tauri::command(async)]
pub fn confirm_alignment(state: State<'_, AppState>, document: DocumentId) -> Reply<u32> {
    with_session(&state, |s| s.confirm_alignment(document))
}

#[tauri::command(async)]
pub fn shift_translation(state: State<'_, AppState>, segment: SegmentId, down: bool) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.shift_translation(segment, down))
}

#[tauri::command(async)]
pub fn create_summary(
    state: State<'_, AppState>,
    title: String,
    lang: String,
    sources: Vec<DocumentId>,
) -> Reply<DocumentSummary> {
    with_session(&state, |s| s.create_summary(&title, &lang, &sources, None))
}

#[tauri::command(async)]
pub fn summary_view(state: State<'_, AppState>, summary: DocumentId) -> Reply<SummaryView> {
    with_session(&state, |s| s.summary(summary))
}

#[tauri::command(async)]
pub fn add_summary_text(
    state: State<'_, AppState>,
    summary: DocumentId,
    section: u32,
    text: String,
    kind: SentenceKind,
) -> Reply<SummaryView> {
    with_session(&state, |s| s.add_summary_text(summary, section, &text, kind))
}

#[tauri::command(async)]
pub fn move_summary_sentence(state: State<'_, AppState>, sentence: SegmentId, section: u32) -> Reply<SummaryView> {
    with_session(&state, |s| s.move_summary_sentence(sentence, section))
}

#[tauri::command(async)]
pub fn remove_summary_sentence(state: State<'_, AppState>, sentence: SegmentId) -> Reply<SummaryView> {
    with_session(&state, |s| s.remove_summary_sentence(sentence))
}

#[tauri::command(async)]
pub fn restore_summary_sentence(
    state: State<'_, AppState>,
    summary: DocumentId,
    sentence: SegmentId,
) -> Reply<SummaryView> {
    with_session(&state, |s| s.restore_summary_sentence(summary, sentence))
}

#[tauri::command(async)]
pub fn set_sentence_kind(state: State<'_, AppState>, sentence: SegmentId, kind: SentenceKind) -> Reply<SummaryView> {
    with_session(&state, |s| s.set_sentence_kind(sentence, kind))
}

#[tauri::command(async)]
pub fn decide_link(
    state: State<'_, AppState>,
    sentence: SegmentId,
    source: SegmentId,
    decision: LinkDecision,
) -> Reply<SummaryView> {
    with_session(&state, |s| s.decide_link(sentence, source, decision))
}

#[tauri::command(async)]
pub fn approve_summary(
    state: State<'_, AppState>,
    summary: DocumentId,
    override_reason: Option<String>,
) -> Reply<SummaryView> {
    with_session(&state, |s| s.approve_summary(summary, override_reason.as_deref()))
}

#[tauri::command(async)]
pub fn preview_summary(
    state: State<'_, AppState>,
    summary: DocumentId,
    format: SummaryFormat,
    draft: bool,
) -> Reply<String> {
    with_session(&state, |s| s.preview_summary(summary, format, draft))
}

#[tauri::command(async)]
pub fn export_summary(
    state: State<'_, AppState>,
    summary: DocumentId,
    format: SummaryFormat,
    path: PathBuf,
    draft: bool,
) -> Reply<()> {
    with_session(&state, |s| s.export_summary(summary, format, &path, draft))
}

#[tauri::command(async)]
pub fn import_xliff(
    state: State<'_, AppState>,
    path: PathBuf,
    title: Option<String>,
    target_lang: Option<String>,
) -> Reply<DocumentSummary> {
    with_session(&state, |s| s.import_xliff(&path, title, target_lang.as_deref()))
}

#[tauri::command(async)]
pub fn update_from_xliff(state: State<'_, AppState>, document: DocumentId, path: PathBuf) -> Reply<u32> {
    with_session(&state, |s| s.update_from_xliff(document, &path))
}

#[tauri::command(async)]
pub fn preview_document(
    state: State<'_, AppState>,
    document: DocumentId,
    format: DocumentExport,
) -> Reply<ExportPreview> {
    with_session(&state, |s| s.preview_document(document, format))
}

#[tauri::command(async)]
pub fn export_document(
    state: State<'_, AppState>,
    document: DocumentId,
    format: DocumentExport,
    path: PathBuf,
) -> Reply<ExportPreview> {
    with_session(&state, |s| s.export_document(document, format, &path))
}

#[tauri::command(async)]
pub fn tm_matches(state: State<'_, AppState>, segment: SegmentId, threshold: u8) -> Reply<Vec<TmMatch>> {
    with_session(&state, |s| s.matches(segment, threshold))
}

#[tauri::command(async)]
pub fn concordance(state: State<'_, AppState>, query: String, within: SearchIn) -> Reply<Vec<ConcordanceHit>> {
    with_session(&state, |s| s.concordance(&query, within))
}

#[tauri::command(async)]
pub fn edit_memory_unit(state: State<'_, AppState>, unit: i64, source: String, target: String) -> Reply<()> {
    with_session(&state, |s| s.edit_memory_unit(unit, &source, &target))
}

#[tauri::command(async)]
pub fn delete_memory_unit(state: State<'_, AppState>, unit: i64) -> Reply<()> {
    with_session(&state, |s| s.delete_memory_unit(unit))
}

#[tauri::command(async)]
pub fn memories(state: State<'_, AppState>) -> Reply<Vec<Memory>> {
    with_session(&state, |s| s.memories())
}

/// Sends progress at most every few hundredths of the work, and reads the
/// Cancel button's flag.
fn reporter<'a>(state: &'a AppState, channel: &'a Channel<Progress>) -> impl FnMut(f64, f64) -> bool + 'a {
    state.cancel.store(false, Ordering::SeqCst);
    let mut last = -1.0;
    move |done, total| {
        if total > 0.0 && (done - last) / total >= 0.01 {
            last = done;
            let _ = channel.send(Progress { done, total });
        }
        !state.cancel.load(Ordering::SeqCst)
    }
}

#[tauri::command(async)]
pub fn import_memory(
    state: State<'_, AppState>,
    path: PathBuf,
    document: Option<DocumentId>,
    on_progress: Channel<Progress>,
) -> Reply<Memory> {
    let mut report = reporter(&state, &on_progress);
    with_session(&state, |s| s.import_memory(&path, document, &mut |done, total| report(done as f64, total as f64)))
}

#[tauri::command(async)]
pub fn export_memory(state: State<'_, AppState>, memory: MemoryId, path: PathBuf) -> Reply<u64> {
    with_session(&state, |s| s.export_memory(memory, &path))
}

#[tauri::command(async)]
pub fn remove_memory(state: State<'_, AppState>, memory: MemoryId) -> Reply<Vec<Memory>> {
    with_session(&state, |s| s.remove_memory(memory))
}

#[tauri::command(async)]
pub fn set_memory_priority(state: State<'_, AppState>, memory: MemoryId, priority: i64) -> Reply<Vec<Memory>> {
    with_session(&state, |s| s.set_memory_priority(memory, priority))
}

#[tauri::command(async)]
pub fn pretranslate(
    state: State<'_, AppState>,
    document: DocumentId,
    threshold: u8,
    on_progress: Channel<Progress>,
) -> Reply<Pretranslated> {
    let mut report = reporter(&state, &on_progress);
    with_session(&state, |s| {
        s.pretranslate(document, threshold, &mut |done, total| report(f64::from(done), f64::from(total)))
    })
}

#[tauri::command(async)]
pub fn overview(state: State<'_, AppState>) -> Reply<Overview> {
    with_session(&state, |s| s.overview())
}

/// The analysis of one document or the whole project, with progress; a
/// cancelled one is `null`.
#[tauri::command(async)]
pub fn analyse(
    state: State<'_, AppState>,
    document: Option<DocumentId>,
    on_progress: Channel<Progress>,
) -> Reply<Option<Analysis>> {
    let mut report = reporter(&state, &on_progress);
    with_session(&state, |s| s.analyse(document, &mut |done, total| report(f64::from(done), f64::from(total))))
}

#[tauri::command(async)]
pub fn write_report(
    state: State<'_, AppState>,
    path: PathBuf,
    format: ReportFormat,
    analysis: Option<Analysis>,
) -> Reply<()> {
    with_session(&state, |s| s.write_report(&path, format, analysis.as_ref()))
}

/// Asks the running import or pre-translation to stop; it rolls back.
#[tauri::command]
pub fn cancel_work(state: State<'_, AppState>) {
    state.cancel.store(true, Ordering::SeqCst);
}

#[tauri::command(async)]
pub fn import_glossary(state: State<'_, AppState>, path: PathBuf, document: DocumentId) -> Reply<(usize, usize)> {
    with_session(&state, |s| s.import_glossary(&path, document))
}

#[tauri::command(async)]
pub fn export_glossary(state: State<'_, AppState>, document: DocumentId, path: PathBuf) -> Reply<usize> {
    with_session(&state, |s| s.export_glossary(document, &path))
}

#[tauri::command(async)]
pub fn glossary(state: State<'_, AppState>, document: DocumentId) -> Reply<Vec<Term>> {
    with_session(&state, |s| s.glossary(document))
}

#[tauri::command(async)]
pub fn term_hits(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<TermHit>> {
    with_session(&state, |s| s.term_hits(segment))
}

/// Locks a segment against new translations, or unlocks it.
#[tauri::command(async)]
pub fn set_locked(state: State<'_, AppState>, segment: SegmentId, locked: bool) -> Reply<SegmentRow> {
    with_session(&state, |s| s.set_locked(segment, locked))
}

/// Fills the untranslated repetitions of a confirmed segment.
#[tauri::command(async)]
pub fn fill_repetitions(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.fill_repetitions(segment))
}

/// Adds a term pair picked in the editor to the document's glossary.
#[tauri::command(async)]
pub fn add_term(state: State<'_, AppState>, document: DocumentId, source: String, target: String) -> Reply<bool> {
    with_session(&state, |s| s.add_term(document, &source, &target))
}

/// The first `limit` segments a search matches, in one document or the project.
#[tauri::command(async)]
pub fn find(state: State<'_, AppState>, query: FindQuery, limit: u32) -> Reply<FindResult> {
    with_session(&state, |s| s.find(&query, limit as usize))
}

/// Every translation a replacement would change, as a word diff; nothing is written.
#[tauri::command(async)]
pub fn replace_preview(
    state: State<'_, AppState>,
    query: FindQuery,
    replacement: String,
) -> Reply<Vec<ReplacePreview>> {
    with_session(&state, |s| s.replace_preview(&query, &replacement))
}

/// Replaces in every matching translation, in one transaction.
#[tauri::command(async)]
pub fn replace_all(state: State<'_, AppState>, query: FindQuery, replacement: String) -> Reply<ReplaceOutcome> {
    with_session(&state, |s| s.replace_all(&query, &replacement))
}

/// Takes back a replacement with new revisions.
#[tauri::command(async)]
pub fn undo_change(state: State<'_, AppState>, change: String) -> Reply<UndoOutcome> {
    with_session(&state, |s| s.undo_change(&change))
}

/// Undoes the last split or join of a segment; the document's rows after.
#[tauri::command(async)]
pub fn undo_structure(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<SegmentRow>> {
    with_session(&state, |s| s.undo_structure(segment))
}

/// Takes back a pre-translation's drafts.
#[tauri::command(async)]
pub fn undo_pretranslation(state: State<'_, AppState>, first: RevisionId, last: RevisionId) -> Reply<UndoOutcome> {
    with_session(&state, |s| s.undo_pretranslation(first, last))
}

/// Takes back a review decision while it is the segment's newest revision.
#[tauri::command(async)]
pub fn undo_review(state: State<'_, AppState>, segment: SegmentId, revision: RevisionId) -> Reply<SegmentRow> {
    with_session(&state, |s| s.undo_review(segment, revision))
}

/// The keyboard shortcuts this user changed.
#[tauri::command(async)]
pub fn shortcuts(state: State<'_, AppState>) -> Reply<Shortcuts> {
    with_session(&state, |s| s.shortcuts())
}

#[tauri::command(async)]
pub fn set_shortcuts(state: State<'_, AppState>, changed: Shortcuts) -> Reply<Shortcuts> {
    with_session(&state, |s| s.set_shortcuts(&changed))
}

/// The misspelled words of a translation being typed (asked at a pause,
/// never on the input path).
#[tauri::command(async)]
pub fn spelling(state: State<'_, AppState>, document: DocumentId, text: String, source: String) -> Reply<SpellingView> {
    with_session(&state, |s| s.spelling(document, &text, &source))
}

#[tauri::command(async)]
pub fn spelling_suggestions(state: State<'_, AppState>, document: DocumentId, word: String) -> Reply<Vec<String>> {
    with_session(&state, |s| s.spelling_suggestions(document, &word))
}

/// Adds a word to the project dictionary of the document's target language.
#[tauri::command(async)]
pub fn add_project_word(state: State<'_, AppState>, document: DocumentId, word: String) -> Reply<bool> {
    with_session(&state, |s| s.add_project_word(document, &word))
}

#[tauri::command(async)]
pub fn qa_report(state: State<'_, AppState>, document: DocumentId, stage: QaStage) -> Reply<QaReport> {
    with_session(&state, |s| s.qa_report_at(document, stage))
}

#[tauri::command(async)]
pub fn qa_profile(state: State<'_, AppState>) -> Reply<QaProfile> {
    with_session(&state, |s| s.qa_profile())
}

#[tauri::command(async)]
pub fn set_qa_profile(state: State<'_, AppState>, profile: QaProfile) -> Reply<QaProfile> {
    with_session(&state, |s| s.set_qa_profile(&profile))
}

#[tauri::command(async)]
pub fn accept_warning(
    state: State<'_, AppState>,
    segment: SegmentId,
    check: QaCheck,
    detail: String,
    reason: String,
    stage: QaStage,
) -> Reply<QaReport> {
    with_session(&state, |s| s.accept_warning_at(segment, check, &detail, &reason, stage))
}

#[tauri::command(async)]
pub fn mt_profiles(state: State<'_, AppState>) -> Reply<Vec<ProfileView>> {
    with_session(&state, |s| s.mt_profiles())
}

#[tauri::command(async)]
pub fn save_mt_profile(state: State<'_, AppState>, profile: Profile) -> Reply<Vec<ProfileView>> {
    with_session(&state, |s| s.save_mt_profile(profile))
}

#[tauri::command(async)]
pub fn remove_mt_profile(state: State<'_, AppState>, name: String) -> Reply<Vec<ProfileView>> {
    with_session(&state, |s| s.remove_mt_profile(&name))
}

#[tauri::command(async)]
pub fn move_mt_profile(state: State<'_, AppState>, name: String, up: bool) -> Reply<Vec<ProfileView>> {
    with_session(&state, |s| s.move_mt_profile(&name, up))
}

/// Stores a key in the system keyring; the key never comes back to the UI.
#[tauri::command(async)]
pub fn set_mt_key(state: State<'_, AppState>, name: String, key: String) -> Reply<Vec<ProfileView>> {
    with_session(&state, |s| s.set_mt_key(&name, &key))
}

fn mt_reply(error: MtError) -> ErrorReply {
    ErrorReply::from(&SessionError::Mt(error))
}

/// Translates "Good morning." with a profile: proves URL, key and model.
#[tauri::command]
pub async fn test_mt_profile(state: State<'_, AppState>, name: String, target_lang: String) -> Reply<String> {
    let client = with_session(&state, |s| s.mt_client(&name))?;
    client.test(&target_lang).await.map_err(mt_reply)
}

/// Every enabled profile's suggestion for a segment. The network calls run
/// without holding the session, so the editor stays responsive.
#[tauri::command]
pub async fn mt_suggestions(state: State<'_, AppState>, segment: SegmentId) -> Reply<Vec<MtSuggestion>> {
    let (clients, request) = with_session(&state, |s| Ok((s.mt_clients()?, s.mt_segment_request(segment)?)))?;
    Ok(verso::session::suggestions(clients, &request).await)
}

#[tauri::command(async)]
pub fn mt_estimate(state: State<'_, AppState>, document: DocumentId, profile: String) -> Reply<Estimate> {
    with_session(&state, |s| s.mt_estimate(document, &profile))
}

/// Machine-translates every untranslated segment as drafts, with progress
/// and Cancel (nothing is written when cancelled).
#[tauri::command]
pub async fn mt_pretranslate(
    state: State<'_, AppState>,
    document: DocumentId,
    profile: String,
    on_progress: Channel<Progress>,
) -> Reply<u32> {
    let job = with_session(&state, |s| s.mt_document_job(document, &profile, None))?;
    let mut report = reporter(&state, &on_progress);
    let texts = job
        .client
        .translate(&job.request, &state.cancel, &mut |done, total| {
            report(done as f64, total as f64);
        })
        .await
        .map_err(mt_reply)?;
    with_session(&state, |s| s.apply_mt(&job, texts))
}

/// The language a file reads as and the title it would get, for the
/// import dialog (nothing is stored).
#[tauri::command(async)]
pub fn preview_import(state: State<'_, AppState>, path: PathBuf) -> Reply<ImportPreview> {
    with_session(&state, |s| s.preview_import(&path))
}

/// Switches linking a summary's untranslated passages through machine
/// translation on (with a profile) or off.
#[tauri::command(async)]
pub fn set_link_mt(state: State<'_, AppState>, summary: DocumentId, profile: Option<String>) -> Reply<SummaryView> {
    with_session(&state, |s| s.set_link_mt(summary, profile.as_deref()))
}

/// Machine-translates the untranslated passages a summary links through
/// (for linking only), with progress and Cancel, and relinks it.
#[tauri::command]
pub async fn summary_link_mt(
    state: State<'_, AppState>,
    summary: DocumentId,
    on_progress: Channel<Progress>,
) -> Reply<SummaryView> {
    let job = with_session(&state, |s| s.link_mt_job(summary))?;
    let mut report = reporter(&state, &on_progress);
    let texts = match &job {
        Some(job) => Some(
            job.client
                .translate(&job.request, &state.cancel, &mut |done, total| {
                    report(done as f64, total as f64);
                })
                .await
                .map_err(mt_reply)?,
        ),
        None => None,
    };
    with_session(&state, |s| s.finish_link_mt(summary, job.as_ref(), texts))
}

/// Switches the claim check on (with an OpenAI-compatible profile) or off.
#[tauri::command(async)]
pub fn set_judge(state: State<'_, AppState>, summary: DocumentId, profile: Option<String>) -> Reply<SummaryView> {
    with_session(&state, |s| s.set_judge(summary, profile.as_deref()))
}

/// Puts the claims the model has not judged yet to it, one at a time, with
/// progress and Cancel (nothing is kept when cancelled).
#[tauri::command]
pub async fn judge_claims(
    state: State<'_, AppState>,
    summary: DocumentId,
    on_progress: Channel<Progress>,
) -> Reply<JudgeReport> {
    let job = with_session(&state, |s| s.judge_job(summary))?;
    let mut report = reporter(&state, &on_progress);
    let outcome = match &job {
        Some(job) => verso::session::run_judge(job, &state.cancel, &mut |done, total| {
            report(done as f64, total as f64);
        })
        .await
        .map_err(mt_reply)?,
        None => verso::session::JudgeOutcome::default(),
    };
    with_session(&state, |s| s.finish_judge(summary, job.as_ref(), outcome))
}

/// Asks an OpenAI-compatible profile for a draft summary of a document and
/// stores it as a draft summary, checked like any other.
#[tauri::command]
pub async fn summary_draft(
    state: State<'_, AppState>,
    document: DocumentId,
    profile: String,
    in_target: bool,
) -> Reply<DocumentSummary> {
    let job = with_session(&state, |s| s.summary_draft_job(document, &profile, in_target))?;
    state.cancel.store(false, Ordering::SeqCst);
    let markdown = job.client.chat(&job.system, &job.user, &state.cancel).await.map_err(mt_reply)?;
    with_session(&state, |s| s.create_summary_draft(&job, &markdown))
}
