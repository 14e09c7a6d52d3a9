import type { LinkReason } from "./bindings";

const WORDS: Record<LinkReason, string> = {
  decision: "linked by you",
  "shared-words": "shared words",
  name: "names",
  figure: "figures",
  date: "dates",
  "glossary-term": "glossary term",
  "memory-pair": "memory word pair",
  translation: "through the translation",
  "machine-translation": "via machine translation",
};

/** How a link was found, in words, for the label beside its passage. */
export function reasonsText(reasons: LinkReason[]): string {
  return reasons.map((reason) => WORDS[reason]).join(" · ");
}
