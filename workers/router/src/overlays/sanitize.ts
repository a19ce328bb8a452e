/**
 * A strict allow-list HTML sanitiser for overlay content ("general" overlays, module replies,
 * chat). Workers have no DOM, and the maintained sanitisers need one, so this is a small
 * tokenizer that *rebuilds* the markup: only allow-listed tags and attributes are written out,
 * every attribute value is re-quoted and escaped, and every URL is checked after decoding the
 * entities the browser would decode. What the browser parses is therefore exactly what was
 * checked. Anything else (scripts, event handlers, styles, SVG, iframes, comments) is dropped.
 */

const ALLOWED_TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "small",
  "mark",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "br",
  "hr",
  "span",
  "div",
  "img",
  "a",
]);
const VOID_TAGS = new Set(["br", "hr", "img"]);
/** Dropped together with everything up to their closing tag (raw text or foreign content). */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "noscript",
  "template",
  "svg",
  "math",
  "textarea",
  "title",
  "xmp",
  "noembed",
  "noframes",
  "select",
  "frameset",
  "applet",
  "plaintext",
]);

const TAG_START = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const CHAR_REF = /^&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

const HTTP_URL = /^https?:\/\/[^\s]+$/i;
const HTTPS_URL = /^https:\/\/[^\s]+$/i;
const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=]+$/i;
const MAILTO = /^mailto:[^\s]+$/i;

const escapeAttr = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Text: `<` and `>` escaped, `&` kept only where it starts a character reference. */
function escapeText(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === "&") out += CHAR_REF.test(s.slice(i, i + 40)) ? "&" : "&amp;";
    else out += ch;
  }
  return out;
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  colon: ":",
  tab: "\t",
  newline: "\n",
  sol: "/",
};

/** Decodes the character references a browser decodes in attribute values (so checks see what it sees). */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** A URL is kept only if, with control characters and whitespace removed, it is plainly safe. */
function safeUrl(raw: string, allowData: boolean, allowMailto: boolean): string | null {
  const url = clean(raw);
  if (HTTP_URL.test(url) || (allowData && DATA_IMAGE.test(url)) || (allowMailto && MAILTO.test(url))) return url;
  return null;
}

/**
 * An image source for an overlay: https or a data:image only. The overlay page's CSP
 * (`img-src 'self' data: https:`) would block a plain-http image anyway; refusing it here
 * tells the publisher instead of leaving a broken picture in OBS.
 */
export function safeImageUrl(raw: string): string | null {
  const url = clean(raw);
  return HTTPS_URL.test(url) || DATA_IMAGE.test(url) ? url : null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
const clean = (raw: string) => decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");

function attributes(tag: string, source: string): string {
  let out = "";
  const seen = new Set<string>();
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
    let kept: string | null = null;
    if (name === "class") kept = value.replace(/[^\w -]/g, "").slice(0, 100);
    else if (name === "title" || (tag === "img" && name === "alt")) kept = value.slice(0, 300);
    else if (tag === "img" && (name === "width" || name === "height")) kept = /^\d{1,4}$/.test(value) ? value : null;
    else if (tag === "img" && name === "src") kept = safeImageUrl(value);
    else if (tag === "a" && name === "href") kept = safeUrl(value, false, true);
    if (kept !== null) out += ` ${name}="${escapeAttr(kept)}"`;
  }
  if (tag === "a") out += ' rel="noopener noreferrer"';
  return out;
}

/** The index of the `>` ending a tag whose attributes start at `from` (quotes respected), or -1. */
function tagEnd(html: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < html.length; i++) {
    const ch = html[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ">") return i;
  }
  return -1;
}

/** Returns markup containing only allow-listed tags and attributes; never anything that runs. */
export function sanitizeHtml(html: string): string {
  const lower = html.toLowerCase();
  const open: string[] = [];
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      out += escapeText(html.slice(i));
      break;
    }
    out += escapeText(html.slice(i, lt));
    i = lt;
    if (html.startsWith("<!--", i)) {
      const end = html.indexOf("-->", i + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    if (html.startsWith("<!", i) || html.startsWith("<?", i)) {
      const end = html.indexOf(">", i);
      i = end === -1 ? html.length : end + 1;
      continue;
    }
    const m = TAG_START.exec(html.slice(i, i + 64));
    if (!m) {
      out += "&lt;";
      i++;
      continue;
    }
    const end = tagEnd(html, i + m[0].length);
    if (end === -1) break; // an unterminated tag: the rest is not trusted
    const name = m[2]!.toLowerCase();
    const closing = m[1] === "/";
    const attrSource = html.slice(i + m[0].length, end);
    i = end + 1;
    if (!closing && DROP_WITH_CONTENT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      const after = close === -1 ? -1 : html.indexOf(">", close);
      i = after === -1 ? html.length : after + 1;
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at !== -1) for (const tag of open.splice(at).reverse()) out += `</${tag}>`;
      continue;
    }
    const attrs = attributes(name, attrSource);
    if (name === "img" && !attrs.includes(" src=")) continue; // a picture with no safe source shows nothing
    out += `<${name}${attrs}>`;
    if (!VOID_TAGS.has(name)) open.push(name);
  }
  for (const tag of open.reverse()) out += `</${tag}>`;
  return out;
}
