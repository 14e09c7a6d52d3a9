import { describe, expect, it, vi } from "vitest";

vi.mock("./api", () => ({ api: { shortcuts: async () => ({}) } }));

import { DEFAULTS, changed, clash, comboOf, commandFor, keysOf, replaceChanged, shown } from "./shortcuts.svelte";

const press = (key: string, mods: Partial<KeyboardEventInit> = {}) => new KeyboardEvent("keydown", { key, ...mods });

describe("shortcuts", () => {
  it("reads a key press as the text a shortcut is stored as", () => {
    expect(comboOf(press("k", { ctrlKey: true }))).toBe("Ctrl+K");
    expect(comboOf(press("F", { ctrlKey: true, shiftKey: true }))).toBe("Ctrl+Shift+F");
    expect(comboOf(press("ArrowDown", { ctrlKey: true }))).toBe("Ctrl+ArrowDown");
    expect(comboOf(press("Control", { ctrlKey: true }))).toBeNull();
    expect(shown("Ctrl+ArrowUp")).toBe("Ctrl+↑");
  });

  it("finds a command by its current keys and refuses a clash by name", () => {
    replaceChanged({});
    expect(commandFor(press("k", { ctrlKey: true }))).toBe("open-concordance");
    replaceChanged({ "open-concordance": "Ctrl+Shift+Y" });
    expect(keysOf("open-concordance")).toBe("Ctrl+Shift+Y");
    expect(commandFor(press("k", { ctrlKey: true }))).toBeUndefined();
    expect(commandFor(press("Y", { ctrlKey: true, shiftKey: true }))).toBe("open-concordance");
    expect(clash("open-concordance", "Ctrl+F")?.id).toBe("find");
    expect(clash("find", "Ctrl+F")).toBeUndefined();
    expect(Object.keys(changed)).toEqual(["open-concordance"]);
    const given = DEFAULTS.map((s) => s.keys).filter(Boolean);
    expect(new Set(given).size).toBe(given.length);
    replaceChanged({ "create-version": "Ctrl+Alt+V" });
    expect(commandFor(press("v", { ctrlKey: true, altKey: true }))).toBe("create-version");
    expect(clash("pretranslate", "")).toBeUndefined();
  });
});
