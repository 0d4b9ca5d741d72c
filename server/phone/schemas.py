"""Request and response bodies of the phone endpoints (pydantic: they are the OpenAPI description too)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Visibility = Literal["visible", "hidden", "unknown"]
WakeLock = Literal["held", "released", "unsupported", "failed", "unknown"]
Facing = Literal["environment", "user", "unknown"]
PhoneStateName = Literal["unpaired", "pairing", "connecting", "live", "hidden", "frozen", "stopped"]
Signal = Annotated[str, StringConstraints(min_length=1, max_length=24, pattern=r"^[a-z_]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class PairingOut(BaseModel):
    pairing_id: str
    url: str = Field(description="https://<server>/phone/#t=<token>: shown as a QR code, works once, until expires_at_ms")
    expires_at_ms: int
    ttl_s: int


class ClaimBody(Strict):
    token: Annotated[str, StringConstraints(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


class Pacing(BaseModel):
    next_in_ms: int = Field(description="send the next frame after this long")
    mode: Literal["setup", "exam"] = Field(description="setup: a live view watches, frames come faster")
    max_width: int
    quality: float
    server_time_ms: int


class SittingHint(BaseModel):
    title: str
    kind: str
    candidate: str = Field(description="the candidate's name, masked (张**)")
    ticket_tail: str


class ClaimOut(BaseModel):
    key: str = Field(description="the phone key: Authorization: Bearer <key> on frames and status")
    pairing_id: str
    sitting: SittingHint
    settings: Pacing


class Interruption(Strict):
    reason: Literal["hidden", "suspended", "frozen", "network", "camera", "wake_lock", "unknown"]
    duration_ms: int = Field(ge=0, le=86_400_000)
    signals: list[Signal] = Field(default_factory=list, max_length=8)


class BeatBody(Strict):
    event: Literal["started", "hidden", "visible", "closing", "interrupted", "camera_error", "wake_lock_failed",
                   "battery", "beat"]
    visibility: Visibility = "unknown"
    battery_level: float | None = Field(default=None, ge=0.0, le=1.0)
    charging: bool | None = None
    wake_lock: WakeLock | None = None
    facing: Facing | None = None
    interruption: Interruption | None = None
    detail: Annotated[str, StringConstraints(max_length=200)] = ""


class PhoneStatusOut(BaseModel):
    state: PhoneStateName
    pairing_id: str = Field(description="the pairing whose phone this is (\"\" before any phone claimed a code)")
    since_ms: int | None
    last_frame_at_ms: int | None
    frames: int
    bytes: int = Field(description="JPEG bytes received from this phone (its upstream, without overhead)")
    visibility: Visibility
    battery_level: float | None
    charging: bool | None
    battery_low: bool
    wake_lock: str
    facing: str
    last_interruption: dict[str, Any]
    required: bool
    stalled_s: float


class LiveFrameOut(BaseModel):
    seq: int
    received_at_ms: int
    width: int
    height: int
    jpeg_b64: str


class LiveOut(BaseModel):
    status: PhoneStatusOut
    frame: LiveFrameOut | None = Field(description="the newest frame when newer than after_seq, else null")


class KeptFrame(BaseModel):
    frame_id: int
    seq: int
    received_at_ms: int
    reason: Literal["first", "interval", "resumed"]
    size: int
    sha256: str
    width: int
    height: int
    deleted: bool


class PhoneEventOut(BaseModel):
    at_ms: int
    type: str
    pairing_id: str
    detail: dict[str, Any]


class AdminPhoneOut(BaseModel):
    status: PhoneStatusOut
    events: list[PhoneEventOut]
    frames: list[KeptFrame]
