import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "ai",
  // 1.1.0: mentionReplies and botName (catalogue versions are immutable, so new settings need a new one).
  version: "1.1.0",
  displayName: "AI chat",
  description:
    "!ai question (or, when switched on, a mention of the bot): an answer from Workers AI or any OpenAI-compatible API, with rate limits and a daily token budget.",
  commands: [{ name: "ai", description: "!ai <question>" }],
  settings: {
    type: "object",
    properties: {
      systemPrompt: {
        type: "string",
        title: "System prompt",
        default: "You are WaddleBot, a friendly chat bot. Answer in one or two short sentences.",
        maxLength: 1000,
      },
      dailyTokens: {
        type: "integer",
        title: "Tokens per day for the community",
        default: 20000,
        minimum: 100,
        maximum: 1000000,
      },
      mentionReplies: {
        type: "boolean",
        title: "Answer when the bot is mentioned (@ or its name), like !ai",
        default: false,
      },
      botName: {
        type: "string",
        title: "The bot's name in chat (for mentions)",
        default: "WaddleBot",
        minLength: 1,
        maxLength: 32,
      },
      userCooldownSec: {
        type: "integer",
        title: "Seconds between one person's questions",
        default: 30,
        minimum: 0,
        maximum: 3600,
      },
    },
  },
});
