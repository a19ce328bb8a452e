import * as z from "zod";
import type { Env } from "../env.ts";

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
  usage: z.object({ total_tokens: z.number().int().nonnegative() }).optional(),
});

interface Answer {
  text: string;
  tokens: number;
}

export class AiUnavailable extends Error {}

/**
 * One chat completion. `AI_API_BASE` (the base URL including `/v1`, as OpenAI's SDKs take it)
 * selects an OpenAI-compatible API (OpenAI, Ollama, a local server) with `AI_API_KEY` and
 * `AI_MODEL`; otherwise the Workers AI binding `AI` (optional: offline `wrangler dev` cannot start
 * with it). This is instance configuration, not a community's URL, so it is a plain fetch.
 */
export async function complete(env: Env, system: string, question: string, maxTokens: number): Promise<Answer> {
  const messages = [
    { role: "system", content: system },
    { role: "user", content: question },
  ];
  if (env.AI_API_BASE) {
    const res = await fetch(`${env.AI_API_BASE.replace(/\/$/, "")}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(env.AI_API_KEY ? { authorization: `Bearer ${env.AI_API_KEY}` } : {}),
      },
      body: JSON.stringify({ model: env.AI_MODEL || "gpt-4o-mini", messages, max_tokens: maxTokens }),
      signal: AbortSignal.timeout(4_000),
    });
    if (!res.ok) throw new AiUnavailable(`the AI API answered ${res.status}`);
    const body = Completion.safeParse(await res.json().catch(() => null));
    if (!body.success) throw new AiUnavailable("the AI API answered something else than a chat completion");
    const text = body.data.choices[0]?.message.content?.trim() ?? "";
    return {
      text,
      tokens: body.data.usage?.total_tokens ?? Math.ceil((system.length + question.length + text.length) / 4),
    };
  }
  if (env.AI) {
    const out = (await env.AI.run(env.AI_MODEL || "@cf/meta/llama-3.1-8b-instruct", {
      messages,
      max_tokens: maxTokens,
    })) as {
      response?: string;
      usage?: { total_tokens?: number };
    };
    const text = out.response?.trim() ?? "";
    return { text, tokens: out.usage?.total_tokens ?? Math.ceil((system.length + question.length + text.length) / 4) };
  }
  throw new AiUnavailable("no AI provider is configured (AI_API_BASE or the AI binding)");
}
