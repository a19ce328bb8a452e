import { Field, type Issue } from "../components/field.tsx";

const STEP_ACTIONS = ["warn", "delete", "timeout", "ban"] as const;
interface Step {
  strikes: number;
  action: (typeof STEP_ACTIONS)[number];
  durationSec: number;
  message: string;
}

export const stepsFrom = (escalation: Record<string, unknown>[] | undefined): Step[] =>
  (escalation ?? []).map((s) => ({
    strikes: Number(s.strikes ?? 3),
    action: (STEP_ACTIONS as readonly string[]).includes(String(s.action)) ? (s.action as Step["action"]) : "timeout",
    durationSec: Number(s.durationSec ?? 600),
    message: typeof s.message === "string" ? s.message : "",
  }));

export const stepsBody = (steps: Step[]) =>
  steps.map((s) => ({
    strikes: s.strikes,
    action: s.action,
    ...(s.action === "timeout" ? { durationSec: s.durationSec } : {}),
    ...(s.message ? { message: s.message } : {}),
  }));

/**
 * Escalation: after this many strikes (matches by the same person), a harsher action instead of
 * the rule's own. Up to 10 steps, as the API allows.
 */
export function EscalationSteps(props: { steps: Step[]; issues: Issue[]; onChange(steps: Step[]): void }) {
  const { steps } = props;
  const update = (i: number, patch: Partial<Step>) =>
    props.onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="full escalation">
      <legend>Escalation (repeat offenders)</legend>
      {steps.length === 0 && <p className="muted">No steps: every match gets the rule's action.</p>}
      {steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id; their position is what they are
        <div key={i} className="form step" data-step={i + 1}>
          <Field label={`Step ${i + 1}: after strikes`} path={`escalation.${i}.strikes`} issues={props.issues}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={100}
                value={s.strikes}
                onChange={(e) => update(i, { strikes: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label={`Step ${i + 1}: action`} path={`escalation.${i}.action`} issues={props.issues}>
            {(p) => (
              <select {...p} value={s.action} onChange={(e) => update(i, { action: e.target.value as Step["action"] })}>
                {STEP_ACTIONS.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            )}
          </Field>
          {s.action === "timeout" && (
            <Field label={`Step ${i + 1}: timeout (s)`} path={`escalation.${i}.durationSec`} issues={props.issues}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  value={s.durationSec}
                  onChange={(e) => update(i, { durationSec: Number(e.target.value) })}
                />
              )}
            </Field>
          )}
          <Field
            label={`Step ${i + 1}: message`}
            path={`escalation.${i}.message`}
            issues={props.issues}
            max={500}
            value={s.message}
          >
            {(p) => <input {...p} value={s.message} onChange={(e) => update(i, { message: e.target.value })} />}
          </Field>
          <div className="buttons">
            <button type="button" className="danger" onClick={() => props.onChange(steps.filter((_, j) => j !== i))}>
              Remove step {i + 1}
            </button>
          </div>
        </div>
      ))}
      {steps.length < 10 && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            props.onChange([
              ...steps,
              { strikes: (steps.at(-1)?.strikes ?? 1) + 2, action: "timeout", durationSec: 600, message: "" },
            ])
          }
        >
          Add escalation step
        </button>
      )}
    </fieldset>
  );
}
