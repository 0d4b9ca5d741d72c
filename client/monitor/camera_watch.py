"""The in-exam camera watch: frames in, MonitorEvents out (no Qt, no threads, no clock of its own).

    watch = CameraWatch(policy)          # policy: events.policy_with(server_policy)
    for frame, t in frames:              # BGR frames at about policy["camera"]["analysis_fps"]
        for ev in watch.feed(frame, t):  # t: monotonic seconds or media time
            ...                          # ev.type "camera.face_absent", ev.state "start" | "end"
    watch.state()                        # {"camera": "ok", "face": "present", ...} for the heartbeat
    watch.close(t)                       # end what is still active (exam over, camera released)

One cause gives one event: a blocked, frozen or dark picture hides the face conditions, several
faces hide the single-face ones, and a turned or covered face is not also "absent".
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from client.monitor.camera_observe import CameraObserver, Observation
from client.monitor.detectors import default_detector
from client.monitor.events import MonitorEvent, RuleBook, policy_with

CAMERA_STATES = {"camera.blocked": "blocked", "camera.frozen": "frozen", "camera.dark": "dark"}
FACE_STATES = {"camera.multiple_faces": "several", "camera.face_absent": "absent", "camera.face_turned": "turned",
               "camera.face_covered": "covered", "camera.out_of_frame": "out_of_frame"}


class CameraWatch:
    def __init__(self, policy: Optional[Mapping[str, Any]] = None, analyzer: Optional[Any] = None) -> None:
        """`policy`: a full policy (events.policy_with) or None for the defaults. `analyzer`: anything
        with analyze(frame) -> Observation (default: CameraObserver with the policy's detector)."""
        self.policy = policy_with(None) if policy is None else dict(policy)
        cam = self.policy["camera"]
        self.th = dict(cam["thresholds"])
        if analyzer is None:
            analyzer = CameraObserver(default_detector(cam["detector"]), int(cam["detect_width"]), int(cam["detect_every"]))
        self.analyzer = analyzer
        self.rules = RuleBook(cam["rules"], float(cam["gap_s"]))
        self.last: Optional[Observation] = None
        self.last_t: Optional[float] = None
        self.frames = 0

    @property
    def detector_name(self) -> str:
        det = getattr(self.analyzer, "detector", None)
        return str(getattr(det, "name", "custom"))

    def feed(self, frame: Any, t: float) -> List[MonitorEvent]:
        """Analyse one frame taken at time t. Raises ValueError for something that is not a picture."""
        obs = self.analyzer.analyze(frame)
        self.last, self.last_t = obs, t
        self.frames += 1
        return self.rules.update(self.conditions(obs), t)

    def close(self, t: float) -> List[MonitorEvent]:
        return self.rules.close(t)

    def conditions(self, o: Observation) -> Dict[str, Dict[str, Any]]:
        """The conditions this observation shows (event type -> detail for the event)."""
        th = self.th
        if o.black or (o.mean < th["black_mean"] and o.contrast < th["black_contrast"]):
            return {"camera.blocked": {"mean": round(o.mean, 1)}}
        if o.diff_prev is not None and o.diff_prev < th["frozen_diff"]:
            return {"camera.frozen": {"diff": round(o.diff_prev, 3)}}
        faces = [f for f in o.faces if f.score >= th["min_face_score"]]
        if o.mean < th["dark_mean"] and (not faces or (o.face_brightness or 0.0) < th["dark_face"]):
            return {"camera.dark": {"mean": round(o.mean, 1)}}   # a visible face in a dim room is not 'dark'
        extra = [f for f in faces[1:] if f.score >= th["extra_face_score"]]
        if faces and extra:
            return {"camera.multiple_faces": {"count": 1 + len(extra)}}
        if not faces:
            if o.profile:
                return {"camera.face_turned": {"profile": True}}
            if o.head_match is not None and o.head_match >= th["head_match"]:
                return {"camera.face_covered": {"head_match": round(o.head_match, 2)}}
            return {"camera.face_absent": {}}
        face = faces[0]
        if o.pose is not None and (abs(o.pose.yaw) > th["turned_yaw"] or o.pose.pitch > th["pitch_down"]):
            return {"camera.face_turned": {"yaw": round(o.pose.yaw, 2), "pitch": round(o.pose.pitch, 2)}}
        # a small or cut face gives a poor patch: framing is judged before covering
        x, y, w, h = face.box
        cut = (max(0.0, -x) + max(0.0, x + w - 1.0)) / max(w, 1e-6)
        if cut > th["edge_cut"] or w < th["min_face_width"]:
            return {"camera.out_of_frame": {"face_width": round(w, 3), "cut": round(cut, 2)}}
        if o.lower_match is not None and o.upper_match is not None and o.lower_match < th["covered_match"] \
                and o.upper_match - o.lower_match > th["covered_gap"]:
            return {"camera.face_covered": {"lower_match": round(o.lower_match, 2), "upper_match": round(o.upper_match, 2)}}
        return {}

    def state(self) -> Dict[str, Any]:
        """The current condition for the heartbeat: confirmed events first, else what the last frame showed."""
        active = self.rules.active()
        cam = next((CAMERA_STATES[k] for k in ("camera.blocked", "camera.frozen", "camera.dark") if k in active), None)
        face = next((FACE_STATES[k] for k in FACE_STATES if k in active), None)
        o = self.last
        if o is None:
            return {"camera": "no_frames", "face": "unknown", "faces": 0, "detector": self.detector_name,
                    "active": active, "t": None}
        if cam is not None:
            face = face or "unknown"
        if face is None:
            face = "present" if o.faces else "not_seen"
        return {"camera": cam or "ok", "face": face, "faces": len(o.faces), "detector": self.detector_name,
                "active": active, "t": self.last_t}
