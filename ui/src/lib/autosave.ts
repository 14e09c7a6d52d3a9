// Saves translations while the translator types, without ever losing text:
// edits are debounced per segment, saves of one segment run one after the
// other (each naming the revision it builds on), and flushAll() writes
// everything pending before the window closes or the document changes.
import type { Revision, RevisionId, SegmentId, Status, TranslationEdit } from "./bindings";

export type SaveFn = (edit: TranslationEdit) => Promise<Revision>;

export interface AutosaveEvents {
  saved(revision: Revision): void;
  failed(segment: SegmentId, error: unknown, text: string): void;
}

interface Pending {
  text: string;
  status: Status;
  timer: ReturnType<typeof setTimeout> | null;
  /** Where the text came from when not typed (`tm:85`). */
  origin?: string | null;
}

export class Autosaver {
  private readonly pending = new Map<SegmentId, Pending>();
  private readonly base = new Map<SegmentId, RevisionId | null>();
  private readonly saved = new Map<SegmentId, { text: string; status: Status }>();
  private readonly queues = new Map<SegmentId, Promise<void>>();

  constructor(
    private readonly save: SaveFn,
    private readonly events: AutosaveEvents,
    private readonly delayMs = 600,
  ) {}

  /** Records what is stored for a segment, so the next save builds on it. */
  track(segment: SegmentId, revision: RevisionId | null, text: string | null, status: Status): void {
    if (this.pending.has(segment) || this.queues.has(segment)) return;
    this.base.set(segment, revision);
    this.saved.set(segment, { text: text ?? "", status });
  }

  /** After the rows were rebuilt elsewhere (split, join): forget what was
   * known and start from the stored state. Call after flushAll(). */
  resync(rows: { id: SegmentId; revision: RevisionId | null; translation: string | null; status: Status }[]): void {
    this.base.clear();
    this.saved.clear();
    for (const row of rows) {
      this.base.set(row.id, row.revision);
      this.saved.set(row.id, { text: row.translation ?? "", status: row.status });
    }
  }

  /** The translator typed: save as a draft once they pause. */
  edit(segment: SegmentId, text: string): void {
    const existing = this.pending.get(segment);
    if (existing?.timer) clearTimeout(existing.timer);
    const entry: Pending = { text, status: "draft", timer: null };
    entry.timer = setTimeout(() => void this.flush(segment), this.delayMs);
    this.pending.set(segment, entry);
  }

  /** Saves now with the given status (Ctrl+Enter, an inserted match),
   * after earlier saves, noting where the text came from. */
  commit(segment: SegmentId, text: string, status: Status, origin: string | null = null): Promise<void> {
    const existing = this.pending.get(segment);
    if (existing?.timer) clearTimeout(existing.timer);
    this.pending.set(segment, { text, status, timer: null, origin });
    return this.flush(segment);
  }

  /** After a conflict the user chose to keep their text over revision `theirs`. */
  rebase(segment: SegmentId, theirs: RevisionId | null): void {
    this.base.set(segment, theirs);
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  flush(segment: SegmentId): Promise<void> {
    const entry = this.pending.get(segment);
    if (!entry) return this.queues.get(segment) ?? Promise.resolve();
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(segment);
    const previous = this.queues.get(segment) ?? Promise.resolve();
    const next = previous.then(() => this.write(segment, entry.text, entry.status, entry.origin ?? null));
    this.queues.set(segment, next);
    void next.finally(() => {
      if (this.queues.get(segment) === next) this.queues.delete(segment);
    });
    return next;
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((segment) => this.flush(segment)));
    await Promise.all([...this.queues.values()]);
  }

  private async write(segment: SegmentId, text: string, status: Status, origin: string | null): Promise<void> {
    const last = this.saved.get(segment);
    if (last && last.text === text && last.status === status) return;
    try {
      const revision = await this.save({ segment, text, status, base: this.base.get(segment) ?? null, origin });
      this.base.set(segment, revision.id);
      this.saved.set(segment, { text, status });
      this.events.saved(revision);
    } catch (error) {
      this.events.failed(segment, error, text);
    }
  }
}
