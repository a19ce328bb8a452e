import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { devMailBanner, devMailboxSender } from "../src/email.ts";
import { short } from "./helpers.ts";
import { mailTo } from "./mail-helpers.ts";

afterEach(() => vi.restoreAllMocks());

describe("local mail without SMTP", () => {
  it("is kept in the dev mailbox and printed to the console under a 'not sent' banner", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const to = `dev-${short()}@waddlebot.test`;
    await devMailboxSender(env.DB).send({ to, subject: "Hello", text: "Open http://127.0.0.1:8787/x" });
    expect((await mailTo(to)).map((m) => m.subject)).toEqual(["Hello"]);
    expect(lines).toEqual([devMailBanner({ to, subject: "Hello", text: "Open http://127.0.0.1:8787/x" })]);
    expect(lines[0]).toContain("MAIL NOT SENT");
    expect(lines[0]).toContain(`To:      ${to}`);
    expect(lines[0]).toContain("Open http://127.0.0.1:8787/x");
  });
});
