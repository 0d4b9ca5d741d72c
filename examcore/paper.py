"""The exam paper: question kinds, answer validation and objective scoring.

Plain Python (no Qt, no I/O) so the client, the server and the tests share one definition
of what a paper is. Format `examdesk-paper/1` is documented in docs/protocol.md.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from examcore.chain import has_lone_surrogate, json_problem
from examcore.errors import ExamError

FORMAT = "examdesk-paper/1"
KINDS = ("single", "multiple", "true_false", "fill_blank", "essay")
LEVELS = ("初级", "中级", "高级")
PAPER_KINDS = ("mock", "formal")
DEFAULT_ESSAY_MAX_CHARS = 5000
MAX_FILL_CHARS = 200


class PaperError(ExamError, ValueError):
    """A paper that does not follow examdesk-paper/1 (code `paper.invalid`); `details["field"]`
    names the offending field when one is to blame."""

    def __init__(self, message_en: str, message_zh: str, field: Optional[str] = None) -> None:
        super().__init__("paper.invalid", message_zh, message_en, {"field": field} if field else None)
        self.args = (message_en,)


class AnswerError(ExamError, ValueError):
    """An answer that does not fit its question."""

    def __init__(self, code: str, message_en: str, message_zh: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.args = (message_en,)


@dataclass(frozen=True)
class Option:
    key: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    points: float
    options: Tuple[Option, ...] = ()
    blanks: int = 0
    max_chars: int = 0
    # The correct answer; None in a formal paper as served to candidates.
    answer: Any = None
    explanation: str = ""

    @property
    def option_keys(self) -> Tuple[str, ...]:
        return tuple(o.key for o in self.options)

    @property
    def objective(self) -> bool:
        return self.kind != "essay"


@dataclass(frozen=True)
class Paper:
    paper_id: str
    title: str
    level: str
    kind: str
    duration_minutes: int
    pass_mark: float
    questions: Tuple[Question, ...]
    instructions: str = ""
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise AnswerError("answer.unknown_question", "unknown question %r" % question_id,
                          "试卷中没有题目 %r" % question_id)

    def index_of(self, question_id: str) -> int:
        for i, q in enumerate(self.questions):
            if q.id == question_id:
                return i
        raise KeyError(question_id)

    def has_answers(self) -> bool:
        return all(q.answer is not None for q in self.questions if q.objective)

    def without_answers(self) -> Paper:
        """The paper as a formal exam serves it: no answers, no explanations."""
        qs = tuple(Question(q.id, q.kind, q.text, q.points, q.options, q.blanks, q.max_chars)
                   for q in self.questions)
        return Paper(self.paper_id, self.title, self.level, self.kind, self.duration_minutes,
                     self.pass_mark, qs, self.instructions, dict(self.extra))

    # -- (de)serialisation -------------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "format": FORMAT, "paper_id": self.paper_id, "title": self.title, "level": self.level,
            "kind": self.kind, "duration_minutes": self.duration_minutes, "pass_mark": self.pass_mark,
            "instructions": self.instructions, "questions": [],
        }
        for q in self.questions:
            d: Dict[str, Any] = {"id": q.id, "kind": q.kind, "text": q.text, "points": q.points}
            if q.options:
                d["options"] = [{"key": o.key, "text": o.text} for o in q.options]
            if q.kind == "fill_blank":
                d["blanks"] = q.blanks
            if q.kind == "essay":
                d["max_chars"] = q.max_chars
            if q.answer is not None:
                d["answer"] = q.answer
            if q.explanation:
                d["explanation"] = q.explanation
            out["questions"].append(d)
        if self.extra:
            out["extra"] = self.extra
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def _need(cond: bool, en: str, zh: str, field: Optional[str] = None) -> None:
    if not cond:
        raise PaperError(en, zh, field)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _text_or_absent(d: Dict[str, Any], key: str, field: str) -> str:
    value = d.get(key)
    value = "" if value is None else value
    _need(isinstance(value, str), "%s must be text" % field, "%s 必须是文本" % field, field)
    return str(value)


def _question_from_dict(d: Any, index: int) -> Question:
    where_en, where_zh = "question %d" % (index + 1), "第 %d 题" % (index + 1)
    field = "questions[%d]" % index
    _need(isinstance(d, dict), where_en + " is not an object", where_zh + "格式错误", field)
    qid, kind, text = d.get("id"), d.get("kind"), d.get("text")
    _need(isinstance(qid, str) and 0 < len(qid) <= 64, where_en + ": id missing", where_zh + "缺少编号", field + ".id")
    _need(kind in KINDS, "%s: unknown kind %r" % (where_en, kind), "%s：未知题型 %r" % (where_zh, kind), field + ".kind")
    _need(isinstance(text, str) and text.strip() != "", where_en + ": text missing", where_zh + "缺少题干",
          field + ".text")
    points = d.get("points")
    _need(isinstance(points, (int, float)) and not isinstance(points, bool) and 0 < points <= 100,
          where_en + ": points must be positive", where_zh + "：分值必须为正数", field + ".points")
    explanation = _text_or_absent(d, "explanation", field + ".explanation")
    options: Tuple[Option, ...] = ()
    if kind in ("single", "multiple"):
        raw = d.get("options")
        _need(isinstance(raw, list) and 2 <= len(raw) <= 8, where_en + ": 2-8 options needed",
              where_zh + "：需要 2 至 8 个选项", field + ".options")
        opts = []
        for j, o in enumerate(raw):
            _need(isinstance(o, dict) and isinstance(o.get("key"), str) and 0 < len(o["key"]) <= 8
                  and isinstance(o.get("text"), str), where_en + ": bad option", where_zh + "：选项格式错误",
                  "%s.options[%d]" % (field, j))
            opts.append(Option(o["key"], o["text"]))
        keys = [o.key for o in opts]
        _need(len(set(keys)) == len(keys), where_en + ": duplicate option keys", where_zh + "：选项重复")
        options = tuple(opts)
    blanks = 0
    if kind == "fill_blank":
        blanks = d.get("blanks", 1)
        _need(_is_int(blanks) and 1 <= blanks <= 10, where_en + ": blanks must be 1-10",
              where_zh + "：空格数须为 1 至 10", field + ".blanks")
    max_chars = 0
    if kind == "essay":
        max_chars = d.get("max_chars", DEFAULT_ESSAY_MAX_CHARS)
        _need(_is_int(max_chars) and 1 <= max_chars <= 50000, where_en + ": bad max_chars",
              where_zh + "：字数上限错误", field + ".max_chars")
    q = Question(qid, kind, text, float(points), options, blanks, max_chars, None, explanation)
    answer = d.get("answer")
    if answer is not None:
        if kind == "fill_blank":
            # each blank: one accepted string or a non-empty list of accepted strings
            _need(isinstance(answer, list) and len(answer) == blanks, where_en + ": answer per blank needed",
                  where_zh + "：每个空都需要参考答案", field + ".answer")
            for j, a in enumerate(answer):
                _need(isinstance(a, str) or (isinstance(a, list) and len(a) > 0 and all(isinstance(x, str) for x in a)),
                      "%s: answer %d must be text or a list of texts" % (where_en, j + 1),
                      "%s：第 %d 空的参考答案必须是文本或文本列表" % (where_zh, j + 1), "%s.answer[%d]" % (field, j))
            answer = [[a] if isinstance(a, str) else list(a) for a in answer]
        elif kind != "essay":
            try:
                answer = normalise_answer(q, answer)
            except AnswerError as e:
                raise PaperError(where_en + ": bad answer: " + e.message_en,
                                 where_zh + "：参考答案错误：" + e.message_zh, field + ".answer") from None
        q = Question(qid, kind, text, float(points), options, blanks, max_chars, answer, q.explanation)
    return q


def paper_from_dict(d: Any) -> Paper:
    _need(isinstance(d, dict), "the paper is not a JSON object", "试卷不是有效的 JSON 对象")
    problem = json_problem(d)
    if problem is not None:
        raise PaperError("%s: %s" % (problem.where(), problem.message_en), "%s：%s" % (problem.where(), problem.message_zh),
                         problem.where())
    _need(d.get("format") == FORMAT, "unsupported paper format %r" % d.get("format"),
          "不支持的试卷格式 %r" % d.get("format"), "format")
    for key, longest in (("paper_id", 128), ("title", 256)):
        _need(isinstance(d.get(key), str) and d[key].strip() != "" and len(d[key]) <= longest,
              "paper %s missing or longer than %d characters" % (key, longest),
              "试卷缺少字段 %s 或超过 %d 字" % (key, longest), key)
    _need(d.get("level") in LEVELS, "unknown level %r" % d.get("level"), "未知等级 %r" % d.get("level"), "level")
    _need(d.get("kind") in PAPER_KINDS, "unknown paper kind %r" % d.get("kind"), "未知试卷类型 %r" % d.get("kind"),
          "kind")
    duration = d.get("duration_minutes", 120)
    _need(_is_int(duration) and 1 <= duration <= 600, "bad duration", "考试时长错误", "duration_minutes")
    instructions = _text_or_absent(d, "instructions", "instructions")
    extra = d.get("extra", {}) or {}
    _need(isinstance(extra, dict), "extra must be an object", "extra 必须是对象", "extra")
    raw_qs = d.get("questions")
    _need(isinstance(raw_qs, list) and 0 < len(raw_qs) <= 500, "the paper has no questions (or more than 500)",
          "试卷没有题目（或超过 500 题）", "questions")
    qs = tuple(_question_from_dict(q, i) for i, q in enumerate(raw_qs))
    ids = [q.id for q in qs]
    _need(len(set(ids)) == len(ids), "duplicate question ids", "题目编号重复")
    total = sum(q.points for q in qs)
    _need(abs(total - 100.0) < 1e-6, "points sum to %g, not 100" % total, "总分为 %g，不是 100" % total)
    pass_mark = d.get("pass_mark", 80)
    _need(isinstance(pass_mark, (int, float)) and not isinstance(pass_mark, bool) and 0 < pass_mark <= 100,
          "bad pass mark", "及格分错误", "pass_mark")
    return Paper(d["paper_id"], d["title"], d["level"], d["kind"], duration, float(pass_mark), qs,
                 instructions, dict(extra))


def paper_from_json(text: str) -> Paper:
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as e:
        raise PaperError("the paper is not valid JSON: %s" % e, "试卷文件已损坏（不是有效的 JSON）") from None
    return paper_from_dict(data)


# -- answers ------------------------------------------------------------------------------
def normalise_answer(q: Question, value: Any) -> Any:
    """Return the canonical form of `value` for `q`, or raise AnswerError. None clears."""
    if value is None:
        return None

    def bad(en: str, zh: str) -> AnswerError:
        return AnswerError("answer.invalid", "%s: %s" % (q.id, en), "%s：%s" % (q.id, zh))

    if q.kind == "single":
        if not isinstance(value, str) or value not in q.option_keys:
            raise bad("choose one of %s" % ",".join(q.option_keys), "请选择 %s 中的一项" % "、".join(q.option_keys))
        return value
    if q.kind == "multiple":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise bad("a list of option keys is needed", "需要选项列表")
        if any(v not in q.option_keys for v in value) or len(set(value)) != len(value):
            raise bad("unknown or repeated option", "选项不存在或重复")
        return sorted(value, key=q.option_keys.index)
    if q.kind == "true_false":
        if not isinstance(value, bool):
            raise bad("true or false is needed", "需要选择“对”或“错”")
        return value
    if q.kind == "fill_blank":
        if not isinstance(value, (list, tuple)) or len(value) != q.blanks or not all(isinstance(v, str) for v in value):
            raise bad("%d text blanks are needed" % q.blanks, "需要填写 %d 个空" % q.blanks)
        if any(len(v) > MAX_FILL_CHARS for v in value):
            raise bad("a blank is longer than %d characters" % MAX_FILL_CHARS, "每空不超过 %d 字" % MAX_FILL_CHARS)
        if any(has_lone_surrogate(v) for v in value):
            raise bad("the text holds an invalid character", "答案含有无效字符")
        return [v for v in value]
    if q.kind == "essay":
        if not isinstance(value, str):
            raise bad("text is needed", "需要文字作答")
        if has_lone_surrogate(value):
            raise bad("the text holds an invalid character", "答案含有无效字符")
        if len(value) > q.max_chars:
            raise bad("longer than %d characters" % q.max_chars, "超过字数上限 %d 字" % q.max_chars)
        return value
    raise bad("unknown kind", "未知题型")  # pragma: no cover - kinds are checked on load


def is_answered(q: Question, value: Any) -> bool:
    if value is None:
        return False
    if q.kind in ("multiple",):
        return len(value) > 0
    if q.kind == "fill_blank":
        return any(v.strip() for v in value)
    if q.kind == "essay":
        return value.strip() != ""
    return True


def _fold(s: str) -> str:
    # full-width and case differences do not make a blank wrong
    import unicodedata

    return unicodedata.normalize("NFKC", s).strip().lower()


def score_question(q: Question, value: Any) -> Optional[float]:
    """Points earned, or None when a person must mark it (essay) or the key is unknown."""
    if not q.objective or q.answer is None:
        return None
    if value is None:
        return 0.0
    if q.kind == "fill_blank":
        if not isinstance(value, (list, tuple)) or len(value) != q.blanks:
            return 0.0
        right = sum(1 for v, accepted in zip(value, q.answer) if _fold(v) in {_fold(a) for a in accepted})
        return q.points * right / q.blanks
    if q.kind == "multiple":
        return q.points if sorted(value) == sorted(q.answer) else 0.0
    return q.points if value == q.answer else 0.0


@dataclass(frozen=True)
class ScoreSheet:
    objective_score: float
    objective_max: float
    essay_max: float
    per_question: Dict[str, Optional[float]]


def score_paper(paper: Paper, answers: Dict[str, Any], pass_mark: Optional[float] = None) -> ScoreSheet:
    per: Dict[str, Optional[float]] = {}
    got = objective_max = essay_max = 0.0
    for q in paper.questions:
        s = score_question(q, answers.get(q.id))
        per[q.id] = s
        if q.objective:
            objective_max += q.points
            got += s or 0.0
        else:
            essay_max += q.points
    return ScoreSheet(round(got, 2), objective_max, essay_max, per)

