"""Issue 13, defects 2, 3, 4, 6 and 9: hostile or extreme inputs end in clear user errors."""

from __future__ import annotations

import os
import re
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import load_workbook
from teaching_copies import bare

from symbio.cli.app import main
from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario
from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.refs import ALLOW_ENV
from symbio.flows.yamlsource import MAX_DEPTH, read_yaml

H2 = bare("hydrogen-pair.yaml")  # the example without its generated ranges: edited below
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _err(capsys: pytest.CaptureFixture) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.out + captured.err


def _h2(tmp_path: Path, name: str = "park.yaml") -> Path:
    """A copy of the hydrogen-pair example in ``tmp_path``."""
    f = tmp_path / name
    f.write_text(H2.read_text(encoding="utf-8"), encoding="utf-8")
    return f


def _problems(f: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    return str(info.value)


# -- defect 2: formula injection into workbooks ------------------------------------------
def _with_description(tmp_path: Path, description: str) -> Path:
    text = H2.read_text(encoding="utf-8")
    text = re.sub(r"^description: .*$", f"description: '{description}'", text, flags=re.M)
    text = re.sub(r"^name: \{en: [^,]*,", f"name: {{en: '{description}',", text, flags=re.M)
    f = tmp_path / "park.yaml"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_export_writes_formula_like_text_as_text_and_import_keeps_it(
    start: str, tmp_path: Path
) -> None:
    text = start + 'cmd|" /C calc"!A0'
    src = _with_description(tmp_path, text)
    book = tmp_path / "park.xlsx"
    assert main(["export-xlsx", str(src), "--out", str(book)]) == 0
    cells = [c for ws in load_workbook(book) for row in ws.iter_rows() for c in row]
    hits = [c for c in cells if c.value == text]
    assert len(hits) >= 2  # the description and the English name
    assert all(c.data_type == "s" for c in hits)
    assert not any(c.data_type == "f" for c in cells)
    back = load_scenario(book)
    assert back.description.en == text and back.name.en == text  # a plain string: the English text


def test_report_xlsx_writes_scenario_name_as_text(tmp_path: Path) -> None:
    src = _with_description(tmp_path, FORMULA)
    res, book = tmp_path / "res", tmp_path / "tables.xlsx"
    assert main(["run", str(src), "--out", str(res)]) == 0
    argv = ["report", str(res), "--out", str(tmp_path / "b.html"), "--xlsx", str(book)]
    assert main(argv) == 0
    cells = [c for ws in load_workbook(book) for row in ws.iter_rows() for c in row]
    assert any(c.value == FORMULA for c in cells)
    assert not any(c.data_type == "f" for c in cells)


# -- defect 3: resource exhaustion -------------------------------------------------------
def _billion_laughs(tmp_path: Path) -> Path:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n")
    return f


def _merge_bomb(tmp_path: Path) -> Path:
    lines = ["m0: &m0 {x0: 1, x1: 2}"]
    lines += [
        f"m{i}: &m{i} {{<<: [*m{i - 1}], a{i}: *m{i - 1}, b{i}: *m{i - 1}}}" for i in range(1, 40)
    ]
    f = tmp_path / "merge-bomb.yaml"
    f.write_text("\n".join(lines) + "\n")
    return f


@pytest.mark.parametrize("make", [_billion_laughs, _merge_bomb])
def test_alias_bombs_are_refused_in_bounded_memory(make, tmp_path: Path) -> None:  # noqa: ANN001
    f = make(tmp_path)
    tracemalloc.start()
    try:
        problems: list = []
        assert read_yaml(f, problems) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "expands to more than" in str(problems[0])
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "rec.yaml"
    f.write_text("a: &a [1, *a]\n")
    assert "alias that contains itself" in _problems(f)


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    f = tmp_path / "huge.yaml"
    with f.open("w") as fh:
        fh.write("sites:\n")
        fh.writelines(f"- {{id: s{i:06d}, name: {{en: s, zh: s}}}}\n" for i in range(380_000))
    assert f.stat().st_size > 8 * 2**20
    assert "symbio reads scenario files up to 8 MB" in _problems(f)


# -- defect 4: tracebacks instead of exit 2 -----------------------------------------------
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5000])
def test_deep_nesting_is_a_problem_not_a_recursion_error(depth: int, tmp_path: Path) -> None:
    f = tmp_path / "deep.yaml"
    f.write_text("a: " + "[" * depth + "]" * depth + "\n")
    assert f"nested deeper than {MAX_DEPTH} levels" in _problems(f)


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("a" * 300, "longer than a file name may be"),
        ('"a\\0b.yaml"', "control character"),
        ("/dev/zero", "points outside the scenario's folder"),
        ("fifo", "not a regular file"),
    ],
)
def test_bad_extends_names(base: str, message: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    os.mkfifo(tmp_path / "fifo")
    f = tmp_path / "v.yaml"
    f.write_text(f"extends: {base}\n")
    assert main(["validate", str(f)]) == 2
    assert message in _err(capsys)


def test_huge_coordinates_are_out_of_range(tmp_path: Path) -> None:
    text = H2.read_text(encoding="utf-8")
    f = tmp_path / "far.yaml"
    f.write_text(re.sub(r"xy_km: \[[^\]]*\]", "xy_km: [1.0e155, 2.0e155]", text, count=1))
    assert "xy_km" in H2.read_text(), "the example places its sites"
    assert "distance or map position must be at most 10000 km" in _problems(f)


def test_mathtext_site_name_in_report(tmp_path: Path) -> None:
    src = _with_description(tmp_path, "$x^$")
    res = tmp_path / "res"
    assert main(["run", str(src), "--out", str(res)]) == 0
    # A plain-string description is the English text (the zh briefing shows only zh text).
    argv = ["report", str(res), "--out", str(tmp_path / "b.html"), "--figures", str(tmp_path / "f")]
    assert main([*argv, "--lang", "en"]) == 0
    assert "$x^$" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_formula_with_a_309_digit_integer(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    lib = tmp_path / "lib.yaml"
    lib.write_text(
        "indicators:\n- {id: x1, name: {zh: 甲, en: x}, area: resource_energy, unit: '%',"
        f" direction: higher, level: park, formula: '{'1' + '0' * 309} * energy_tce',"
        " benchmarks: {I: 90, II: 80, III: 70}}\n"
    )
    res = tmp_path / "res"
    assert main(["run", str(H2), "--out", str(res)]) == 0
    assert main(["score", str(res), "--out", str(tmp_path / "s"), "--indicators", str(lib)]) == 2
    assert "too large for a number" in _err(capsys)


def test_indicator_level_given_as_an_integer(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    lib = tmp_path / "lib.yaml"
    lib.write_text(
        "indicators:\n- {id: x1, name: {zh: 甲, en: x}, area: resource_energy, unit: '%',"
        " direction: higher, level: 3, formula: 'energy_tce', benchmarks: {I: 90, II: 80, III: 70}}\n"
    )
    res = tmp_path / "res"
    assert main(["run", str(H2), "--out", str(res)]) == 0
    assert main(["score", str(res), "--out", str(tmp_path / "s"), "--indicators", str(lib)]) == 2
    assert "level" in _err(capsys)


# -- defect 6: references stay inside the scenario's reach --------------------------------
def test_extends_outside_the_folder_is_refused_without_quoting(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("root:$6$saltsalt$TOPSECRETHASH:19000:0:99999:7:::\n")
    home = tmp_path / "home"
    home.mkdir()
    for base in ["../secret/shadow", str(secret / "shadow"), "/etc/passwd"]:
        f = home / "v.yaml"
        f.write_text(f"extends: {base}\n")
        msg = _problems(f)
        assert "points outside the scenario's folder" in msg
        assert "TOPSECRET" not in msg and "root:" not in msg


def test_extends_of_a_non_scenario_inside_is_not_quoted(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("root:$6$saltsalt$TOPSECRETHASH:19000:0:99999:7:::\n")
    f = tmp_path / "v.yaml"
    f.write_text("extends: notes\n")
    msg = _problems(f)
    assert "not a scenario file" in msg and "TOPSECRET" not in msg


def _extends_outside(tmp_path: Path) -> Path:
    """home/v.yaml extending other/base.yaml (a valid scenario outside home/)."""
    other, home = tmp_path / "other", tmp_path / "home"
    other.mkdir()
    home.mkdir()
    f = home / "v.yaml"
    f.write_text(f"extends: {_h2(other, name='base.yaml')}\n")
    return f


def test_extends_outside_allowed_explicitly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_ENV, "0")
    f = _extends_outside(tmp_path)
    assert "points outside" in _problems(f)
    monkeypatch.setenv(ALLOW_ENV, "1")
    assert load_scenario(f).name.en == load_scenario(H2).name.en


def test_extends_of_bundled_scenarios_is_allowed(tmp_path: Path) -> None:
    f = tmp_path / "v.yaml"
    bundled = Path("scenarios/examples/hydrogen-pair.yaml").resolve()
    f.write_text(f"extends: {bundled}\n")
    assert load_scenario(f).name.en == load_scenario(bundled).name.en


@pytest.mark.parametrize("name", ["/tmp/evil", "../../etc/factors", "x/../../y", "a b"])
def test_factor_set_is_a_name_not_a_path(name: str, tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("factors: {grid_electricity_co2: {value: 1.0e300, unit: tCO2/MWh}}\n")
    text = H2.read_text(encoding="utf-8")
    assert "\npolicy:\n" in text
    f = tmp_path / "park.yaml"
    f.write_text(text.replace("\npolicy:\n", f"\npolicy:\n  factor_set: '{name}'\n"))
    assert "must name a factor set in the data folder" in _problems(f)


def test_cli_option_allows_outside_references(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(ALLOW_ENV, "0")  # restored after the test: the option sets it
    f = _extends_outside(tmp_path)
    assert main(["validate", str(f)]) == 2
    assert main(["--allow-outside-refs", "validate", str(f)]) == 0


# -- defect 9: magnitudes ----------------------------------------------------------------
@pytest.mark.parametrize("value", ["1.0e19", "1.0e300"])
def test_huge_amount_is_out_of_range(value: str, tmp_path: Path) -> None:
    text = H2.read_text(encoding="utf-8")
    f = tmp_path / "huge.yaml"
    f.write_text(re.sub(r"amount: [0-9.e+]+", f"amount: {value}", text, count=1))
    assert "a mass quantity must be at most 1e+09 t" in _problems(f)


def test_tiny_demand_is_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = H2.read_text(encoding="utf-8")
    last = list(re.finditer(r"amount: [0-9.e+]+", src))[-1]  # the user's demand
    f = tmp_path / "tiny.yaml"
    f.write_text(src[: last.start()] + "amount: 1.0e-9" + src[last.end() :])
    s = load_scenario(f)
    warnings = magnitude_warnings(s)
    assert len(warnings) == 1 and "below the solver's tolerance" in warnings[0]
    assert main(["validate", str(f)]) == 0
    assert "below the solver's tolerance" in capsys.readouterr().err
    res = tmp_path / "res"
    assert main(["run", str(f), "--out", str(res)]) == 0
    err = capsys.readouterr().err  # warnings go to stderr (cli.app.configure_logging)
    assert "warning: sites[refinery].demands[h2].amount" in err and "warning: warning" not in err
    assert "below the solver's tolerance" in err
    assert "below the solver's tolerance" in (res / "summary.json").read_text()


def test_bad_scaling_is_reported_with_the_coefficient_range() -> None:
    import pyomo.environ as pyo

    from symbio.errors import SolverError
    from symbio.solvers.highs import PersistentHighs

    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10))
    m.y = pyo.Var(bounds=(0, 10))
    m.c = pyo.Constraint(expr=1e-9 * m.x + 1e10 * m.y >= 1)
    m.o = pyo.Objective(expr=m.x + m.y)
    solver = PersistentHighs(m)
    assert solver.coefficients == (1e-9, 1e10)
    assert "range from 1.0e-09 to 1.0e+10" in solver.scaling_note
    m2 = pyo.ConcreteModel()
    m2.x = pyo.Var(bounds=(0, 10))
    m2.c = pyo.Constraint(expr=1e300 * m2.x >= 1)
    m2.o = pyo.Objective(expr=m2.x)
    try:
        out = PersistentHighs(m2).solve()
    except SolverError as exc:
        assert "coefficients range from" in str(exc)
    else:
        assert out.status != "error" or "coefficients range from" in out.message
