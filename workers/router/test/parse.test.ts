import { describe, expect, it } from "vitest";
import { MAX_ARGS, MAX_COMMAND_TEXT, parseCommand, splitArgs } from "../src/commands/parse.ts";

describe("command parsing", () => {
  it("reads ! and # commands with their arguments", () => {
    expect(parseCommand("!so bob")).toEqual({ prefix: "!", name: "so", args: ["bob"], rawArgs: "bob" });
    expect(parseCommand("#weather  paris  fr")).toMatchObject({ prefix: "#", name: "weather", args: ["paris", "fr"] });
  });

  it("groups quoted words into one argument", () => {
    expect(parseCommand('!so "two words" three')?.args).toEqual(["two words", "three"]);
    expect(splitArgs("'single quoted' \"\" x")).toEqual(["single quoted", "", "x"]);
    expect(splitArgs('"never closed')).toEqual(["never closed"]);
  });

  it("matches names case-insensitively", () => {
    expect(parseCommand("!PiNg")?.name).toBe("ping");
  });

  it("ignores lines that are not commands", () => {
    for (const text of ["hello", "", "! ping", "!", "!!", "#", "!bad$name", `!${"x".repeat(33)}`]) {
      expect(parseCommand(text), text).toBeNull();
    }
  });

  it("refuses lines over the length limit and caps the argument count", () => {
    expect(parseCommand(`!echo ${"a".repeat(MAX_COMMAND_TEXT)}`)).toBeNull();
    const many = Array.from({ length: MAX_ARGS + 5 }, (_, i) => `a${i}`).join(" ");
    expect(parseCommand(`!echo ${many}`)?.args).toHaveLength(MAX_ARGS);
  });
});
