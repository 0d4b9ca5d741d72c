"""What every self-check yields: a CheckResult (promise 6), and the report that gathers them.

Plain Python, no Qt. The report is JSON (`examdesk-check-report/1`), kept in the data dir and,
when logged in, handed to the engine (`ExamEngine.record_check_report`).
"""
from __future__ import annotations

import logging
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from client.durable import write_json_atomic
from examcore import policy as shared_policy

log = logging.getLogger(__name__)

PASS = "pass"
SKIP = "skip"   # not measured: the input cannot show it (a photo has no frame rate); never counted as pass
WARN = "warn"
FAIL = "fail"
STATUSES = (PASS, SKIP, WARN, FAIL)
_RANK = {PASS: 0, SKIP: 1, WARN: 2, FAIL: 3}
REPORT_FORMAT = "examdesk-check-report/1"

# The server's policy (server-info `policy`) decides warn or fail for these; the shared defaults until login.
DEFAULT_POLICY: Dict[str, Any] = shared_policy.DEFAULT_POLICY


@dataclass
class CheckResult:
    """One check: stable id (`<area>.<what>`), pass/warn/fail, the measured value and a plain fix."""

    id: str
    status: str
    value: Any
    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    details: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError("status must be one of %s, not %r" % (STATUSES, self.status))

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    def to_dict(self) -> Dict[str, Any]:
        return _jsonable(asdict(self))


def ok(id_: str, value: Any, zh: str, en: str, **details: Any) -> CheckResult:
    return CheckResult(id_, PASS, value, zh, en, "", "", dict(details))


def bad(id_: str, status: str, value: Any, zh: str, en: str, fix_zh: str, fix_en: str,
        **details: Any) -> CheckResult:
    return CheckResult(id_, status, value, zh, en, fix_zh, fix_en, dict(details))


def skipped(id_: str, zh: str, en: str, **details: Any) -> CheckResult:
    """A check the input cannot measure: says so, and is never reported as passed."""
    return CheckResult(id_, SKIP, None, zh, en, "", "", dict(details))


def worst(statuses: Iterable[str]) -> str:
    """fail > warn > skip > pass: a report with something not measured is not 'pass'."""
    out = PASS
    for s in statuses:
        if _RANK[s] > _RANK[out]:
            out = s
    return out


def policy_status(policy: Optional[Dict[str, Any]], key: str) -> str:
    """warn or fail for a policy-driven finding (e.g. virtual_machine: warn)."""
    value = str((policy or {}).get(key, DEFAULT_POLICY.get(key, FAIL))).lower()
    return value if value in (WARN, FAIL) else (PASS if value in ("allow", "pass", "ignore") else FAIL)


def merged_policy(policy: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return shared_policy.merged(policy)


def build_report(results: Iterable[CheckResult], extra: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The JSON report: checks in order, counts per status, and the overall (worst) status."""
    checks = [r.to_dict() for r in results]
    counts = {s: sum(1 for c in checks if c["status"] == s) for s in STATUSES}
    report: Dict[str, Any] = {
        "format": REPORT_FORMAT,
        "created_at_ms": int(time.time() * 1000),
        "platform": {"system": platform.system(), "release": platform.release(), "machine": platform.machine()},
        "overall": worst(c["status"] for c in checks),
        "summary": counts,
        "checks": checks,
    }
    if extra:
        report.update(extra)
    return report


def merge_results(old: List[CheckResult], new: Iterable[CheckResult]) -> List[CheckResult]:
    """Rerun of some checks: newer results replace older ones with the same id, order kept."""
    fresh = {r.id: r for r in new}
    out = [fresh.pop(r.id, r) for r in old]
    return out + list(fresh.values())


def default_data_dir() -> Path:
    env = os.environ.get("EXAMDESK_DATA_DIR")
    if env:
        return Path(env)
    try:
        from platformdirs import user_data_dir

        return Path(user_data_dir("ExamDesk", appauthor=False))
    except Exception:  # pragma: no cover - platformdirs is a dependency; belt and braces
        return Path.home() / ".examdesk"


def save_report(report: Dict[str, Any], data_dir: Optional[Path] = None) -> Path:
    """Write atomically (tmp + fsync + rename) to <data>/check-reports/; returns the path."""
    folder = Path(data_dir or default_data_dir()) / "check-reports"
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(report.get("created_at_ms", 0) / 1000.0))
    path = folder / ("check-%s-%03d.json" % (stamp, int(report.get("created_at_ms", 0)) % 1000))
    write_json_atomic(str(path), report, indent=1)
    log.info("self-check report saved: %s (overall %s)", path, report.get("overall"))
    return path


def _remove_stale_temps(folder: Path, older_than_s: float = 600.0) -> None:
    """Temp files left by a crash mid-save (never a half report: those are only renamed when complete)."""
    now = time.time()
    for tmp in folder.glob(".check-*.tmp"):
        try:
            if now - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()
        except OSError:
            pass


def _jsonable(x: Any) -> Any:
    """numpy scalars and tuples -> plain JSON types (reports must always serialise)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, float):
        return round(x, 4) if x == x and x not in (float("inf"), float("-inf")) else None
    if isinstance(x, (str, int, bool)) or x is None:
        return x
    item = getattr(x, "item", None)  # numpy scalar
    if callable(item):
        return _jsonable(item())
    return str(x)
