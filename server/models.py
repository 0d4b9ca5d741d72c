"""Request bodies (pydantic, strict types: a string is not a number, a number is not a bool)."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from server.validation import has_bad_chars


def _no_controls(text: str) -> str:
    if has_bad_chars(text):
        raise ValueError("control or format characters are not allowed")
    return text


def _text(text: str) -> str:
    if has_bad_chars(text.replace("\n", "").replace("\t", "")):
        raise ValueError("control or format characters (other than line breaks and tabs) are not allowed")
    return text


Short = Annotated[str, StringConstraints(min_length=1, max_length=128), AfterValidator(_no_controls)]
Label = Annotated[str, StringConstraints(max_length=32), AfterValidator(_no_controls)]
Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MAX_OPS = 500


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class LoginBody(Strict):
    ticket: Short
    id_number: Short
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class OpIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")  # future client fields are not errors
    seq: int = Field(ge=1, le=10_000_000)
    kind: Literal["answer", "flag", "event", "consent", "check_report", "nav"]
    payload: dict[str, Any]
    # self-checks days before the start give negative exam times; a year either way is plenty
    t_exam_ms: int = Field(ge=-366 * 86_400_000, le=366 * 86_400_000)
    t_client_ms: int | None = Field(default=None, ge=0, le=10 ** 14)
    hash: Hex64


class OpsBody(Strict):
    ops: list[OpIn] = Field(min_length=1, max_length=MAX_OPS)


class HeartbeatBody(BaseModel):
    """The allow-list: only these fields are read and stored; any other field is dropped unread
    (a newer client's extra field must not stop its commands from arriving)."""
    model_config = ConfigDict(strict=True, extra="ignore")
    state: Label = ""
    camera: Label = ""
    microphone: Label = ""
    monitor: Label = ""
    phone: Label = ""
    lockdown: Label = ""
    network: Label = ""
    pending_ops: int = Field(default=0, ge=0, le=10_000_000)
    pending_uploads: int = Field(default=0, ge=0, le=100_000)
    acked_commands: list[Label] = Field(default_factory=list, max_length=200)


class SubmitBody(Strict):
    final_seq: int = Field(ge=0, le=10_000_000)
    chain_head: Hex64
    reason: Literal["candidate", "time_up", "proctor"] = "candidate"


class SealedBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    format: Literal["examdesk-sealed/1"]
    sitting_id: Short
    ephemeral_public_key: Annotated[str, StringConstraints(max_length=100)]
    nonce: Annotated[str, StringConstraints(max_length=100)]
    ciphertext: str


class CandidateBody(Strict):
    ticket: Short
    id_number: Short
    name: Short
    level: Literal["初级", "中级", "高级"]
    password: Annotated[str, StringConstraints(min_length=6, max_length=256)]
    # formal attempts sat before (elsewhere): 1 makes the next formal sitting of that part the retake
    prior_attempts: dict[Literal["theory", "practical", "comprehensive"], Annotated[int, Field(ge=0, le=2)]] | None = None


class RoomBody(Strict):
    paper_id: Short
    part: Literal["theory", "practical", "comprehensive"] = "theory"
    kind: Literal["mock", "formal"] = "formal"
    start_at_ms: int = Field(ge=0, le=10 ** 14)
    duration_s: int = Field(default=7200, ge=60, le=86400)
    candidates: list[Short] = Field(min_length=1, max_length=2000)
    proctors: list[Short] = Field(default_factory=list, max_length=200)


class MessageCommand(Strict):
    type: Literal["message"]
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_text)]


class ExtendCommand(Strict):
    type: Literal["extend"]
    seconds: int = Field(ge=1, le=4 * 3600)


class EndCommand(Strict):
    type: Literal["end"]
    reason: Annotated[str, StringConstraints(max_length=500), AfterValidator(_text)] = "proctor"


CommandBody = Annotated[MessageCommand | ExtendCommand | EndCommand, Field(discriminator="type")]


class MarkBody(Strict):
    question_id: Short
    points: float = Field(ge=0, le=100)


class PanelMember(Strict):
    name: Short
    score: float = Field(ge=0, le=100)


class PanelScoreBody(Strict):
    part: Literal["practical", "comprehensive"]
    members: list[PanelMember] = Field(min_length=1, max_length=15)


Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(_text)]
StaffName = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_no_controls)]


class LateDecisionBody(Strict):
    """A proctor's decision on answers that arrived after the close (server/lateness.py)."""
    seqs: list[Annotated[int, Field(ge=1, le=10_000_000)]] = Field(min_length=1, max_length=5000)
    decision: Literal["accept", "reject"]
    by: StaffName
    note: Note = ""


class UploadDeleteBody(Strict):
    by: StaffName
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_text)]


class UnlockBody(Strict):
    by: StaffName
    address: Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_no_controls)] | None = None
