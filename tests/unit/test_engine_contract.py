"""The engine contract: ExamService and the UI tests' FakeEngine both follow the typed Protocols the UI
and proctoring are written against, member by member and signature by signature, so the fake can
never offer what the real engine lacks (or the other way round)."""
from __future__ import annotations

import inspect
from typing import Any, List

import pytest

from client.exam import api
from client.exam.service import ExamService
from tests.helpers.fake_engine import FakeEngine


def protocol_members(protocol: Any) -> List[str]:
    return sorted(name for name, value in vars(protocol).items()
                  if callable(value) and not name.startswith("_"))


def parameters(fn: Any) -> List[Any]:
    return [(p.name, p.kind, p.default is inspect.Parameter.empty)
            for p in inspect.signature(fn).parameters.values() if p.name != "self"]


@pytest.mark.parametrize("protocol", [api.ExamEngine, api.MonitoredExam, api.PhoneLink])
@pytest.mark.parametrize("implementation", [ExamService, FakeEngine])
def test_implementation_follows_the_protocol(protocol, implementation):
    members = protocol_members(protocol)
    assert members, "the protocol declares its methods"
    for name in members:
        impl = getattr(implementation, name, None)
        assert callable(impl), "%s lacks %s.%s" % (implementation.__name__, protocol.__name__, name)
        assert parameters(impl) == parameters(getattr(protocol, name)), \
            "%s.%s differs from %s: %s" % (implementation.__name__, name, protocol.__name__,
                                            inspect.signature(impl))


def test_the_check_catches_a_drifted_fake():
    class Drifted(FakeEngine):
        def answer(self, question_id: str) -> api.SaveResult:  # type: ignore[override]
            raise AssertionError

    with pytest.raises(AssertionError, match="answer differs"):
        test_implementation_follows_the_protocol(api.ExamEngine, Drifted)
    del Drifted.answer
    test_implementation_follows_the_protocol(api.ExamEngine, Drifted)
