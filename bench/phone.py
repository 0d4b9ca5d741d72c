"""The second camera's costs on this machine: upstream per phone (goal <= 50 kbps at the default interval) and
the server's cost per frame. Prints figures; asserts nothing.

Upstream: the real phone page in Debian's Chromium (fake camera playing a video made from the real photos)
against the real server over HTTPS, with the default policy's picture size and quality; each frame request's
body and headers as Chromium sent them, plus TLS record and TCP/IP overhead (computed, stated below). The
same size and quality are also encoded for every photo of the data set, for the heaviest scene we have.

Server: CPU time of the server process per frame POST (a stand-in phone on loopback, keep-alive), with the
CPU per `GET /healthz` in the same run as the floor (a bare endpoint through the same stack).

    .venv/bin/python bench/phone.py [--frames 20] [--posts 400]
"""
from __future__ import annotations

import argparse
import glob
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, List

import cv2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examcore.policy import DEFAULT_POLICY  # noqa: E402
from tests.helpers.fixtures import make_sitting  # noqa: E402
from tests.helpers.media import FACES_DIR  # noqa: E402
from tests.helpers.phone import (  # noqa: E402
    StandInPhone,
    jpeg,
    launch_chromium,
    phone_context,
    phone_view_frames,
    policy_file,
    trusting_home,
    write_y4m,
)
from tests.helpers.server import LiveServer  # noqa: E402
from tests.server.kit import auth  # noqa: E402

PHONE = DEFAULT_POLICY["phone"]
TLS_RECORD = 22          # TLS 1.3 AEAD record: 5 header + 16 tag + 1 content type, per <= 16 KiB record
MSS, TCPIP = 1448, 52    # IPv4 + TCP with timestamps, per segment


def wire_bytes(http_bytes: int) -> int:
    records = max(1, math.ceil(http_bytes / 16384))
    tls = http_bytes + records * TLS_RECORD
    return tls + math.ceil(tls / MSS) * TCPIP


def kbps(bytes_per_frame: float, interval_s: float) -> float:
    return bytes_per_frame * 8 / interval_s / 1000.0


def cpu_s(pid: int) -> float:
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def upstream(tmp: Path, frames: int) -> None:
    from playwright.sync_api import sync_playwright

    from server.tls import create

    certs = create(tmp / "tls", ["127.0.0.1"])
    # the default picture size and quality; only the pace is faster so the run is short
    pol = policy_file(tmp / "policy-up.json", interval_s=0.5, setup_interval_s=0.5, max_kbps=100000)  # no quality cuts
    srv = LiveServer(tmp / "up", tls=certs, extra_args=["--policy-file", str(pol)]).start()
    os.environ["REQUESTS_CA_BUNDLE"] = str(certs.ca_cert)
    sizes: List[int] = []
    heads: List[int] = []
    largest = 0
    try:
        st = make_sitting(srv)
        url = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, st.sitting_id), headers=auth(st.token),
                            timeout=10).json()["url"]
        video = write_y4m(tmp / "phone-view.y4m", phone_view_frames(24))
        pw = sync_playwright().start()
        browser = launch_chromium(pw, trusting_home(tmp / "home", certs.ca_cert), video)
        try:
            ctx = phone_context(browser, landscape=True)
            page = ctx.new_page()

            def on_finished(req: Any) -> None:
                if "/api/v1/phone/frames" in req.url and req.method == "POST":
                    size = req.sizes()              # as Chromium put them on the connection
                    sizes.append(int(size["requestBodySize"]))
                    heads.append(int(size["requestHeadersSize"]))
            page.on("requestfinished", on_finished)
            page.goto(url)
            page.click("#start")
            deadline = time.monotonic() + 120
            while len(heads) < frames and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            ctx.close()
            # Chromium does not report the size of a Blob body: the server counted every JPEG byte it took
            status = srv.admin_json("GET", "/admin/sittings/%s/phone" % st.sitting_id)["status"]
            sizes = [status["bytes"] // max(1, status["frames"])] * status["frames"]
            largest = max(f["size"] for f in srv.admin_json("GET", "/admin/sittings/%s/phone" % st.sitting_id)["frames"])
        finally:
            browser.close()
            pw.stop()
    finally:
        srv.stop()
    body, head = statistics.mean(sizes), statistics.mean(heads)
    per_frame = wire_bytes(int(body + head))
    print("phone page, %d frames at %dpx max side, quality %.2f (Chromium, the video from the photos)"
          % (len(sizes), PHONE["max_width"], PHONE["jpeg_quality"]))
    print("  JPEG body        mean %6.0f B   (%d frames; largest kept %d B)" % (body, len(sizes), largest))
    print("  request headers  mean %6.0f B" % head)
    print("  on the wire      %6d B per frame (TLS 1.3 records + TCP/IP headers added)" % per_frame)
    print("  upstream at the default interval (%.1f s): %5.1f kbps   goal <= 50 kbps: %s (%.2f of the goal)"
          % (PHONE["interval_s"], kbps(per_frame, PHONE["interval_s"]),
             "met" if kbps(per_frame, PHONE["interval_s"]) <= 50 else "NOT met", kbps(per_frame, PHONE["interval_s"]) / 50))
    print("  while a live view watches (%.1f s):    %5.1f kbps (self-check, re-pairing only)"
          % (PHONE["setup_interval_s"], kbps(per_frame, PHONE["setup_interval_s"])))
    # the heaviest scene among the real photos, at the same size and quality (OpenCV's encoder)
    worst = 0
    for path in sorted(glob.glob(str(FACES_DIR / "*.jpg")) + glob.glob(str(FACES_DIR / "*.png"))):
        img = cv2.imread(path)
        h, w = img.shape[:2]
        s = PHONE["max_width"] / float(max(h, w))
        small = cv2.resize(img, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
        worst = max(worst, len(jpeg(small, int(PHONE["jpeg_quality"] * 100))))
    w_frame = wire_bytes(worst + int(head))
    print("  heaviest photo of the data set at that size: %d B -> %.1f kbps at the default interval"
          % (worst, kbps(w_frame, PHONE["interval_s"])))


def server_cost(tmp: Path, posts: int) -> None:
    pol = policy_file(tmp / "policy-cost.json")
    srv = LiveServer(tmp / "cost", extra_args=["--policy-file", str(pol), "--log-level", "WARNING"]).start()
    try:
        st = make_sitting(srv)
        url = requests.post("%s/sittings/%s/phone/pairing" % (srv.api, st.sitting_id), headers=auth(st.token),
                            timeout=10).json()["url"]
        phone = StandInPhone(srv.api)
        assert phone.claim(url).status_code == 200
        session = requests.Session()
        frames = [jpeg(f) for f in phone_view_frames(8, 480, 270)]
        assert srv.proc is not None
        pid = srv.proc.pid

        def run(call: Any, n: int) -> tuple:
            for _ in range(20):
                call(0)                        # warm-up
            c0, lat = cpu_s(pid), []
            for i in range(n):
                t = time.perf_counter()
                call(i)
                lat.append((time.perf_counter() - t) * 1000)
            return (cpu_s(pid) - c0) / n * 1000, statistics.median(lat), sorted(lat)[int(0.95 * (n - 1))]

        def frame(i: int) -> None:
            phone.seq += 1
            r = session.post(srv.api + "/phone/frames", params={"seq": phone.seq, "visibility": "visible"},
                             data=frames[i % len(frames)], headers=phone.headers(**{"Content-Type": "image/jpeg"}),
                             timeout=10)
            assert r.status_code == 200, r.text

        def healthz(_i: int) -> None:
            assert session.get(srv.api + "/healthz", timeout=10).status_code == 200

        f_cpu, f_p50, f_p95 = run(frame, posts)
        h_cpu, h_p50, h_p95 = run(healthz, posts)
    finally:
        srv.stop()
    print("server, %d frame POSTs of %d B (SQLite WAL, synchronous=FULL; one kept frame per %ds)"
          % (posts, statistics.mean(len(f) for f in frames), PHONE["evidence_every_s"]))
    print("  frame      CPU %6.2f ms/frame   latency p50 %6.2f ms  p95 %6.2f ms" % (f_cpu, f_p50, f_p95))
    print("  healthz    CPU %6.2f ms/request latency p50 %6.2f ms  p95 %6.2f ms (floor, same run)" % (h_cpu, h_p50, h_p95))
    print("  ratio frame/healthz CPU: %.1fx; one core takes ~%d phones at the default interval"
          % (f_cpu / h_cpu, int(1000.0 / f_cpu * PHONE["interval_s"])))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=20)
    ap.add_argument("--posts", type=int, default=400)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        upstream(Path(tmp), args.frames)
        server_cost(Path(tmp), args.posts)


if __name__ == "__main__":
    main()
