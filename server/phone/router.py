"""The phone's endpoints: pairing and the live view for the candidate's client, claim/frames/status for the
phone page, the page itself, and the proctor's view of a sitting's phone (docs/protocol.md, "Phone")."""

import base64
import logging
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from server.context import ServerContext
from server.deps import bearer, current_ticket, get_ctx, require_admin
from server.errors import ApiError
from server.ledger import owned_sitting
from server.phone import schemas as S
from server.phone.evidence import list_frames, read_frame
from server.phone.intake import Beat, ingest_beat, ingest_frame, pacing, phone_status
from server.phone.live import LiveFrames
from server.phone.models import PhoneEvent, ensure_tables
from server.phone.pairing import claim, create_pairing, pairing_for_key
from server.tls import ca_of_chain

log = logging.getLogger("examdesk.server.phone")
candidate = APIRouter(prefix="/api/v1/sittings/{sid}/phone", tags=["phone"], dependencies=[Depends(bearer)])
phone = APIRouter(prefix="/api/v1/phone", tags=["phone"])
admin = APIRouter(prefix="/api/v1/admin/sittings/{sid}/phone", tags=["admin"],
                  dependencies=[Depends(bearer), Depends(require_admin)])
pages = APIRouter(prefix="/phone", tags=["phone page"])
JPEG_BODY = {"requestBody": {"required": True, "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}}
JPEG_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {"image/jpeg": {}}, "description": "the frame"}}


def live_of(request: Request) -> LiveFrames:
    return request.app.state.phone_live


def phone_key(request: Request) -> str:
    """The phone key (a dependency, so a missing key answers 401 before the body is looked at)."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError("auth.required", "这部手机尚未配对，请扫描电脑上的二维码",
                       "this phone is not paired; scan the code shown on the computer")
    return key.strip()


# -- the candidate's client ---------------------------------------------------------------------------------
@candidate.post("/pairing", response_model=S.PairingOut, summary="a one-time pairing URL for the phone (QR code)")
def post_pairing(sid: str, request: Request, ticket: str = Depends(current_ticket),
                 ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    base = ctx.settings.public_url or str(request.base_url)
    return create_pairing(ctx, sid, ticket, base)


@candidate.get("", response_model=S.LiveOut, summary="the phone's state and its newest frame (the live view)")
def get_phone(sid: str, request: Request, after_seq: int = Query(0, ge=0, le=10 ** 9),
              ticket: str = Depends(current_ticket), ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    ensure_tables(ctx.db)
    with ctx.db.read() as s:
        owned_sitting(s, sid, ticket)
    live = live_of(request)
    live.viewed(sid)
    status = phone_status(ctx, sid)
    f = live.get(sid)
    frame = None
    if f is not None and f.seq != after_seq and status["state"] not in ("unpaired", "pairing"):
        frame = {"seq": f.seq, "received_at_ms": f.received_at_ms, "width": f.width, "height": f.height,
                 "jpeg_b64": base64.b64encode(f.jpeg).decode("ascii")}
    return {"status": status, "frame": frame}


# -- the phone page ---------------------------------------------------------------------------------------------
@phone.post("/claim", response_model=S.ClaimOut, summary="claim a pairing token once: the phone's key")
def post_claim(body: S.ClaimBody, request: Request, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    out = claim(ctx, body.token, request.headers.get("user-agent", ""))
    sid = _sitting_of_key(ctx, out["key"])
    return dict(out, settings=pacing(ctx, live_of(request), sid))


def _sitting_of_key(ctx: ServerContext, key: str) -> str:
    with ctx.db.read() as s:
        return pairing_for_key(s, key).sitting_id


@phone.post("/frames", response_model=S.Pacing, openapi_extra=JPEG_BODY,
            summary="one reduced JPEG (raw body) with the small status beat in the query")
async def post_frame(request: Request, seq: int = Query(ge=1, le=10 ** 9),
                     visibility: S.Visibility = "unknown",
                     battery_level: float | None = Query(None, ge=0.0, le=1.0),
                     charging: bool | None = None, wake_lock: S.WakeLock | None = None,
                     facing: S.Facing | None = None, key: str = Depends(phone_key),
                     ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "image/jpeg":
        raise ApiError("request.unsupported_media", "画面须为 JPEG（image/jpeg）", "frames must be image/jpeg",
                       status=415)
    body = await request.body()
    beat = Beat(visibility, battery_level, charging, wake_lock, facing)
    return await run_in_threadpool(ingest_frame, ctx, live_of(request), key, body, seq, beat)


@phone.post("/status", response_model=S.Pacing, summary="a status beat: shown/hidden, closing, battery, interruptions")
def post_status(body: S.BeatBody, request: Request, key: str = Depends(phone_key),
                ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    beat = Beat(body.visibility, body.battery_level, body.charging, body.wake_lock, body.facing)
    gap = body.interruption.model_dump() if body.interruption is not None else None
    return ingest_beat(ctx, live_of(request), key, body.event, beat, gap, body.detail)


# -- the proctor (admin token) ------------------------------------------------------------------------------------
def phone_report(ctx: ServerContext, sid: str) -> dict[str, Any]:
    """Everything the proctor console shows of a sitting's phone: state, events, kept frames."""
    ensure_tables(ctx.db)
    frames = list_frames(ctx, sid)
    with ctx.db.read() as s:
        events = [{"at_ms": e.at_ms, "type": e.type, "pairing_id": e.pairing_id, "detail": e.detail}
                  for e in s.scalars(select(PhoneEvent).where(PhoneEvent.sitting_id == sid)
                                     .order_by(PhoneEvent.at_ms, PhoneEvent.id))]
    return {"status": phone_status(ctx, sid), "events": events, "frames": frames}


@admin.get("", response_model=S.AdminPhoneOut, summary="a sitting's phone: state, events, kept frames")
def get_admin_phone(sid: str, ctx: ServerContext = Depends(get_ctx)) -> dict[str, Any]:
    return phone_report(ctx, sid)


@admin.get("/frames/{frame_id}", response_class=Response, responses=JPEG_ANSWER, summary="one kept frame")
def get_admin_frame(sid: str, frame_id: int = PathParam(ge=1, le=2 ** 62), ctx: ServerContext = Depends(get_ctx)) -> Response:
    return Response(read_frame(ctx, sid, frame_id), media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@admin.get("/live", response_class=Response, responses=JPEG_ANSWER, summary="the phone's newest frame")
def get_admin_live(sid: str, request: Request, ctx: ServerContext = Depends(get_ctx)) -> Response:
    with ctx.db.read() as s:
        owned_sitting(s, sid, None)
    f = live_of(request).get(sid)
    if f is None:
        raise ApiError("not_found", "手机当前没有画面", "the phone has no live frame now")
    return Response(f.jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store",
                                                              "X-Phone-Seq": str(f.seq)})


# -- the page (package data) ----------------------------------------------------------------------------------------
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # the page may use the camera, never the microphone; everything it loads comes from this server
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
                               "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
}
ASSETS = {"": ("phone.html", "text/html; charset=utf-8"), "phone.js": ("phone.js", "text/javascript; charset=utf-8"),
          "phone.css": ("phone.css", "text/css; charset=utf-8"), "guide.svg": ("guide.svg", "image/svg+xml")}


def asset(name: str) -> bytes:
    return resources.files("server.phone").joinpath("static", name).read_bytes()


@pages.get("/", include_in_schema=True, response_class=Response, summary="the phone page (zh / en)")
def page() -> Response:
    return _asset("")


@pages.get("/{name}", include_in_schema=False, response_class=Response)
def page_asset(name: str, ctx: ServerContext = Depends(get_ctx)) -> Response:
    if name == "ca.crt":
        pem = ca_of_chain(Path(ctx.settings.tls_cert)) if ctx.settings.tls_cert else None
        if pem is None:
            raise ApiError("not_found", "本服务器没有可下载的本地根证书", "this server offers no local CA certificate")
        return Response(pem, media_type="application/x-x509-ca-cert",
                        headers={"Content-Disposition": 'attachment; filename="examdesk-ca.crt"'})
    if not name or name not in ASSETS:
        raise ApiError("not_found")
    return _asset(name)


def _asset(name: str) -> Response:
    file, media = ASSETS[name]
    return Response(asset(file), media_type=media, headers=PAGE_HEADERS)


def mount(app: FastAPI) -> None:
    app.state.phone_live = LiveFrames()
    for r in (candidate, phone, admin, pages):
        app.include_router(r)
