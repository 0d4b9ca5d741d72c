"""The camera page: device choice, live preview with the framing guide, live verdicts over a window
of frames; "use this result" takes the current verdict."""
from __future__ import annotations

import logging
from typing import Any, Callable, List, Optional

from client.monitor.results import CheckResult, worst
from client.qt import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget, Signal
from client.ui.selfcheck.pages import CheckPage, fill_results, text_of
from client.ui.selfcheck.preview import CameraPreview
from client.ui.selfcheck.workers import CameraWorker

log = logging.getLogger(__name__)


class CameraPage(CheckPage):
    area = "camera"
    verdictsChanged = Signal(object)

    def __init__(self, source_factory: Callable[[Any], Any], camera: Any = None, window: int = 15,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.set_texts(self.tr("Camera"), self.tr(
            "Sit as you will during the exam: your face inside the oval, your shoulders above the line, "
            "a light in front of you and no window behind you."))
        self.source_factory = source_factory
        self.camera = camera
        self.window_frames = window  # not `window`: that would hide QWidget.window()
        self.worker: Optional[CameraWorker] = None
        row = QHBoxLayout()
        self.devices = QComboBox()
        self.devices.setObjectName("selfcheck_cameraDevice")
        self.devices.setAccessibleName(self.tr("Camera"))
        row.addWidget(QLabel(self.tr("Camera:")))
        row.addWidget(self.devices, 1)
        self.box.addLayout(row)
        self.preview = CameraPreview()
        self.box.addWidget(self.preview, 3)
        self.box.addWidget(self.list, 2)
        buttons = QHBoxLayout()
        self.retry = QPushButton(self.tr("Check again"))
        self.retry.setObjectName("selfcheck_cameraRetry")
        self.retry.clicked.connect(self.restart)
        self.accept = QPushButton(self.tr("Use this result"))
        self.accept.setObjectName("selfcheck_cameraAccept")
        self.accept.setEnabled(False)
        self.accept.clicked.connect(self.take)
        buttons.addStretch(1)
        buttons.addWidget(self.retry)
        buttons.addWidget(self.accept)
        self.box.addLayout(buttons)
        self.live: List[CheckResult] = []
        if camera is not None:
            self._fill_devices()  # otherwise listed when the page starts: no device probing at build time
        self.devices.currentIndexChanged.connect(lambda _i: self.restart() if self.worker else None)

    def _fill_devices(self) -> None:
        self.devices.clear()
        if self.camera is not None:
            self.devices.addItem(str(self.camera), self.camera)
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

    def start(self) -> None:
        if self.worker is not None:
            return
        if self.devices.count() == 0:
            self.devices.blockSignals(True)
            self._fill_devices()
            self.devices.blockSignals(False)
        spec = self.devices.currentData()
        self.preview.set_message(self.tr("Starting the camera…"))
        self.worker = CameraWorker(self.source_factory(spec if spec is not None else 0), window=self.window_frames)
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
        self.accept.setEnabled(False)
        self.start()

    def take(self) -> None:
        results = list(self.live)
        self.stop()
        self.finish(results)

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
            if r is not None and r.status != "pass" and r.value is not None:
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
        fill_results(self.list, self.live)
        self.preview.set_message(self.hint())
        ready = self.worker.session.frames_seen >= self.window_frames
        self.accept.setEnabled(ready)
        self.verdictsChanged.emit(list(results))

    def _on_failed(self, results: List[CheckResult]) -> None:
        self.stop()
        self.preview.set_message(text_of(results[-1].message_zh, results[-1].message_en))
        self.live = list(results)
        self.finish(results)
