/* ExamDesk proctor console: the live room grid, countdowns, and the action forms.
   No framework, no build step; text goes in through textContent only (nothing a candidate sends is HTML). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var M = data.messages || {};
  var offset = data.now_ms - Date.now();          // server clock - this computer's clock
  var POLL_MS = 3000, MAX_POLL_MS = 30000;

  function t(key, vals) {
    var s = M[key];
    if (s === undefined) { return key; }
    if (vals) { s = s.replace(/\{(\w+)(?::[^}]*)?\}/g, function (m, k) { return k in vals ? vals[k] : m; }); }
    return s;
  }
  function serverNow() { return Date.now() + offset; }
  function noteServerTime(resp) {
    var h = resp.headers.get("X-Server-Time-Ms");
    if (h) { offset = Number(h) - Date.now(); }
  }
  var timeFmt = new Intl.DateTimeFormat(data.lang === "zh" ? "zh-CN" : "en-GB",
    {timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});
  function hms(ms) { return timeFmt.format(new Date(ms)); }
  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    s = s % 60;
    return (h ? h + ":" : "") + (h && m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  /* -- the clock in the header ------------------------------------------------------------- */
  var clock = document.getElementById("server-clock");
  function tickClock() { if (clock) { clock.textContent = hms(serverNow()); } }
  tickClock();
  setInterval(tickClock, 1000);

  /* -- the room grid ------------------------------------------------------------------------- */
  var GOOD = {ok: 1, live: 1, on: 1, online: 1, connected: 1, streaming: 1};
  var BAD = {lost: 1, failed: 1, off: 1, offline: 1, denied: 1, missing: 1, stalled: 1, error: 1, disconnected: 1,
    stopped: 1, frozen: 1, hidden: 1};
  function deviceClass(v) { return GOOD[v] ? "good" : BAD[v] ? "bad" : "unknown"; }
  var STATE_ORDER = {offline: 0, handing_in: 1, in_exam: 2, checking: 3, waiting: 4, not_logged_in: 5, submitted: 6};

  function timeText(c) {
    var now = serverNow();
    if (c.state === "submitted") { return t("grid.since", {t: hms(c.since_ms)}); }
    if (c.status === "scheduled") { return t("grid.starts_in") + " " + duration(c.start_at_ms - now); }
    if (c.ended_at_ms || c.status === "ended") { return t("grid.ended"); }
    var left = c.deadline_ms - now;
    return left > 0 ? t("grid.left") + " " + duration(left) : t("grid.over");
  }

  function card(c, compact) {
    var a = el("a", "cand state-" + c.state + " band-" + c.flags.band);
    a.href = "/console/sittings/" + encodeURIComponent(c.sitting_id);
    a.dataset.sittingId = c.sitting_id;
    a.dataset.state = c.state;
    if (!compact) {
      var snap = el("div", "snap");
      if (c.snapshot) {
        var img = images[c.snapshot.url];   // the same picture: the same element, not a new request
        if (!img) {
          img = el("img");
          img.src = c.snapshot.url;
          img.alt = "";
          img.loading = "lazy";
        }
        seen[c.snapshot.url] = img;
        snap.appendChild(img);
        snap.appendChild(el("span", "snap-time", hms(c.snapshot.at_ms)));
      } else { snap.appendChild(el("span", "muted", t("grid.no_snapshot"))); }
      a.appendChild(snap);
    }
    var who = el("div", "who");
    who.appendChild(el("b", "name", c.name));
    who.appendChild(el("span", "ticket", c.ticket));
    if (c.retake) { who.appendChild(el("span", "tag retake", t("grid.retake"))); }
    a.appendChild(who);
    var st = el("div", "state");
    st.appendChild(el("span", "dot state-" + c.state));
    var label = t("state." + c.state);
    if (c.state === "offline") { label = t("grid.offline_since", {t: hms(c.since_ms)}); }
    st.appendChild(el("span", "state-label", label));
    a.appendChild(st);
    a.appendChild(el("div", "time", timeText(c)));
    if (compact && c.state !== "offline") {
      var bad = el("div", "bad-devices");
      ["camera", "microphone", "phone", "lockdown"].forEach(function (d) {
        var v = c.devices[d] || "";
        if (deviceClass(v) === "bad") {
          var s = el("span", "device bad", t("device." + d) + " " + (M["dev." + v] || v));
          s.dataset.device = d;
          bad.appendChild(s);
        }
      });
      if (bad.childNodes.length) { a.appendChild(bad); }
    }
    if (!compact) {
      var dev = el("div", "devices");
      ["camera", "microphone", "phone", "lockdown"].forEach(function (d) {
        var v = c.devices[d] || "";
        var s = el("span", "device " + (c.state === "offline" ? "stale" : deviceClass(v)));
        s.dataset.device = d;
        s.dataset.value = v;
        s.title = t("device." + d) + ": " + (M["dev." + v] || v || "—");
        s.textContent = t("device." + d);
        dev.appendChild(s);
      });
      a.appendChild(dev);
      a.appendChild(el("div", "pending" + (c.pending_ops || c.pending_uploads ? " has-pending" : ""),
        c.pending_ops || c.pending_uploads ? t("grid.pending", {ops: c.pending_ops, uploads: c.pending_uploads}) : t("grid.all_sent")));
    }
    var fl = el("div", "flags");
    if (c.flags.open) {
      fl.appendChild(el("span", "band band-" + c.flags.band, t("band." + c.flags.band) + " " + c.flags.priority));
      fl.appendChild(el("span", "open-flags", t("grid.flags", {n: c.flags.open})));
    }
    if (c.flags.concern) { fl.appendChild(el("span", "concern", t("grid.concern", {n: c.flags.concern}))); }
    if (c.commands_unread) { fl.appendChild(el("span", "unread", t("grid.unread", {n: c.commands_unread}))); }
    a.appendChild(fl);
    return a;
  }

  var gridBody = null, sortBy = "ticket", byId = {}, images = {}, seen = {};
  function sorted(rows) {
    var out = rows.slice();
    if (sortBy === "priority") { out.sort(function (x, y) { return y.flags.priority - x.flags.priority || (x.ticket < y.ticket ? -1 : 1); }); }
    if (sortBy === "state") { out.sort(function (x, y) { return STATE_ORDER[x.state] - STATE_ORDER[y.state] || (x.ticket < y.ticket ? -1 : 1); }); }
    return out;
  }
  function renderGrid() {
    if (!gridBody) { return; }
    byId = {};
    seen = {};
    gridBody.rooms.forEach(function (room) {
      var box = document.querySelector('[data-grid-room="' + CSS.escape(room.room_id) + '"]');
      if (box) {
        var frag = document.createDocumentFragment();
        sorted(room.candidates).forEach(function (c) {
          c.start_at_ms = room.start_at_ms;
          byId[c.sitting_id] = c;
          frag.appendChild(card(c, data.compact));
        });
        if (!room.candidates.length) { frag.appendChild(el("p", "muted", t("grid.empty"))); }
        box.replaceChildren(frag);
      }
      document.querySelectorAll('[data-counts-for="' + CSS.escape(room.room_id) + '"]').forEach(function (span) {
        var parts = [];
        Object.keys(room.counts).forEach(function (k) { if (room.counts[k]) { parts.push(t("state." + k) + " " + room.counts[k]); } });
        span.textContent = parts.join(" · ");
      });
    });
    images = seen;
  }
  function tickGrid() {
    if (!gridBody) { return; }
    document.querySelectorAll(".cand").forEach(function (a) {
      var c = byId[a.dataset.sittingId];
      if (c) { a.querySelector(".time").textContent = timeText(c); }
    });
  }

  function startGrid() {
    var etag = null, wait = POLL_MS, failures = 0;
    var stale = document.getElementById("grid-stale"), updated = document.getElementById("grid-updated");
    var sel = document.getElementById("grid-sort");
    if (sel) { sel.addEventListener("change", function () { sortBy = sel.value; renderGrid(); }); }
    function poll() {
      var headers = {"Accept": "application/json"};
      if (etag) { headers["If-None-Match"] = etag; }
      fetch(data.grid_url, {headers: headers, credentials: "same-origin", cache: "no-store"}).then(function (resp) {
        noteServerTime(resp);
        if (resp.status === 401) { location.href = "/console/login?why=auth.expired&next=" + encodeURIComponent(location.pathname); return null; }
        if (resp.status === 304) { return null; }
        if (!resp.ok) { throw new Error("HTTP " + resp.status); }
        etag = resp.headers.get("ETag");
        return resp.json();
      }).then(function (body) {
        if (body) { gridBody = body; renderGrid(); }
        failures = 0;
        wait = POLL_MS;
        if (stale) { stale.hidden = true; }
        if (updated) { updated.textContent = t("grid.updated", {t: hms(serverNow())}); }
        document.body.dataset.gridVersion = gridBody ? gridBody.version : "";
      }).catch(function () {
        failures += 1;
        wait = Math.min(MAX_POLL_MS, wait * 2);
        if (stale && failures >= 2) { stale.hidden = false; }
      }).then(function () { setTimeout(poll, wait); });
    }
    poll();
    setInterval(tickGrid, 1000);
  }
  if (data.grid_url) { startGrid(); }

  /* -- a sitting: countdown, evidence players, action forms -------------------------------- */
  var left = document.getElementById("time-left"), deadline = document.getElementById("deadline");
  if (left && deadline) {
    var dl = Number(deadline.dataset.deadlineMs);
    var tickLeft = function () {
      var ms = dl - serverNow();
      left.textContent = ms > 0 ? t("grid.left") + " " + duration(ms) : t("grid.over");
    };
    tickLeft();
    setInterval(tickLeft, 1000);
  }
  document.querySelectorAll("video.snippet, audio.snippet").forEach(function (v) {
    var start = Number(v.dataset.startS || 0);
    if (start > 0) {   // open at the moment the condition began, a second before
      v.addEventListener("loadedmetadata", function () { if (v.currentTime === 0) { v.currentTime = start; } }, {once: true});
    }
    v.addEventListener("error", function () {
      var note = v.parentNode.querySelector(".codec-note");
      if (note) { note.hidden = false; }
      v.classList.add("unplayable");
    });
  });

  var result = document.getElementById("action-result");
  function show(ok, text) {
    if (!result) { return; }
    result.hidden = false;
    result.className = "action-result " + (ok ? "ok" : "failed");
    result.textContent = text;
  }
  function fields(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.type === "file" || (e.type === "radio" && !e.checked)) { return; }
      out[e.name] = e.type === "number" ? Number(e.value) : e.value;
    });
    return out;
  }
  function readFile(input) {
    return new Promise(function (resolve, reject) {
      var f = input.files && input.files[0];
      if (!f) { reject(new Error(t("act.bad_file"))); return; }
      var r = new FileReader();
      r.onload = function () {
        try { resolve(JSON.parse(r.result)); } catch (e) { reject(new Error(t("act.bad_file"))); }
      };
      r.onerror = function () { reject(new Error(t("act.bad_file"))); };
      r.readAsText(f);
    });
  }
  function done(kind, body) {
    if (kind === "message") { return t("act.sent"); }
    if (kind === "extend") { return t("act.extended", {t: hms(body.deadline_ms)}); }
    if (kind === "end") { return t("act.ended"); }
    if (kind === "review") { return t("act.reviewed"); }
    if (kind === "hand_in") { return t("act.handed_in", {late: body.receipt && body.receipt.late ? t("act.late") : ""}); }
    return t("act.done");
  }
  document.querySelectorAll("form.action-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
      var kind = form.dataset.kind, button = form.querySelector("button[type=submit]");
      var body = fields(form);
      var prepared = Promise.resolve(body);
      if (kind === "hand_in") {
        prepared = readFile(form.querySelector("input[type=file]")).then(function (sealed) { return {sealed: sealed, reason: body.reason}; });
      }
      if (button) { button.disabled = true; }
      prepared.then(function (payload) {
        return fetch(form.dataset.action, {method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRF-Token": data.csrf}, body: JSON.stringify(payload)});
      }).then(function (resp) {
        noteServerTime(resp);
        return resp.json().then(function (b) { return {ok: resp.ok, body: b}; });
      }).then(function (r) {
        if (!r.ok) {
          var e = r.body && r.body.error;
          throw new Error(e ? (data.lang === "zh" ? e.message_zh : e.message_en) : "?");
        }
        show(true, done(kind, r.body));
        document.body.dataset.lastAction = kind;
        setTimeout(function () { location.reload(); }, 900);
      }).catch(function (e) {
        show(false, t("act.failed", {msg: e.message}));
      }).then(function () { if (button) { button.disabled = false; } });
    });
  });

  /* -- the phone's live picture, every 3 s while the page is open ------------------------- */
  var live = document.getElementById("phone-live");
  if (live) {
    var n = 0;
    setInterval(function () { n += 1; live.src = live.dataset.src + "?n=" + n; }, 3000);
  }

  /* -- the flag queue: fresh every 30 s, unless someone is typing ------------------------- */
  if (data.page === "flags") {
    setInterval(function () {
      var a = document.activeElement;
      if (!a || !/INPUT|TEXTAREA|SELECT/.test(a.tagName)) { location.reload(); }
    }, 30000);
  }
}());
