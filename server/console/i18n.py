"""The console's words, Chinese first, then English: MESSAGES[key] = (zh, en).

`translate(lang, key, default=None, **values)` fills `{name}` placeholders; a key that is missing
shows as ⟦key⟧ (tests render every page in both languages and look for it) unless a default is given
(event types the console does not know yet show as they came).
"""

from typing import Any

from fastapi import Request

LANGS = ("zh", "en")
MISSING = "⟦%s⟧"

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("监考台", "Proctor console"),
    "nav.rooms": ("考场", "Rooms"), "nav.flags": ("待复核标记", "Flags"), "nav.audit": ("操作记录", "Audit log"),
    "nav.logout": ("退出", "Sign out"), "lang.other": ("English", "中文"),
    "clock.beijing": ("北京时间", "Beijing time"), "clock.title": ("服务器时间", "server time"),
    "role.proctor": ("监考", "proctor"), "role.marker": ("阅卷", "marker"), "role.admin": ("管理员", "administrator"),
    "role.admin-token": ("管理员令牌", "admin token"), "role.unknown": ("未登录", "not signed in"),
    # login
    "login.title": ("监考台登录", "Sign in to the proctor console"), "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"), "login.submit": ("登录", "Sign in"),
    "login.hint": ("账号由考点管理员发放；连续输错密码会被暂时锁定。",
                   "Accounts come from the centre's administrator; repeated wrong passwords lock the account for a while."),
    "login.retry": ("{s} 秒后可再试", "try again in {s} s"),
    "login.why.auth.expired": ("登录已过期，请重新登录。", "Your session has expired; sign in again."),
    "login.why.auth.required": ("请先登录。", "Please sign in."),
    "login.why.auth.forbidden": ("该账号或凭证不能使用监考台。", "This account or credential cannot use the console."),
    "error.title": ("无法打开", "Not available"), "error.back": ("返回考场列表", "Back to the rooms"),
    "norooms.title": ("没有分配的考场", "No rooms assigned"),
    "norooms.marker": ("阅卷账号不能查看考场监控。", "A marker's account does not watch rooms."),
    "norooms.proctor": ("您还没有被分配到任何考场。", "You are not assigned to any room yet."),
    "norooms.admin": ("还没有考场。", "There are no rooms yet."),
    # rooms and grid
    "rooms.title": ("我的考场", "My rooms"),
    "rooms.none_now": ("现在没有正在进行的考场。", "None of your rooms is on now."),
    "rooms.others": ("近期的其他考场（两周内）", "Your other rooms (the last two weeks and tomorrow)"), "rooms.none": ("您还没有被分配到任何考场。", "You are not assigned to any room yet."),
    "kind.formal": ("正式考试", "formal"), "kind.mock": ("模拟考试", "mock"),
    "part.theory": ("理论知识", "theory"), "part.practical": ("实操考核", "practical"),
    "part.comprehensive": ("综合评审", "comprehensive review"),
    "room.minutes": ("{m} 分钟", "{m} min"), "room.starts": ("开考", "starts"),
    "state.not_logged_in": ("未登录", "not logged in"), "state.checking": ("设备检测中", "checking"),
    "state.waiting": ("等待开考", "waiting"), "state.in_exam": ("考试中", "in exam"),
    "state.handing_in": ("交卷中", "handing in"), "state.offline": ("离线", "offline"),
    "state.submitted": ("已交卷", "submitted"),
    "status.scheduled": ("未开考", "not started"), "status.in_progress": ("进行中", "in progress"),
    "status.ended": ("已结束", "ended"), "status.submitted": ("已交卷", "submitted"),
    "device.camera": ("摄像头", "camera"), "device.microphone": ("麦克风", "microphone"),
    "device.phone": ("手机", "phone"), "device.lockdown": ("锁定", "lockdown"), "device.monitor": ("监测", "monitor"),
    "device.network": ("网络", "network"),
    "dev.ok": ("正常", "ok"), "dev.live": ("正常", "live"), "dev.on": ("开启", "on"), "dev.online": ("在线", "online"),
    "dev.off": ("关闭", "off"), "dev.lost": ("中断", "lost"), "dev.failed": ("失败", "failed"),
    "dev.unknown": ("未知", "unknown"), "dev.starting": ("启动中", "starting"), "dev.offline": ("离线", "offline"),
    "dev.": ("—", "—"),
    "dev.hidden": ("页面在后台", "page hidden"), "dev.frozen": ("画面冻结", "frozen"), "dev.stopped": ("已中断", "stopped"),
    "dev.connecting": ("连接中", "connecting"), "dev.pairing": ("待扫码配对", "pairing"), "dev.unpaired": ("未配对", "not paired"),
    "dev.missing": ("未连接", "missing"),
    "client.logged_in": ("已登录", "logged in"), "client.checks_passed": ("检测通过", "checks passed"),
    "client.waiting": ("等待开考", "waiting"), "client.in_exam": ("考试中", "in exam"),
    "client.sealed": ("已封存待交卷", "sealed"), "client.submitted": ("已交卷", "submitted"),
    "grid.left": ("剩余", "left"), "grid.starts_in": ("距开考", "starts in"), "grid.over": ("时间到", "time is up"),
    "grid.offline_since": ("离线自 {t}", "offline since {t}"), "grid.since": ("{t} 交卷", "handed in {t}"),
    "grid.pending": ("待上传：答案 {ops} · 文件 {uploads}", "pending: {ops} answers · {uploads} files"),
    "grid.all_sent": ("已全部上传", "all sent"), "grid.flags": ("未复核 {n}", "{n} open"),
    "grid.concern": ("存疑 {n}", "{n} concerns"), "grid.unread": ("消息未读 {n}", "{n} unread"),
    "grid.no_snapshot": ("暂无截图", "no snapshot"), "grid.retake": ("补考", "retake"),
    "grid.sort": ("排序", "Sort"), "grid.sort_ticket": ("按准考证号", "by ticket"),
    "grid.sort_priority": ("按复核优先级", "by review priority"), "grid.sort_state": ("按状态", "by state"),
    "grid.updated": ("更新于 {t}", "updated {t}"), "grid.stale": ("与服务器的连接中断，显示的可能不是最新情况。",
                                                           "Lost contact with the server: what you see may be out of date."),
    "grid.empty": ("该考场没有考生。", "No candidates in this room."), "grid.ended": ("已结束", "ended"),
    "band.high": ("高", "high"), "band.medium": ("中", "medium"), "band.low": ("低", "low"), "band.none": ("无", "none"),
    # checks
    "checks.title": ("开考要求核对", "Seed checks"), "checks.ratio": ("监考比例", "Proctor ratio"),
    "checks.ratio_text": ("{assigned} 名监考 / 至少 {needed} 名（{candidates} 名考生：每考场至少 2 名，每 15 名考生 1 名）",
                          "{assigned} proctors / at least {needed} ({candidates} candidates: 2 per room, 1 per 15)"),
    "checks.mock": ("模拟考试不作要求", "not required for a mock exam"),
    "checks.accounts": ("有账号 {n} 名，在线 {on} 名", "{n} with an account, {on} signed in"),
    "checks.no_account": ("尚无账号：", "no account yet: "), "checks.attempts": ("考试次数", "Attempts"),
    "checks.attempts_text": ("首考 {first} 人，补考 {retakes} 人（每科限补考一次）",
                             "{first} first sittings, {retakes} retakes (one retake per part)"),
    "checks.retakes": ("补考：", "retakes: "), "checks.beyond": ("超出次数：", "beyond the limit: "),
    "checks.dedicated": ("补考超过 50 人，可申请单独的补考场次。", "More than 50 retakes: a dedicated retake session may be requested."),
    "checks.attempts_mock": ("模拟考试不计次数", "mock exams count no attempts"),
    "checks.documents": ("材料提交截止", "Document deadline"),
    "checks.documents_text": ("{parts}：{deadline} 截止（考试后第 {days} 个工作日）",
                              "{parts}: due {deadline} (the {days}th working day after the exam)"),
    "checks.handed_in": ("已提交 {n} / {due} 人", "{n} of {due} handed in"), "checks.closed": ("已截止", "closed"),
    "checks.missing": ("未提交：", "missing: "), "checks.documents_none": ("本考场无材料提交环节", "no document submission"),
    # flags
    "flags.title": ("待复核标记", "Flags to review"), "flags.open_only": ("只看未复核", "open only"),
    "flags.with_reviewed": ("包括已复核", "include reviewed"), "flags.by_sitting": ("按考生的复核优先级", "Review priority by candidate"),
    "flags.queue": ("标记（按严重程度与优先级）", "Flags (by severity and priority)"),
    "flags.none": ("没有待复核的标记。", "No flags to review."), "flags.priority": ("优先级", "priority"),
    "flags.open": ("未复核", "open"), "flags.lasted": ("持续 {s} 秒", "lasted {s} s"), "flags.ongoing": ("仍在持续", "ongoing"),
    "flags.points": ("分值 = 严重程度 × 类别权重 × 持续加倍", "points = severity x category weight x long-lasting"),
    "flags.has_evidence": ("有证据片段", "has evidence"),
    "flags.how": ("排序依据严重程度、类别与持续时间。", "Ranked by severity, category and duration."),
    "flags.how_link": ("排序规则", "how flags are ranked"), "flags.ranking_title": ("排序规则", "How flags are ranked"),
    "rank.points": ("每条标记的分值 = 严重程度（警报 3，警告 1）× 类别权重 × 持续加倍。",
                    "A flag's points = severity (alert 3, warn 1) x the weight of its category x 2 if it lasted."),
    "rank.weights": ("类别权重：疑似他人协助或作弊工具 3；监控中断 2（摄像头、麦克风、锁定、切出考试窗口）；行为提示 1（离开画面、侧脸、遮挡等）。",
                     "Category weights: someone or something may be helping 3; the watch was interrupted 2 (camera, "
                     "microphone, lockdown, leaving the exam window); behaviour the candidate was warned about 1."),
    "rank.long": ("持续 60 秒及以上（或仍在持续 60 秒以上）的标记分值加倍。", "A flag that lasted (or has been going on for) 60 s or more counts double."),
    "rank.priority": ("考生的复核优先级 = 未复核标记的分值之和：≥ 9 高，≥ 3 中，≥ 1 低。",
                      "A candidate's review priority = the points of their open flags: 9 or more high, 3 medium, 1 low."),
    "rank.order": ("列表顺序：未复核在前；分值高在前；警报在警告前；等待久的在前。",
                   "Order: open before reviewed; more points first; alerts before warnings; the longest waiting first."),
    "severity.alert": ("警报", "alert"), "severity.warn": ("警告", "warning"), "severity.info": ("信息", "info"),
    "category.integrity": ("疑似协助/作弊", "integrity"), "category.interrupted": ("监控中断", "watch interrupted"),
    "category.behaviour": ("行为提示", "behaviour"),
    "phase.start": ("开始", "start"), "phase.end": ("结束", "end"),
    "event.camera.face_absent": ("画面中没有人脸", "no face in view"),
    "event.camera.multiple_faces": ("画面中出现多张人脸", "more than one face"),
    "event.camera.face_turned": ("长时间侧脸", "face turned away"), "event.camera.face_covered": ("遮挡面部", "face covered"),
    "event.camera.out_of_frame": ("人脸不在画面中央", "face out of frame"), "event.camera.blocked": ("摄像头被遮挡", "camera blocked"),
    "event.camera.frozen": ("摄像头画面冻结", "camera picture frozen"), "event.camera.dark": ("画面过暗", "picture too dark"),
    "event.camera.lost": ("摄像头中断", "camera lost"), "event.audio.talking": ("检测到说话", "talking heard"),
    "event.audio.loud_noise": ("较大噪音", "loud noise"), "event.audio.muted": ("麦克风静音", "microphone muted"),
    "event.audio.lost": ("麦克风中断", "microphone lost"),
    "event.lockdown.focus_lost": ("切出考试窗口", "left the exam window"),
    "event.lockdown.forbidden_program": ("发现禁用程序", "forbidden program"),
    "event.lockdown.hidden_overlay": ("发现隐藏的覆盖窗口", "hidden overlay window"),
    "event.lockdown.remote_session": ("远程桌面会话", "remote session"),
    "event.lockdown.virtual_machine": ("虚拟机", "virtual machine"),
    "event.lockdown.injected_input": ("模拟的键盘输入", "injected input"),
    "event.lockdown.display_changed": ("显示器变化", "display changed"),
    "event.lockdown.operation_failed": ("锁定措施失败", "a lockdown measure failed"),
    "event.lockdown.unclean_exit": ("上次异常退出", "unclean exit before"),
    "event.lockdown.capture_block": ("防截屏失败", "capture protection failed"),
    "event.lockdown.desktop_switched": ("切换桌面", "desktop switched"),
    "event.lockdown.session_switched": ("切换用户会话", "session switched"),
    "event.evidence_changed": ("证据文件被改动", "evidence file changed"),
    "outcome.no_issue": ("无异常", "no issue"), "outcome.concern": ("存疑，需进一步处理", "concern, needs follow-up"),
    "outcome.ok": ("完成", "done"), "outcome.pending": ("进行中", "pending"), "outcome.refused": ("被拒绝", "refused"),
    "outcome.error": ("出错", "error"),
    # a sitting
    "sitting.room": ("考场 {room}", "room {room}"), "sitting.deadline": ("截止", "deadline"),
    "sitting.extended": ("已延长 {m} 分钟", "extended by {m} min"), "sitting.flags": ("标记", "Flags"),
    "sitting.no_flags": ("没有标记。", "No flags."), "sitting.no_evidence": ("没有证据片段。", "No evidence clip."),
    "sitting.exam_time": ("考试第 {m} 分 {s} 秒", "exam time {m}:{s:02d}"),
    "sitting.snapshots": ("截图", "Snapshots"), "sitting.no_snapshots": ("暂无截图。", "No snapshots yet."),
    "sitting.phone": ("手机机位画面", "Phone camera frames"), "sitting.no_phone": ("暂无手机机位画面。", "No phone frames."),
    "sitting.timeline": ("时间线", "Timeline"), "sitting.last_contact": ("最后联系 {t}", "last heard {t}"),
    "evidence.arriving": ("正在上传（{got}%，{status}）", "arriving ({got}%, {status})"),
    "evidence.unsupported": ("浏览器无法播放此视频格式。", "This browser cannot play this video format."),
    "phone.last_frame": ("最新画面 {t}", "newest picture {t}"), "phone.battery": ("电量 {pct}%", "battery {pct}%"),
    "phone.required": ("本考场要求手机机位", "this room requires the phone camera"),
    "phone.optional": ("本考场不强制手机机位", "the phone camera is optional in this room"),
    "phone.live": ("实时画面", "live picture"), "phone.reason.first": ("首张", "first"),
    "phone.reason.periodic": ("定时", "periodic"), "phone.reason.evidence": ("证据", "evidence"),
    "phone.event.paired": ("已配对", "paired"), "phone.event.live": ("开始传送画面", "sending pictures"),
    "phone.event.resumed": ("恢复传送", "resumed"), "phone.event.interrupted": ("被打断", "interrupted"),
    "phone.event.feed_stopped": ("画面中断", "pictures stopped"), "phone.event.closed": ("页面已关闭", "page closed"),
    "phone.event.battery_low": ("电量低", "battery low"), "phone.event.battery_ok": ("电量恢复", "battery ok"),
    "event.phone.feed_stopped": ("手机机位画面中断", "phone camera stopped"),
    "event.phone.hidden": ("手机页面被切到后台", "phone page hidden"), "event.phone.frozen": ("手机画面冻结", "phone picture frozen"),
    "event.phone.battery_low": ("手机电量低", "phone battery low"), "event.phone.missing": ("没有手机机位", "no phone camera"),
    "evidence.download": ("下载", "Download"), "evidence.snapshot": ("截图", "snapshot"),
    "evidence.unreadable": ("这份证据无法打开（文件损坏，或不是本服务器的封存格式）。",
                            "This evidence cannot be opened (damaged, or not sealed for this server)."),
    "evidence.seconds": ("{s} 秒", "{s} s"),
    "purpose.evidence": ("证据片段", "evidence clip"), "purpose.snapshot": ("截图", "snapshot"),
    "upload.partial": ("未完成", "partial"), "upload.verified": ("已校验", "verified"), "upload.rejected": ("校验失败", "rejected"),
    "review.title": ("复核", "Review"), "review.again": ("重新复核", "Review again"),
    "review.note": ("复核说明（必填）", "note (required)"), "review.submit": ("标记为已复核", "Mark reviewed"),
    "tl.answers": ("作答 {n} 次（{q}）", "{n} answers ({q})"), "tl.late": ("其中 {n} 次迟到，不计分", "{n} late, not scored"),
    "tl.status": ("状态：{state}", "status: {state}"), "tl.until": ("至 {t}，心跳 {n} 次", "until {t}, {n} heartbeats"),
    "tl.silence": ("{s} 秒没有任何消息（至 {t}）", "nothing heard for {s} s (until {t})"),
    "tl.acked": ("{t} 已送达", "delivered {t}"), "tl.not_acked": ("尚未送达", "not delivered yet"),
    "tl.submit": ("交卷（{reason}）", "handed in ({reason})"), "tl.submit_late": ("迟交", "late"),
    "tl.consent": ("同意考试须知", "consent given"), "tl.check_report": ("设备检测报告", "self-check report"),
    "reason.candidate": ("考生交卷", "by the candidate"), "reason.time_up": ("时间到", "time up"),
    "reason.proctor": ("监考结束考试", "ended by a proctor"),
    "source.online": ("在线", "online"), "source.sealed": ("来自封存文件", "from a sealed file"),
    "source.queued": ("延迟送达", "queued"),
    "command.message": ("消息", "message"), "command.extend": ("延长时间", "extra time"), "command.end": ("结束考试", "end"),
    "unit.min": ("分钟", "min"),
    # actions
    "act.title": ("操作", "Actions"), "act.message": ("给考生发消息", "Message to the candidate"),
    "act.message_hint": ("考生会在考试窗口中看到", "shown in the candidate's exam window"), "act.send": ("发送", "Send"),
    "act.extend": ("延长时间", "Extra time"), "act.reason": ("原因（必填）", "Reason (required)"),
    "act.extend_hint": ("例如：网络中断 8 分钟", "e.g. the network was down for 8 minutes"),
    "act.extend_button": ("延长", "Grant"), "act.end": ("结束该考生的考试", "End this candidate's sitting"),
    "act.end_hint": ("例如：替考", "e.g. impersonation"), "act.end_button": ("结束考试", "End the sitting"),
    "act.end_confirm": ("确定结束该考生的考试吗？此后的作答不计分。", "End this sitting? Answers after this do not count."),
    "act.hand_in": ("接收迟交的封存文件", "Accept a late hand-in file"),
    "act.hand_in_hint": ("例如：考生断网，考后交来 U 盘", "e.g. offline candidate brought a USB stick"),
    "act.hand_in_button": ("导入", "Import"),
    "act.done": ("已完成。", "Done."), "act.failed": ("未能完成：{msg}", "Not done: {msg}"),
    "act.sent": ("消息已发出，考生的客户端下次心跳时收到。", "Message sent; the candidate's client receives it with its next heartbeat."),
    "act.extended": ("已延长，新的截止时间 {t}。", "Extended; new deadline {t}."),
    "act.ended": ("已结束该考生的考试。", "The sitting is ended."), "act.reviewed": ("已复核。", "Reviewed."),
    "act.handed_in": ("封存文件已导入{late}。", "Sealed file imported{late}."), "act.late": ("（有迟到作答，不计分）", " (late answers are not scored)"),
    "act.bad_file": ("这不是有效的封存文件（JSON）。", "This is not a valid sealed file (JSON)."),
    "late.title": ("迟到的作答", "Late answers"),
    "late.explain": ("考试结束后才收到的作答会保留，但不计分。", "Answers that arrived after the close are kept but not scored."),
    # audit
    "audit.title": ("操作记录", "Audit log"), "audit.scope": ("您的考场中的操作，以及您本人的操作。", "Actions in your rooms, and your own."),
    "audit.scope_admin": ("全部操作。", "All actions."), "audit.when": ("时间", "When"), "audit.who": ("操作人", "Who"),
    "audit.what": ("操作", "What"), "audit.on": ("对象", "On"), "audit.why": ("原因", "Why"), "audit.outcome": ("结果", "Outcome"),
    "audit.older": ("更早的记录", "Older entries"),
    "action.login": ("登录", "sign in"), "action.logout": ("退出", "sign out"), "action.command.message": ("发送消息", "message"),
    "action.command.extend": ("延长时间", "extra time"), "action.command.end": ("结束考试", "end sitting"),
    "action.flag.review": ("复核标记", "flag reviewed"), "action.hand_in.accept": ("接收迟交文件", "late hand-in accepted"),
    "action.evidence.view": ("查看证据", "evidence viewed"), "action.staff.upsert": ("设置工作人员账号", "staff account set"),
    "action.room.proctors": ("分配监考", "proctors assigned"), "action.admin_api": ("管理接口调用", "admin API call"),
    "col.candidate": ("考生", "Candidate"), "col.room": ("考场", "Room"),
}


def lang_of(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("console_lang") or ""
    return chosen if chosen in LANGS else "zh"


def translate(lang: str, key: str, default: str | None = None, **values: Any) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return default if default is not None else MISSING % key
    text = pair[0] if lang == "zh" else pair[1]
    try:
        return text.format(**values) if values else text
    except (KeyError, ValueError, IndexError):
        return text


JS_PREFIXES = ("state.", "status.", "device.", "dev.", "grid.", "band.", "act.", "evidence.", "unit.")


def js_messages(lang: str) -> dict[str, str]:
    """What console.js says itself (the grid, action results)."""
    i = 0 if lang == "zh" else 1
    return {k: v[i] for k, v in MESSAGES.items() if k.startswith(JS_PREFIXES)}
