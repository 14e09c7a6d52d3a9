// Typed calls into the desktop shell. Every type comes from bindings.ts,
// which is generated from the Rust core; only command names live here.
import { invoke } from "@tauri-apps/api/core";
import type {
  BulkOutcome,
  Analysis,
  CategoryCount,
  ErrorCategory,
  Overview,
  ReportFormat,
  Publication,
  QaProfile,
  SearchIn,
  Comment,
  Decision,
  DocumentDiff,
  DocumentId,
  HistoryEntry,
  RevisionId,
  Version,
  VersionId,
  DocumentSummary,
  ErrorReply,
  ProjectInfo,
  RecentProject,
  Revision,
  SegmentId,
  SegmentRow,
  TranslationEdit,
  LinkDecision,
  SentenceKind,
  SummaryView,
  JudgeReport,
  ImportPreview,
  QaStage,
  SummaryFormat,
  DocumentExport,
  ExportPreview,
  TmMatch,
  ConcordanceHit,
  Memory,
  MemoryId,
  Pretranslated,
  Progress,
  Term,
  TermHit,
  QaReport,
  QaCheck,
  Profile,
  ProfileView,
  MtSuggestion,
  Estimate,
  TeamStatus,
  SyncReport,
  Joined,
  ConflictView,
  ConflictSide,
  Keep,
  SpellingView,
  FindQuery,
  FindResult,
  ReplacePreview,
  ReplaceOutcome,
  UndoOutcome,
} from "./bindings";
import { Channel } from "@tauri-apps/api/core";

/** A channel the shell sends progress on while long work runs. */
function progressChannel(onprogress: (p: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = onprogress;
  return channel;
}

export const api = {
  mtProfiles: () => invoke<ProfileView[]>("mt_profiles"),
  saveMtProfile: (profile: Profile) => invoke<ProfileView[]>("save_mt_profile", { profile }),
  removeMtProfile: (name: string) => invoke<ProfileView[]>("remove_mt_profile", { name }),
  moveMtProfile: (name: string, up: boolean) => invoke<ProfileView[]>("move_mt_profile", { name, up }),
  setMtKey: (name: string, key: string) => invoke<ProfileView[]>("set_mt_key", { name, key }),
  testMtProfile: (name: string, targetLang: string) => invoke<string>("test_mt_profile", { name, targetLang }),
  mtSuggestions: (segment: SegmentId) => invoke<MtSuggestion[]>("mt_suggestions", { segment }),
  mtEstimate: (document: DocumentId, profile: string) => invoke<Estimate>("mt_estimate", { document, profile }),
  mtPretranslate: (document: DocumentId, profile: string, onprogress: (p: Progress) => void) =>
    invoke<number>("mt_pretranslate", { document, profile, onProgress: progressChannel(onprogress) }),
  setLocked: (segment: SegmentId, locked: boolean) => invoke<SegmentRow>("set_locked", { segment, locked }),
  fillRepetitions: (segment: SegmentId) => invoke<SegmentRow[]>("fill_repetitions", { segment }),
  addTerm: (document: DocumentId, source: string, target: string) => invoke<boolean>("add_term", { document, source, target }),
  previewImport: (path: string) => invoke<ImportPreview>("preview_import", { path }),
  setLinkMt: (summary: DocumentId, profile: string | null) => invoke<SummaryView>("set_link_mt", { summary, profile }),
  summaryLinkMt: (summary: DocumentId, onprogress: (p: Progress) => void) =>
    invoke<SummaryView>("summary_link_mt", { summary, onProgress: progressChannel(onprogress) }),
  setJudge: (summary: DocumentId, profile: string | null) => invoke<SummaryView>("set_judge", { summary, profile }),
  judgeClaims: (summary: DocumentId, onprogress: (p: Progress) => void) =>
    invoke<JudgeReport>("judge_claims", { summary, onProgress: progressChannel(onprogress) }),
  summaryDraft: (document: DocumentId, profile: string, inTarget: boolean) =>
    invoke<DocumentSummary>("summary_draft", { document, profile, inTarget }),
  tmMatches: (segment: SegmentId, threshold: number) => invoke<TmMatch[]>("tm_matches", { segment, threshold }),
  concordance: (query: string, within: SearchIn = "both") => invoke<ConcordanceHit[]>("concordance", { query, within }),
  editMemoryUnit: (unit: number, source: string, target: string) => invoke<null>("edit_memory_unit", { unit, source, target }),
  deleteMemoryUnit: (unit: number) => invoke<null>("delete_memory_unit", { unit }),
  memories: () => invoke<Memory[]>("memories"),
  importMemory: (path: string, document: DocumentId | null, onprogress: (p: Progress) => void) =>
    invoke<Memory>("import_memory", { path, document, onProgress: progressChannel(onprogress) }),
  exportMemory: (memory: MemoryId, path: string) => invoke<number>("export_memory", { memory, path }),
  removeMemory: (memory: MemoryId) => invoke<Memory[]>("remove_memory", { memory }),
  setMemoryPriority: (memory: MemoryId, priority: number) => invoke<Memory[]>("set_memory_priority", { memory, priority }),
  pretranslate: (document: DocumentId, threshold: number, onprogress: (p: Progress) => void) =>
    invoke<Pretranslated>("pretranslate", { document, threshold, onProgress: progressChannel(onprogress) }),
  cancelWork: () => invoke<null>("cancel_work"),
  overview: () => invoke<Overview>("overview"),
  analyse: (document: DocumentId | null, onprogress: (p: Progress) => void) =>
    invoke<Analysis | null>("analyse", { document, onProgress: progressChannel(onprogress) }),
  writeReport: (path: string, format: ReportFormat, analysis: Analysis | null) =>
    invoke<null>("write_report", { path, format, analysis }),
  importGlossary: (path: string, document: DocumentId) => invoke<[number, number]>("import_glossary", { path, document }),
  exportGlossary: (document: DocumentId, path: string) => invoke<number>("export_glossary", { document, path }),
  glossary: (document: DocumentId) => invoke<Term[]>("glossary", { document }),
  termHits: (segment: SegmentId) => invoke<TermHit[]>("term_hits", { segment }),
  spelling: (document: DocumentId, text: string, source: string) => invoke<SpellingView>("spelling", { document, text, source }),
  spellingSuggestions: (document: DocumentId, word: string) => invoke<string[]>("spelling_suggestions", { document, word }),
  addProjectWord: (document: DocumentId, word: string) => invoke<boolean>("add_project_word", { document, word }),
  shortcuts: () => invoke<Record<string, string>>("shortcuts"),
  undoStructure: (segment: SegmentId) => invoke<SegmentRow[]>("undo_structure", { segment }),
  undoPretranslation: (first: RevisionId, last: RevisionId) => invoke<UndoOutcome>("undo_pretranslation", { first, last }),
  undoReview: (segment: SegmentId, revision: RevisionId) => invoke<SegmentRow>("undo_review", { segment, revision }),
  setShortcuts: (changed: Record<string, string>) => invoke<Record<string, string>>("set_shortcuts", { changed }),
  find: (query: FindQuery, limit: number) => invoke<FindResult>("find", { query, limit }),
  replacePreview: (query: FindQuery, replacement: string) => invoke<ReplacePreview[]>("replace_preview", { query, replacement }),
  replaceAll: (query: FindQuery, replacement: string) => invoke<ReplaceOutcome>("replace_all", { query, replacement }),
  undoChange: (change: string) => invoke<UndoOutcome>("undo_change", { change }),
  qaReport: (document: DocumentId, stage: QaStage) => invoke<QaReport>("qa_report", { document, stage }),
  acceptWarning: (segment: SegmentId, check: QaCheck, detail: string, reason: string, stage: QaStage) =>
    invoke<QaReport>("accept_warning", { segment, check, detail, reason, stage }),
  teamJoin: (remote: string, path: string) => invoke<Joined>("team_join", { remote, path }),
  teamShare: (remote: string) => invoke<TeamStatus>("team_share", { remote }),
  teamSync: () => invoke<SyncReport>("team_sync"),
  teamToken: (remote: string, token: string) => invoke<string>("team_token", { remote, token }),
  teamStatus: () => invoke<TeamStatus | null>("team_status"),
  teamConflicts: () => invoke<ConflictView[]>("team_conflicts"),
  teamResolve: (segment: SegmentId, keep: Keep) => invoke<ConflictSide>("team_resolve", { segment, keep }),
  startupProject: () => invoke<ProjectInfo | null>("startup_project"),
  firstRows: (segments: number) => invoke<null>("first_rows", { segments }),
  recentProjects: () => invoke<RecentProject[]>("recent_projects"),
  openProject: (path: string) => invoke<ProjectInfo>("open_project", { path }),
  createProject: (path: string) => invoke<ProjectInfo>("create_project", { path }),
  openSample: () => invoke<ProjectInfo>("open_sample"),
  closeProject: () => invoke<null>("close_project"),
  listDocuments: () => invoke<DocumentSummary[]>("list_documents"),
  importDocument: (path: string, sourceLang: string, targetLang: string, title: string | null) =>
    invoke<DocumentSummary>("import_document", { path, sourceLang, targetLang, title }),
  documentSegments: (document: DocumentId) => invoke<SegmentRow[]>("document_segments", { document }),
  documentSegmentsHead: (document: DocumentId, limit: number) => invoke<SegmentRow[]>("document_segments_head", { document, limit }),
  saveTranslation: (edit: TranslationEdit) => invoke<Revision>("save_translation", { edit }),
  setAuthor: (name: string) => invoke<ProjectInfo>("set_author", { name }),
  reviewSegment: (segment: SegmentId, decision: Decision, comment: string | null, category: ErrorCategory | null = null) =>
    invoke<SegmentRow>("review_segment", { segment, decision, comment, category }),
  setPublication: (document: DocumentId, publication: Publication) =>
    invoke<DocumentSummary>("set_publication", { document, publication }),
  qaProfile: () => invoke<QaProfile>("qa_profile"),
  setQaProfile: (profile: QaProfile) => invoke<QaProfile>("set_qa_profile", { profile }),
  rejectionCounts: (document: DocumentId) => invoke<CategoryCount[]>("rejection_counts", { document }),
  bulkReview: (segments: SegmentId[], decision: Decision) => invoke<BulkOutcome>("bulk_review", { segments, decision }),
  segmentComments: (segment: SegmentId) => invoke<Comment[]>("segment_comments", { segment }),
  addComment: (segment: SegmentId, text: string) => invoke<Comment[]>("add_comment", { segment, text }),
  segmentHistory: (segment: SegmentId) => invoke<HistoryEntry[]>("segment_history", { segment }),
  restoreRevision: (segment: SegmentId, revision: RevisionId) => invoke<SegmentRow>("restore_revision", { segment, revision }),
  listVersions: (document: DocumentId) => invoke<Version[]>("list_versions", { document }),
  createVersion: (document: DocumentId, name: string) => invoke<Version[]>("create_version", { document, name }),
  diffDocument: (document: DocumentId, from: VersionId | null, to: VersionId | null, byCharacter = false) =>
    invoke<DocumentDiff>("diff_document", { document, from, to, byCharacter }),
  exportChangeReport: (document: DocumentId, from: VersionId | null, to: VersionId | null, path: string) =>
    invoke<null>("export_change_report", { document, from, to, path }),
  importWithTranslation: (path: string, translation: string, sourceLang: string, targetLang: string, title: string | null) =>
    invoke<DocumentSummary>("import_with_translation", { path, translation, sourceLang, targetLang, title }),
  confirmAlignment: (document: DocumentId) => invoke<number>("confirm_alignment", { document }),
  shiftTranslation: (segment: SegmentId, down: boolean) => invoke<SegmentRow[]>("shift_translation", { segment, down }),
  splitSegment: (segment: SegmentId, at: number) => invoke<SegmentRow[]>("split_segment", { segment, at }),
  joinSegments: (segment: SegmentId) => invoke<SegmentRow[]>("join_segments", { segment }),
  createSummary: (title: string, lang: string, sources: DocumentId[]) =>
    invoke<DocumentSummary>("create_summary", { title, lang, sources }),
  summaryView: (summary: DocumentId) => invoke<SummaryView>("summary_view", { summary }),
  addSummaryText: (summary: DocumentId, section: number, text: string, kind: SentenceKind) =>
    invoke<SummaryView>("add_summary_text", { summary, section, text, kind }),
  removeSummarySentence: (sentence: SegmentId) => invoke<SummaryView>("remove_summary_sentence", { sentence }),
  moveSummarySentence: (sentence: SegmentId, section: number) => invoke<SummaryView>("move_summary_sentence", { sentence, section }),
  restoreSummarySentence: (summary: DocumentId, sentence: SegmentId) =>
    invoke<SummaryView>("restore_summary_sentence", { summary, sentence }),
  setSentenceKind: (sentence: SegmentId, kind: SentenceKind) => invoke<SummaryView>("set_sentence_kind", { sentence, kind }),
  decideLink: (sentence: SegmentId, source: SegmentId, decision: LinkDecision) =>
    invoke<SummaryView>("decide_link", { sentence, source, decision }),
  approveSummary: (summary: DocumentId, overrideReason: string | null) =>
    invoke<SummaryView>("approve_summary", { summary, overrideReason }),
  previewSummary: (summary: DocumentId, format: SummaryFormat, draft: boolean) =>
    invoke<string>("preview_summary", { summary, format, draft }),
  previewDocument: (document: DocumentId, format: DocumentExport) => invoke<ExportPreview>("preview_document", { document, format }),
  exportDocument: (document: DocumentId, format: DocumentExport, path: string) =>
    invoke<ExportPreview>("export_document", { document, format, path }),
  importXliff: (path: string, title: string | null, targetLang: string | null) =>
    invoke<DocumentSummary>("import_xliff", { path, title, targetLang }),
  updateFromXliff: (document: DocumentId, path: string) => invoke<number>("update_from_xliff", { document, path }),
  exportSummary: (summary: DocumentId, format: SummaryFormat, path: string, draft: boolean) =>
    invoke<null>("export_summary", { summary, format, path, draft }),
};

/** Whether a rejected command carried the core's structured error. */
export function isErrorReply(error: unknown): error is ErrorReply {
  return typeof error === "object" && error !== null && "kind" in error && "message" in error;
}

/** A sentence to show the user for any failure. */
export function messageOf(error: unknown): string {
  if (isErrorReply(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
