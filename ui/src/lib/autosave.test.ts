import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Autosaver } from "./autosave";
import type { Revision, TranslationEdit } from "./bindings";

/** A stand-in for the store with the same rule: a save must name the head. */
function fakeStore() {
  const revisions: Revision[] = [];
  const save = vi.fn(async (edit: TranslationEdit): Promise<Revision> => {
    const head = [...revisions].reverse().find((r) => r.segment === edit.segment)?.id ?? null;
    if (head !== edit.base) throw { kind: "conflict", message: "conflict", conflict: { revision: head, text: null } };
    const revision: Revision = {
      id: revisions.length + 1,
      segment: edit.segment,
      parent: head,
      text: edit.text,
      status: edit.status,
      author: "test",
      created_at: "now",
      origin: null,
    };
    revisions.push(revision);
    return revision;
  });
  return { revisions, save };
}

describe("Autosaver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("debounces typing into one draft revision", async () => {
    const store = fakeStore();
    const saver = new Autosaver(store.save, { saved: () => {}, failed: () => {} }, 500);
    saver.track(7, null, null, "new");
    saver.edit(7, "H");
    saver.edit(7, "Ho");
    saver.edit(7, "Hola");
    await vi.advanceTimersByTimeAsync(499);
    expect(store.save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await saver.flushAll();
    expect(store.revisions.map((r) => [r.text, r.status])).toEqual([["Hola", "draft"]]);
  });

  it("chains saves so each builds on the previous revision", async () => {
    const store = fakeStore();
    const failed = vi.fn();
    const saver = new Autosaver(store.save, { saved: () => {}, failed }, 500);
    saver.track(1, null, null, "new");
    saver.edit(1, "Uno");
    const first = saver.flush(1);
    const second = saver.commit(1, "Uno.", "translated");
    await Promise.all([first, second]);
    expect(failed).not.toHaveBeenCalled();
    expect(store.revisions.map((r) => [r.text, r.status, r.parent])).toEqual([
      ["Uno", "draft", null],
      ["Uno.", "translated", 1],
    ]);
  });

  it("flushAll writes text still waiting for its debounce", async () => {
    const store = fakeStore();
    const saver = new Autosaver(store.save, { saved: () => {}, failed: () => {} }, 10_000);
    saver.track(3, null, null, "new");
    saver.edit(3, "pending text");
    expect(saver.hasPending()).toBe(true);
    await saver.flushAll();
    expect(store.revisions.map((r) => r.text)).toEqual(["pending text"]);
    expect(saver.hasPending()).toBe(false);
  });

  it("reports a conflict with the unsaved text instead of dropping it", async () => {
    const store = fakeStore();
    const failed = vi.fn();
    const saver = new Autosaver(store.save, { saved: () => {}, failed }, 500);
    saver.track(2, null, null, "new");
    await store.save({ segment: 2, text: "other window", status: "draft", base: null, origin: null });
    await saver.commit(2, "mine", "translated");
    expect(failed).toHaveBeenCalledWith(2, expect.objectContaining({ kind: "conflict" }), "mine");
    saver.rebase(2, 1);
    await saver.commit(2, "mine", "translated");
    expect(store.revisions.map((r) => r.text)).toEqual(["other window", "mine"]);
  });

  it("skips a save when nothing changed", async () => {
    const store = fakeStore();
    const saver = new Autosaver(store.save, { saved: () => {}, failed: () => {} }, 500);
    saver.track(4, 9, "Igual", "translated");
    await saver.commit(4, "Igual", "translated");
    expect(store.save).not.toHaveBeenCalled();
  });
});
