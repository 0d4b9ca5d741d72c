"""The monitoring policy per room: rates, hold times, snippet length, snapshot interval, actions.

A room may override any part of the "monitor" section of the policy (examcore.monitor_policy, the one
definition the client's watch uses too); what it does not set comes from the server's policy, and
that from the shared defaults. Overrides are validated strictly when they are set (a wrong key or
value is refused with the key named), so a candidate's client is only ever served a valid policy.
Stored in its own table, created on first use.
"""

import copy
import json
from typing import Any, Mapping

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from examcore.monitor_policy import PolicyError, monitor_policy
from examcore.policy import merged
from server.context import ServerContext
from server.db import Base, JsonDoc, Room, Sitting
from server.errors import ApiError

MAX_POLICY_BYTES = 32 * 1024
_created: set[int] = set()


class RoomPolicy(Base):
    __tablename__ = "room_policies"
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.room_id"), primary_key=True)
    body: Mapped[Any] = mapped_column(JsonDoc)     # {"monitor": {...overrides...}}
    updated_at_ms: Mapped[int] = mapped_column(BigInteger)
    updated_by: Mapped[str] = mapped_column(String(64), default="admin")


def ensure_table(ctx: ServerContext) -> None:
    if id(ctx.db) not in _created:
        Base.metadata.create_all(ctx.db.engine, tables=[RoomPolicy.__table__])  # type: ignore[list-item]
        _created.add(id(ctx.db))


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else copy.deepcopy(v)
    return out


def _invalid(e: PolicyError) -> ApiError:
    return ApiError("policy.invalid", "监控策略无效：%s" % e, "invalid monitoring policy: %s" % e, field=str(e)[:200])


def validate(body: Any) -> dict[str, Any]:
    """A room's overrides: {"monitor": {...}}; ApiError policy.invalid naming the key otherwise."""
    if not isinstance(body, dict) or set(body) - {"monitor"} or not isinstance(body.get("monitor", {}), dict):
        raise ApiError("policy.invalid", '考场策略只能包含 "monitor" 部分', 'a room policy holds only a "monitor" object')
    if len(json.dumps(body)) > MAX_POLICY_BYTES:
        raise ApiError("policy.invalid", "监控策略过大", "the policy is too large")
    try:
        monitor_policy(body.get("monitor", {}), strict=True)
    except PolicyError as e:
        raise _invalid(e) from None
    return {"monitor": dict(body.get("monitor", {}))}


def set_room_policy(ctx: ServerContext, room_id: str, body: Any) -> dict[str, Any]:
    overrides = validate(body)
    ensure_table(ctx)
    with ctx.db.write() as s:
        if s.get(Room, room_id) is None:
            raise ApiError("not_found", "考场 %s 不存在" % room_id[:64], "no room %s" % room_id[:64], room_id=room_id[:64])
        row = s.get(RoomPolicy, room_id) or RoomPolicy(room_id=room_id)
        row.body, row.updated_at_ms = overrides, ctx.now_ms()
        s.add(row)
    return room_policy(ctx, room_id)


def room_policy(ctx: ServerContext, room_id: str) -> dict[str, Any]:
    """{room_id, overrides, policy}: what the room sets and the whole policy its candidates get."""
    ensure_table(ctx)
    with ctx.db.read() as s:
        if s.get(Room, room_id) is None:
            raise ApiError("not_found", "考场 %s 不存在" % room_id[:64], "no room %s" % room_id[:64], room_id=room_id[:64])
        row = s.get(RoomPolicy, room_id)
        overrides = dict(row.body) if row is not None else {}
    return {"room_id": room_id, "overrides": overrides, "policy": effective(ctx, overrides)}


def effective(ctx: ServerContext, overrides: Mapping[str, Any]) -> dict[str, Any]:
    policy = merged(ctx.policy)
    try:
        policy["monitor"] = monitor_policy(_deep_merge(policy.get("monitor", {}), overrides.get("monitor", {})))
    except PolicyError as e:       # stored before a schema change: refuse loudly, never serve it
        raise _invalid(e) from None
    return policy


def sitting_policy(ctx: ServerContext, sitting: Sitting) -> dict[str, Any]:
    return room_policy(ctx, sitting.room_id)["policy"]
