"""The self-check workers say a run is over by the time its result arrives: the page asks `running` in the
slot that receives the result to decide whether its main button is enabled."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from client.monitor.mic_check import ArrayInput
from client.monitor.results import ok
from client.qt import Qt
from client.ui.selfcheck.workers import MicWorker, RunInFlight, TaskWorker


def running_when_delivered(worker, start, signal_name="done"):
    """`worker.running` as seen by a slot run inside the emit itself, while the worker's thread is alive."""
    seen = []
    delivered = threading.Event()

    def slot(_value):
        seen.append(worker.running)
        delivered.set()

    getattr(worker, signal_name).connect(slot, Qt.DirectConnection)
    start()
    assert delivered.wait(30), "the worker never delivered its result"
    return seen


def test_a_task_is_over_when_its_result_is_delivered(qtbot):
    worker = TaskWorker()
    result = [ok("system.displays", 1, "一个显示器", "One display")]
    assert running_when_delivered(worker, lambda: worker.run(lambda: result)) == [False]


@pytest.mark.expected_log(r"self-check task selfcheck-task failed")
def test_a_failed_task_is_over_when_its_failure_is_delivered(qtbot):
    worker = TaskWorker()

    def broken():
        raise OSError("disk gone")

    assert running_when_delivered(worker, lambda: worker.run(broken), "failed") == [False]


def test_the_microphone_check_is_over_when_its_results_are_delivered(qtbot):
    worker = MicWorker()
    rng = np.random.default_rng(1)
    audio = ArrayInput((rng.standard_normal(16000) * 0.01).astype(np.float32), 16000)
    seen = running_when_delivered(worker, lambda: worker.start(audio=audio, floor_s=0.3, speech_s=0.3))
    assert seen == [False]
    worker.stop()


def test_a_stopped_run_does_not_end_the_next_one():
    runs = RunInFlight()
    first = runs.begin()
    runs.cancel()
    second = runs.begin()
    runs.end(first)              # the stopped run's thread finishing late
    assert runs.active
    runs.end(second)
    assert not runs.active
