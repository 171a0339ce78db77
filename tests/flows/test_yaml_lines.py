"""Reading YAML with the line of every field path; odd files never raise anything but Problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbio.errors import Problem, ScenarioError
from symbio.flows.load import load_scenario
from symbio.flows.yamlsource import format_path, read_yaml


def _read(tmp_path: Path, text: str | bytes) -> tuple[object, list[Problem]]:
    file = tmp_path / "f.yaml"
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return read_yaml(file, problems), problems


def test_format_path() -> None:
    assert format_path(("sites", "[secco]", "supplies", "[h2]", "amount")) == (
        "sites[secco].supplies[h2].amount"
    )
    assert format_path(()) == ""


def test_lines_of_records_by_key_and_plain_lists_by_position(tmp_path: Path) -> None:
    located, problems = _read(
        tmp_path,
        "sites:\n"
        "  - id: secco\n"
        "    xy_km: [1, 2]\n"
        "    supplies:\n"
        "      - resource: h2\n"
        "        amount: 24000\n"
        "    audits:\n"
        "      - {round: 2, year: 2019}\n",
    )
    assert problems == []
    where = {k: line for k, (_, line) in located.where.items()}
    assert where[("sites", "[secco]")] == 2
    assert where[("sites", "[secco]", "xy_km", "[1]")] == 3
    assert where[("sites", "[secco]", "supplies", "[h2]", "amount")] == 6
    assert where[("sites", "[secco]", "audits", "[2]", "year")] == 8  # audits are keyed by round


def test_numbers_in_exponent_form_are_floats(tmp_path: Path) -> None:
    located, _ = _read(tmp_path, "a: 1e6\nb: 2.4e4\nc: '1e6'\n")
    assert located.data == {"a": 1e6, "b": 2.4e4, "c": "1e6"}


def test_merge_keys_work_and_keys_given_win(tmp_path: Path) -> None:
    located, problems = _read(
        tmp_path, "base: &b {capex_cny: 1, lifetime_y: 20}\nlink:\n  <<: *b\n  lifetime_y: 30\n"
    )
    assert problems == []
    assert located.data["link"] == {"capex_cny": 1, "lifetime_y": 30}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: [1, 2\n", 2, "YAML syntax error"),
        ("a: 1\n\tb: 2\n", 2, "YAML syntax error"),
        ("a: !!python/object:os.system x\n", 1, "bad YAML value"),
        ("a: !!int abc\n", 1, "bad YAML value"),
        ("? [a, b]\n: 1\n", 1, "a key must be a plain name"),
        ("a: &x [*x]\n", None, None),  # a recursive alias: nesting too deep, or read as-is
    ],
)
def test_odd_yaml_gives_problems(tmp_path: Path, text: str, line: int | None, message) -> None:
    _, problems = _read(tmp_path, text)
    if message is None:
        return
    assert any(p.line == line and message in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"\xff\xfe\x00bad", "not a UTF-8 text file"),
        (b"- a\n- b\n", "a scenario file must be a mapping of fields"),
        (b"just text\n", "a scenario file must be a mapping of fields"),
    ],
)
def test_files_that_are_not_scenarios(tmp_path: Path, content: bytes, message: str) -> None:
    file = tmp_path / "odd.yaml"
    file.write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    assert [p.message[: len(message)] for p in info.value.problems] == [message]


def test_a_directory_is_not_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert info.value.problems[0].message == "is a directory, not a scenario file"
