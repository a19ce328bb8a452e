/**
 * The overlay page's only script, served same-origin at /overlay/assets/overlay.js so the
 * page's CSP can be `script-src 'self'` (no inline script, no handler attributes, nothing
 * from content ever runs). Plain browser JavaScript, kept as text: the worker bundle must not
 * rewrite it. It reads the overlay type from <body data-type>, connects to `<page URL>/ws`,
 * resumes with `?since=<last seq>` after any drop (exponential backoff with jitter, capped),
 * sends a heartbeat, and renders ticker / media / general messages.
 *
 * For tests and debugging, <body> carries data-state (connecting | live | reconnecting |
 * revoked), data-last-seq and data-last-close (the last close code).
 */
export const OVERLAY_SCRIPT = String.raw`(() => {
  "use strict";
  const HEARTBEAT_MS = 20000;
  const PONG_TIMEOUT_MS = 10000;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 15000;
  const TICKER_QUEUE_MAX = 100;
  /** The room closes pages of a rotated-away URL with this code: that URL will never work again. */
  const CLOSE_TOKEN_ROTATED = 4001;

  const body = document.body;
  const type = body.dataset.type;
  const $ = (id) => document.getElementById(id);
  let socket = null;
  let lastSeq = null;
  let floor = -1;
  let attempt = 0;
  let reconnectTimer = 0;
  let heartbeatTimer = 0;
  let pongTimer = 0;

  const setState = (state) => { body.dataset.state = state; };

  function socketUrl() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const path = location.pathname.replace(/\/+$/, "") + "/ws";
    return proto + "//" + location.host + path + (lastSeq === null ? "" : "?since=" + lastSeq);
  }

  function connect() {
    clearTimeout(reconnectTimer);
    setState(lastSeq === null ? "connecting" : "reconnecting");
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onmessage = (event) => {
      if (ws !== socket) return;
      clearTimeout(pongTimer);
      receive(event.data);
    };
    ws.onclose = (event) => {
      if (ws !== socket) return;
      body.dataset.lastClose = String(event.code);
      if (event.code === CLOSE_TOKEN_ROTATED) return revoke();
      drop();
    };
    ws.onerror = () => {
      try { ws.close(); } catch {}
    };
  }

  /** Forget the current socket (whatever state it is in) and try again after a backoff. */
  function drop() {
    const ws = socket;
    socket = null;
    clearInterval(heartbeatTimer);
    clearTimeout(pongTimer);
    if (ws) { try { ws.close(); } catch {} }
    setState("reconnecting");
    scheduleReconnect();
  }

  /** This URL was replaced in the portal: stop, and show nothing (OBS needs the new URL). */
  function revoke() {
    socket = null;
    clearInterval(heartbeatTimer);
    clearTimeout(pongTimer);
    clearTimeout(reconnectTimer);
    setState("revoked");
    for (const id of ["ticker", "media", "general"]) {
      const el = $(id);
      if (el) el.hidden = true;
    }
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    attempt = Math.min(attempt + 1, 10);
    // Jitter: many browser sources coming back after the same blip must not arrive together.
    reconnectTimer = setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2));
  }

  function startHeartbeat() {
    clearInterval(heartbeatTimer);
    heartbeatTimer = setInterval(() => {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send("ping");
      clearTimeout(pongTimer);
      // No answer in time: the connection is dead even if the browser has not noticed.
      pongTimer = setTimeout(drop, PONG_TIMEOUT_MS);
    }, HEARTBEAT_MS);
  }

  function receive(text) {
    if (text === "pong") return;
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.op === "hello") {
      // Resuming: skip anything at or below what was already shown. First load or a reset
      // room: take everything the room sends (its current state).
      floor = lastSeq === null || msg.reset ? -1 : lastSeq;
      lastSeq = msg.seq;
      attempt = 0;
      body.dataset.lastSeq = String(lastSeq);
      setState("live");
      startHeartbeat();
      return;
    }
    if (msg.op !== "msg" || msg.type !== type || msg.seq <= floor) return;
    lastSeq = Math.max(lastSeq ?? 0, msg.seq);
    body.dataset.lastSeq = String(lastSeq);
    try { render[type](msg.data || {}, msg.at || Date.now()); } catch (err) { console.error("overlay render failed", err); }
  }

  // ---- ticker: one message at a time, each for its duration ----
  const queue = [];
  let showing = false;
  const LABELS = { info: "", alert: "Alert", follow: "Follow", subscribe: "Sub", subscription_gift: "Gift", raid: "Raid", cheer: "Cheer" };

  function nextTicker() {
    const item = queue.shift();
    const host = $("ticker");
    if (!item) { showing = false; return; }
    showing = true;
    const el = document.createElement("div");
    el.className = "ticker-item kind-" + (item.kind || "info");
    const label = LABELS[item.kind] || "";
    if (label) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = label;
      el.appendChild(badge);
    }
    const viewport = document.createElement("span");
    viewport.className = "viewport";
    const textEl = document.createElement("span");
    textEl.className = "text";
    textEl.textContent = item.text || "";
    viewport.appendChild(textEl);
    el.appendChild(viewport);
    host.replaceChildren(el);
    const duration = Math.max(1000, Number(item.durationMs) || 6000);
    const overflow = textEl.scrollWidth - viewport.clientWidth;
    if (overflow > 0) {
      // Too long for the bar: scroll it through once, within the message's duration.
      textEl.style.setProperty("--shift", -overflow - 24 + "px");
      textEl.style.animationDuration = duration - 1200 + "ms";
      textEl.classList.add("scroll");
    }
    requestAnimationFrame(() => el.classList.add("shown"));
    setTimeout(() => {
      el.classList.remove("shown");
      el.classList.add("leaving");
      setTimeout(() => { el.remove(); nextTicker(); }, 450);
    }, duration);
  }

  // ---- media: now playing, with a progress bar that keeps running ----
  let mediaTimer = 0;
  const fmt = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  };

  // ---- general: sanitised HTML (the server sanitises; the CSP stops anything that slipped) ----
  const render = {
    ticker(data) {
      queue.push(data);
      if (queue.length > TICKER_QUEUE_MAX) queue.shift();
      if (!showing) nextTicker();
    },
    media(data, at) {
      const card = $("media");
      clearInterval(mediaTimer);
      $("media-title").textContent = data.title || "";
      $("media-artist").textContent = [data.artist, data.album].filter(Boolean).join(" \u2014 ");
      const art = $("media-art");
      if (data.artUrl) { art.src = data.artUrl; card.classList.remove("no-art"); }
      else { art.removeAttribute("src"); card.classList.add("no-art"); }
      const duration = Number(data.durationMs) || 0;
      card.classList.toggle("no-duration", !duration);
      const started = Math.min(at, Date.now()) - (Number(data.positionMs) || 0);
      const tick = () => {
        if (!duration) return;
        const pos = Math.min(duration, Date.now() - started);
        $("media-bar").style.transform = "scaleX(" + (pos / duration).toFixed(4) + ")";
        $("media-pos").textContent = fmt(pos);
        $("media-dur").textContent = fmt(duration);
        // A few seconds after the track ends, the card goes.
        if (Date.now() - started > duration + 5000) { card.classList.remove("shown"); clearInterval(mediaTimer); }
      };
      tick();
      mediaTimer = setInterval(tick, 250);
      if (!duration || Date.now() - started <= duration + 5000) card.classList.add("shown");
    },
    general(data) {
      const panel = $("general");
      $("general-title").textContent = data.title || "";
      $("general-title").hidden = !data.title;
      $("general-body").innerHTML = data.html || "";
      panel.classList.toggle("shown", Boolean(data.title || data.html));
    },
  };

  window.addEventListener("online", () => { if (!socket && body.dataset.state !== "revoked") connect(); });
  connect();
})();
`;
