"""Camera verdicts over a short window of frames (a verdict never rests on one frame).

Medians of the per-frame measures decide each check; thresholds live in CameraThresholds.
"""
from __future__ import annotations

import statistics
from collections import Counter, deque
from dataclasses import dataclass
from typing import Deque, List, Optional, Sequence

from client.monitor.frame_analysis import FrameMetrics
from client.monitor.results import FAIL, PASS, WARN, CheckResult, bad, ok, skipped

CAMERA_IDS = ("camera.picture", "camera.face_count", "camera.centred", "camera.distance", "camera.framing",
              "camera.brightness", "camera.contrast", "camera.backlight", "camera.sharpness", "camera.frozen")


@dataclass(frozen=True)
class CameraThresholds:
    centre_warn: float = 0.12          # |face centre x - 0.5|
    centre_fail: float = 0.22
    face_low_warn: float = 0.52        # face centre y (0 = top): the face belongs in the upper half
    face_low_fail: float = 0.62
    far_fail: float = 0.09             # face width / frame width
    far_warn: float = 0.12
    close_warn: float = 0.36
    close_fail: float = 0.45
    dark_fail: float = 50.0            # face grey level (kept low: darker skin in fair light is not "dark")
    dark_warn: float = 70.0
    bright_warn: float = 195.0
    bright_fail: float = 220.0
    overexposed_fail: float = 0.25     # share of burnt-out face pixels
    contrast_fail: float = 8.0
    contrast_warn: float = 15.0
    backlight_warn: float = 45.0       # background minus face, grey levels
    backlight_fail: float = 70.0
    backlight_min_bg: float = 140.0
    sharp_face_fail: float = 2.0       # relative Laplacian energy of the face at 96x96 (sharp photos: 4.6-29)
    sharp_face_warn: float = 3.5
    sharp_frame_fail: float = 1.5      # ... of the whole frame at 320 px, when no single face
    sharp_frame_warn: float = 3.0
    frozen_diff: float = 0.05          # mean |difference|: a live sensor never repeats a frame exactly
    frozen_share: float = 0.8


_NEED_FACE_ZH = "未测量：画面中需要恰好一张人脸。"
_NEED_FACE_EN = "Not measured: the picture needs exactly one face."
_NEED_FIX_ZH = "请先解决“人脸数量”一项。"
_NEED_FIX_EN = "Fix the face-count check first."


def _med(values: Sequence[Optional[float]]) -> Optional[float]:
    vals = [v for v in values if v is not None]
    return float(statistics.median(vals)) if vals else None


class CameraVerdicts:
    """Collects FrameMetrics over a sliding window and turns them into CheckResults."""

    def __init__(self, window: int = 15, thresholds: Optional[CameraThresholds] = None) -> None:
        self.frames: Deque[FrameMetrics] = deque(maxlen=max(1, window))
        self.t = thresholds or CameraThresholds()

    def add(self, metrics: FrameMetrics) -> None:
        self.frames.append(metrics)

    def clear(self) -> None:
        self.frames.clear()

    def results(self) -> List[CheckResult]:
        frames = list(self.frames)
        if not frames:
            return [bad("camera.picture", FAIL, None, "没有收到摄像头画面。", "No picture from the camera.",
                        "检查摄像头是否连接、是否被其他程序占用。", "Check the camera is connected and not used by another program.")]
        live = [f for f in frames if not f.black]
        count = self._face_count(live)
        single = [f for f in live if f.face is not None]
        out = [self._picture(frames), self._face_count_result(live, count)]
        if count == 1 and single:
            out += [self._centred(single), self._distance(single), self._framing(single)]
        else:
            out += [bad(i, WARN if live else FAIL, None, _NEED_FACE_ZH, _NEED_FACE_EN, _NEED_FIX_ZH, _NEED_FIX_EN)
                    for i in ("camera.centred", "camera.distance", "camera.framing")]
        out += [self._brightness(live, single if count == 1 else []), self._contrast(live, single if count == 1 else []),
                self._backlight(live, single if count == 1 else []), self._sharpness(live, single if count == 1 else []),
                self._frozen(frames)]
        return out

    # -- individual checks -----------------------------------------------------------------
    def _picture(self, frames: List[FrameMetrics]) -> CheckResult:
        share = sum(1 for f in frames if f.black) / float(len(frames))
        if share > 0.5:
            return bad("camera.picture", FAIL, {"black_share": share}, "摄像头画面全黑。", "The camera picture is black.",
                       "打开镜头盖或摄像头开关，检查是否有东西挡住镜头。",
                       "Open the lens cover or privacy switch; make sure nothing covers the lens.")
        return ok("camera.picture", {"black_share": share}, "摄像头画面正常。", "The camera shows a picture.")

    @staticmethod
    def _face_count(live: List[FrameMetrics]) -> int:
        if not live:
            return 0
        counts = Counter(f.face_count for f in live).most_common()
        top = counts[0][1]
        return max(c for c, n in counts if n == top) if counts else 0  # a tie takes the stricter count

    def _face_count_result(self, live: List[FrameMetrics], count: int) -> CheckResult:
        if count == 1:
            return ok("camera.face_count", 1, "检测到一张人脸。", "One face in the picture.")
        if count > 1:
            return bad("camera.face_count", FAIL, count, "画面中有 %d 张人脸。" % count, "%d faces in the picture." % count,
                       "考试时画面中只能有您一个人，请其他人离开镜头范围（也请移开带人脸的照片或海报）。",
                       "Only you may be in the picture: ask others to leave (and remove photos or posters with faces).")
        profiles = live and _med([float(f.profiles) for f in live]) or 0
        backlit = live and self._backlit_no_face(live) >= self.t.backlight_warn
        dark = live and (_med([f.mean for f in live]) or 0) < self.t.dark_warn
        if profiles:
            fix = ("请正对摄像头，不要侧脸或遮挡面部。", "Face the camera; do not turn your face aside or cover it.")
        elif backlit:
            fix = ("您背后光线太强，人脸看不清：请背对墙壁、面向窗户或灯光坐。",
                   "The light behind you hides your face: sit facing the window or lamp, with a wall behind you.")
        elif dark:
            fix = ("房间太暗：请打开灯，让光线照在脸上。", "The room is too dark: turn on a light that shines on your face.")
        else:
            fix = ("请坐到摄像头正前方，脸部完整出现在画面中，不要遮挡。",
                   "Sit in front of the camera with your whole face in the picture, uncovered.")
        return bad("camera.face_count", FAIL, 0, "未检测到人脸。", "No face found in the picture.", fix[0], fix[1],
                   profile_faces=profiles)

    def _centred(self, single: List[FrameMetrics]) -> CheckResult:
        cx = _med([f.face[0] + f.face[2] / 2 for f in single if f.face]) or 0.5
        cy = _med([f.face[1] + f.face[3] / 2 for f in single if f.face]) or 0.5
        off = abs(cx - 0.5)
        value = {"x": cx, "y": cy}
        if off > self.t.centre_fail or cy > self.t.face_low_fail:
            status = FAIL
        elif off > self.t.centre_warn or cy > self.t.face_low_warn:
            status = WARN
        else:
            return ok("camera.centred", value, "人脸位于画面中间。", "Your face is in the middle of the picture.")
        if off - self.t.centre_warn >= cy - self.t.face_low_warn:  # name the larger of the two problems
            side_zh, side_en = ("左", "left") if cx < 0.5 else ("右", "right")
            return bad("camera.centred", status, value, "人脸偏向画面%s侧。" % side_zh,
                       "Your face is off to the %s of the picture." % side_en,
                       "请移动座位或转动摄像头，让脸位于画面中间（对准引导框）。",
                       "Move your seat or turn the camera so your face sits in the middle, inside the guide.")
        return bad("camera.centred", status, value, "人脸在画面中位置太低。", "Your face is too low in the picture.",
                   "请调低摄像头角度或坐直，让脸位于画面上半部分。",
                   "Tilt the camera down or sit up so your face is in the upper half of the picture.")

    def _distance(self, single: List[FrameMetrics]) -> CheckResult:
        w = _med([f.face[2] for f in single if f.face]) or 0.0
        t = self.t
        if w < t.far_warn:
            return bad("camera.distance", FAIL if w < t.far_fail else WARN, w, "您离摄像头太远，人脸太小。",
                       "You are too far from the camera: your face is too small.",
                       "请靠近摄像头（约 50–70 厘米），让脸填满引导框。",
                       "Move closer (about 50-70 cm) so your face fills the guide.")
        if w > t.close_warn:
            return bad("camera.distance", FAIL if w > t.close_fail else WARN, w, "您离摄像头太近。",
                       "You are too close to the camera.",
                       "请向后坐一些（约 50–70 厘米），让头部和肩膀都出现在画面中。",
                       "Sit back a little (about 50-70 cm) so your head and shoulders are in the picture.")
        return ok("camera.distance", w, "与摄像头的距离合适。", "Your distance to the camera is right.")

    def _framing(self, single: List[FrameMetrics]) -> CheckResult:
        face_top = _med([f.face[1] for f in single if f.face]) or 0.0
        top = _med([f.face[1] - 0.25 * f.face[3] for f in single if f.face]) or 0.0   # hair above the face box
        below = _med([1.0 - (f.face[1] + f.face[3]) - 0.6 * f.face[3] for f in single if f.face]) or 0.0
        value = {"head_margin": top, "shoulder_room": below, "face_top": face_top}
        if face_top < 0.02 or top < 0:  # the face itself at the edge: cut; only the hair estimate: tight
            return bad("camera.framing", FAIL if face_top < 0.02 else WARN, value,
                       "头顶被画面切掉了。" if face_top < 0.02 else "头顶上方空间太少。",
                       "The top of your head is cut off." if face_top < 0.02 else "Little room above your head.",
                       "请把摄像头向上调一点，或坐低一些，让整个头部出现在画面中。",
                       "Tilt the camera up a little or sit lower so your whole head is in the picture.")
        if below < 0:
            return bad("camera.framing", WARN, value, "画面中看不到肩膀（上半身）。",
                       "Your shoulders (upper body) are not in the picture.",
                       "请向后坐或把摄像头向下调，让头部和肩膀都在画面中。",
                       "Sit back or tilt the camera down so your head and shoulders are both in the picture.")
        return ok("camera.framing", value, "头部和肩膀都在画面中。", "Head and shoulders are in the picture.")

    def _brightness(self, live: List[FrameMetrics], single: List[FrameMetrics]) -> CheckResult:
        t = self.t
        on_face = bool(single)
        level = _med([f.face_brightness for f in single]) if on_face else _med([f.mean for f in live])
        burnt = _med([f.face_overexposed for f in single]) if on_face else _med([f.overexposed for f in live])
        if level is None:
            return bad("camera.brightness", FAIL, None, "没有可测量的画面。", "No picture to measure.",
                       "请先让摄像头显示画面。", "Get the camera to show a picture first.")
        value = {"level": level, "overexposed": burnt or 0.0, "on_face": on_face}
        if level < t.dark_warn:
            return bad("camera.brightness", FAIL if level < t.dark_fail else WARN, value,
                       "脸部太暗。" if on_face else "画面太暗。", "Your face is too dark." if on_face else "The picture is too dark.",
                       "请打开房间的灯，让光线从正面照亮脸部。", "Turn on the room light so that it lights your face from the front.")
        if level > t.bright_warn or (burnt or 0.0) > t.overexposed_fail:
            status = FAIL if level > t.bright_fail or (burnt or 0.0) > t.overexposed_fail else WARN
            return bad("camera.brightness", status, value, "脸部过亮（曝光过度）。", "Your face is over-exposed (too bright).",
                       "请调暗直射脸部的灯光，或拉上窗帘避免阳光直射。",
                       "Dim the light shining straight at your face, or draw the curtain against direct sun.")
        return ok("camera.brightness", value, "脸部亮度合适。" if on_face else "画面亮度合适。",
                  "Your face is well lit." if on_face else "The picture brightness is fine.")

    def _contrast(self, live: List[FrameMetrics], single: List[FrameMetrics]) -> CheckResult:
        c = _med([f.face_contrast for f in single]) if single else _med([f.contrast for f in live])
        if c is None:
            return bad("camera.contrast", FAIL, None, "没有可测量的画面。", "No picture to measure.",
                       "请先让摄像头显示画面。", "Get the camera to show a picture first.")
        if c < self.t.contrast_warn:
            return bad("camera.contrast", FAIL if c < self.t.contrast_fail else WARN, c, "画面发灰、看不清细节。",
                       "The picture is flat and shows little detail.",
                       "请擦拭镜头，并改善照明（正面柔和的光线）。", "Clean the lens and improve the light (soft light from the front).")
        return ok("camera.contrast", c, "画面对比度正常。", "The picture contrast is fine.")

    def _backlit_no_face(self, live: List[FrameMetrics]) -> float:
        periphery = _med([f.periphery_brightness for f in live]) or 0.0
        centre = _med([f.centre_brightness for f in live]) or 0.0
        return periphery - centre if periphery >= self.t.backlight_min_bg else 0.0

    def _backlight(self, live: List[FrameMetrics], single: List[FrameMetrics]) -> CheckResult:
        t = self.t
        if single:
            face = _med([f.face_brightness for f in single]) or 0.0
            bg = _med([f.background_brightness for f in single])
            gap = (bg - face) if bg is not None and bg >= t.backlight_min_bg else 0.0
            value = {"face": face, "background": bg, "gap": gap}
        else:
            gap = self._backlit_no_face(live) if live else 0.0
            value = {"face": None, "background": _med([f.periphery_brightness for f in live]), "gap": gap}
        if gap >= t.backlight_warn:
            return bad("camera.backlight", FAIL if gap >= t.backlight_fail else WARN, value,
                       "逆光：您背后比脸部亮得多。", "Backlight: the background is much brighter than your face.",
                       "不要背对窗户或灯坐。请面向光源，背后是墙壁；或拉上身后的窗帘。",
                       "Do not sit with a window or lamp behind you. Face the light with a wall behind you, "
                       "or draw the curtain behind you.")
        return ok("camera.backlight", value, "没有逆光。", "No backlight.")

    def _sharpness(self, live: List[FrameMetrics], single: List[FrameMetrics]) -> CheckResult:
        t = self.t
        on_face = bool(single)
        s = _med([f.sharpness for f in (single or live)])
        if s is None:
            return bad("camera.sharpness", FAIL, None, "没有可测量的画面。", "No picture to measure.",
                       "请先让摄像头显示画面。", "Get the camera to show a picture first.")
        fail_at, warn_at = (t.sharp_face_fail, t.sharp_face_warn) if on_face else (t.sharp_frame_fail, t.sharp_frame_warn)
        if s < warn_at:
            return bad("camera.sharpness", FAIL if s < fail_at else WARN, {"sharpness": s, "on_face": on_face},
                       "画面模糊。", "The picture is blurred.",
                       "请擦干净镜头；如摄像头可调焦，请对准脸部调焦；保持头部不要晃动。",
                       "Clean the lens; if the camera has a focus ring, focus on your face; keep your head still.")
        return ok("camera.sharpness", {"sharpness": s, "on_face": on_face}, "画面清晰。", "The picture is sharp.")

    def _frozen(self, frames: List[FrameMetrics]) -> CheckResult:
        diffs = [f.diff_prev for f in frames if f.diff_prev is not None]
        if not diffs:
            return skipped("camera.frozen", "只有一帧画面：未检测画面是否卡住。",
                           "Only one frame: whether the picture freezes was not checked.", pairs=0)
        still = sum(1 for d in diffs if d < self.t.frozen_diff) / float(len(diffs))
        value = {"measured": True, "pairs": len(diffs), "still_share": still, "median_diff": _med(diffs)}
        if len(diffs) >= 3 and still >= self.t.frozen_share:
            return bad("camera.frozen", FAIL, value, "摄像头画面卡住不动（每帧完全相同）。",
                       "The camera picture is frozen (every frame is identical).",
                       "请拔插摄像头或重启电脑；关闭虚拟摄像头软件，使用真实摄像头。",
                       "Unplug and replug the camera or restart the PC; close virtual-camera software and use a real camera.")
        return ok("camera.frozen", value, "画面实时更新。", "The picture is live.")


def status_of(results: List[CheckResult], id_: str) -> str:
    for r in results:
        if r.id == id_:
            return r.status
    return PASS
