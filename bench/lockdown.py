"""Lockdown costs, printed: the keyboard hook's decision per key (goal < 50 us), a process-guard scan of
300 processes with the PID diff (goal < 5 ms), and the hidden-overlay scan. Each figure with a floor
measured in the same run (an empty Python call; psutil.pids() alone; the bare window list).

    .venv/bin/python bench/lockdown.py [--processes 300]        # Linux: 300 real sleeping processes
    tools/wine-lane.sh bench/lockdown.py                          # Windows Python: the ctypes hook path too
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import Callable, List

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from client.lockdown import keys as K  # noqa: E402
from client.lockdown.backend import WindowInfo  # noqa: E402
from client.lockdown.backends.null import NullBackend  # noqa: E402
from client.lockdown.guard import ProcessGuard, PsutilTable  # noqa: E402
from client.lockdown.overlay import find_overlays  # noqa: E402
from client.lockdown.policy import DEFAULT_OVERLAY_ALLOW  # noqa: E402
from examcore.programs import DEFAULT_PROGRAMS  # noqa: E402

# a typing burst with the combinations the hook must catch: (vk, flags, message)
KEYS = [(0x41, 0, 0x100), (0x41, 0x80, 0x101), (K.VK_LSHIFT, 0, 0x100), (0x42, 0, 0x100), (0x42, 0x80, 0x101),
        (K.VK_LSHIFT, 0x80, 0x101), (K.VK_LMENU, 0x20, 0x104), (K.VK_TAB, 0x20, 0x104), (K.VK_TAB, 0xA0, 0x105),
        (K.VK_LMENU, 0x80, 0x101), (K.VK_LWIN, 0, 0x100), (K.VK_LWIN, 0x80, 0x101), (0x43, 0x10, 0x100),
        (0x43, 0x90, 0x101), (K.VK_SPACE, 0, 0x100), (K.VK_SPACE, 0x80, 0x101)]


def timed(fn: Callable[[], object], repeat: int) -> List[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def pct(values: List[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))]


def line(title: str, samples: List[float], unit: float, unit_name: str, floor: float = 0.0, goal: float = 0.0) -> None:
    med = statistics.median(samples)
    text = "  %-52s p50 %8.2f %s  p99 %8.2f %s" % (title, med * unit, unit_name, pct(samples, .99) * unit, unit_name)
    if floor:
        text += "  (%.1fx floor)" % (med / floor)
    if goal:   # judged on the median: the p99 of this shared 2-core machine is mostly its own jitter
        text += "  goal < %g %s: %s" % (goal, unit_name, "met" if med * unit < goal else "NOT met")
    print(text)


def bench_keys() -> None:
    print("keyboard hook decision (per key)")
    f = K.KeyFilter(K.KeyPolicy())
    n = 20000

    def run() -> None:
        for vk, flags, msg in KEYS:
            f.on_key(vk, flags, msg)

    def empty(vk: int, flags: int, msg: int) -> None:
        return None

    def floor_run() -> None:
        for vk, flags, msg in KEYS:
            empty(vk, flags, msg)
    per = len(KEYS)
    samples = [s / per for s in timed(run, n // per)]
    floor = statistics.median([s / per for s in timed(floor_run, n // per)])
    line("KeyFilter.on_key (tracking + decide)", samples, 1e6, "us", floor, goal=50)
    if sys.platform == "win32":
        bench_hook_trampoline(f)


def bench_hook_trampoline(f: K.KeyFilter) -> None:
    """What Windows calls: the ctypes HOOKPROC trampoline, the struct read, the decision, CallNextHookEx."""
    import ctypes

    from client.win32 import keyboard as kb

    t = kb.HookThread(lambda vk, flags, msg: f.on_key(vk, flags, msg).swallow)
    proc = kb.HOOKPROC(t._on_hook)
    structs = [kb.KBDLLHOOKSTRUCT(vk, 0, flags, 0, 0) for vk, flags, _m in KEYS]
    ptrs = [ctypes.addressof(s) for s in structs]
    msgs = [m for _v, _f, m in KEYS]

    def run() -> None:
        for p, m in zip(ptrs, msgs):
            proc(0, m, p)
    samples = [s / len(KEYS) for s in timed(run, 1000)]
    line("hook callback via ctypes (+CallNextHookEx)", samples, 1e6, "us", goal=50)


def sleepers(n: int) -> List[subprocess.Popen]:
    sleep = shutil.which("sleep")
    if sleep is None:
        return []
    return [subprocess.Popen([sleep, "120"]) for _ in range(n)]


def bench_guard(n: int) -> None:
    import psutil

    procs = sleepers(n) if sys.platform != "win32" else []
    try:
        total = len(psutil.pids())
        print("process guard (%d processes on this system, %d started for the run)" % (total, len(procs)))
        guard = ProcessGuard(DEFAULT_PROGRAMS, NullBackend(), PsutilTable(), verify_every=0)
        first = timed(guard.scan, 1)
        steady = timed(guard.scan, 200)
        floor = statistics.median(timed(psutil.pids, 200))
        line("psutil.pids() alone (the floor)", timed(psutil.pids, 200), 1e3, "ms")   # p99: the machine's jitter
        line("first scan (every process described)", first, 1e3, "ms")
        line("scan with the PID diff, nothing new", steady, 1e3, "ms", floor, goal=5)
        if sys.platform == "win32":   # the listing is a Toolhelp snapshot (pid + name): reuse-safe every scan
            from client.win32.processes import process_names

            line("Toolhelp snapshot alone (pid + name)", timed(process_names, 200), 1e3, "ms", floor)
        else:
            verify = ProcessGuard(DEFAULT_PROGRAMS, NullBackend(), PsutilTable(), verify_every=1)
            verify.scan()
            line("scan re-reading start times (every 15th scan)", timed(verify.scan, 20), 1e3, "ms", floor)
        if procs:
            one_new = []
            for _ in range(20):
                p = subprocess.Popen([shutil.which("sleep") or "sleep", "120"])
                procs.append(p)
                one_new += timed(guard.scan, 1)
            line("scan with one new process", one_new, 1e3, "ms", floor, goal=5)

        def naive() -> None:
            for p in psutil.process_iter(["name", "exe"]):
                p.info.get("name")
        line("without the diff: process_iter(name, exe)", timed(naive, 20), 1e3, "ms", floor)
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def bench_overlays() -> None:
    print("hidden-overlay scan")
    own = WindowInfo(0xA0B2C, os.getpid(), "ExamDesk.exe", "ExamDesk", "Qt6110QWindowIcon", 0x8, (0, 0, 1920, 1080))
    sample = [WindowInfo(0x1000 + i, 5000 + i % 40, "app%d.exe" % (i % 40), "w%d" % i, "Chrome_WidgetWin_1",
                         (0x80028 if i % 17 == 0 else 0), (10, 10, 800, 600), 0x11 if i % 97 == 0 else 0)
              for i in range(299)]
    windows = sample[:150] + [own] + sample[150:]
    found = find_overlays(windows, os.getpid(), own.handle, DEFAULT_OVERLAY_ALLOW)
    line("find_overlays, 300 windows (%d flagged)" % len(found),
         timed(lambda: find_overlays(windows, os.getpid(), own.handle, DEFAULT_OVERLAY_ALLOW), 500), 1e3, "ms")
    if sys.platform == "win32":
        from client.lockdown.backends.windows import WindowsBackend
        from client.win32 import windows as w32

        backend = WindowsBackend()
        n = len(w32.top_level_handles())
        floor = statistics.median(timed(w32.top_level_handles, 200))
        line("EnumWindows alone (%d top-level windows)" % n, timed(w32.top_level_handles, 200), 1e3, "ms")
        line("backend.windows() + find_overlays (real Win32)",
             timed(lambda: find_overlays(backend.windows(), os.getpid(), 0, DEFAULT_OVERLAY_ALLOW), 200), 1e3,
             "ms", floor)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=300)
    args = ap.parse_args()
    print("python %s on %s" % (sys.version.split()[0], sys.platform))
    bench_keys()
    bench_guard(args.processes)
    bench_overlays()
    return 0


if __name__ == "__main__":
    sys.exit(main())
