import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

type Schema = Record<string, unknown>;
type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const document = async () => (await call("/api/v1/openapi.json")).json<Doc>();

/** The schema with every `#/components/schemas/…` reference replaced by the component (the document has no cycles). */
function inline(doc: Doc, node: unknown, depth = 0): unknown {
  if (depth > 50) throw new Error("reference cycle in the OpenAPI document");
  if (Array.isArray(node)) return node.map((n) => inline(doc, n, depth + 1));
  if (!node || typeof node !== "object") return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref?.startsWith("#/components/schemas/")) {
    return inline(doc, doc.components?.schemas?.[ref.slice("#/components/schemas/".length)], depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(doc, v, depth + 1)]));
}

/** Validates `value` against a schema of the document with a real JSON Schema 2020-12 validator (formats included). */
function check(doc: Doc, schema: unknown, value: unknown): string[] {
  const result = new Validator(inline(doc, schema) as Schema, "2020-12", false).validate(value);
  return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

/** Every schema node in the document that carries an `example`, with where it sits. */
function examples(node: unknown, at = "#"): { at: string; schema: Schema }[] {
  if (!node || typeof node !== "object") return [];
  const found = Array.isArray(node)
    ? []
    : "example" in node && typeof (node as Schema).type === "string"
      ? [{ at, schema: node as Schema }]
      : [];
  return found.concat(Object.entries(node).flatMap(([k, v]) => examples(v, `${at}/${k}`)));
}

const bodySchema = (doc: Doc, method: string, path: string) =>
  doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;

describe("the published OpenAPI document says what the API accepts", () => {
  it("every documented example validates against its own schema", async () => {
    const doc = await document();
    const found = examples(doc);
    expect(found.length).toBeGreaterThanOrEqual(5);
    const wrong = found.flatMap(({ at, schema }) => {
      const { example, ...rest } = schema;
      return check(doc, rest, example).map((e) => `${at} example ${JSON.stringify(example)}: ${e}`);
    });
    expect(wrong).toEqual([]);
  });

  it("bodies the API accepts validate against the documented request schema", async () => {
    const doc = await document();
    const community = await createCommunity();
    const admin = await createUserWithKey({ communityId: community.id, role: "owner" });
    const base = `/api/v1/communities/${community.id}`;
    const accepted: { method: string; path: string; url: string; body: unknown }[] = [
      {
        method: "post",
        path: "/api/v1/communities/{communityId}/moderation/rules",
        url: `${base}/moderation/rules`,
        // Mixed case: the API compares domains case-insensitively and accepts this.
        body: {
          name: "links",
          matchType: "links",
          action: "delete",
          options: { allowedDomains: ["example.com", "Clips.Twitch.tv"] },
        },
      },
      {
        method: "post",
        path: "/api/v1/communities/{communityId}/moderation/rules",
        url: `${base}/moderation/rules`,
        body: { name: "caps", matchType: "caps", action: "warn", actionConfig: { message: "calm down {user}" } },
      },
      {
        method: "post",
        path: "/api/v1/communities/{communityId}/commands",
        url: `${base}/commands`,
        body: { name: "discord", response: "Join us at https://discord.gg/x, {user}!" },
      },
      { method: "put", path: "/api/v1/communities/{communityId}/cooldowns", url: `${base}/cooldowns`, body: {} },
      { method: "post", path: "/api/v1/keys", url: "/api/v1/keys", body: { name: "ci", scopes: ["commands:read"] } },
    ];
    const wrong: string[] = [];
    for (const { method, path, url, body } of accepted) {
      const schema = bodySchema(doc, method, path);
      if (!schema) {
        wrong.push(`${method} ${path}: no documented body`);
        continue;
      }
      const res = await call(url, {
        method: method.toUpperCase(),
        headers: { authorization: admin.authorization, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) wrong.push(`${method} ${path}: the API answered ${res.status} ${await res.text()}`);
      wrong.push(...check(doc, schema, body).map((e) => `${method} ${path} ${JSON.stringify(body)}: ${e}`));
    }
    expect(wrong).toEqual([]);
  });

  it("every published pattern is a JSON Schema regex as written (no JavaScript /…/flags inside the string)", async () => {
    const doc = await document();
    const patterns: string[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== "object") return;
      const pattern = (node as Schema).pattern;
      if (typeof pattern === "string") patterns.push(pattern);
      for (const v of Object.values(node)) walk(v);
    };
    walk(doc);
    expect(patterns.length).toBeGreaterThan(0);
    const bad = patterns.filter((p) => {
      try {
        new RegExp(p, "u");
        return /^\/.*\/[a-z]+$/.test(p);
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });

  it("PATCH bodies publish no defaults: a field left out keeps its stored value", async () => {
    const doc = await document();
    const patches = Object.entries(doc.paths).flatMap(([path, ops]) =>
      ops.patch ? [{ path, schema: inline(doc, bodySchema(doc, "patch", path)) }] : [],
    );
    expect(patches.length).toBeGreaterThanOrEqual(2);
    const withDefaults = patches.filter(({ schema }) => {
      const props = (schema as { properties?: Record<string, Schema> }).properties ?? {};
      return Object.values(props).some((p) => "default" in p);
    });
    expect(withDefaults.map((p) => p.path)).toEqual([]);
  });
});
