/* ExamDesk phone page: the second camera. Rear camera only, never the microphone; a reduced JPEG every few
   seconds by plain HTTPS POST with a small status beat; Screen Wake Lock requested again after every
   visibilitychange; what interrupted the feed is reported when it resumes. Protocol: docs/protocol.md, "Phone". */
(function () {
  "use strict";

  var T = {
    zh: {
      title: "第二机位（手机）",
      who: "考生 {name} · 准考证尾号 {tail} · {title}",
      guideTitle: "摆放手机",
      guideAlt: "俯视图：手机放在考生身后一侧约 45°、至少 1.5 米处，拍到考生、桌面和电脑屏幕",
      guide1: "放在您的身后一侧，与您成约 45°，距离至少 1.5 米。",
      guide2: "画面中要能看到您本人、桌面和电脑屏幕。",
      guide3: "手机横放，用支架固定，后置摄像头对准您和电脑。",
      guide4: "接上充电器；开启勿扰模式并拒接来电；关闭闹钟、音乐和录屏。",
      guide5: "本页面只使用后置摄像头，从不使用麦克风。考试期间不要锁屏，也不要切换到其他应用。",
      start: "开始拍摄",
      startNote: "点击后浏览器会请求使用摄像头，请选择“允许”。",
      rotate: "请把手机横过来放置",
      claiming: "正在连接考试服务器…",
      opening: "正在打开后置摄像头…",
      liveSetup: "画面已连接：请看电脑屏幕上的画面，调整手机位置。",
      liveExam: "正在拍摄，画面正常发送。请勿移动或触碰手机。",
      offline: "网络中断，正在重试…（画面恢复前会一直重试）",
      hidden: "页面不在前台：请回到本页面。",
      resumed: "画面曾中断约 {s} 秒（{reason}），现已恢复。",
      r_hidden: "页面被切到后台、锁屏或来电",
      r_suspended: "手机暂停了本页面（锁屏或省电）",
      r_frozen: "浏览器冻结了本页面",
      r_network: "网络中断",
      r_camera: "摄像头被其他应用占用或中断",
      r_wake_lock: "屏幕常亮被取消",
      r_unknown: "原因不明",
      factSent: "已发送",
      factEvery: "频率",
      factBattery: "电量",
      factWake: "屏幕常亮",
      every: "每 {n} 秒一张",
      frames: "{n} 张",
      charging: "（充电中）",
      batteryUnknown: "浏览器未提供",
      batteryLow: "电量低，请接上充电器",
      wake_held: "已开启",
      wake_released: "已取消，正在重新开启…",
      wake_unsupported: "浏览器不支持：请在手机设置中把“自动锁屏”设为“永不”",
      wake_failed: "未能开启：请在手机设置中把“自动锁屏”设为“永不”",
      wake_unknown: "—",
      keep: "请让本页面一直在前台、屏幕常亮，直到考试结束。",
      p_insecure: "需要安全连接（HTTPS）",
      p_insecureText: "浏览器只在 https:// 安全连接下允许使用摄像头。请用手机扫描电脑上的二维码打开本页面。",
      p_nolink: "缺少配对码",
      p_nolinkText: "请用手机扫描电脑上显示的二维码来打开本页面。",
      p_denied: "摄像头权限被拒绝",
      p_deniedText: "请允许本网站使用摄像头，然后刷新页面。iPhone：设置 › Safari 浏览器 › 摄像头 › 允许；安卓 Chrome：点地址栏左侧的图标 › 权限 › 摄像头 › 允许。",
      p_nocamera: "找不到后置摄像头",
      p_nocameraText: "本页面只使用手机的后置摄像头。请换用有后置摄像头的手机。",
      p_front: "这是前置摄像头",
      p_frontText: "本页面只能使用后置摄像头，请换用有后置摄像头的手机或浏览器。",
      p_camera: "摄像头无法打开",
      p_cameraText: "请关闭其他正在使用摄像头的应用（视频通话、相机），然后刷新页面。（{detail}）",
      p_refused: "无法配对",
      p_refusedHint: "请在电脑上点击“生成新的二维码”，再用手机扫描。",
      p_ended: "拍摄已结束",
      p_server: "服务器暂时无法连接，请稍后刷新页面。",
      certTitle: "手机提示“此连接不安全”或“证书无效”？",
      certText: "考点或试考用的服务器可能使用自建证书。请先在手机上安装并信任它（只需一次），再重新扫描二维码：",
      certIos: "iPhone / iPad：用 Safari 点击下方“下载证书”并允许 → 打开“设置 › 通用 › VPN 与设备管理”，安装“ExamDesk local CA” → 再到“设置 › 通用 › 关于本机 › 证书信任设置”，为它打开“完全信任”。",
      certAndroid: "安卓：点击“下载证书” → 打开“设置 › 安全 › 更多安全设置 › 加密与凭据 › 安装证书 › CA 证书”，选择下载的 examdesk-ca.crt 并确认；请使用 Chrome 浏览器。",
      caLink: "下载证书（examdesk-ca.crt）",
      certNote: "正式考试的服务器使用公认的证书，不会出现这个提示。"
    },
    en: {
      title: "Second camera (phone)",
      who: "Candidate {name} · ticket …{tail} · {title}",
      guideTitle: "Place the phone",
      guideAlt: "Top view: the phone behind the candidate, to one side at about 45°, at least 1.5 m away, filming the candidate, the desk and the screen",
      guide1: "Behind you, to one side, at about 45°, at least 1.5 m away.",
      guide2: "The picture must show you, the desk and the computer screen.",
      guide3: "Sideways (landscape) on a stand, the rear camera facing you and the computer.",
      guide4: "Plug in the charger; turn on Do Not Disturb and reject calls; no alarms, music or screen recording.",
      guide5: "This page uses the rear camera only, never the microphone. Do not lock the screen or switch apps during the exam.",
      start: "Start the camera",
      startNote: "Your browser will ask to use the camera: choose Allow.",
      rotate: "Turn the phone sideways",
      claiming: "Connecting to the exam server…",
      opening: "Opening the rear camera…",
      liveSetup: "Connected: look at the picture on the computer and adjust the phone.",
      liveExam: "Filming; pictures are being sent. Do not move or touch the phone.",
      offline: "Network lost; retrying… (it keeps trying until the feed is back)",
      hidden: "This page is not in front: come back to it.",
      resumed: "The feed was interrupted for about {s} s ({reason}) and is back.",
      r_hidden: "page in the background, screen locked or a call",
      r_suspended: "the phone paused this page (screen lock or power saving)",
      r_frozen: "the browser froze this page",
      r_network: "network lost",
      r_camera: "the camera was taken by another app or stopped",
      r_wake_lock: "keep-screen-on was cancelled",
      r_unknown: "unknown cause",
      factSent: "Sent",
      factEvery: "Rate",
      factBattery: "Battery",
      factWake: "Screen stays on",
      every: "one every {n} s",
      frames: "{n} pictures",
      charging: " (charging)",
      batteryUnknown: "not reported by this browser",
      batteryLow: "low: plug in the charger",
      wake_held: "on",
      wake_released: "cancelled, turning it on again…",
      wake_unsupported: "not supported: set Auto-Lock to Never in the phone's settings",
      wake_failed: "could not turn on: set Auto-Lock to Never in the phone's settings",
      wake_unknown: "—",
      keep: "Keep this page in front with the screen on until the exam ends.",
      p_insecure: "A secure connection (HTTPS) is needed",
      p_insecureText: "Browsers allow the camera only over https://. Open this page by scanning the code shown on the computer.",
      p_nolink: "No pairing code",
      p_nolinkText: "Open this page by scanning the code shown on the computer.",
      p_denied: "Camera permission denied",
      p_deniedText: "Allow this site to use the camera, then reload. iPhone: Settings › Safari › Camera › Allow; Android Chrome: tap the icon left of the address › Permissions › Camera › Allow.",
      p_nocamera: "No rear camera found",
      p_nocameraText: "This page uses the phone's rear camera only. Use a phone with a rear camera.",
      p_front: "This is the front camera",
      p_frontText: "This page can use the rear camera only; use a phone or browser that offers it.",
      p_camera: "The camera could not be opened",
      p_cameraText: "Close other apps that use the camera (video calls, the camera app), then reload. ({detail})",
      p_refused: "Pairing refused",
      p_refusedHint: "On the computer, choose “Show a new code” and scan it with the phone.",
      p_ended: "Filming has ended",
      p_server: "The server cannot be reached right now; reload the page in a moment.",
      certTitle: "Does the phone warn that the connection or certificate is not safe?",
      certText: "A test centre's or trial server may use its own certificate. Install and trust it on the phone once, then scan the code again:",
      certIos: "iPhone / iPad: in Safari tap “Download the certificate” and allow it → Settings › General › VPN & Device Management: install “ExamDesk local CA” → Settings › General › About › Certificate Trust Settings: turn on full trust for it.",
      certAndroid: "Android: tap “Download the certificate” → Settings › Security › More security settings › Encryption & credentials › Install a certificate › CA certificate, pick examdesk-ca.crt and confirm; use Chrome.",
      caLink: "Download the certificate (examdesk-ca.crt)",
      certNote: "The servers of formal exams use publicly trusted certificates: this warning does not appear there."
    }
  };

  var STORE = "examdesk-phone";
  var lang = pickLang();
  var S = {
    key: null, sitting: null, seq: 0, sent: 0, interval: 4000, maxWidth: 480, quality: 0.6, mode: "exam",
    stream: null, track: null, facing: "unknown", running: false, timer: null, busy: false,
    wakeLock: null, wake: "unknown", battery: null,
    lastTick: 0, hiddenAt: null, netDownAt: null, cameraDownAt: null, signals: [],
    state: "", stateClass: "", lastResume: null, stopped: false
  };
  var canvas = document.createElement("canvas");

  function $(id) { return document.getElementById(id); }
  function fmt(s, args) {
    return String(s).replace(/\{(\w+)\}/g, function (_m, k) { return args && k in args ? String(args[k]) : ""; });
  }
  function t(key, args) { return fmt((T[lang] && T[lang][key]) || T.zh[key] || key, args); }
  function pickLang() {
    var saved = null;
    try { saved = window.localStorage.getItem("examdesk-lang"); } catch (e) { saved = null; }
    if (saved === "zh" || saved === "en") { return saved; }
    return /[#&]lang=en\b/.test(location.hash) ? "en" : "zh";
  }

  // -- rendering --------------------------------------------------------------------------------------
  function render() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = "ExamDesk · " + t("title");
    var nodes = document.querySelectorAll("[data-t]");
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = t(nodes[i].getAttribute("data-t")); }
    $("guideImg").setAttribute("alt", t("guideAlt"));
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    $("lang").setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
    if (S.sitting) {
      $("who").textContent = t("who", {name: S.sitting.candidate, tail: S.sitting.ticket_tail, title: S.sitting.title});
      $("who").hidden = false;
    }
    renderState();
    if (S.problem) { showProblem(S.problem.title, S.problem.text, S.problem.server); }
  }

  function renderState() {
    if (!S.running) { return; }
    var key = S.state || "opening";
    var el = $("state");
    el.textContent = t(key);
    el.className = "state " + (S.stateClass || "");
    $("factSent").textContent = t("frames", {n: S.sent});
    $("factEvery").textContent = t("every", {n: Math.round(S.interval / 100) / 10});
    var b = S.battery;
    if (b) {
      var pct = Math.round(b.level * 100) + "%";
      var low = b.level < 0.15 && !b.charging;
      $("factBattery").textContent = pct + (b.charging ? t("charging") : "") + (low ? " · " + t("batteryLow") : "");
    } else {
      $("factBattery").textContent = t("batteryUnknown");
    }
    $("factWake").textContent = t("wake_" + S.wake);
    if (S.lastResume) {
      $("resumed").textContent = t("resumed", {s: Math.max(1, Math.round(S.lastResume.duration_ms / 1000)),
        reason: t("r_" + S.lastResume.reason)});
      $("resumed").hidden = false;
    }
    $("rotate").hidden = !(window.innerHeight > window.innerWidth);
  }

  function setState(key, cls) {
    S.state = key;
    S.stateClass = cls || "";
    renderState();
  }

  function showProblem(titleKey, textKey, server) {
    S.problem = {title: titleKey, text: textKey, server: server};
    var text = textKey ? t(textKey, server) : "";
    if (server && (server.message_zh || server.message_en)) {
      text = (lang === "zh" ? server.message_zh : server.message_en) || server.message_zh || server.message_en;
      if (server.hint) { text += " " + t(server.hint); }
    }
    $("problemTitle").textContent = t(titleKey);
    $("problemText").textContent = text;
    $("problem").hidden = false;
  }

  // -- talking to the server ------------------------------------------------------------------------------
  function ApiFailure(status, body) {
    var err = (body && body.error) || {};
    this.status = status;
    this.code = err.code || (status ? "http." + status : "network");
    this.message_zh = err.message_zh || "";
    this.message_en = err.message_en || "";
  }

  function call(path, options) {
    var opts = options || {};
    var headers = opts.headers || {};
    if (S.key) { headers.Authorization = "Bearer " + S.key; }
    return fetch(path, {method: opts.method || "POST", headers: headers, body: opts.body, keepalive: !!opts.keepalive,
      cache: "no-store", credentials: "omit"}).then(function (resp) {
      return resp.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!resp.ok) { throw new ApiFailure(resp.status, body); }
        return body;
      });
    }, function () { throw new ApiFailure(0, null); });
  }

  function beat(kind, extra, keepalive) {
    if (!S.key || S.stopped) { return Promise.resolve(null); }
    var body = {event: kind, visibility: document.visibilityState === "hidden" ? "hidden" : "visible"};
    if (S.battery) { body.battery_level = S.battery.level; body.charging = !!S.battery.charging; }
    body.wake_lock = S.wake;
    body.facing = S.facing;
    if (extra) { for (var k in extra) { if (Object.prototype.hasOwnProperty.call(extra, k)) { body[k] = extra[k]; } } }
    return call("/api/v1/phone/status", {headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      keepalive: keepalive}).then(applyPacing, handleFailure);
  }

  function applyPacing(p) {
    if (!p) { return; }
    if (p.next_in_ms >= 200 && p.next_in_ms <= 60000) { S.interval = p.next_in_ms; }
    if (p.max_width >= 120 && p.max_width <= 1920) { S.maxWidth = p.max_width; }
    if (p.quality > 0 && p.quality <= 1) { S.quality = p.quality; }
    S.mode = p.mode === "setup" ? "setup" : "exam";
  }

  function handleFailure(err) {
    if (!(err instanceof ApiFailure)) { return; }
    if (err.status === 401 || err.status === 410) {       // unpaired, replaced by a newer phone, exam over
      stopAll();
      try { window.sessionStorage.removeItem(STORE); } catch (e) { /* private mode */ }
      var over = err.code === "phone.sitting_over" || err.code === "phone.replaced";
      showProblem(over ? "p_ended" : "p_refused", null, {message_zh: err.message_zh, message_en: err.message_en,
        hint: over ? null : "p_refusedHint"});
      setState(over ? "p_ended" : "p_refused", "bad");
      return;
    }
    if (err.status === 0 || err.status >= 500 || err.status === 429) {
      if (S.netDownAt === null) { S.netDownAt = performance.now(); addSignal(err.status ? "server" : "offline"); }
      setState("offline", "warn");
    }
  }

  // -- interruptions: noted while they last, reported when the feed is back ---------------------------
  function addSignal(s) { if (S.signals.indexOf(s) < 0 && S.signals.length < 8) { S.signals.push(s); } }

  function resumed(reason, since) {
    var gap = {reason: reason, duration_ms: Math.max(0, Math.round(performance.now() - since)),
      signals: S.signals.slice(0, 8)};
    S.signals = [];
    S.lastResume = gap;
    beat("interrupted", {interruption: gap});
    renderState();
  }

  // -- the camera: rear only, never audio ------------------------------------------------------------------
  function openCamera() {
    var md = navigator.mediaDevices;
    var size = {width: {ideal: 1280}, height: {ideal: 720}};
    var rear = {audio: false, video: {facingMode: {exact: "environment"}, width: size.width, height: size.height}};
    return md.getUserMedia(rear).then(function (stream) { S.facing = "environment"; return stream; }, function (e) {
      if (e && (e.name === "OverconstrainedError" || e.name === "ConstraintNotSatisfiedError")) {
        // no camera reports facing "environment": take the one preferring it, and refuse a front camera
        var preferred = {audio: false, video: {facingMode: {ideal: "environment"}, width: size.width, height: size.height}};
        return md.getUserMedia(preferred).then(function (stream) {
          var track = stream.getVideoTracks()[0];
          var facing = (track && track.getSettings && track.getSettings().facingMode) || "unknown";
          if (facing === "user") {
            stream.getTracks().forEach(function (x) { x.stop(); });
            var err = new Error("front camera");
            err.name = "FrontCamera";
            throw err;
          }
          S.facing = facing === "environment" ? "environment" : "unknown";
          return stream;
        });
      }
      throw e;
    }).then(function (stream) {
      var track = stream.getVideoTracks()[0];
      S.stream = stream;
      S.track = track;
      track.addEventListener("ended", function () { cameraDown("ended"); });
      track.addEventListener("mute", function () { cameraDown("muted"); });
      track.addEventListener("unmute", function () { cameraUp(); });
      var video = $("video");
      video.srcObject = stream;
      var played = video.play();
      return played && played.then ? played.then(function () { return stream; }, function () { return stream; }) : stream;
    });
  }

  function cameraDown(signal) {
    if (S.cameraDownAt === null) { S.cameraDownAt = performance.now(); }
    addSignal("camera_" + signal);
  }

  function cameraUp() {
    if (S.cameraDownAt !== null) { var since = S.cameraDownAt; S.cameraDownAt = null; resumed("camera", since); }
  }

  function cameraProblem(e) {
    var name = (e && e.name) || "Error";
    if (name === "NotAllowedError" || name === "SecurityError") { showProblem("p_denied", "p_deniedText"); }
    else if (name === "NotFoundError" || name === "OverconstrainedError") { showProblem("p_nocamera", "p_nocameraText"); }
    else if (name === "FrontCamera") { showProblem("p_front", "p_frontText"); }
    else { showProblem("p_camera", "p_cameraText", {detail: name}); }
    beat("camera_error", {detail: name + ": " + String((e && e.message) || "").slice(0, 150)});
  }

  function ensureCamera() {
    var tr = S.track;
    if (tr && tr.readyState === "live") { return Promise.resolve(); }
    return openCamera().then(cameraUp, cameraProblem);
  }

  // -- keep the screen on: requested at the start and again after every visibilitychange ------------------
  function requestWakeLock() {
    if (!("wakeLock" in navigator)) { S.wake = "unsupported"; renderState(); return Promise.resolve(); }
    if (document.visibilityState !== "visible") { return Promise.resolve(); }
    return navigator.wakeLock.request("screen").then(function (lock) {
      S.wakeLock = lock;
      S.wake = "held";
      lock.addEventListener("release", function () {
        S.wake = "released";
        addSignal("wake_lock_released");
        renderState();
      });
      renderState();
    }, function (e) {
      S.wake = "failed";
      beat("wake_lock_failed", {detail: String((e && e.name) || "Error")});
      renderState();
    });
  }

  function watchBattery() {
    if (!navigator.getBattery) { return; }
    navigator.getBattery().then(function (b) {
      function read() {
        var was = S.battery;
        S.battery = {level: b.level, charging: b.charging};
        renderState();
        if (was && (Math.abs(was.level - b.level) >= 0.05 || was.charging !== b.charging || (b.level < 0.15) !== (was.level < 0.15))) {
          beat("battery");
        }
      }
      read();
      b.addEventListener("levelchange", read);
      b.addEventListener("chargingchange", read);
    }, function () { S.battery = null; });
  }

  // -- the frame loop -----------------------------------------------------------------------------------------
  function schedule(ms) {
    if (S.timer !== null) { clearTimeout(S.timer); }
    S.timer = S.running ? setTimeout(tick, ms) : null;
  }

  function tick() {
    S.timer = null;
    if (!S.running || S.busy) { return; }
    var now = performance.now();
    if (S.lastTick && S.hiddenAt === null && now - S.lastTick > S.interval * 3 + 5000) {
      addSignal("timers_paused");      // nothing ran for a while: the phone suspended the page
      resumed("suspended", S.lastTick);
    }
    S.lastTick = now;
    var video = $("video");
    if (!video.videoWidth || video.readyState < 2) { schedule(500); return; }
    var scale = Math.min(1, S.maxWidth / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.max(16, Math.round(video.videoWidth * scale));
    canvas.height = Math.max(16, Math.round(video.videoHeight * scale));
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    S.busy = true;
    canvas.toBlob(function (blob) {
      if (!blob) { S.busy = false; schedule(S.interval); return; }
      send(blob).then(function () { S.busy = false; schedule(S.interval); },
        function () { S.busy = false; schedule(Math.min(S.interval, 2000)); });
    }, "image/jpeg", S.quality);
  }

  function send(blob) {
    S.seq += 1;
    var q = "seq=" + S.seq + "&visibility=" + (document.visibilityState === "hidden" ? "hidden" : "visible") +
      "&wake_lock=" + S.wake + "&facing=" + S.facing;
    if (S.battery) { q += "&battery_level=" + S.battery.level + "&charging=" + (S.battery.charging ? "true" : "false"); }
    return call("/api/v1/phone/frames?" + q, {headers: {"Content-Type": "image/jpeg"}, body: blob}).then(function (p) {
      applyPacing(p);
      S.sent += 1;
      if (S.netDownAt !== null) { var since = S.netDownAt; S.netDownAt = null; resumed("network", since); }
      setState(document.visibilityState === "hidden" ? "hidden" : (S.mode === "setup" ? "liveSetup" : "liveExam"),
        document.visibilityState === "hidden" ? "warn" : "");
    }, function (err) { handleFailure(err); throw err; });
  }

  function stopAll() {
    S.running = false;
    S.stopped = true;
    if (S.timer !== null) { clearTimeout(S.timer); S.timer = null; }
    if (S.stream) { S.stream.getTracks().forEach(function (x) { x.stop(); }); }
    if (S.wakeLock) { S.wakeLock.release().catch(function () { return null; }); }
  }

  // -- page lifecycle ---------------------------------------------------------------------------------------
  document.addEventListener("visibilitychange", function () {
    if (!S.key || S.stopped) { return; }
    if (document.visibilityState === "hidden") {
      S.hiddenAt = performance.now();
      beat("hidden", null, true);
      renderState();
      return;
    }
    var since = S.hiddenAt;
    S.hiddenAt = null;
    requestWakeLock();
    ensureCamera().then(function () {
      if (since !== null) { resumed("hidden", since); } else { beat("visible"); }
      S.lastTick = performance.now();
      schedule(0);
    });
  });
  document.addEventListener("freeze", function () { addSignal("frozen"); });
  document.addEventListener("resume", function () { addSignal("resumed_from_freeze"); });
  window.addEventListener("offline", function () { addSignal("offline"); if (S.netDownAt === null) { S.netDownAt = performance.now(); } });
  window.addEventListener("online", function () { if (S.running) { schedule(0); } });
  window.addEventListener("pagehide", function (e) { if (S.running && !e.persisted) { beat("closing", null, true); } });
  window.addEventListener("resize", renderState);

  // -- start ---------------------------------------------------------------------------------------------
  function readToken() {
    var m = /(?:^|[#&])t=([A-Za-z0-9_-]{20,100})/.exec(location.hash);
    return m ? m[1] : null;
  }

  function saved() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  function claimed(body) {
    S.key = body.key;
    S.sitting = body.sitting;
    applyPacing(body.settings);
    try { window.sessionStorage.setItem(STORE, JSON.stringify({key: body.key, sitting: body.sitting})); } catch (e) { /* private */ }
  }

  function start() {
    $("start").disabled = true;
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showProblem("p_insecure", "p_insecureText");
      return;
    }
    var token = readToken();
    var have = saved();
    if (!token && !(have && have.key)) { showProblem("p_nolink", "p_nolinkText"); return; }
    $("live").hidden = false;
    S.running = true;
    setState("claiming");
    var ready = (have && have.key && !token) ? Promise.resolve(have) :   // a reload after the claim resumes
      call("/api/v1/phone/claim", {headers: {"Content-Type": "application/json"}, body: JSON.stringify({token: token})})
        .then(function (body) { claimed(body); return body; });
    ready.then(function (body) {
      if (!S.key) { S.key = body.key; S.sitting = body.sitting; }
      if (window.history && history.replaceState) { history.replaceState(null, "", location.pathname); }  // the token leaves the address bar
      render();
      setState("opening");
      return openCamera().then(function () {
        $("intro").hidden = true;
        requestWakeLock();
        watchBattery();
        beat("started");
        S.lastTick = performance.now();
        schedule(0);
      }, function (e) { S.running = false; cameraProblem(e); });
    }, function (err) {
      S.running = false;
      $("live").hidden = true;
      if (err instanceof ApiFailure && err.status && err.status < 500) {
        showProblem("p_refused", null, {message_zh: err.message_zh, message_en: err.message_en, hint: "p_refusedHint"});
      } else {
        showProblem("p_refused", "p_server");
        $("start").disabled = false;
      }
    });
  }

  $("lang").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    try { window.localStorage.setItem("examdesk-lang", lang); } catch (e) { /* private mode */ }
    render();
  });
  $("start").addEventListener("click", start);
  render();
  var resume = saved();
  if (resume && resume.key && !readToken()) { S.sitting = resume.sitting; render(); start(); }
})();
