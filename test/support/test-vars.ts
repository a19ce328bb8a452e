/**
 * Settings for tests: every secret is made fresh for each run (nothing real, nothing in the
 * repo), and the platform API bases point at an address where nothing listens unless a test
 * starts its own fake platform there.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";

const hex = (n: number) => randomBytes(n).toString("hex");

export function makeTestVars(): Record<string, string> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const rawPublic = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
  // The workflow licence signer: tests sign their own licences with the private half.
  const licence = generateKeyPairSync("ed25519");
  return {
    WADDLEBOT_ENV: "local",
    // Queued events retry at once in tests, so a poison message reaches the dead-letter queue in ms.
    QUEUE_RETRY_BASE_SECONDS: "0",
    // Two origins allowed to call the API from a browser (the CORS tests use them).
    CORS_ORIGINS: "https://tools.waddlebot.test, https://admin.waddlebot.test:8443",
    // Module servers in tests are plain http://127.0.0.1 (the fake platform): loopback only.
    ALLOW_LOOPBACK_OUTBOUND: "true",
    DISCORD_PUBLIC_KEY: rawPublic,
    // Test-only: the private half, so tests sign interactions as Discord would.
    TEST_DISCORD_PRIVATE_KEY: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    DISCORD_APPLICATION_ID: "100000000000000099",
    LICENSE_PUBLIC_KEY: licence.publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("base64"),
    TEST_LICENSE_PRIVATE_KEY: licence.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    DISCORD_BOT_TOKEN: `test-bot-${hex(8)}`,
    TWITCH_CLIENT_ID: `test-client-${hex(4)}`,
    TWITCH_CLIENT_SECRET: hex(16),
    TWITCH_EVENTSUB_SECRET: hex(16),
    TWITCH_BOT_USER_ID: "100000077",
    SLACK_SIGNING_SECRET: hex(16),
    SLACK_BOT_TOKEN: `xoxb-test-${hex(8)}`,
    DISCORD_CLIENT_SECRET: hex(16),
    SLACK_CLIENT_ID: `test-slack-client-${hex(4)}`,
    SLACK_CLIENT_SECRET: hex(16),
    RELAY_SHARED_SECRET: hex(24),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_EMAIL: "admin@waddlebot.test",
    ADMIN_PASSWORD: hex(12),
    DISCORD_API_BASE: "http://127.0.0.1:9/discord",
    TWITCH_API_BASE: "http://127.0.0.1:9/helix",
    TWITCH_AUTH_BASE: "http://127.0.0.1:9/oauth2",
    SLACK_API_BASE: "http://127.0.0.1:9/slack",
    STRIPE_API_BASE: "http://127.0.0.1:9",
    STRIPE_SECRET_KEY: `sk_test_${hex(12)}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${hex(16)}`,
    DEMO_DISCORD_GUILD_ID: "100000000000000001",
    DEMO_TWITCH_BROADCASTER_ID: "100000001",
    DEMO_SLACK_TEAM_ID: "T0000DEMO",
  };
}
