"""Small papers for tests: every question kind, points summing to 100."""
from __future__ import annotations

import copy
from typing import Any, Dict


def sample_paper(paper_id: str = "test-paper", kind: str = "formal", level: str = "中级") -> Dict[str, Any]:
    questions = [
        {"id": "q1", "kind": "single", "text": "“首次解决率”的英文缩写是？", "points": 20,
         "options": [{"key": "A", "text": "AHT"}, {"key": "B", "text": "FCR"}, {"key": "C", "text": "ASA"},
                     {"key": "D", "text": "CSAT"}], "answer": "B"},
        {"id": "q2", "kind": "multiple", "text": "下列哪些属于呼叫中心的服务水平指标？", "points": 20,
         "options": [{"key": "A", "text": "接通率"}, {"key": "B", "text": "平均处理时长"},
                     {"key": "C", "text": "办公室面积"}, {"key": "D", "text": "首次解决率"}],
         "answer": ["A", "B", "D"]},
        {"id": "q3", "kind": "true_false", "text": "处理投诉时应先倾听客户诉求。", "points": 20, "answer": True},
        {"id": "q4", "kind": "fill_blank", "text": "客户满意度的英文缩写是＿＿，净推荐值是＿＿。", "points": 20,
         "blanks": 2, "answer": [["CSAT"], ["NPS"]]},
        {"id": "q5", "kind": "essay", "text": "简述处理客户投诉的基本步骤。", "points": 20, "max_chars": 500},
    ]
    return {"format": "examdesk-paper/1", "paper_id": paper_id, "title": "测试试卷", "level": level,
            "kind": kind, "duration_minutes": 120, "pass_mark": 80, "instructions": "请认真作答。",
            "questions": copy.deepcopy(questions)}


# Answers that score 80 objective points out of 80 (q5 is an essay for markers).
FULL_MARKS = {"q1": "B", "q2": ["A", "B", "D"], "q3": True, "q4": ["csat", "NPS"], "q5": "先倾听，再致歉，后解决。"}
