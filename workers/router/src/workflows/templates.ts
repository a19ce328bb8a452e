import type { Graph } from "./graph.ts";

interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  /** The workflows it creates (the giveaway needs two: one draws, one collects `!enter`). */
  workflows: { name: string; description: string; graph: Graph }[];
}

type N = [id: string, type: string, config: Record<string, unknown>];
const g = (nodes: N[], edges: [string, string, string?][]): Graph => ({
  nodes: nodes.map(([id, type, config], i) => ({
    id,
    type,
    config,
    position: { x: 80 + (i % 2) * 40, y: 60 + i * 120 },
  })),
  edges: edges.map(([source, target, port], i) => ({ id: `e${i + 1}`, source, target, sourcePort: port ?? "out" })),
});

/** Built-in templates (GET /api/v1/workflow-templates); instantiating one creates drafts to adjust and publish. */
export const TEMPLATES: WorkflowTemplate[] = [
  {
    id: "welcome-followers",
    name: "Welcome new followers on the overlay",
    description: "Every follow shows a ticker line on the stream overlay.",
    workflows: [
      {
        name: "Welcome new followers",
        description: "Ticker on follow",
        graph: g(
          [
            ["follow", "trigger_event", { event: "follow" }],
            [
              "ticker",
              "action_browser_source",
              { overlay: "ticker", data: { text: "Welcome, {{trigger.user.displayName}}! Thanks for the follow" } },
            ],
          ],
          [["follow", "ticker"]],
        ),
      },
    ],
  },
  {
    id: "timed-announcement",
    name: "Timed announcement every 15 min while live",
    description: "Every 15 minutes, while the stream is live, posts an announcement in a channel you choose.",
    workflows: [
      {
        name: "Timed announcement",
        description: "Every 15 minutes while live",
        graph: g(
          [
            ["every", "trigger_schedule", { schedule: { kind: "interval", intervalSeconds: 900 } }],
            ["live", "condition_if", { conditions: [{ left: "{{trigger.live}}", op: "eq", right: "true" }] }],
            [
              "say",
              "action_chat_message",
              { platform: "twitch", channel: "", message: "Enjoying the stream? Follow for more!" },
            ],
          ],
          [
            ["every", "live"],
            ["live", "say", "true"],
          ],
        ),
      },
    ],
  },
  {
    id: "giveaway",
    name: "Giveaway: collect !enter for 5 minutes, draw a winner",
    description: "`!giveaway` opens entries for five minutes; `!enter` joins; then a winner is drawn in chat.",
    workflows: [
      {
        name: "Giveaway: draw",
        description: "!giveaway opens, waits 5 minutes, draws",
        graph: g(
          [
            ["start", "trigger_command", { command: "giveaway" }],
            ["reset", "data_variable_set", { name: "giveaway_entrants", scope: "global", value: [] }],
            ["open", "data_variable_set", { name: "giveaway_open", scope: "global", value: true }],
            ["announce", "action_chat_message", { message: "Giveaway open for 5 minutes: type !enter to join!" }],
            ["wait", "action_delay", { seconds: 300 }],
            ["close", "data_variable_set", { name: "giveaway_open", scope: "global", value: false }],
            [
              "entrants",
              "data_variable_get",
              { name: "giveaway_entrants", scope: "global", default: [], output: "entrants" },
            ],
            [
              "draw",
              "data_transform",
              {
                expression:
                  '$count(vars.entrants) = 0 ? "nobody" : vars.entrants[$floor($random() * $count(vars.entrants))]',
                output: "winner",
              },
            ],
            ["tell", "action_chat_message", { message: "The winner is {{vars.winner}}!" }],
          ],
          [
            ["start", "reset"],
            ["reset", "open"],
            ["open", "announce"],
            ["announce", "wait"],
            ["wait", "close"],
            ["close", "entrants"],
            ["entrants", "draw"],
            ["draw", "tell"],
          ],
        ),
      },
      {
        name: "Giveaway: enter",
        description: "!enter while a giveaway is open",
        graph: g(
          [
            ["enter", "trigger_command", { command: "enter" }],
            ["isOpen", "data_variable_get", { name: "giveaway_open", scope: "global", default: false, output: "open" }],
            ["check", "condition_if", { conditions: [{ left: "{{vars.open}}", op: "eq", right: "true" }] }],
            [
              "add",
              "data_array_push",
              { array: "giveaway_entrants", scope: "global", value: "{{trigger.user.username}}" },
            ],
          ],
          [
            ["enter", "isOpen"],
            ["isOpen", "check"],
            ["check", "add", "true"],
          ],
        ),
      },
    ],
  },
];
