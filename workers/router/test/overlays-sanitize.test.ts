import { describe, expect, it } from "vitest";
import { sanitizeHtml } from "../src/overlays/sanitize.ts";

/** Nothing in the output may start a script, a handler, a style or a dangerous URL. */
const DANGER =
  /<script|<style|<svg|<iframe|<object|<embed|<math|\son\w+\s*=|javascript:|vbscript:|expression\(|style=|srcdoc/i;

describe("sanitizeHtml: what survives", () => {
  it("keeps the allowed formatting tags", () => {
    const html = "<h1>Hi</h1><p>A <strong>bold</strong> and <em>calm</em> line<br>next</p><ul><li>one</li></ul>";
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("keeps https and data:image pictures and http(s)/mailto links, re-quoted", () => {
    expect(sanitizeHtml(`<img src=https://x.test/a.png alt='cat "photo"' width=64>`)).toBe(
      '<img src="https://x.test/a.png" alt="cat &quot;photo&quot;" width="64">',
    );
    expect(sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe(
      '<img src="data:image/png;base64,iVBORw0KGgo=">',
    );
    expect(sanitizeHtml('<a href="https://waddlebot.test/x?a=1&amp;b=2">go</a>')).toBe(
      '<a href="https://waddlebot.test/x?a=1&amp;b=2" rel="noopener noreferrer">go</a>',
    );
  });

  it("drops a plain-http picture (overlay pages load images over https only)", () => {
    expect(sanitizeHtml('<p>a</p><img src="http://x.test/a.png" alt="a">')).toBe("<p>a</p>");
  });

  it("escapes stray angle brackets and bare ampersands in text, keeps character references", () => {
    expect(sanitizeHtml("1 < 2 > 0 & fish &amp; chips &#9835;")).toBe("1 &lt; 2 &gt; 0 &amp; fish &amp; chips &#9835;");
  });

  it("closes what was left open and ignores closing tags that were never opened", () => {
    expect(sanitizeHtml("<p><strong>loud</p></em>")).toBe("<p><strong>loud</strong></p>");
  });
});

describe("sanitizeHtml: classic XSS vectors", () => {
  const vectors: [string, string][] = [
    ["a script element", "<script>alert(1)</script><p>ok</p>"],
    ["a script with odd case and attributes", '<ScRiPt type="text/javascript">alert(1)</sCrIpT>'],
    ["an unterminated script", "<p>x</p><script>alert(1)"],
    ["an img onerror handler", "<img src=x onerror=alert(1)>"],
    ["a handler with odd spacing", '<p/onclick="alert(1)">x</p>'],
    ["a javascript: link", '<a href="javascript:alert(1)">x</a>'],
    ["a javascript: link with entities and tabs", '<a href="jav&#x09;ascript&colon;alert(1)">x</a>'],
    [
      "a javascript: link in decimal entities",
      '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ],
    ["a data:text/html link", '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
    ["an svg with onload", "<svg onload=alert(1)><circle/></svg>"],
    ["an svg img data URL", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
    ["a style element with expression", "<style>p{width:expression(alert(1))}</style>"],
    ["a style attribute", '<p style="background:url(javascript:alert(1))">x</p>'],
    ["an iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ["nested script tags", "<scr<script>ipt>alert(1)</scr</script>ipt>"],
    ["a script inside a comment trick", "<!--<script>-->alert(1)<!--</script>-->"],
    ["an attribute that breaks out of its quotes", `<img src="https://x.test/a.png" alt="x" " onerror="alert(1)">`],
    ["an object/embed", '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'],
    ["a meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ["a math/xlink trick", '<math><a xlink:href="javascript:alert(1)">x</a></math>'],
    ["a template", "<template><img src=x onerror=alert(1)></template>"],
    ["a form with formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'],
  ];
  for (const [name, html] of vectors) {
    it(`neutralises ${name}`, () => {
      const out = sanitizeHtml(html);
      expect(out).not.toMatch(DANGER);
      // Whatever is left parses back to the same thing: sanitising is idempotent.
      expect(sanitizeHtml(out)).toBe(out);
    });
  }

  it("drops a picture whose source is not safe, instead of leaving an empty frame", () => {
    expect(sanitizeHtml("<p>a</p><img src=x onerror=alert(1)><p>b</p>")).toBe("<p>a</p><p>b</p>");
  });

  it("keeps the harmless text around a removed script", () => {
    expect(sanitizeHtml("<p>before</p><script>alert(1)</script><p>after</p>")).toBe("<p>before</p><p>after</p>");
  });

  it("turns a quote-breaking attribute into plain attribute text", () => {
    expect(sanitizeHtml(`<span title='a" onmouseover="alert(1)'>x</span>`)).toBe(
      '<span title="a&quot; onmouseover=&quot;alert(1)">x</span>',
    );
  });
});
