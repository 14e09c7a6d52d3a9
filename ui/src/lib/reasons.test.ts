import { describe, expect, it } from "vitest";
import { reasonsText } from "./reasons";

describe("reasonsText", () => {
  it("says how a link was found, in the order given", () => {
    expect(reasonsText(["decision", "shared-words", "figure", "translation"])).toBe(
      "linked by you · shared words · figures · through the translation",
    );
    expect(reasonsText(["glossary-term", "memory-pair", "name", "date"])).toBe(
      "glossary term · memory word pair · names · dates",
    );
    expect(reasonsText(["shared-words", "machine-translation"])).toBe("shared words · via machine translation");
    expect(reasonsText([])).toBe("");
  });
});
