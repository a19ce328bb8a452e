import { officialManifest } from "../manifest.ts";
import { TIME_ZONES } from "./when.ts";

export const manifest = officialManifest({
  name: "calendar",
  displayName: "Calendar",
  description:
    "Community events with approval: members propose, moderators approve, !events, !rsvp, reminders before the start and an iCal feed.",
  commands: [
    {
      name: "event",
      description:
        "!event add <YYYY-MM-DD> <HH:MM> [2h] <title> | <number> | approve/reject <number> | remove <number> | pending",
    },
    { name: "events", description: "!events: the upcoming approved events" },
    { name: "rsvp", description: "!rsvp <number> | !rsvp <number> no" },
  ],
  settings: {
    type: "object",
    properties: {
      timeZone: {
        type: "string",
        title: "Time zone of event times",
        default: "UTC",
        // A list, not free text: the settings schema allows at most 50 choices and no pattern,
        // and a zone the runtime does not know must be refused when it is set, not at the first event.
        enum: [...TIME_ZONES],
      },
      reminderMinutes: {
        type: "integer",
        title: "Minutes before the start to post a reminder (0: none)",
        default: 15,
        minimum: 0,
        maximum: 1440,
      },
    },
  },
});
