"""The documented error body and the exception handlers that guarantee it (never a bare 500)."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("examdesk.server.errors")

# code -> (status, message_zh, message_en): the default wording for each stable code
MESSAGES: dict[str, tuple[int, str, str]] = {
    "request.invalid": (422, "请求格式错误", "invalid request"),
    "request.too_large": (413, "请求内容过大", "request body too large"),
    "request.unsupported_media": (415, "不支持的内容类型", "unsupported content type"),
    "request.method": (405, "不支持该请求方法", "method not allowed"),
    "rate.limited": (429, "请求过于频繁，请稍后再试", "too many requests, try again later"),
    "auth.required": (401, "需要登录", "authentication required"),
    "auth.invalid_credentials": (401, "准考证号、身份证号或密码错误", "wrong ticket, ID number or password"),
    "auth.locked": (423, "登录失败次数过多，账号已临时锁定", "too many failed logins; the ticket is locked for a while"),
    "auth.throttled": (429, "登录尝试过于频繁，请稍后再试", "too many login attempts; wait a moment"),
    "auth.expired": (401, "登录已过期，请重新登录", "the session has expired; log in again"),
    "auth.forbidden": (403, "无权访问", "not allowed"),
    "not_found": (404, "未找到", "not found"),
    "paper.key_not_yet": (425, "考试尚未开始，试卷密钥暂不可用", "the exam has not started; the paper key is not available yet"),
    "ops.gap": (409, "操作序号不连续", "sequence gap"),
    "ops.fork": (409, "同一序号的操作内容不同", "a different operation with the same sequence number exists"),
    "ops.bad_hash": (409, "操作哈希链校验失败", "the operation hash does not follow the chain"),
    "ops.unknown_question": (422, "试卷中没有该题目", "unknown question"),
    "ops.invalid_answer": (422, "答案格式不符合题目要求", "the answer does not fit the question"),
    "ops.invalid": (422, "操作内容格式错误", "malformed operation"),
    "sitting.sealed": (409, "试卷已提交，不能再修改答案", "the sitting is submitted; answers can no longer change"),
    "sitting.not_started": (409, "考试尚未开始", "the exam has not started"),
    "submit.missing_ops": (409, "服务器尚未收到全部作答记录", "the server does not hold all operations yet"),
    "submit.chain_mismatch": (409, "作答记录校验不一致", "the chain head does not match the server's"),
    "room.ratio": (422, "监考人数不足：每个考场至少 2 名监考，且每名监考最多 15 名考生",
                   "not enough proctors: at least 2 per room and 1 per 15 candidates"),
    "room.attempts": (422, "考生已用完本科目的考试次数（含一次补考）", "the candidate has used all attempts (one retake) for this part"),
    "room.level": (422, "考生等级与试卷等级不符", "the candidate's level does not match the paper"),
    "panel.size": (422, "评审组须由 3 名及以上的奇数名成员组成", "a panel needs an odd number of members, at least 3"),
    "paper.invalid": (422, "试卷格式错误", "invalid paper"),
    "documents.closed": (409, "材料提交已截止", "the document submission window has closed"),
    "sealed.invalid": (422, "封存文件无效", "invalid sealed export"),
    "upload.invalid": (400, "上传请求格式错误", "invalid upload request"),
    "upload.too_large": (413, "文件超过大小上限", "the file exceeds the size limit"),
    "upload.offset_mismatch": (409, "上传偏移量不一致", "upload offset mismatch"),
    "upload.locked": (423, "该文件正在上传中", "the upload is busy with another request"),
    "upload.checksum": (460, "数据块校验失败", "chunk checksum mismatch"),
    "upload.finished": (409, "文件已上传完成，不能删除或修改", "the upload is complete and cannot change"),
    "upload.storage": (507, "服务器存储空间暂时不足，请稍后重试（本地文件会保留）",
                       "the server cannot store the upload right now; retry later (your file is kept)"),
    "upload.type": (415, "不支持的文件类型", "file type not accepted"),
    "policy.invalid": (422, "监控策略无效", "invalid monitoring policy"),
    "evidence.invalid": (422, "证据文件无法打开", "the evidence file cannot be opened"),
    "internal": (500, "服务器内部错误，请稍后重试", "internal server error; please retry"),
}


class ApiError(Exception):
    """Raise anywhere in a request to answer with the documented error body."""

    def __init__(self, code: str, message_zh: str | None = None, message_en: str | None = None,
                 status: int | None = None, **details: Any) -> None:
        default = MESSAGES.get(code, (400, code, code))
        self.code = code
        self.status = status or default[0]
        self.message_zh = message_zh or default[1]
        self.message_en = message_en or default[2]
        self.details = details
        super().__init__("%s: %s" % (code, self.message_en))

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message_zh, self.message_en, self.details)


def error_body(code: str, zh: str, en: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message_zh": zh, "message_en": en, "details": details or {}}}


def error_response(err: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors()[:20]:
        out.append({"loc": [str(p) for p in e.get("loc", ())], "type": str(e.get("type", "")),
                    "msg": str(e.get("msg", ""))[:200]})
    return out


def _log_refusal(request: Request, err: ApiError) -> None:
    # codes and details only: bodies may hold answers or passwords
    level = logging.ERROR if err.status >= 500 else logging.INFO
    log.log(level, "refused", extra={"fields": {"code": err.code, "status": err.status, "path": request.url.path,
                                                 "details": {k: v for k, v in err.details.items() if k != "errors"}}})


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        _log_refusal(request, exc)
        return error_response(exc, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        err = ApiError("request.invalid", "请求格式错误：%s" % "; ".join(".".join(d["loc"]) for d in details)[:300],
                       "invalid request: %s" % "; ".join("%s %s" % (".".join(d["loc"]), d["msg"]) for d in details)[:300],
                       errors=details)
        _log_refusal(request, err)
        return error_response(err)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "request.method", 413: "request.too_large", 401: "auth.required",
                403: "auth.forbidden", 415: "request.unsupported_media"}.get(exc.status_code, "request.invalid")
        err = ApiError(code, status=exc.status_code if exc.status_code < 500 else 500)
        return error_response(err, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(ApiError("internal"))
