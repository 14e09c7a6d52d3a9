// Typed calls into the desktop shell. Every type comes from bindings.ts,
// which is generated from the Rust core; only command names live here.
import { invoke } from "@tauri-apps/api/core";
import type {
  DocumentId,
  DocumentSummary,
  ErrorReply,
  ProjectInfo,
  RecentProject,
  Revision,
  SegmentId,
  SegmentRow,
  TranslationEdit,
} from "./bindings";

export const api = {
  startupProject: () => invoke<ProjectInfo | null>("startup_project"),
  recentProjects: () => invoke<RecentProject[]>("recent_projects"),
  openProject: (path: string) => invoke<ProjectInfo>("open_project", { path }),
  createProject: (path: string) => invoke<ProjectInfo>("create_project", { path }),
  openSample: () => invoke<ProjectInfo>("open_sample"),
  closeProject: () => invoke<null>("close_project"),
  listDocuments: () => invoke<DocumentSummary[]>("list_documents"),
  importDocument: (path: string, sourceLang: string, targetLang: string, title: string | null) =>
    invoke<DocumentSummary>("import_document", { path, sourceLang, targetLang, title }),
  documentSegments: (document: DocumentId) => invoke<SegmentRow[]>("document_segments", { document }),
  saveTranslation: (edit: TranslationEdit) => invoke<Revision>("save_translation", { edit }),
  splitSegment: (segment: SegmentId, at: number) => invoke<SegmentRow[]>("split_segment", { segment, at }),
  joinSegments: (segment: SegmentId) => invoke<SegmentRow[]>("join_segments", { segment }),
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
