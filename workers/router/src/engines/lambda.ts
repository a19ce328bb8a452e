import { AwsClient } from "aws4fetch";
import type * as z from "zod";
import type { OutboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { LambdaConfig } from "../modules/config.ts";
import { fetchModule, ModuleError, type ModulePayload, type ModuleResponse, parseModuleResponse } from "./types.ts";

/**
 * Calls an AWS Lambda function synchronously through the Invoke API, signed with SigV4
 * (aws4fetch). https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html — a function
 * that threw answers 200 with `X-Amz-Function-Error`, which is an error here.
 */
export async function invokeLambda(
  config: z.infer<typeof LambdaConfig>,
  payload: ModulePayload,
  policy: OutboundPolicy,
): Promise<ModuleResponse> {
  const aws = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    sessionToken: config.sessionToken,
    service: "lambda",
    region: config.region,
    retries: 0,
  });
  const base = (config.endpoint ?? `https://lambda.${config.region}.amazonaws.com`).replace(/\/+$/, "");
  const url = `${base}/2015-03-31/functions/${encodeURIComponent(config.functionName)}/invocations`;
  const signed = await aws.sign(url, {
    method: "POST",
    body: JSON.stringify(payload),
    headers: { "content-type": "application/json", "x-amz-invocation-type": "RequestResponse" },
  });
  const res = await fetchModule(signed, policy, config.timeoutMs);
  const functionError = res.headers.get("x-amz-function-error");
  // AWS sends "Handled" or "Unhandled"; anything else is not echoed (it came from the endpoint).
  if (functionError) {
    const kind = /^(?:Handled|Unhandled)$/.test(functionError) ? functionError : "error";
    throw new ModuleError("error", `lambda function error: ${kind}`);
  }
  return parseModuleResponse(res);
}
