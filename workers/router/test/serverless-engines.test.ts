import { describe, expect, it } from "vitest";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { chat, fake, fakeUrl, installModule, send, texts } from "./support/router.ts";

type Out = {
  status: string;
  replies: { type: string; text?: string }[];
  execution?: { status: string; engine: string; error?: string };
};

describe("serverless modules (# commands)", () => {
  it("invokes an AWS Lambda function through the Invoke API, signed with SigV4", async () => {
    const community = await createCommunity();
    const base = `/lambda-${crypto.randomUUID()}`;
    await fake.script({
      method: "POST",
      path: base,
      status: 200,
      body: { replies: [{ type: "chat", text: "λ says hi" }] },
    });
    await installModule(community.id, {
      engine: "lambda",
      config: {
        functionName: "waddle-weather",
        region: "eu-west-1",
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        endpoint: fakeUrl(base),
      },
      commands: ["weather"],
    });
    // Serverless modules answer on `#`; `!weather` is not theirs.
    expect((await send(chat(community, "!weather paris"))).status).toBe("ignored");
    const out = (await send(chat(community, "#weather paris"))) as Out;
    expect(texts(out)).toEqual(["λ says hi"]);
    expect(out.execution).toMatchObject({ engine: "lambda", status: "success" });
    const [req] = await fake.requests(base);
    expect(req!.path).toBe(`${base}/2015-03-31/functions/waddle-weather/invocations`);
    expect(req!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/,
    );
    expect(req!.headers["x-amz-invocation-type"]).toBe("RequestResponse");
    expect(JSON.parse(req!.raw)).toMatchObject({ command: { prefix: "#", name: "weather", args: ["paris"] } });
  });

  it("treats a Lambda function error (X-Amz-Function-Error) as an error", async () => {
    const community = await createCommunity();
    const base = `/lambda-${crypto.randomUUID()}`;
    await fake.script({
      method: "POST",
      path: base,
      status: 200,
      body: { errorMessage: "boom" },
      headers: { "x-amz-function-error": "Unhandled" },
    });
    await installModule(community.id, {
      engine: "lambda",
      config: {
        functionName: "f",
        region: "us-east-1",
        accessKeyId: "A",
        secretAccessKey: "S",
        endpoint: fakeUrl(base),
      },
      commands: ["fail"],
    });
    const out = (await send(chat(community, "#fail"))) as Out;
    expect(out.replies).toEqual([]);
    expect(out.execution).toMatchObject({ status: "error", error: "lambda function error: Unhandled" });
  });

  it("invokes an OpenWhisk action with a blocking invoke and Basic auth", async () => {
    const community = await createCommunity();
    const base = `/ow-${crypto.randomUUID()}`;
    await fake.script({
      method: "POST",
      path: base,
      status: 200,
      body: { replies: [{ type: "chat", text: "from whisk" }] },
    });
    await installModule(community.id, {
      engine: "openwhisk",
      config: { apiHost: fakeUrl(base), namespace: "guest", action: "pkg/quote", auth: "user-uuid:secret-key" },
      commands: ["quote"],
    });
    const out = (await send(chat(community, "#QUOTE 3"))) as Out;
    expect(texts(out)).toEqual(["from whisk"]);
    const [req] = await fake.requests(base);
    expect(req!.path).toBe(`${base}/api/v1/namespaces/guest/actions/pkg/quote?blocking=true&result=true`);
    expect(req!.headers.authorization).toBe(`Basic ${btoa("user-uuid:secret-key")}`);
  });
});
