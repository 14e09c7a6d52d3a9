// The editor's keyboard shortcuts: each command's default keys, the keys
// this user chose instead (kept by the core in the settings folder), and
// reading a key press as the same text ("Ctrl+Shift+K") to find its
// command. Numbered shortcuts (Ctrl+1…5, Alt+1…3) stay fixed.
import { api } from "./api";

export interface Shortcut {
  id: string;
  label: string;
  keys: string;
}

export const DEFAULTS: readonly Shortcut[] = [
  { id: "confirm", label: "Confirm the segment and go to the next", keys: "Ctrl+Enter" },
  { id: "next", label: "Go to the next segment", keys: "Ctrl+ArrowDown" },
  { id: "previous", label: "Go to the previous segment", keys: "Ctrl+ArrowUp" },
  { id: "commands", label: "All commands", keys: "Ctrl+Shift+P" },
  { id: "find", label: "Find and replace in this document", keys: "Ctrl+F" },
  { id: "find-project", label: "Find and replace in every document", keys: "Ctrl+Shift+F" },
  { id: "open-concordance", label: "Concordance: search every memory", keys: "Ctrl+K" },
  { id: "add-term", label: "Add the selected words to the glossary", keys: "Ctrl+E" },
  { id: "lock", label: "Lock or unlock the segment", keys: "Ctrl+L" },
  { id: "toggle-qa", label: "Show or hide QA warnings", keys: "Ctrl+Shift+Q" },
  { id: "history", label: "Show or hide the segment's history", keys: "Ctrl+Shift+H" },
  { id: "split", label: "Split the segment at the caret in the source", keys: "Ctrl+Shift+S" },
  { id: "join", label: "Join the segment with the next", keys: "Ctrl+Shift+J" },
  // Commands of the palette without keys of their own until a user gives them some.
  { id: "pretranslate", label: "Pre-translate from memory", keys: "" },
  { id: "mt-pretranslate", label: "Machine-translate the document…", keys: "" },
  { id: "manage-memories", label: "Memories and glossary…", keys: "" },
  { id: "open-mt-settings", label: "Machine translation settings…", keys: "" },
  { id: "qa-final", label: "Run the final QA check", keys: "" },
  { id: "approve-passage", label: "Approve every translated segment of the current passage", keys: "" },
  { id: "compact", label: "Compact or comfortable grid", keys: "" },
  { id: "create-version", label: "Create a version…", keys: "" },
  { id: "review-changes", label: "Review changes", keys: "" },
  { id: "export-document", label: "Export…", keys: "" },
  { id: "publication", label: "Where the source was published…", keys: "" },
  { id: "shortcuts", label: "Keyboard shortcuts…", keys: "" },
];

/** Command id → keys, for the commands whose keys the user changed. */
export const changed = $state<Record<string, string>>({});
let loaded: Promise<void> | null = null;

/** Reads the user's shortcuts once per window. */
export function loadShortcuts(): Promise<void> {
  loaded ??= api.shortcuts().then(
    (found) => replaceChanged(found),
    () => undefined,
  );
  return loaded;
}

export function replaceChanged(next: Record<string, string>): void {
  for (const id of Object.keys(changed)) delete changed[id];
  Object.assign(changed, next);
}

export function keysOf(id: string): string {
  return changed[id] ?? DEFAULTS.find((s) => s.id === id)?.keys ?? "";
}

/** Keys as shown: arrows as arrows. */
export function shown(keys: string): string {
  return keys.replace("ArrowUp", "↑").replace("ArrowDown", "↓").replace("ArrowLeft", "←").replace("ArrowRight", "→");
}

/** A key press as shortcut text, or null for a lone modifier. */
export function comboOf(event: KeyboardEvent): string | null {
  if (["Control", "Shift", "Alt", "Meta"].includes(event.key)) return null;
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const parts = [event.ctrlKey || event.metaKey ? "Ctrl" : "", event.altKey ? "Alt" : "", event.shiftKey ? "Shift" : ""];
  return [...parts.filter(Boolean), key === " " ? "Space" : key].join("+");
}

/** The command a key press runs, if any. */
export function commandFor(event: KeyboardEvent): string | undefined {
  const combo = comboOf(event);
  if (!combo) return undefined;
  return DEFAULTS.find((s) => keysOf(s.id) === combo)?.id;
}

/** The command other than `id` already on `keys`, if any. */
export function clash(id: string, keys: string): Shortcut | undefined {
  return keys ? DEFAULTS.find((s) => s.id !== id && keysOf(s.id) === keys) : undefined;
}
