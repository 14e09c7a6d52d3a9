import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import ShareDialog from "./ShareDialog.svelte";

afterEach(() => clearMocks());

describe("ShareDialog", () => {
  it("asks for a token only for an http(s) remote and saves it in the keyring before sharing", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "team_token") return "git.example.org";
      if (cmd === "team_share") return { remote: "https://git.example.org/news.git", unpushed: false, conflicts: 0 };
    });
    let shared = false;
    render(ShareDialog, { props: { oncancel: () => {}, ondone: () => (shared = true) } });
    const remote = screen.getByTestId("team-remote");
    await fireEvent.input(remote, { target: { value: "/srv/team/news.git" } });
    expect(screen.queryByTestId("team-token")).toBeNull();
    await fireEvent.input(remote, { target: { value: "https://git.example.org/news.git" } });
    await fireEvent.input(screen.getByTestId("team-token"), { target: { value: "t0ken" } });
    await fireEvent.submit(remote.closest("form")!);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.map(([cmd]) => cmd)).toEqual(["team_token", "team_share"]);
    expect(calls[0][1]).toMatchObject({ remote: "https://git.example.org/news.git", token: "t0ken" });
    expect(calls[1][1]).toMatchObject({ remote: "https://git.example.org/news.git" });
    expect(shared).toBe(true);
  });
});
