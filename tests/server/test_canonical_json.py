"""The chain's canonical JSON (examcore.chain.canonical) against RFC 8785 (the `rfc8785` package and
the RFC's own examples): byte-identical on everything the edge accepts except floats and keys beyond
the BMP, which is why the chain keeps its v1 encoding (docs/protocol.md, "Paper bundle and key")."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from examcore.chain import SAFE_INT, canonical, json_problem, json_safe

rfc8785 = pytest.importorskip("rfc8785")

# what clients put in ops and heartbeats, floats aside: text (all of Unicode but surrogates), safe
# integers, booleans, null, lists, objects with BMP keys
text = hs.text(hs.characters(exclude_categories=("Cs",)), max_size=20)
keys = hs.text(hs.characters(exclude_categories=("Cs",), max_codepoint=0xD7FF), max_size=8)
scalars = hs.none() | hs.booleans() | hs.integers(-SAFE_INT, SAFE_INT) | text
values = hs.recursive(scalars, lambda inner: hs.lists(inner, max_size=4) | hs.dictionaries(keys, inner, max_size=4),
                      max_leaves=20)


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(values)
def test_canonical_is_rfc8785_for_every_value_the_edge_accepts_but_floats(value):
    assert json_problem(value) is None
    assert canonical(value) == rfc8785.dumps(value)


def test_the_rfc_example_outside_its_numbers_is_identical():
    # RFC 8785 section 3.2.2: strings and literals; its numbers happen to print alike as well
    sample = json.loads('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
                        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
                        ' "literals": [null, true, false]}')
    expected = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
                '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}').encode()
    assert rfc8785.dumps(sample) == expected
    assert canonical(sample) == expected


@pytest.mark.parametrize("value, ours, jcs", [
    (1.0, b"1.0", b"1"), (-0.0, b"-0.0", b"0"), (1e-05, b"1e-05", b"0.00001"),
    (1e16, b"1e+16", b"10000000000000000"),
])
def test_floats_are_where_the_chain_and_rfc8785_differ(value, ours, jcs):
    # clients journal such floats today (event measurements), so the chain cannot switch without
    # changing the hash of ops already acknowledged: it stays v1
    assert canonical(value) == ours and rfc8785.dumps(value) == jcs


def test_keys_beyond_the_bmp_sort_differently():
    # RFC 8785 section 3.2.3 sorts by UTF-16 code units; Python's sort_keys by code points
    keys = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "\u00f6": 7}
    assert list(json.loads(rfc8785.dumps(keys))) == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert list(json.loads(canonical(keys))) == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ufb33", "\U0001f600"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, {"a": [1, {"b": math.nan}]}, 2 ** 53, -(2 ** 60),
                                   "\ud800", {"\udfff": 1}, {1: "x"}, b"bytes"])
def test_json_problem_finds_what_neither_can_carry(value):
    problem = json_problem(value)
    assert problem is not None and problem.message_en and problem.message_zh
    with pytest.raises((ValueError, TypeError)):   # RFC 8785 refuses them as well
        rfc8785.dumps(value)


def test_json_problem_bounds_nesting_and_says_where():
    deep: list = []
    inner = deep
    for _ in range(70):
        inner.append([])
        inner = inner[0]
    problem = json_problem({"ops": [{"payload": deep}]})
    assert problem is not None and "64" in problem.message_en
    assert problem.where().startswith("ops[0].payload[0]") and len(problem.where()) < 80


def test_json_safe_makes_measurements_acceptable_without_losing_the_rest():
    reading = {"level_db": -math.inf, "ratio": math.nan, "name": "mic\udc80", "frames": 2 ** 60, "ok": True,
               "nested": [1.5, {"x": math.inf}]}
    clean = json_safe(reading)
    assert clean == {"level_db": None, "ratio": None, "name": "mic\ufffd", "frames": str(2 ** 60), "ok": True,
                     "nested": [1.5, {"x": None}]}
    assert json_problem(clean) is None
    assert json_safe({"a": 1, "b": "考试"}) == {"a": 1, "b": "考试"}   # clean values pass unchanged
