"""Second-camera test helpers: the phone's fake camera made from the real photos (a .y4m for Chromium's
fake capture device), a test CA trusted by a real headless Chromium (an NSS database, as a phone trusts an
installed CA), the Playwright launcher, and a protocol-level stand-in phone for server and engine tests."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import cv2
import numpy as np
import pytest
import requests

from tests.helpers.media import load_face, sensor_noise

CHROMIUM = os.environ.get("EXAMDESK_CHROMIUM", "/usr/bin/chromium")
# what the phone page reports about getUserMedia, recorded before any script of the page runs
GUM_SPY = """(() => {
  const md = navigator.mediaDevices;
  window.__gum = [];
  if (!md || !md.getUserMedia) { return; }
  const real = md.getUserMedia.bind(md);
  md.getUserMedia = (c) => { window.__gum.push(JSON.parse(JSON.stringify(c === undefined ? null : c))); return real(c); };
})();"""
HIDE = """(() => {
  Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
  Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
  document.dispatchEvent(new Event('visibilitychange'));
})()"""
SHOW = """(() => {
  Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});
  Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});
  document.dispatchEvent(new Event('visibilitychange'));
})()"""


def phone_view_frames(n: int = 24, width: int = 640, height: int = 360, photo: str = "rose_leslie_far.jpg") -> List[np.ndarray]:
    """What a phone 1.5 m behind to one side sees, as well as real photos allow: a whole person, small in a
    landscape picture, the view drifting slightly (a hand-placed phone) with sensor noise on every frame."""
    img = load_face(photo)
    h, w = img.shape[:2]
    crop_w = min(w, int(h * width / height))
    frames = []
    for i, noisy in enumerate(sensor_noise(img, n, sigma=2.5)):
        x = int((w - crop_w) / 2 + (w - crop_w) / 4 * np.sin(2 * np.pi * i / n))
        frames.append(cv2.resize(noisy[:, x:x + crop_w], (width, height), interpolation=cv2.INTER_AREA))
    return frames


def write_y4m(path: Path, frames: List[np.ndarray], fps: int = 10) -> Path:
    """A YUV4MPEG2 (4:2:0) file: what Chromium's --use-file-for-fake-video-capture plays, looped."""
    h, w = frames[0].shape[:2]
    with open(path, "wb") as f:
        f.write(b"YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n" % (w, h, fps))
        for fr in frames:
            f.write(b"FRAME\n")
            f.write(cv2.cvtColor(fr, cv2.COLOR_BGR2YUV_I420).tobytes())
    return path


def trusting_home(root: Path, ca_cert: Path) -> Path:
    """A HOME whose NSS database trusts `ca_cert` for TLS servers: Chromium on Linux reads it."""
    if shutil.which("certutil") is None:
        pytest.skip("certutil missing (apt-get install libnss3-tools)")
    db = root / ".pki" / "nssdb"
    db.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-d", "sql:%s" % db, "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-d", "sql:%s" % db, "-A", "-t", "C,,", "-n", "ExamDesk test CA", "-i", str(ca_cert)],
                   check=True, capture_output=True)
    return root


def launch_chromium(playwright: Any, home: Path, video: Path) -> Any:
    """Debian's chromium through Playwright (no browser download), a fake camera playing `video`."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium missing (apt-get install chromium chromium-driver)")
    env = dict(os.environ, HOME=str(home))
    return playwright.chromium.launch(executable_path=CHROMIUM, env=env, args=[
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        "--use-file-for-fake-video-capture=%s" % video])


def phone_context(browser: Any, lang: str = "zh-CN", landscape: bool = False) -> Any:
    """A phone-sized browser context (390x844 CSS px, touch), with the getUserMedia spy installed."""
    size = {"width": 844, "height": 390} if landscape else {"width": 390, "height": 844}
    ctx = browser.new_context(viewport=size, device_scale_factor=2, is_mobile=True, has_touch=True, locale=lang,
                              user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                                         "Gecko) Chrome/156.0 Mobile Safari/537.36 HeadlessChrome")
    ctx.add_init_script(GUM_SPY)
    return ctx


def poll(page: Any, js: str, until: Callable[[Any], bool], timeout: float = 60.0, what: str = "") -> Any:
    """Evaluate `js` until `until(value)` holds (the page's CSP forbids eval, so no wait_for_function).
    A liveness guard for a stuck test, not a speed limit."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(js)
        if until(value):
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s; last value %r" % (what or js, value))


def wait_until(cond: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def policy_file(path: Path, **phone: Any) -> Path:
    path.write_text(json.dumps({"phone": phone}), encoding="utf-8")
    return path


def jpeg(frame: np.ndarray, quality: int = 60) -> bytes:
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


class StandInPhone:
    """The phone page's protocol, spoken by requests (for server and engine tests; the browser tests use the
    real page): claim a pairing URL once, then send JPEG frames and status beats."""

    def __init__(self, api: str, verify: Any = True) -> None:
        self.api = api
        self.verify = verify
        self.key: Optional[str] = None
        self.seq = 0
        self.pacing: Dict[str, Any] = {}

    @staticmethod
    def token_of(url: str) -> str:
        return url.split("#t=", 1)[1]

    def claim(self, url_or_token: str) -> requests.Response:
        token = self.token_of(url_or_token) if "#t=" in url_or_token else url_or_token
        r = requests.post(self.api + "/phone/claim", json={"token": token}, timeout=10, verify=self.verify,
                          headers={"User-Agent": "stand-in phone"})
        if r.status_code == 200:
            self.key = r.json()["key"]
            self.pacing = r.json()["settings"]
        return r

    def headers(self, **more: str) -> Dict[str, str]:
        return dict(more, Authorization="Bearer %s" % self.key)

    def frame(self, data: bytes, **beat: Any) -> requests.Response:
        self.seq += 1
        params = {"seq": self.seq, "visibility": "visible", "facing": "environment", "wake_lock": "held"}
        params.update(beat)
        r = requests.post(self.api + "/phone/frames", params=params, data=data, timeout=10, verify=self.verify,
                          headers=self.headers(**{"Content-Type": "image/jpeg"}))
        if r.status_code == 200:
            self.pacing = r.json()
        return r

    def beat(self, event: str, **body: Any) -> requests.Response:
        return requests.post(self.api + "/phone/status", json=dict(body, event=event), timeout=10, verify=self.verify,
                             headers=self.headers())
