import { describe, expect, it } from "vitest";
import { fileName, plural, reportable } from "./words";

describe("plural", () => {
  it("agrees with the count", () => {
    expect(plural(1, "word")).toBe("1 word");
    expect(plural(0, "word")).toBe("0 words");
    expect(plural(1500, "segment")).toBe(`${(1500).toLocaleString()} segments`);
    expect(plural(2, "entry", "entries")).toBe("2 entries");
  });
});

describe("fileName", () => {
  it("keeps a title readable and safe as a file name", () => {
    expect(fileName("Statement: March 2025")).toBe("Statement - March 2025");
    expect(fileName("a/b\\c")).toBe("a - b - c");
    expect(fileName("Año 2025 — «Plan»")).toBe("Año 2025 — «Plan»");
    expect(fileName(" :: ")).toBe("Untitled");
  });
});

describe("reportable", () => {
  it("keeps real errors and drops the ResizeObserver note", () => {
    expect(reportable("ResizeObserver loop completed with undelivered notifications.")).toBe(false);
    expect(reportable("ResizeObserver loop limit exceeded")).toBe(false);
    expect(reportable("TypeError: x is undefined")).toBe(true);
    expect(reportable(undefined)).toBe(false);
  });
});
