import { describe, expect, it } from "vitest";
import { pieces } from "./highlight";

describe("pieces", () => {
  it("marks character ranges, counting code points rather than UTF-16 units", () => {
    // "𝟑" is one code point but two UTF-16 units; offsets after it must not shift.
    const text = "𝟑 años: 31% en agosto";
    const start = Array.from(text).indexOf("3");
    expect(pieces(text, [{ start, end: start + 3 }])).toEqual([
      { text: "𝟑 años: ", hit: false },
      { text: "31%", hit: true },
      { text: " en agosto", hit: false },
    ]);
  });

  it("merges overlapping spans and ignores spans past the end", () => {
    expect(pieces("abcdef", [{ start: 1, end: 3 }, { start: 2, end: 4 }, { start: 10, end: 12 }])).toEqual([
      { text: "a", hit: false },
      { text: "bcd", hit: true },
      { text: "ef", hit: false },
    ]);
  });

  it("keeps markup as plain text", () => {
    const text = "<b>31%</b>";
    expect(pieces(text, [{ start: 3, end: 6 }]).map((p) => p.text).join("")).toBe(text);
  });
});
