import type { ErrorCategory, Status } from "./bindings";

/** Each status has a word and a symbol, so colour is never the only signal. */
export const statusLabel: Record<Status, { icon: string; text: string }> = {
  new: { icon: "○", text: "New" },
  draft: { icon: "✎", text: "Draft" },
  translated: { icon: "✓", text: "Translated" },
  reviewed: { icon: "✓✓", text: "Reviewed" },
  approved: { icon: "★", text: "Approved" },
  rejected: { icon: "✗", text: "Rejected" },
};

/** A rejection's error category as reviewers and translators read it. */
export const categoryLabel: Record<ErrorCategory, string> = {
  accuracy: "Accuracy",
  fluency: "Fluency",
  terminology: "Terminology",
  style: "Style",
  locale: "Locale conventions",
  numbers: "Numbers",
};
