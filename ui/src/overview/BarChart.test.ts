import { describe, expect, it } from "vitest";
import { axisStep } from "./BarChart.svelte";

describe("axisStep", () => {
  it("takes round steps, the same as the report's", () => {
    expect([1, 7, 40, 130, 9000].map(axisStep)).toEqual([1, 2, 10, 50, 5000]);
  });
});
