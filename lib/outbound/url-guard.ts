import ipaddr from "ipaddr.js";
import { isLocal, type RuntimeConfig } from "../config.ts";
import { log } from "../log.ts";

/**
 * The SSRF guard for every URL a community controls (webhook modules, Lambda endpoints,
 * OpenWhisk hosts, moderation webhooks). The WHATWG URL parser canonicalises the host first,
 * so `http://2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` all arrive here as
 * `127.0.0.1`, and `[::ffff:127.0.0.1]` as `[::ffff:7f00:1]`; the address is then classified
 * by ipaddr.js and only plain public unicast is let through.
 *
 * Names are checked as written: a Worker cannot resolve DNS before `fetch`, and Cloudflare's
 * egress does not route to private networks, so a public name that points at 10.0.0.1 is not
 * a way in. Names that only mean something inside a network (`localhost`, `*.internal`, …)
 * are refused here.
 */
export interface OutboundPolicy {
  /** Loopback (`localhost`, 127.0.0.0/8, `::1`) over http or https: local development and tests only. */
  allowLoopback: boolean;
}

const STRICT: OutboundPolicy = { allowLoopback: false };

type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

// Host names that only resolve inside a network or a cloud (instance metadata among them).
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp"];
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "instance-data", "metadata.azure.com"]);

// ipaddr.js ranges, in words a community admin understands.
const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  linkLocal: "a link-local address (this includes cloud metadata at 169.254.169.254)",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  uniqueLocal: "a unique-local IPv6 address (fc00::/7)",
  multicast: "a multicast address",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  ipv4Mapped: "an IPv4-mapped IPv6 address",
  rfc6052: "a NAT64 address that embeds an IPv4 address",
  rfc6145: "an IPv4-translated address",
  "6to4": "a 6to4 address that embeds an IPv4 address",
  teredo: "a Teredo address that embeds an IPv4 address",
  reserved: "a reserved address",
};

const refuse = (reason: string): UrlCheck => ({ ok: false, reason });

const RESERVED_V6 = ipaddr.parseCIDR("::/8");

function isLoopbackHost(host: string, ip: ipaddr.IPv4 | ipaddr.IPv6 | null): boolean {
  if (host === "localhost") return true;
  // Exactly 127.0.0.0/8 and ::1: an IPv4-mapped or NAT64 spelling of loopback is not "loopback" here.
  return ip !== null && ip.range() === "loopback";
}

/** Checks one URL against the policy; the reason names the rule, never anything fetched. */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy = STRICT): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("only https URLs are allowed");
  if (url.username || url.password) return refuse("URLs with credentials in them are not allowed");
  // A trailing dot is the same name to DNS ("localhost." is localhost).
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  const ip = ipaddr.isValid(bare) ? ipaddr.parse(bare) : null;

  if (isLoopbackHost(host, ip)) {
    return policy.allowLoopback
      ? { ok: true, url }
      : refuse("loopback addresses (localhost, 127.0.0.0/8, ::1) are not allowed");
  }
  if (url.protocol !== "https:") return refuse("only https URLs are allowed");
  if (ip) {
    const range = ip.range();
    if (range !== "unicast") return refuse(`${RANGE_WORDS[range] ?? `a ${range} address`} is not allowed`);
    // ipaddr.js calls IPv4-compatible addresses (::a.b.c.d, e.g. ::127.0.0.1 or
    // ::169.254.169.254) "unicast"; they embed an IPv4 address like the mapped forms above, and
    // the whole ::/8 block is reserved by the IETF, so none of it is a public server.
    if (ip.kind() === "ipv6" && ip.match(RESERVED_V6)) {
      return refuse("an IPv4-compatible or reserved IPv6 address (::/8) is not allowed");
    }
    return { ok: true, url };
  }
  if (!host.includes(".")) return refuse("a single-label host name is not allowed; use a public domain");
  if (METADATA_NAMES.has(host) || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) {
    return refuse("internal host names are not allowed; use a public domain");
  }
  return { ok: true, url };
}

let warnedDeployed = false;

/**
 * The policy for this worker. A deployed worker (not `WADDLEBOT_ENV=local`) ignores
 * ALLOW_LOOPBACK_OUTBOUND and logs a warning instead of failing: refusing to start would take
 * chat down over a setting whose only effect is to loosen a guard, and ignoring it keeps the
 * guard strict, which is the safe outcome either way.
 */
export function outboundPolicy(env: RuntimeConfig): OutboundPolicy {
  const wanted = env.ALLOW_LOOPBACK_OUTBOUND === "true";
  if (wanted && !isLocal(env)) {
    if (!warnedDeployed) {
      warnedDeployed = true;
      log.warn("ALLOW_LOOPBACK_OUTBOUND is ignored: this worker is not WADDLEBOT_ENV=local");
    }
    return STRICT;
  }
  return { allowLoopback: wanted };
}

/**
 * Save-time check of the URLs in a body (`[path, url]` pairs, e.g. `[["config","url"], …]`):
 * the issues come back in zod's shape, so a refused URL is a 400 like any invalid field.
 */
export function outboundUrlIssues(
  policy: OutboundPolicy,
  urls: [path: (string | number)[], url: string | undefined][],
): { code: "custom"; path: (string | number)[]; message: string }[] {
  return urls.flatMap(([path, url]) => {
    if (url === undefined) return [];
    const check = checkOutboundUrl(url, policy);
    return check.ok ? [] : [{ code: "custom" as const, path, message: `URL refused: ${check.reason}` }];
  });
}
