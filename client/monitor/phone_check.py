"""The self-check of the second camera (no Qt): the phone's frames, as the server relays them, judged over a
window of recent frames: do they arrive steadily, is the picture not black and not frozen, is a person in
it, is the phone sideways; and what the phone page reports (rear camera, screen kept on, battery).

A person is a face seen frontally or in profile (the CNN detector where installed, the Haar profile
cascade too): from behind and to one side the phone mostly sees the side of the head. Not seeing one is a
warning, never a failure on its own (a false failure would keep an honest candidate out of the exam).
"""
from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from typing import Any, Deque, List, Optional

import cv2
import numpy as np

from client.monitor.camera_observe import shrink
from client.monitor.detectors import FaceDetector, default_detector
from client.monitor.frame_analysis import HaarFaceDetector, profile_detector
from client.monitor.results import FAIL, PASS, SKIP, WARN, CheckResult, bad, ok

DETECT_WIDTH = 320
BLACK_MEAN, BLACK_CONTRAST = 12.0, 6.0
DARK_MEAN = 30.0
FROZEN_DIFF = 0.05     # mean |difference| to the previous picture: a live sensor never repeats itself
PERSON_SHARE = 1 / 3.0  # a person in at least this share of the window's frames


@dataclass
class PhoneFrameFacts:
    seq: int
    received_at_ms: int
    width: int
    height: int
    mean: float
    contrast: float
    black: bool
    diff_prev: Optional[float]
    same_bytes: bool
    faces: int
    profiles: int

    @property
    def person(self) -> bool:
        return self.faces > 0 or self.profiles > 0


def decode_jpeg(jpeg: bytes) -> Optional[np.ndarray]:
    """BGR pixels of a JPEG, or None if it is not a picture (never raises)."""
    if not jpeg:
        return None
    try:
        img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        return None
    return img if img is not None and img.ndim == 3 and img.shape[0] >= 8 and img.shape[1] >= 8 else None


class PhoneFeedCheck:
    def __init__(self, expected_interval_s: float = 1.0, window: int = 8, need_frames: int = 5,
                 detector: Optional[FaceDetector] = None, profile: Optional[HaarFaceDetector] = None) -> None:
        self.expected_interval_s = expected_interval_s
        self.window = window
        self.need_frames = need_frames
        self.detector = detector if detector is not None else default_detector()
        self.profile = profile if profile is not None else profile_detector()
        self.frames: Deque[PhoneFrameFacts] = deque(maxlen=window)
        self._prev: Optional[np.ndarray] = None
        self._prev_sha = ""
        self.frames_seen = 0

    def reset(self) -> None:
        self.frames.clear()
        self._prev, self._prev_sha, self.frames_seen = None, "", 0

    def feed(self, jpeg: bytes, seq: int, received_at_ms: int) -> Optional[np.ndarray]:
        """Analyse one relayed frame; returns its pixels (BGR) for the preview, None if it is not a picture."""
        img = decode_jpeg(jpeg)
        if img is None:
            return None
        sha = hashlib.sha256(jpeg).hexdigest()
        small = shrink(img, DETECT_WIDTH)
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        mean, std = cv2.meanStdDev(gray)
        m, c = float(mean[0][0]), float(std[0][0])
        diff = None
        if self._prev is not None and self._prev.shape == gray.shape:
            diff = float(cv2.absdiff(gray, self._prev).mean())
        self._prev = gray
        black = m < BLACK_MEAN and c < BLACK_CONTRAST
        faces = profiles = 0
        if not black:
            faces = len(self.detector.faces(small))
            if faces == 0:
                profiles = len(self.profile.detect(gray))
        h, w = img.shape[:2]
        self.frames.append(PhoneFrameFacts(seq, received_at_ms, w, h, m, c, black, diff, sha == self._prev_sha,
                                           faces, profiles))
        self._prev_sha = sha
        self.frames_seen += 1
        return img

    # -- verdicts ---------------------------------------------------------------------------------------
    def results(self, status: Any) -> List[CheckResult]:
        """`status`: the engine's PhoneStatus (state, facing, wake_lock, battery...)."""
        out = [self._link(status)]
        if not self.frames:
            return out
        frames = list(self.frames)
        out.append(self._steady(frames))
        out.append(self._picture(frames))
        out.append(self._frozen(frames))
        out.append(self._person(frames))
        out.append(self._orientation(frames[-1]))
        out.append(self._facing(str(getattr(status, "facing", "unknown"))))
        out.append(self._screen(str(getattr(status, "wake_lock", "unknown"))))
        out.append(self._battery(getattr(status, "battery_level", None), getattr(status, "charging", None),
                                 bool(getattr(status, "battery_low", False))))
        return out

    def ready(self) -> bool:
        return len(self.frames) >= self.need_frames

    @staticmethod
    def _link(status: Any) -> CheckResult:
        state = str(getattr(status, "state", "unknown"))
        if state in ("live", "frozen"):
            return ok("phone.link", state, "手机已连接。", "The phone is connected.")
        if state == "hidden":
            return bad("phone.link", FAIL, state, "手机上的考试页面不在前台。", "The exam page is not in front on the phone.",
                       "请在手机上回到 ExamDesk 页面，不要切换应用或锁屏。",
                       "Bring the ExamDesk page back to the front on the phone; do not switch apps or lock it.")
        if state == "stopped":
            return bad("phone.link", FAIL, state, "手机画面中断了。", "The phone stopped sending pictures.",
                       "请检查手机的网络和页面；如页面已关闭，请点击“生成新的二维码”重新扫描。",
                       "Check the phone's network and page; if the page was closed, show a new code and scan it.")
        if state == "connecting":
            return bad("phone.link", WARN, state, "手机已打开页面，正在等待画面。", "The phone opened the page; waiting for pictures.",
                       "请在手机上点击“开始拍摄”，并允许使用摄像头。", "Tap “Start the camera” on the phone and allow the camera.")
        return bad("phone.link", FAIL, state, "手机尚未连接。", "No phone is connected yet.",
                   "请用手机扫描二维码，在打开的页面上点击“开始拍摄”。",
                   "Scan the code with the phone and tap “Start the camera” on the page that opens.")

    def _steady(self, frames: List[PhoneFrameFacts]) -> CheckResult:
        gaps = [(b.received_at_ms - a.received_at_ms) / 1000.0 for a, b in zip(frames, frames[1:])]
        worst_gap = max(gaps) if gaps else None
        limit = max(3.0, 3 * self.expected_interval_s)
        value = {"frames": len(frames), "max_gap_s": None if worst_gap is None else round(worst_gap, 2)}
        if len(frames) < self.need_frames:
            return bad("phone.frames", WARN, value, "已收到 %d 张手机画面，还在等待更多。" % len(frames),
                       "%d phone pictures so far; waiting for more." % len(frames),
                       "请稍候，并保持手机页面在前台。", "Wait a moment and keep the phone's page in front.")
        if worst_gap is not None and worst_gap > limit:
            return bad("phone.frames", WARN, value, "手机画面时断时续（最长间隔 %.1f 秒）。" % worst_gap,
                       "The phone's pictures come unsteadily (longest gap %.1f s)." % worst_gap,
                       "请让手机靠近无线路由器，或改用更稳定的网络；并保持页面在前台。",
                       "Move the phone closer to the Wi-Fi router or use a steadier network; keep the page in front.")
        return ok("phone.frames", value, "手机画面稳定送达。", "The phone's pictures arrive steadily.")

    @staticmethod
    def _picture(frames: List[PhoneFrameFacts]) -> CheckResult:
        recent = frames[-3:]
        mean = round(sum(f.mean for f in recent) / len(recent), 1)
        if all(f.black for f in recent):
            return bad("phone.picture", FAIL, mean, "手机画面是黑的。", "The phone's picture is black.",
                       "请检查手机摄像头是否被遮挡，并打开房间的灯。", "Check that nothing covers the phone's camera and turn on the light.")
        if mean < DARK_MEAN:
            return bad("phone.picture", WARN, mean, "手机画面太暗。", "The phone's picture is too dark.",
                       "请打开房间的灯，手机不要对着窗户或灯（逆光）。", "Turn on the light; do not point the phone at a window or lamp.")
        return ok("phone.picture", mean, "手机画面亮度正常。", "The phone's picture is bright enough.")

    @staticmethod
    def _frozen(frames: List[PhoneFrameFacts]) -> CheckResult:
        recent = frames[-4:]
        diffs = [f.diff_prev for f in recent if f.diff_prev is not None]
        same = sum(1 for f in recent if f.same_bytes)
        if len(recent) >= 3 and (same >= 2 or (diffs and max(diffs) < FROZEN_DIFF)):
            return bad("phone.frozen", FAIL, round(max(diffs), 3) if diffs else 0.0, "手机画面静止不动（画面卡住）。",
                       "The phone's picture does not change (frozen).",
                       "请在手机上刷新页面后重新点击“开始拍摄”；如仍卡住，请重新扫描二维码。",
                       "Reload the page on the phone and tap “Start the camera” again; if it stays frozen, scan a new code.")
        return ok("phone.frozen", round(max(diffs), 3) if diffs else None, "手机画面是实时的。", "The phone's picture is live.")

    @staticmethod
    def _person(frames: List[PhoneFrameFacts]) -> CheckResult:
        seen = sum(1 for f in frames if f.person)
        share = seen / float(len(frames))
        if seen and share >= PERSON_SHARE:
            return ok("phone.person", round(share, 2), "手机画面中能看到您。", "The phone's picture shows you.")
        return bad("phone.person", WARN, round(share, 2), "手机画面中没有看到人。", "The phone's picture shows no person.",
                   "请坐在座位上，调整手机位置：从您身后一侧拍到您的头部侧面、双手、桌面和电脑屏幕。",
                   "Sit in your seat and move the phone so that, from behind to one side, it shows the side of your "
                   "head, your hands, the desk and the screen.")

    @staticmethod
    def _orientation(last: PhoneFrameFacts) -> CheckResult:
        size = {"width": last.width, "height": last.height}
        if last.width >= last.height:
            return ok("phone.orientation", size, "手机横放。", "The phone is sideways (landscape).")
        return bad("phone.orientation", WARN, size, "手机是竖着放的。", "The phone stands upright (portrait).",
                   "请把手机横过来放置，这样能拍到您、桌面和屏幕。",
                   "Turn the phone sideways so that it shows you, the desk and the screen.")

    @staticmethod
    def _facing(facing: str) -> CheckResult:
        if facing == "environment":
            return ok("phone.camera", facing, "使用的是手机后置摄像头。", "The phone's rear camera is in use.")
        if facing == "user":
            return bad("phone.camera", FAIL, facing, "使用的是前置摄像头。", "The front camera is in use.",
                       "请换用有后置摄像头的手机或浏览器。", "Use a phone or browser that offers the rear camera.")
        return bad("phone.camera", WARN, facing, "无法确认使用的是后置摄像头。", "Cannot confirm that the rear camera is in use.",
                   "请确认手机背面的摄像头对着您。", "Make sure the camera on the back of the phone faces you.")

    @staticmethod
    def _screen(wake: str) -> CheckResult:
        if wake == "held":
            return ok("phone.screen_on", wake, "手机屏幕会保持常亮。", "The phone's screen stays on.")
        return bad("phone.screen_on", WARN, wake, "无法让手机屏幕保持常亮。", "The page cannot keep the phone's screen on.",
                   "请在手机设置中把“自动锁屏”设为“永不”（考试后可改回）。",
                   "Set Auto-Lock to Never in the phone's settings (change it back after the exam).")

    @staticmethod
    def _battery(level: Optional[float], charging: Optional[bool], low: bool) -> CheckResult:
        if level is None:
            # (iPhones never tell a web page their battery): not measured, never a pass
            return bad("phone.battery", SKIP, None, "手机没有报告电量。", "The phone does not report its battery.",
                       "请确认手机已接上充电器，考试时间为 120 分钟。",
                       "Make sure the phone's charger is plugged in: the exam lasts 120 minutes.")
        pct = int(round(level * 100))
        if low or (level < 0.5 and charging is not True):
            return bad("phone.battery", WARN, pct, "手机电量 %d%%，未在充电。" % pct, "Phone battery %d%%, not charging." % pct,
                       "请给手机接上充电器，考试时间为 120 分钟。", "Plug in the phone's charger: the exam lasts 120 minutes.")
        return ok("phone.battery", pct, "手机电量 %d%%%s。" % (pct, "（充电中）" if charging else ""),
                  "Phone battery %d%%%s." % (pct, " (charging)" if charging else ""))


def overall(results: List[CheckResult]) -> str:
    """pass only when every verdict passes; fail when any fails."""
    statuses = [r.status for r in results]
    return FAIL if FAIL in statuses else WARN if WARN in statuses else PASS
