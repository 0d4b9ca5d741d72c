"""The camera step: which camera (by its name), the live preview with the framing guide, and the verdict
over a window of frames, live; Next takes the verdict as it stands once a full window is analysed."""
from __future__ import annotations

import logging
import os
from typing import Any, Callable, List, Optional, Tuple

from client.monitor.results import CheckResult, worst
from client.qt import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget, Signal
from client.ui import theme
from client.ui.selfcheck.preview import CameraPreview
from client.ui.selfcheck.step import CheckPage
from client.ui.selfcheck.verdict import text_of
from client.ui.selfcheck.workers import CameraWorker

log = logging.getLogger(__name__)


def camera_label(spec: Any, label: str = "") -> str:
    """What the candidate reads for a camera: the given label (its part in the UI's language when it is
    "中文 / English"), a recorded file by its name only, never a folder path."""
    if label:
        if " / " in label:
            zh, en = label.split(" / ", 1)
            return text_of(zh, en)
        return label
    if isinstance(spec, str) and not spec.isdigit():
        name = os.path.basename(spec)
        return text_of("录制的视频（%s）" % name, "Recorded video (%s)" % name)
    return text_of("默认摄像头", "Default camera")


class CameraPage(CheckPage):
    area = "camera"
    KEY_CHECKS = ("camera.device", "camera.resolution", "camera.face_count", "camera.brightness")
    verdictsChanged = Signal(object)

    def __init__(self, source_factory: Callable[[Any], Any], camera: Any = None, window: int = 15,
                 label: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Camera"), self.tr(
            "Sit as you will during the exam: your face inside the oval, your shoulders above the line, "
            "a light in front of you and no window behind you."))
        self.source_factory = source_factory
        self.camera = camera
        self.label = label
        self.window_frames = window  # not `window`: that would hide QWidget.window()
        self.worker: Optional[CameraWorker] = None
        self.devices = QComboBox()
        self.devices.setObjectName("selfcheck_cameraDevice")
        self.devices.setAccessibleName(self.tr("Camera"))
        self.devices.setMinimumWidth(280)
        self.top.addWidget(QLabel(self.tr("Camera:")))
        self.top.addWidget(self.devices)
        body = QHBoxLayout()
        body.setSpacing(18)
        self.preview = CameraPreview()
        left = QVBoxLayout()
        left.addWidget(self.preview)
        self.legend = QLabel(self.tr("Oval: where your face belongs · dashed line: your shoulders · green when you "
                                     "sit right"))
        self.legend.setObjectName("selfcheck_cameraLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: %s;" % theme.MUTED)
        left.addWidget(self.legend)
        left.addStretch(1)
        body.addLayout(left, 3)
        body.addLayout(self.result_column(), 2)
        self.box.addLayout(body, 1)
        self.live: List[CheckResult] = []
        self.ready = False   # a full window of frames analysed: the verdict may be taken
        if camera is not None:
            self._fill_devices()  # otherwise listed when the page starts: no device probing at build time
        self.devices.currentIndexChanged.connect(lambda _i: self.restart() if self.worker else None)

    def _fill_devices(self) -> None:
        self.devices.clear()
        if self.camera is not None:
            self.devices.addItem(camera_label(self.camera, self.label), self.camera)
            return
        try:
            from client.monitor.camera_devices import list_cameras

            cams = list_cameras(allow_probe=False)
        except Exception:  # noqa: BLE001
            log.exception("camera enumeration failed")
            cams = []
        for c in cams:
            label = c.name + ("  " + self.tr("(virtual camera)") if c.virtual else "")
            self.devices.addItem(label, c.index)
        if not cams:
            self.devices.addItem(self.tr("Default camera"), 0)

    # -- the check ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self.worker is not None:
            return
        if self.devices.count() == 0:
            self.devices.blockSignals(True)
            self._fill_devices()
            self.devices.blockSignals(False)
        spec = self.devices.currentData()
        self.preview.set_message(self.tr("Starting the camera…"))
        self.ready = False
        self.results = []
        self.show_busy(self.tr("Checking the camera…"))
        source = self.source_factory(spec if spec is not None else 0)
        info = getattr(source, "info", None)
        if info is not None and self.devices.currentText():
            info.name = self.devices.currentText().strip()   # reports name the camera as the candidate sees it
        self.worker = CameraWorker(source, window=self.window_frames)
        self.worker.frame.connect(self._on_frame)
        self.worker.verdicts.connect(self._on_verdicts)
        self.worker.failed.connect(self._on_failed)
        self.worker.analysed.connect(lambda m: self.preview.set_analysis(m.faces, self._guide_status()))
        self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            w, self.worker = self.worker, None
            w.stop()

    def restart(self) -> None:
        self.stop()
        self.live = []
        self.start()

    def take(self) -> None:
        """The live verdict as it stands is the step's result."""
        results = list(self.live)
        self.stop()
        self.finish(results)

    # -- the bar -----------------------------------------------------------------------------------
    def primary(self) -> Tuple[str, bool]:
        if self.worker is not None and not self.ready:
            return self.tr("Checking…"), False
        return self.tr("Next"), True

    def on_primary(self) -> bool:
        if self.worker is not None:
            self.take()
        elif not self.results:
            return True   # never run: the wizard records it as not run
        return True

    def secondary(self) -> Tuple[str, bool]:
        return self.tr("Check again"), True

    def on_secondary(self) -> bool:
        self.restart()
        return False

    # -- live results ------------------------------------------------------------------------------
    def _guide_status(self) -> str:
        framing = [r.status for r in self.live if r.id in ("camera.face_count", "camera.centred", "camera.distance",
                                                              "camera.framing")]
        return worst(framing) if framing else "warn"

    HINT_ORDER = ("camera.picture", "camera.face_count", "camera.backlight", "camera.brightness", "camera.distance",
                  "camera.centred", "camera.framing", "camera.sharpness", "camera.frozen")

    def hint(self) -> str:
        """The most important thing to fix now, written on the preview where the candidate looks."""
        by_id = {r.id: r for r in self.live}
        for id_ in self.HINT_ORDER:
            r = by_id.get(id_)
            if r is not None and r.status in ("warn", "fail") and r.value is not None:
                return text_of(r.fix_zh, r.fix_en) or text_of(r.message_zh, r.message_en)
        return ""

    def _on_frame(self, image: Any) -> None:
        if self.preview.message and self.preview.frames_shown == 0:
            self.preview.set_message("")
        self.preview.set_frame(image)

    def _on_verdicts(self, results: List[CheckResult]) -> None:
        if self.worker is None:
            return
        self.live = list(results)
        self.preview.set_message(self.hint())
        was_ready = self.ready
        self.ready = self.worker.session.frames_seen >= self.window_frames
        if self.ready:
            self.show_results(self.live)     # live: follows the candidate moving into place
        if self.ready != was_ready:
            self.actionsChanged.emit()
        self.verdictsChanged.emit(list(results))

    def _on_failed(self, results: List[CheckResult]) -> None:
        self.stop()
        self.preview.set_message(text_of(results[-1].message_zh, results[-1].message_en))
        self.live = list(results)
        self.finish(results)
