// Generated from the Rust core by tests/bindings.rs. Do not edit.

export type DocumentId = number;

export type SegmentId = number;

export type RevisionId = number;

export type PassageKind = "heading" | "paragraph" | "list_item" | "quote";

export type SourceFormat = "text" | "markdown";

export type Status = "new" | "draft" | "translated" | "reviewed" | "approved" | "rejected";

export type DocumentSummary = { id: DocumentId, title: string, source_lang: string, target_lang: string, origin: string, format: SourceFormat, imported_at: string, segments: number, 
/**
 * Segments whose current status is translated, reviewed or approved.
 */
translated: number, };

export type SegmentRow = { id: SegmentId, document_id: DocumentId, passage: number, passage_kind: PassageKind, passage_level: number, position: number, source: string, translation: string | null, status: Status, revision: RevisionId | null, };

export type Revision = { id: RevisionId, segment: SegmentId, parent: RevisionId | null, text: string, status: Status, author: string, created_at: string, };

export type TranslationEdit = { segment: SegmentId, text: string, status: Status, base: RevisionId | null, };

export type RecentProject = { path: string, name: string, 
/**
 * Whether the file is still there; missing ones are shown greyed out.
 */
exists: boolean, };

export type ProjectInfo = { path: string, name: string, author: string, };

export type ErrorKind = "no_project" | "not_found" | "invalid_input" | "conflict" | "storage";

export type ConflictReply = { revision: RevisionId | null, text: string | null, };

export type ErrorReply = { kind: ErrorKind, message: string, conflict: ConflictReply | null, };

