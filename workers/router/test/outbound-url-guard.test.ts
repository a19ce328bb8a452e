import { describe, expect, it } from "vitest";
import { checkOutboundUrl, outboundPolicy } from "../../../lib/outbound/url-guard.ts";

// Run in workerd on purpose: its URL parser is the one that canonicalises hosts in production.
const STRICT = { allowLoopback: false };
const LOCAL = { allowLoopback: true };

/** [url, why it is refused] — refused with or without the loopback setting. */
const ALWAYS_REFUSED: [string, RegExp][] = [
  ["not a url", /not a valid URL/],
  ["ftp://example.com/x", /only https/],
  ["file:///etc/passwd", /only https/],
  ["http://example.com/hook", /only https/],
  ["https://user:pw@example.com/", /credentials/],
  ["https://10.0.0.1/", /private/],
  ["https://10.255.255.255/", /private/],
  ["https://172.16.0.1/", /private/],
  ["https://172.31.255.254/", /private/],
  ["https://192.168.1.1/", /private/],
  ["http://192.168.1.1/", /only https/],
  ["https://169.254.169.254/latest/meta-data/", /link-local/],
  ["http://169.254.169.254/latest/meta-data/", /only https/],
  ["https://2852039166/", /link-local/], // 169.254.169.254 in decimal
  ["https://0xa9fea9fe/", /link-local/], // … in hex
  ["https://[fe80::1]/", /link-local/],
  ["https://100.64.0.1/", /carrier-grade NAT/],
  ["https://100.100.100.200/", /carrier-grade NAT/], // Alibaba Cloud metadata
  ["https://224.0.0.1/", /multicast/],
  ["https://[ff02::1]/", /multicast/],
  ["https://0.0.0.0/", /unspecified/],
  ["https://0/", /unspecified/],
  ["https://[::]/", /unspecified/],
  ["https://255.255.255.255/", /broadcast/],
  ["https://[fc00::1]/", /unique-local/],
  ["https://[fd00:ec2::254]/", /unique-local/], // AWS IPv6 metadata
  ["https://192.0.0.192/", /reserved/], // Oracle Cloud metadata
  ["https://[::ffff:127.0.0.1]/", /IPv4-mapped/],
  ["https://[::ffff:7f00:1]/", /IPv4-mapped/],
  ["http://[::ffff:127.0.0.1]/", /only https/],
  ["https://[::ffff:10.0.0.1]/", /IPv4-mapped/],
  ["https://[::ffff:169.254.169.254]/", /IPv4-mapped/],
  ["https://[64:ff9b::7f00:1]/", /NAT64/],
  ["https://[2002:7f00:1::]/", /6to4/],
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): ipaddr.js calls these "unicast".
  ["https://[::127.0.0.1]/", /IPv4-compatible/],
  ["https://[::169.254.169.254]/", /IPv4-compatible/],
  ["https://[::a00:1]/", /IPv4-compatible/], // ::10.0.0.1 in hex
  ["https://[::1:0:0:1]/", /IPv4-compatible/], // still inside the reserved ::/8
  ["https://metadata.google.internal/computeMetadata/v1/", /internal host/],
  ["https://metadata/", /single-label/],
  ["https://intranet/", /single-label/],
  ["https://printer.local/", /internal host/],
  ["https://router.home.arpa/", /internal host/],
];

/** Refused in a deployed worker; allowed with ALLOW_LOOPBACK_OUTBOUND in local development. */
const LOOPBACK: string[] = [
  "http://localhost/",
  "https://localhost/",
  "http://LOCALHOST.:3000/",
  "http://127.0.0.1:8080/hook",
  "https://127.0.0.1/",
  "http://127.1/", // short form
  "http://2130706433/", // decimal
  "http://0x7f000001/", // hex
  "http://0177.0.0.1/", // octal
  "http://127.255.255.254/",
  "http://[::1]:9000/",
  "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", // IDNA maps it to localhost
  "http://%31%32%37.0.0.1/", // percent-encoded host
];

const ALLOWED = [
  "https://example.com/hook",
  "https://modules.example.org:8443/run?x=1",
  "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/invocations",
  "https://8.8.8.8/",
  "https://[2606:4700:4700::1111]/",
];

describe("the outbound URL guard", () => {
  it.each(ALWAYS_REFUSED)("refuses %s, with or without the loopback setting", (url, reason) => {
    for (const policy of [STRICT, LOCAL]) {
      const check = checkOutboundUrl(url, policy);
      expect(check.ok, `${url} ${JSON.stringify(policy)}`).toBe(false);
      if (!check.ok) expect(check.reason).toMatch(reason);
    }
  });

  it.each(LOOPBACK)("refuses loopback %s when strict, allows it with the local setting", (url) => {
    const strict = checkOutboundUrl(url, STRICT);
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.reason).toMatch(/loopback/);
    expect(checkOutboundUrl(url, LOCAL).ok).toBe(true);
  });

  it.each(ALLOWED)("allows the public https URL %s", (url) => {
    expect(checkOutboundUrl(url, STRICT).ok).toBe(true);
  });

  it("honours ALLOW_LOOPBACK_OUTBOUND only in a local worker", () => {
    expect(outboundPolicy({ WADDLEBOT_ENV: "local", ALLOW_LOOPBACK_OUTBOUND: "true" }).allowLoopback).toBe(true);
    expect(outboundPolicy({ WADDLEBOT_ENV: "local" }).allowLoopback).toBe(false);
    expect(outboundPolicy({ WADDLEBOT_ENV: "local", ALLOW_LOOPBACK_OUTBOUND: "1" }).allowLoopback).toBe(false);
    // Deployed (unset or anything but local): the setting is ignored.
    expect(outboundPolicy({ ALLOW_LOOPBACK_OUTBOUND: "true" }).allowLoopback).toBe(false);
    expect(outboundPolicy({ WADDLEBOT_ENV: "production", ALLOW_LOOPBACK_OUTBOUND: "true" }).allowLoopback).toBe(false);
  });
});
