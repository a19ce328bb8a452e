import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { Interpreter, NodeFailure } from "./interpreter.ts";
import { setExecutionStatus } from "./records.ts";
import type { RunParams } from "./types.ts";

/**
 * The one Workflow class (binding WORKFLOW_RUNNER): it interprets the graph snapshot in its
 * params, so every workflow of every community is an instance of it. The execution row is
 * updated from steps, so a replay never writes twice.
 */
export class WorkflowRunner extends WorkflowEntrypoint<Env, RunParams> {
  override async run(event: Readonly<WorkflowEvent<RunParams>>, step: WorkflowStep) {
    const p = event.payload;
    await step.do("execution:start", async () => setExecutionStatus(this.env.DB, p.executionId, "running"));
    try {
      const out = await new Interpreter(this.env, this.ctx, step as never, p).run();
      await step.do("execution:end", async () => setExecutionStatus(this.env.DB, p.executionId, "completed"));
      return out;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const failedNode = err instanceof NodeFailure ? err.nodeId : null;
      await step.do("execution:failed", async () =>
        setExecutionStatus(this.env.DB, p.executionId, "failed", failedNode ? message : message),
      );
      throw err;
    }
  }
}
