import { describe, expect, it } from "vitest";
import { flagsForLevel, levelAtLeast, permissionLevelOf } from "../../../lib/chat/permission-level.ts";
import { ChatUserSchema } from "../../../lib/events/chat-event.ts";

const user = (extra: object) => ChatUserSchema.parse({ id: "1", username: "u", ...extra });

describe("chat permission levels", () => {
  it("derives the level from platform flags and Twitch badges", () => {
    expect(permissionLevelOf(user({}))).toBe("everyone");
    expect(permissionLevelOf(user({ badges: ["subscriber/12"] }))).toBe("subscriber");
    expect(permissionLevelOf(user({ badges: ["founder/0"] }))).toBe("subscriber");
    expect(permissionLevelOf(user({ isVip: true }))).toBe("vip");
    expect(permissionLevelOf(user({ badges: ["moderator/1"] }))).toBe("moderator");
    expect(permissionLevelOf(user({ isAdmin: true, isModerator: true }))).toBe("admin");
    expect(permissionLevelOf(user({ badges: ["broadcaster/1"] }))).toBe("owner");
  });

  it("does not trust role names", () => {
    expect(permissionLevelOf(user({ roles: ["Moderator", "Admin"] }))).toBe("everyone");
  });

  it("orders everyone < subscriber < vip < moderator < admin < owner", () => {
    expect(levelAtLeast("vip", "subscriber")).toBe(true);
    expect(levelAtLeast("vip", "moderator")).toBe(false);
    expect(levelAtLeast("owner", "admin")).toBe(true);
  });

  it("round-trips the simulate flags", () => {
    for (const level of ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const) {
      expect(permissionLevelOf(user(flagsForLevel(level)))).toBe(level);
    }
  });
});
