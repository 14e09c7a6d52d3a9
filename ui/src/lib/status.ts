import type { Status } from "./bindings";

/** Each status has a word and a symbol, so colour is never the only signal. */
export const statusLabel: Record<Status, { icon: string; text: string }> = {
  new: { icon: "○", text: "New" },
  draft: { icon: "✎", text: "Draft" },
  translated: { icon: "✓", text: "Translated" },
  reviewed: { icon: "✓✓", text: "Reviewed" },
  approved: { icon: "★", text: "Approved" },
  rejected: { icon: "✗", text: "Rejected" },
};
