import { render } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import DiffView from "./DiffView.svelte";

describe("DiffView", () => {
  it("renders spans from the core as text, never as markup", () => {
    const { container } = render(DiffView, {
      props: {
        lang: "es",
        spans: [
          { kind: "equal", text: "Costará " },
          { kind: "delete", text: "<img src=x onerror=alert(1)>" },
          { kind: "insert", text: "<b>1.500</b>" },
          { kind: "equal", text: " millones." },
        ],
      },
    });
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("del")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(container.querySelector("ins")?.textContent).toBe("<b>1.500</b>");
    expect(container.textContent).toBe("Costará <img src=x onerror=alert(1)><b>1.500</b> millones.");
  });

  it("marks changes by element, not only by colour", () => {
    const { container } = render(DiffView, {
      props: { lang: "en", spans: [{ kind: "delete", text: "old" }, { kind: "insert", text: "new" }] },
    });
    expect(container.querySelector("del")?.getAttribute("title")).toBe("deleted");
    expect(container.querySelector("ins")?.getAttribute("title")).toBe("inserted");
  });
});
