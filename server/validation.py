"""Input checks at the edge: strict JSON, short labels, file names, document signatures.

Everything a client sends passes through here before it is stored, hashed or shown: JSON that
interoperable parsers agree on (examcore.chain.json_problem: no NaN/Infinity, integers within
+-(2^53 - 1), no lone surrogates, bounded nesting, no duplicate keys), labels without control
characters, file names safe to store and display, documents whose bytes are what they claim.
"""

import email.message
import json
import re
import unicodedata
import zipfile
from typing import Any, BinaryIO, Type, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from examcore.chain import MAX_JSON_DEPTH, JsonProblem, json_problem
from server.errors import ApiError

# characters that must never reach a stored label or file name: controls, format characters
# (bidi overrides such as U+202E reorder what a proctor reads), surrogates, line separators
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_FILENAME_FORBIDDEN = re.compile(r'[<>:"|?*]')
MAX_FILENAME = 128
MIME_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Refused(ValueError):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def _constant(name: str) -> Any:
    raise _Refused("%s is not a JSON number" % name, "%s 不是有效的 JSON 数值" % name)


def _unique_keys(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused("an object repeats a key", "对象中有重复的键")
    return out


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 16:   # beyond 2^53 anyway; also keeps int() off huge digit strings
        raise _Refused("integer outside +-(2^53 - 1)", "整数超出 ±(2^53 - 1) 范围")
    return int(text)


def invalid(en: str, zh: str, loc: list | None = None, type_: str = "value_error") -> ApiError:
    loc = loc or ["body"]
    return ApiError("request.invalid", "请求格式错误：%s" % zh, "invalid request: %s" % en,
                    errors=[{"loc": [str(p) for p in loc], "type": type_, "msg": en}])


def problem_error(problem: JsonProblem, root: str = "body") -> ApiError:
    return invalid("%s: %s" % (problem.where(), problem.message_en), "%s：%s" % (problem.where(), problem.message_zh),
                   [root, *problem.path], "json.value")


def is_json_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    sub = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (sub == "json" or sub.endswith("+json"))


def strict_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a request body; anything ambiguous or non-interoperable answers 422 request.invalid."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise invalid("the body is not UTF-8 (byte %d)" % e.start, "请求内容不是 UTF-8 编码", ["body", e.start],
                      "json_invalid") from None
    try:
        value = json.loads(text, parse_constant=_constant, object_pairs_hook=_unique_keys, parse_int=_int)
    except _Refused as e:
        raise invalid(e.en, e.zh, type_="json.value") from None
    except json.JSONDecodeError as e:
        raise invalid("not valid JSON: %s at %d" % (e.msg, e.pos), "不是有效的 JSON", ["body", e.pos],
                      "json_invalid") from None
    except RecursionError:
        raise invalid("nested too deeply", "嵌套层数过多", type_="json.depth") from None
    problem = json_problem(value, max_depth)
    if problem is not None:
        raise problem_error(problem)
    return value


M = TypeVar("M", bound=BaseModel)


def json_model(model: Type[M], raw: bytes, content_type: str | None, en: str, zh: str) -> M:
    """A body as `model`, parsed as strictly as every JSON body (no content type: parsed as JSON; another
    type: 422 with `en`/`zh`); errors as FastAPI's own, located under "body"."""
    if content_type and not is_json_type(content_type):
        raise invalid(en, zh, ["body"], "model_attributes_type")
    try:
        return model.model_validate(strict_json(raw))
    except ValidationError as e:
        raise RequestValidationError([dict(err, loc=("body",) + tuple(err["loc"])) for err in e.errors()]) from None


def has_bad_chars(text: str) -> bool:
    if text.isascii():
        return any(c < " " or c == "\x7f" for c in text)
    return any(unicodedata.category(c) in _BAD_CATEGORIES for c in text)


def label_ok(text: str, longest: int) -> bool:
    """A short machine word or status shown to proctors: bounded, no control or format characters."""
    return len(text) <= longest and not has_bad_chars(text)


def safe_filename(name: str) -> str:
    """A name safe to store and display: the last path part only, NFC, no control/format
    characters, no characters Windows refuses, no leading dots, no device names, <= 128 chars."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if not (ord(c) < 32 or unicodedata.category(c) in _BAD_CATEGORIES))
    name = _FILENAME_FORBIDDEN.sub("_", name).strip().lstrip(".").rstrip(". ")
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and 0 < len(ext) <= 16 else ""
        name = (stem if ext else name)[:MAX_FILENAME - len(ext) - 1 if ext else MAX_FILENAME] + ("." + ext if ext else "")
    return name or "upload"


def mime_ok(text: str) -> bool:
    return MIME_RE.match(text) is not None


def document_type(f: BinaryIO) -> str | None:
    """What the file's bytes say it is: PDF (%PDF- header) or DOCX (a ZIP package with a Word
    main part), else None. `f` is seekable; reads only headers and the ZIP directory: no decompression."""
    f.seek(0)
    head = f.read(1024)
    f.seek(0, 2)
    f.seek(max(0, f.tell() - 2048))
    tail = f.read()
    if b"%PDF-" in head:   # the header may follow up to 1 KiB of junk; the trailer ends the file
        return PDF if b"%%EOF" in tail else None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(f) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None
