import { describe, expect, it } from "vitest";
import { renderTemplate, validateTemplate } from "../src/commands/variables.ts";

const ctx = { user: "Pingu", channel: "general", platform: "twitch", args: ["a", "b c"], rawArgs: 'a "b c"', count: 7 };

describe("custom command variables", () => {
  it("fills user, channel, platform, args, argN and count", () => {
    expect(renderTemplate("{user} in {channel} on {platform}: {args} / {arg1} / {arg2} / {arg3} #{count}", ctx)).toBe(
      'Pingu in general on twitch: a "b c" / a / b c /  #7',
    );
  });

  it("picks one of the random choices", () => {
    expect(renderTemplate("{random:x|y|z}", ctx, () => 0)).toBe("x");
    expect(renderTemplate("{random:x|y|z}", ctx, () => 0.99)).toBe("z");
  });

  it("accepts a valid template", () => {
    expect(validateTemplate("Hi {user}, {random:a|b} {arg20}")).toEqual([]);
  });

  it("refuses unknown variables, bad random choices, unbalanced braces and empty or long templates", () => {
    expect(validateTemplate("{nope}")).toEqual(["{nope} is not a known variable"]);
    expect(validateTemplate("{random:a||b}")[0]).toMatch(/every random choice/);
    expect(validateTemplate("{arg21}")[0]).toMatch(/arg20/);
    expect(validateTemplate("oops {user")).toContain("unbalanced { or }");
    expect(validateTemplate("  ")).toContain("the response is empty");
    expect(validateTemplate("x".repeat(1001))[0]).toMatch(/longer than/);
  });
});
