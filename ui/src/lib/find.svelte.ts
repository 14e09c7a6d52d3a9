// What the find bar holds, kept while the translator moves between
// documents (the editor is made anew for each): the search, its scope and
// the last replacement, which Ctrl+Z outside a text box takes back.
import type { FindIn, FindQuery, DocumentId, Status } from "./bindings";

export const find = $state({
  open: false,
  /** One document or every translation document. */
  scope: "document" as "document" | "project",
  text: "",
  regex: false,
  wholeWord: false,
  matchCase: false,
  within: "target" as FindIn,
  /** Only segments with this status; null for all. */
  status: null as Status | null,
  replacement: "",
  /** The last replacement, as the core named it, and what it did. */
  lastChange: null as string | null,
  lastChangeLabel: "",
});

export function query(document: DocumentId): FindQuery {
  return {
    options: { text: find.text, regex: find.regex, whole_word: find.wholeWord, match_case: find.matchCase },
    within: find.within,
    document: find.scope === "document" ? document : null,
    status: find.status,
  };
}
