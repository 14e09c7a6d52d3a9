// Cuts a text into plain and matched pieces for highlighting evidence. The
// core counts offsets in characters (code points); JavaScript strings count
// UTF-16 units, so the text is split into code points first. The pieces are
// rendered as text nodes, never as HTML.
import type { Span } from "./bindings";

export interface Piece {
  text: string;
  hit: boolean;
}

export function pieces(text: string, spans: readonly Span[]): Piece[] {
  const chars = Array.from(text);
  const marked = new Array<boolean>(chars.length).fill(false);
  for (const span of spans) {
    for (let i = Math.max(0, span.start); i < Math.min(chars.length, span.end); i++) marked[i] = true;
  }
  const out: Piece[] = [];
  for (let i = 0; i < chars.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === marked[i]) last.text += chars[i];
    else out.push({ text: chars[i], hit: marked[i] });
  }
  return out;
}
