"""The monitoring policy has one definition (examcore.monitor_policy) that the client's watch and the
server's room policy share; strict merging names the bad key, lenient merging keeps the default."""
from __future__ import annotations

import pytest

from client.monitor import events
from examcore import policy as core_policy
from examcore.monitor_policy import MONITOR_DEFAULTS, PolicyError, monitor_policy, rules_of


def test_one_definition_on_both_sides():
    assert events.DEFAULT_POLICY is MONITOR_DEFAULTS
    assert core_policy.DEFAULT_POLICY["monitor"] is MONITOR_DEFAULTS
    served = core_policy.merged({"monitor": {"evidence": {"snapshot_interval_s": 30}}})
    assert served["monitor"]["evidence"]["snapshot_interval_s"] == 30
    assert MONITOR_DEFAULTS["evidence"]["snapshot_interval_s"] == 60.0        # the defaults were not touched
    assert served["monitor"]["camera"]["rules"] is not MONITOR_DEFAULTS["camera"]["rules"]


def test_defaults_are_the_issue_s_figures():
    p = monitor_policy()
    assert p["capture"]["fps"] == 15.0 and p["camera"]["analysis_fps"] == 5.0
    ev = p["evidence"]
    assert (ev["pre_s"], ev["post_s"], ev["snapshot_interval_s"], ev["max_bytes"]) == (5.0, 5.0, 60.0, 200000)
    assert ev["fps"] <= 10
    assert {"camera.face_absent", "audio.talking", "camera.lost", "camera.taken", "audio.lost"} <= set(rules_of(p))


@pytest.mark.parametrize("bad, key", [
    ({"evidence": {"fps": 30}}, "evidence.fps"),
    ({"evidence": {"pre_s": -1}}, "evidence.pre_s"),
    ({"evidence": {"codecs": []}}, "evidence.codecs"),
    ({"evidence": {"codecs": "mp4v"}}, "evidence.codecs"),
    ({"capture": {"fps": "15"}}, "capture.fps"),
    ({"devices": {"rules": {"camera.lost": {"action": "shout"}}}}, "devices.rules.camera.lost.action"),
    ({"audio": {"rules": {"audio.talking": {"hold_s": 1e9}}}}, "audio.rules.audio.talking.hold_s"),
    ({"microphone": {"enabled": "yes"}}, "microphone.enabled"),
    ({"evidence": {"nope": 1}}, "evidence.nope"),
    ({"camera": {"rules": {"camera.face_absent": {"evidence": 1}}}}, "camera.rules.camera.face_absent.evidence"),
])
def test_strict_names_the_key_and_lenient_keeps_the_default(bad, key, caplog):
    with pytest.raises(PolicyError, match=key.replace(".", r"\.")):
        monitor_policy(bad)
    kept = monitor_policy(bad, strict=False)
    assert kept == monitor_policy()
    assert any(key in r.getMessage() for r in caplog.records)


def test_lenient_takes_the_good_values_beside_a_bad_one(caplog):
    p = monitor_policy({"evidence": {"fps": 99, "snapshot_interval_s": 120}}, strict=False)
    assert p["evidence"]["fps"] == 5.0 and p["evidence"]["snapshot_interval_s"] == 120.0
