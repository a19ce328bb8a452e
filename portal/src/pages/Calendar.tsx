import { showWhen } from "../../../lib/modules/calendar-time.ts";
import { api } from "../api/client.ts";
import type { components } from "../api/openapi.d.ts";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/table.tsx";
import { useToast } from "../components/toast.tsx";
import { CopyButton, Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";

type CalendarEvent = components["schemas"]["CalendarEvent"];

/**
 * The calendar module: events proposed in chat wait here (and in chat's `!event pending`) for a
 * moderator; the iCal feed URL is for calendar apps. Moderators decide and remove; only admins
 * rotate the feed URL, as the API checks.
 */
export default function Calendar() {
  const session = useSession();
  const communityId = useCommunityId();
  const path = { communityId };
  const moderate = can(session, "calendar:moderate");
  const rotatable = can(session, "modules:write");
  const events = useAsync(() => api.get("/api/v1/communities/{communityId}/calendar/events", { path }), [communityId]);
  const feed = useAsync(() => api.get("/api/v1/communities/{communityId}/calendar/feed", { path }), [communityId]);
  const action = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();

  const decide = async (e: CalendarEvent, verb: "approve" | "reject") => {
    const params = { path: { communityId, number: e.number } };
    const done = await action.run(() =>
      verb === "approve"
        ? api.post("/api/v1/communities/{communityId}/calendar/events/{number}/approve", params)
        : api.post("/api/v1/communities/{communityId}/calendar/events/{number}/reject", params),
    );
    if (done) toast(`#${e.number} ${verb === "approve" ? "approved" : "rejected"}`);
    await events.reload();
  };
  const remove = async (e: CalendarEvent) => {
    const ok = await confirm({
      title: `Remove #${e.number} ${e.title}?`,
      body: "Its RSVPs and reminders go with it.",
      confirmLabel: "Remove event",
      danger: true,
    });
    if (!ok) return;
    const done = await action.run(() =>
      api.delete("/api/v1/communities/{communityId}/calendar/events/{number}", {
        path: { communityId, number: e.number },
      }),
    );
    if (done) toast(`#${e.number} removed`);
    await events.reload();
  };
  const rotate = async () => {
    const ok = await confirm({
      title: "Rotate the calendar feed URL?",
      body: "The old URL stops at once: everyone subscribed to it must subscribe to the new one.",
      confirmLabel: "Rotate URL",
    });
    if (!ok) return;
    if (await action.run(() => api.post("/api/v1/communities/{communityId}/calendar/feed/rotate", { path })))
      toast("Feed URL rotated");
    await feed.reload();
  };

  return (
    <Page title="Calendar">
      <p className="muted">
        Members propose events in chat with <code>!event add 2026-12-24 18:00 Title</code>; moderators approve them here
        or with <code>!event approve 3</code>. Chat lists them with <code>!events</code>, people join with{" "}
        <code>!rsvp 3</code>, and a reminder is posted before the start.
      </p>
      <ErrorBox message={action.error} />
      {dialog}
      <section className="card" aria-labelledby="feed-title">
        <h2 id="feed-title">iCal feed</h2>
        <Loaded state={feed}>
          {(f) => (
            <>
              <input
                className="url"
                readOnly
                value={f.url}
                aria-label="Calendar feed URL"
                onFocus={(e) => e.target.select()}
              />
              <div className="buttons">
                <CopyButton text={f.url} label="Copy URL" />
                {rotatable && (
                  <button type="button" className="secondary" disabled={action.busy} onClick={rotate}>
                    Rotate URL
                  </button>
                )}
              </div>
              <p className="muted">Approved events, for any calendar app. Anyone with the URL can read them.</p>
            </>
          )}
        </Loaded>
      </section>
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Upcoming and pending events</h2>
        <Loaded state={events}>
          {(list) =>
            list.length === 0 ? (
              <Empty>No events yet: chat proposes them with !event add.</Empty>
            ) : (
              <DataTable
                caption="Events"
                rows={list}
                rowKey={(e) => String(e.number)}
                rowProps={(e) => ({ "data-event": String(e.number), "data-status": e.status })}
                columns={[
                  { label: "#", cell: (e) => e.number },
                  { label: "Title", wrap: true, cell: (e) => e.title },
                  { label: "Starts", cell: (e) => showWhen(Date.parse(e.startsAt), e.timeZone) },
                  { label: "Status", cell: (e) => e.status },
                  { label: "Proposed by", cell: (e) => e.proposedBy },
                  { label: "Going", cell: (e) => e.going },
                  moderate && {
                    label: "Actions",
                    actions: true,
                    cell: (e) => (
                      <>
                        {e.status === "pending" && (
                          <>
                            <button type="button" disabled={action.busy} onClick={() => decide(e, "approve")}>
                              Approve<span className="visually-hidden"> event {e.number}</span>
                            </button>
                            <button
                              type="button"
                              className="secondary"
                              disabled={action.busy}
                              onClick={() => decide(e, "reject")}
                            >
                              Reject<span className="visually-hidden"> event {e.number}</span>
                            </button>
                          </>
                        )}
                        <button type="button" className="danger" disabled={action.busy} onClick={() => remove(e)}>
                          Remove<span className="visually-hidden"> event {e.number}</span>
                        </button>
                      </>
                    ),
                  },
                ]}
              />
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}
