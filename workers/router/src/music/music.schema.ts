import { z } from "@hono/zod-openapi";

const Playing = z.object({
  title: z.string(),
  artist: z.string(),
  album: z.string(),
  artUrl: z.string().optional(),
  durationMs: z.number().int(),
  positionMs: z.number().int(),
  isPlaying: z.boolean(),
});

const Request = z.object({
  id: z.string(),
  title: z.string(),
  artist: z.string(),
  requestedBy: z.string(),
  createdAt: z.string(),
});

const QueueItem = z.object({ id: z.string(), title: z.string(), artist: z.string(), requestedBy: z.string() });

/** The portal's Music page: the Spotify connection, what plays, the requests; YouTube's queue too. */
export const MusicView = z
  .object({
    spotify: z.object({
      /** SPOTIFY_CLIENT_ID is set: the instance can connect Spotify at all. */
      configured: z.boolean(),
      /** active | revoked | null (not connected). */
      status: z.enum(["active", "revoked"]).nullable(),
      account: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
      scopes: z.array(z.string()),
      nowPlaying: Playing.nullable(),
      /** Why nowPlaying could not be read (no device, Spotify down); null when fine. */
      problem: z.string().nullable(),
      requests: z.array(Request),
    }),
    youtube: z.object({
      playing: QueueItem.nullable(),
      queue: z.array(QueueItem),
    }),
  })
  .openapi("MusicView");

export const AuthorizeUrl = z.object({ authorizeUrl: z.url() }).openapi("SpotifyAuthorizeUrl");
