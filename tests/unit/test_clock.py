"""ExamClock: server time on a monotonic clock, restarts, wall-clock jumps, warnings."""
from __future__ import annotations

from client.exam.clock import ExamClock, ManualClockSource, WarningSchedule

START = 1_764_350_000_000


def synced_clock(src: ManualClockSource, server_ms: int, saved: list) -> ExamClock:
    clock = ExamClock(src, persist=saved.append)
    m = clock.mono_ms()
    clock.observe(server_ms, m, m)
    return clock


def test_offset_from_the_round_trip_midpoint():
    src = ManualClockSource(wall=0.0)
    clock = ExamClock(src)
    sent = clock.mono_ms()
    src.advance(0.2)
    clock.observe(START, sent, clock.mono_ms())   # stamped half-way through the 200 ms round trip
    assert clock.server_now_ms() == START + 100
    src.advance(10)
    assert clock.server_now_ms() == START + 10_100


def test_a_slow_sample_does_not_replace_a_fast_one():
    src = ManualClockSource()
    clock = ExamClock(src)
    m = clock.mono_ms()
    clock.observe(START, m, m + 10)
    src.advance(1)
    m = clock.mono_ms()
    clock.observe(START + 5000, m - 3000, m)     # 3 s round trip, wildly off: ignored
    assert clock.server_now_ms() == START + 1000 - 5   # first sample: stamped mid round trip


def test_wall_clock_jump_changes_nothing():
    src = ManualClockSource()
    clock = synced_clock(src, START, [])
    clock.set_schedule(START, 7200)
    before = clock.reading().remaining_s
    src.jump_wall(3 * 3600)       # the candidate sets the PC clock 3 h ahead
    src.jump_wall(-6 * 3600)      # ... then back
    assert clock.reading().remaining_s == before
    src.advance(60)
    assert clock.reading().remaining_s == before - 60


def test_deadline_includes_extensions_and_the_end_state():
    src = ManualClockSource()
    clock = synced_clock(src, START, [])
    clock.set_schedule(START + 60_000, 600)
    r = clock.reading()
    assert r.state == "not_started" and r.until_start_s == 60 and r.remaining_s == 600
    src.advance(60 + 590)
    assert clock.reading().remaining_s == 10
    clock.set_extension(120)
    assert clock.reading().remaining_s == 130 and clock.reading().deadline_ms == START + 60_000 + 720_000
    src.advance(130)
    r = clock.reading()
    assert r.state == "ended" and r.remaining_s == 0


def test_restart_same_boot_counts_the_downtime():
    src = ManualClockSource()
    saved: list = []
    clock = synced_clock(src, START, saved)
    src.advance(300)
    clock.checkpoint()
    src.advance(120)              # the process is dead for two minutes
    again = ExamClock(src)
    assert again.restore(saved[-1]) == "monotonic"
    assert again.server_now_ms() == START + 420_000
    assert again.verified is False


def test_restart_after_reboot_falls_back_to_the_wall_clock_within_bounds():
    src = ManualClockSource()
    saved: list = []
    synced_clock(src, START, saved)
    rebooted = ManualClockSource(wall=src.wall() + 90, monotonic=5.0)   # monotonic restarted at boot
    clock = ExamClock(rebooted)
    assert clock.restore(saved[-1]) == "wall_fallback"
    assert clock.server_now_ms() == START + 90_000


def test_wall_clock_set_back_never_gives_time_back():
    src = ManualClockSource()
    saved: list = []
    clock = synced_clock(src, START, saved)
    src.advance(600)
    clock.server_now_ms()
    clock.checkpoint()
    high_water = saved[-1]["high_water_ms"]
    rebooted = ManualClockSource(wall=src.wall() - 3600, monotonic=5.0)   # reboot + clock set back 1 h
    again = ExamClock(rebooted)
    assert again.restore(saved[-1]) == "high_water"
    assert again.server_now_ms() >= high_water == START + 600_000


def test_absurd_wall_clock_after_reboot_does_not_end_the_exam():
    src = ManualClockSource()
    saved: list = []
    synced_clock(src, START, saved)
    rebooted = ManualClockSource(wall=src.wall() + 400 * 86400, monotonic=5.0)  # dead CMOS battery
    clock = ExamClock(rebooted)
    clock.set_schedule(START, 7200)
    assert clock.restore(saved[-1]) == "high_water"
    assert clock.reading().state == "running"


def test_server_re_anchors_after_a_fallback():
    src = ManualClockSource()
    saved: list = []
    synced_clock(src, START, saved)
    rebooted = ManualClockSource(wall=src.wall() + 30, monotonic=5.0)
    clock = ExamClock(rebooted)
    clock.restore(saved[-1])
    m = clock.mono_ms()
    clock.observe(START + 45_000, m, m)      # the server's truth: 45 s passed, not 30
    assert clock.server_now_ms() == START + 45_000 and clock.verified


def test_warnings_fire_once_each_and_a_restart_does_not_replay_old_ones():
    w = WarningSchedule()
    assert w.due(7200) == []
    assert w.due(1800) == [30]
    assert w.due(1700) == []
    assert w.due(899) == [15]
    assert w.due(299) == [5]
    assert w.due(59) == [1]
    assert w.due(0) == []
    resumed = WarningSchedule()
    assert resumed.due(12 * 60) == [15]          # only the latest threshold already passed
    assert resumed.due(4 * 60) == [5]
