import { describe, expect, it } from "vitest";
import { matching, type Command } from "./CommandPalette.svelte";

const command = (id: string, label: string, keys?: string): Command => ({ id, label, keys, run: () => {} });
const commands = [
  command("manage-memories", "Memories and glossary…"),
  command("create-version", "Create version…"),
  command("split", "Split the segment at the caret", "Ctrl+Shift+S"),
];

describe("matching", () => {
  it("keeps every command for an empty query", () => {
    expect(matching(commands, "  ").map((c) => c.id)).toEqual(["manage-memories", "create-version", "split"]);
  });
  it("needs every word, in any order and case", () => {
    expect(matching(commands, "GLOSSARY mem").map((c) => c.id)).toEqual(["manage-memories"]);
    expect(matching(commands, "version memories")).toEqual([]);
  });
  it("finds a command by its keys", () => {
    expect(matching(commands, "ctrl+shift+s").map((c) => c.id)).toEqual(["split"]);
  });
});
