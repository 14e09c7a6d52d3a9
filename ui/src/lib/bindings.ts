// Generated from the Rust core by tests/bindings.rs. Do not edit.

export type DocumentId = number;

export type SegmentId = number;

export type RevisionId = number;

export type DocumentKind = "translation" | "summary";

export type PassageKind = "heading" | "paragraph" | "list_item" | "quote";

export type SourceFormat = "text" | "markdown" | "xliff" | "html" | "docx";

export type Status = "new" | "draft" | "translated" | "reviewed" | "approved" | "rejected";

export type DocumentSummary = { id: DocumentId, kind: DocumentKind, title: string, source_lang: string, target_lang: string, origin: string, format: SourceFormat, imported_at: string, segments: number, 
/**
 * Segments whose current status is translated, reviewed or approved.
 */
translated: number, approved: number, 
/**
 * Where the source text was published, for articles that cite it.
 */
publication: Publication, };

export type SegmentRow = { id: SegmentId, document_id: DocumentId, passage: number, passage_kind: PassageKind, passage_level: number, position: number, source: string, translation: string | null, status: Status, revision: RevisionId | null, 
/**
 * Comments in the segment's thread.
 */
comments: number, 
/**
 * Where the current translation came from when not typed (`aligned`).
 */
origin: string | null, 
/**
 * For a segment paired by the aligner: how sure it was (0–1).
 */
confidence: number | null, 
/**
 * Locked against new translations until unlocked.
 */
locked: boolean, };

export type Revision = { id: RevisionId, segment: SegmentId, parent: RevisionId | null, text: string, status: Status, author: string, created_at: string, 
/**
 * Where the text came from when not typed: `aligned`, …
 */
origin: string | null, };

export type TranslationEdit = { segment: SegmentId, text: string, status: Status, base: RevisionId | null, 
/**
 * Where the text came from when not typed: `tm:<percent>` for an
 * inserted memory match, `mt:<provider>` for machine translation.
 */
origin: string | null, };

export type RecentProject = { path: string, name: string, 
/**
 * Whether the file is still there; missing ones are shown greyed out.
 */
exists: boolean, };

export type ProjectInfo = { path: string, name: string, author: string, };

export type ErrorKind = "no_project" | "not_found" | "in_use" | "invalid_input" | "conflict" | "storage" | "blocked" | "service";

export type ConflictReply = { revision: RevisionId | null, text: string | null, 
/**
 * From the stored text to the refused one.
 */
diff: TextDiff | null, };

export type ErrorReply = { kind: ErrorKind, message: string, conflict: ConflictReply | null, };

export type Decision = "reviewed" | "approved" | "rejected";

export type ErrorCategory = "accuracy" | "fluency" | "terminology" | "style" | "locale" | "numbers";

export type Band = "repetition" | "in_context" | "exact" | "from95" | "from85" | "from75" | "from50" | "no_match";

export type BandCount = { band: Band, segments: number, words: number, characters: number, };

export type Analysis = { 
/**
 * What was analysed: a document's title, or the project's name.
 */
scope: string, documents: number, 
/**
 * Every band, in [`Band::ALL`] order.
 */
bands: Array<BandCount>, segments: number, words: number, characters: number, };

export type StatusCount = { status: Status, count: number, };

export type DocumentProgress = { document: DocumentId, title: string, segments: number, statuses: Array<StatusCount>, conflicts: number, };

export type DayActivity = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, reviewed: number, approved: number, rejected: number, };

export type PersonDay = { author: string, date: string, translated_words: number, reviewed_words: number, };

export type CheckCount = { check: QaCheck, count: number, };

export type SummaryProgress = { summary: DocumentId, title: string, claims: number, supported: number, passages: number, cited: number, open_flags: number, approved: boolean, };

export type Overview = { project: string, documents: Array<DocumentProgress>, activity: Array<DayActivity>, people: Array<PersonDay>, 
/**
 * Open QA warnings of every translation while translating, by check.
 */
qa: Array<CheckCount>, 
/**
 * Rejections in every translation, by error category.
 */
rejections: Array<CategoryCount>, summaries: Array<SummaryProgress>, };

export type ReportFormat = "html" | "csv";

export type SearchIn = "both" | "source" | "target";

export type QaWhen = "always" | "final" | "never";

export type QaCheckSetting = { check: QaCheck, when: QaWhen, };

export type QaProfile = { 
/**
 * One setting per check, in [`QaCheck::ALL`] order.
 */
checks: Array<QaCheckSetting>, };

export type Publication = { outlet: string, url: string, date: string, };

export type CategoryCount = { category: ErrorCategory, count: number, };

export type BulkOutcome = { changed: number, skipped: number, };

export type Comment = { id: number, segment: SegmentId, revision: RevisionId | null, author: string, text: string, 
/**
 * For a rejection, the kind of error the reviewer named.
 */
category: ErrorCategory | null, created_at: string, };

export type VersionId = number;

export type Version = { id: VersionId, document: DocumentId, name: string, author: string, created_at: string, segments: number, };

export type Granularity = "word" | "character";

export type SpanKind = "equal" | "insert" | "delete";

export type DiffSpan = { kind: SpanKind, text: string, };

export type TextDiff = { spans: Array<DiffSpan>, words_inserted: number, words_deleted: number, 
/**
 * Token-level edit distance as a share of the longer text (0–100):
 * how much a reviewer changed.
 */
edit_percent: number, };

export type SegmentChange = { segment: SegmentId, position: number, source: string, old_text: string | null, new_text: string | null, old_status: Status, new_status: Status, diff: TextDiff, is_changed: boolean, };

export type DiffStats = { segments: number, segments_changed: number, words_inserted: number, words_deleted: number, 
/**
 * Mean edit percentage over the changed segments.
 */
mean_edit_percent: number, };

export type DocumentDiff = { from: string, to: string, granularity: Granularity, segments: Array<SegmentChange>, stats: DiffStats, };

export type HistoryEntry = { revision: Revision, diff: TextDiff, };

export type FlagKind = "unsupported" | "number-not-in-source" | "number-mismatch" | "entity-not-in-source" | "negation-mismatch" | "model-not-supported";

export type Flag = { kind: FlagKind, 
/**
 * What to tell the writer, e.g. "31% here, 13% in the source".
 */
detail: string, };

export type SentenceKind = "claim" | "commentary";

export type LinkDecision = "confirmed" | "rejected" | "cleared";

export type LinkOrigin = "found" | "confirmed";

export type LinkReason = "decision" | "shared-words" | "name" | "figure" | "date" | "glossary-term" | "memory-pair" | "translation" | "machine-translation";

export type Span = { start: number, end: number, };

export type Misspelling = { word: string, span: Span, };

export type SpellingView = { misspellings: Array<Misspelling>, dictionary: string | null, };

export type FindIn = "source" | "target" | "both";

export type FindOptions = { text: string, 
/**
 * `text` is a regular expression (Unicode-aware; `$1` in a
 * replacement is its first group).
 */
regex: boolean, whole_word: boolean, match_case: boolean, };

export type FindQuery = { options: FindOptions, within: FindIn, 
/**
 * One document, or every translation document of the project.
 */
document: DocumentId | null, 
/**
 * Only segments with this status.
 */
status: Status | null, };

export type FindHit = { document: DocumentId, document_title: string, segment: SegmentId, position: number, source: string, target: string, source_spans: Array<Span>, target_spans: Array<Span>, };

export type FindResult = { hits: Array<FindHit>, 
/**
 * False when the search stopped at its limit with more to find.
 */
complete: boolean, };

export type ReplacePreview = { document: DocumentId, segment: SegmentId, position: number, revision: RevisionId, before: string, after: string, diff: TextDiff, locked: boolean, };

export type ReplaceOutcome = { change: string, changed: number, locked: number, };

export type UndoOutcome = { restored: number, 
/**
 * Segments changed again since, left as they are.
 */
left: number, };

export type LinkView = { document: DocumentId, segment: SegmentId, support: number, 
/**
 * Matched words in the sentence.
 */
sentence_spans: Array<Span>, 
/**
 * Matched words in the passage, or in its translation when `in_translation`.
 */
passage_spans: Array<Span>, in_translation: boolean, origin: LinkOrigin, 
/**
 * Confirmed for a sentence that has changed substantially since.
 */
stale: boolean, 
/**
 * How the link was found (a person's decision first).
 */
reasons: Array<LinkReason>, 
/**
 * The machine translation the `passage_spans` are in, when the link
 * went through one (the passage has no translation to show them in).
 */
machine_translation: string | null, };

export type SentenceView = { id: SegmentId, revision: RevisionId | null, text: string, status: Status, kind: SentenceKind, support: number, links: Array<LinkView>, flags: Array<Flag>, 
/**
 * Source passages a person rejected for this sentence.
 */
rejected: Array<SegmentId>, 
/**
 * Whether its flags keep the summary from being approved.
 */
blocking: boolean, 
/**
 * The claim check's verdict on it with its current evidence, if asked.
 */
verdict: ModelVerdict | null, };

export type SectionView = { position: number, title: string, sentences: Array<SentenceView>, };

export type Coverage = { claims: number, 
/**
 * Claims not flagged `unsupported`.
 */
supported: number, passages: number, 
/**
 * Source passages at least one sentence links to.
 */
cited: number, };

export type SourceDocument = { id: DocumentId, title: string, };

export type Reference = { title: string, url: string | null, };

export type Approval = { author: string, created_at: string, 
/**
 * Claim sentences still flagged when it was approved.
 */
open_flags: number, override_reason: string | null, };

export type SummaryView = { id: DocumentId, title: string, lang: string, sources: Array<SourceDocument>, references: Array<Reference>, sections: Array<SectionView>, coverage: Coverage, 
/**
 * Claim sentences with unresolved flags.
 */
blocking: number, 
/**
 * Every sentence approved.
 */
approved: boolean, approval: Approval | null, 
/**
 * The machine-translation profile untranslated passages are linked
 * through, when the user switched that on.
 */
link_mt: string | null, 
/**
 * Which links an exported article cites, in words.
 */
citation_rule: string, 
/**
 * The profile whose model checks claims, when switched on.
 */
judge: string | null, };

export type ModelVerdict = { model: string, supported: boolean, };

export type JudgeReport = { view: SummaryView, judged: number, errors: Array<string>, };

export type ImportPreview = { lang: string | null, title: string, };

export type SummaryFormat = "markdown" | "html" | "docx" | "json";

export type DocumentExport = "text" | "markdown" | "html" | "docx" | "review_html" | "review_docx" | "xliff2" | "xliff12" | "tmx";

export type ExportPreview = { 
/**
 * The file's text, or for Word files the Markdown they are built from.
 */
text: string, untranslated: number, units: number, };

export type Progress = { done: number, total: number, };

export type MemoryId = number;

export type Memory = { id: MemoryId, name: string, priority: number, read_only: boolean, units: number, };

export type TmMatch = { unit: number, memory: MemoryId, memory_name: string, 
/**
 * 0–100, see [`score`].
 */
percent: number, 
/**
 * A 100% match whose neighbouring source sentences are the same too.
 */
in_context: boolean, source: string, target: string, author: string, created_at: string, 
/**
 * From the stored source to the sentence being translated: what the
 * translator must change in the stored target.
 */
source_diff: TextDiff, };

export type ConcordanceHit = { unit: number, memory_name: string, source_lang: string, target_lang: string, source: string, target: string, source_spans: Array<Span>, target_spans: Array<Span>, };

export type Pretranslated = { 
/**
 * Segments that had no translation and were looked up.
 */
examined: number, 
/**
 * Of those, filled with a match as a draft.
 */
filled: number, 
/**
 * Filled with a 100% match.
 */
exact: number, 
/**
 * Stopped by the user: nothing was written.
 */
cancelled: boolean, 
/**
 * The drafts written, first and last, for undoing them together.
 */
first_revision: RevisionId | null, last_revision: RevisionId | null, };

export type Term = { id: number, source_lang: string, target_lang: string, source: string, target: string, note: string | null, 
/**
 * A variant not to use for `source`.
 */
forbidden: boolean, };

export type TermHit = { span: Span, source: string, targets: Array<string>, forbidden: Array<string>, note: string | null, };

export type QaCheck = "numbers" | "untranslated" | "whitespace" | "double_space" | "end_punctuation" | "placeholders" | "term_not_used" | "forbidden_term" | "inconsistent" | "spelling";

export type Acceptance = { author: string, reason: string, created_at: string, };

export type QaIssue = { segment: SegmentId, position: number, check: QaCheck, detail: string, message: string, accepted: Acceptance | null, };

export type QaReport = { document_title: string, source_lang: string, target_lang: string, segments: number, issues: Array<QaIssue>, };

export type QaStage = "working" | "final";

export type ProviderKind = "deepl" | "google" | "libretranslate" | "openai";

export type Profile = { name: string, kind: ProviderKind, url: string, 
/**
 * The model, for OpenAI-compatible endpoints.
 */
model: string | null, 
/**
 * DeepL's `formality` (`more`, `less`, `prefer_more`, `prefer_less`).
 */
formality: string | null, 
/**
 * The system prompt for OpenAI-compatible endpoints, with
 * `{source_lang}`, `{target_lang}`, `{glossary}`, `{before}` and
 * `{after}` filled in.
 */
prompt: string | null, enabled: boolean, timeout_secs: number, };

export type KeySource = "keyring" | "environment" | "none";

export type ProfileView = { profile: Profile, key: KeySource, 
/**
 * The environment variable that can hold the key.
 */
key_variable: string, 
/**
 * Where a key stored from here is kept, in words.
 */
key_store: string, };

export type MtSuggestion = { profile: string, provider: ProviderKind, url: string, text: string | null, error: string | null, };

export type TeamStatus = { remote: string, writer: string, 
/**
 * Commits made here the remote has not received yet.
 */
unpushed: boolean, conflicts: number, };

export type SyncReport = { 
/**
 * Titles of documents another clone shared.
 */
new_documents: Array<string>, 
/**
 * Revisions taken in: (document, segment position, author).
 */
revisions: Array<[string, number, string]>, comments: number, 
/**
 * Summary sentences others added, took out or brought back.
 */
sentences: number, 
/**
 * Others' decisions on summary links.
 */
link_decisions: number, 
/**
 * Summaries others approved: (summary, approver).
 */
approvals: Array<[string, string]>, 
/**
 * Versions others named: (document, version).
 */
versions: Array<[string, string]>, terms: number, 
/**
 * Words others added to the project dictionary.
 */
words: number, accepted_warnings: number, 
/**
 * Changes others made to where a source was published.
 */
publications: number, 
/**
 * Reference memories others shared (their names).
 */
memories: Array<string>, 
/**
 * Shared reference memories others removed.
 */
memories_removed: number, 
/**
 * Segments in conflict after the sync (this clone's work reached the
 * remote: a sync that cannot push is an error).
 */
conflicts: number, };

export type Joined = { project: ProjectInfo, report: SyncReport, };

export type ConflictSide = { revision: RevisionId, text: string, status: Status, author: string, at: string, 
/**
 * Made in this clone.
 */
mine: boolean, };

export type ConflictView = { segment: SegmentId, document: string, position: number, source: string, sides: Array<ConflictSide>, 
/**
 * From the oldest side's text to the newest's, word by word.
 */
diff: TextDiff | null, };

export type Keep = "mine" | "theirs" | { "text": string };

export type Estimate = { profile: string, provider: ProviderKind, 
/**
 * Where the text goes.
 */
url: string, segments: number, characters: number, requests: number, };

