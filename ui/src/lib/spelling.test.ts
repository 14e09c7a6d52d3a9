import { describe, expect, it } from "vitest";
import { replaceInBox } from "./spelling";

describe("replaceInBox", () => {
  it("replaces the span in characters, puts the caret after it and tells the box", () => {
    const area = document.createElement("textarea");
    document.body.append(area);
    area.value = "𝐀 El minsitro habló.";
    let typed = "";
    area.addEventListener("input", () => (typed = area.value));
    replaceInBox(area, { start: 5, end: 13 }, "ministro");
    expect(area.value).toBe("𝐀 El ministro habló.");
    expect(typed).toBe(area.value);
    expect(area.selectionStart).toBe("𝐀 El ministro".length);
  });
});
