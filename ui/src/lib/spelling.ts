// Putting a correction in place of a misspelled word in a text box, as if
// the user had typed it: the box's own input handler saves it. Spans count
// characters (code points), as the core does.
import type { Span } from "./bindings";

export function replaceInBox(area: HTMLTextAreaElement, span: Span, replacement: string): void {
  const chars = Array.from(area.value);
  const before = chars.slice(0, span.start).join("") + replacement;
  area.value = before + chars.slice(span.end).join("");
  area.focus();
  area.setSelectionRange(before.length, before.length);
  area.dispatchEvent(new Event("input", { bubbles: true }));
}
