"""No traceback ever reaches the user of ``python -m helpers import``: fuzzed files through the whole command.

Each reader's own hypothesis test feeds its ``read`` random structures (test_io_importer_<platform>.py); this
one feeds whole files through the command line — detection, every ``--preset``, the job, the install — and
checks the exit code is 0 (every item accounted for, the dataset loads) or 2 (one line naming the file).
Examples: mutations of every fixture (keys dropped, values swapped for other types, the file cut short),
random JSON documents, random bytes.
"""
from __future__ import annotations

import copy
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.io import import_cli, load_dataset
from helpers.io.importer.platforms import READERS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "exports").rglob("*")
                  if p.is_file() and not p.name.startswith("bad"))


def _single_document(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    text = text.split("=", 1)[1] if text.lstrip().startswith("window.") else text
    try:
        json.loads(text)
    except ValueError:
        return False          # several documents one after another, or JSON lines: mutated as bytes below
    return True


JSON_FIXTURES = [p for p in FIXTURES if p.suffix in (".json", ".js") and _single_document(p)]
PRESETS = [None] + [r.name for r in READERS]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                             st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                           max_leaves=25)


def _paths(doc, prefix=()):
    """Every (path, value) inside a JSON document."""
    yield prefix, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:6]):
            yield from _paths(v, prefix + (i,))


def _replace(doc, path, value):
    if not path:
        return value
    out = copy.copy(doc)
    out[path[0]] = _replace(doc[path[0]], path[1:], value)
    return out


def _drop(doc, path):
    parent = _replace(doc, (), doc)
    node = parent
    for key in path[:-1]:
        node = node[key]
    if isinstance(node, dict):
        node.pop(path[-1], None)
    elif isinstance(node, list) and node:
        node.pop(path[-1] if path[-1] < len(node) else -1)
    return parent


@st.composite
def mutated_fixture(draw):
    """A fixture's JSON with a few values replaced by other types or keys dropped, maybe cut short."""
    path = draw(st.sampled_from(JSON_FIXTURES))
    raw = path.read_text(encoding="utf-8")
    prefix = ""
    if raw.lstrip().startswith("window."):
        prefix, raw = raw.split("=", 1)[0] + "= ", raw.split("=", 1)[1]
    doc = json.loads(raw)
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(doc))
        where, _ = draw(st.sampled_from(places))
        if where and draw(st.booleans()):
            doc = _drop(copy.deepcopy(doc), where)
        else:
            doc = _replace(doc, where, draw(json_values))
    text = prefix + json.dumps(doc, ensure_ascii=False)
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return path.suffix, text.encode("utf-8", "surrogatepass")


def _run(tmp: Path, suffix: str, data: bytes, preset: str | None) -> None:
    source = tmp / f"export{suffix}"
    source.write_bytes(data)
    out = tmp / "out"
    args = [str(source), "--out", str(out)] + (["--preset", preset] if preset else [])
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = import_cli(args)
    assert code in (0, 2), err.getvalue()
    OUTCOMES[code] = OUTCOMES.get(code, 0) + 1
    if code == 2:
        errors = [line for line in err.getvalue().splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "export" in errors[0], err.getvalue()
    else:
        report = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
        t = report["totals"]
        assert t["read"] == t["added"] + t["updated"] + t["unchanged"] + t["skipped"] + t["quarantined"]
        load_dataset(out)


OUTCOMES: dict[int, int] = {}   #: exit codes seen (printed with -s by the last test, for the closing note)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(example=mutated_fixture())
def test_mutated_exports_detected_exit_0_or_2(tmp_path_factory, example):
    _run(tmp_path_factory.mktemp("fuzz"), example[0], example[1], None)


@pytest.mark.parametrize("preset", PRESETS[1:])
@FUZZ
@given(example=mutated_fixture())
def test_mutated_exports_with_every_preset_exit_0_or_2(tmp_path_factory, preset, example):
    _run(tmp_path_factory.mktemp("fuzz"), example[0], example[1], preset)


@FUZZ
@given(doc=json_values, suffix=st.sampled_from([".json", ".js", ".jsonl", ".csv"]))
def test_random_json_exits_0_or_2(tmp_path_factory, doc, suffix):
    _run(tmp_path_factory.mktemp("fuzz"), suffix, json.dumps(doc).encode(), None)


@FUZZ
@given(data=st.binary(min_size=1, max_size=300), suffix=st.sampled_from([".json", ".csv", ".txt"]))
def test_random_bytes_exit_0_or_2(tmp_path_factory, data, suffix):
    _run(tmp_path_factory.mktemp("fuzz"), suffix, data, None)


def test_fuzz_outcomes_were_both_kinds():
    """Run after the fuzzers (file order): the examples reached both outcomes, so the fuzz went deep."""
    if not OUTCOMES:
        pytest.skip("run with the fuzz tests above")
    print("fuzz exit codes:", OUTCOMES)
    assert OUTCOMES.get(0, 0) > 0 and OUTCOMES.get(2, 0) > 0
