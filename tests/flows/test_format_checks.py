"""Validation of the second-pass forms: each mistake is named with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario

BASE = """\
name: {en: checks, zh: 校验}
resources:
  - {id: water, unit: t, name: water, category: water, quality: {attribute: c, unit: ppm, sense: max}}
  - {id: e1, unit: t, name: outlet water, quality: {attribute: c, unit: ppm, sense: max}}
  - {id: steam, unit: t, name: steam}
  - {id: lp, unit: t, name: LP steam}
  - {id: h2, unit: Nm3, name: hydrogen}
sites:
  - {id: op, name: operation, xy_km: [0, 0]}
  - {id: op2, name: operation 2, xy_km: [0, 0]}
processes:
  - id: wash
    site: op
    activity_unit: t
    inputs: {water: 1, steam: 0.1}
    outputs: {e1: 1}
    output_quality: {e1: 100}
    input_quality: {water: 0}
    quality_load: {e1: 2 kg/h}
    substitutes: {steam: {lp: 1.2}}
    capacity: 100 t/h
markets:
  - {id: fresh, resource: water, sites: demands, buy_cny: 1, quality: 0}
  - {id: steam_buy, resource: steam, site: op, buy_cny: 100}
  - {id: lp_buy, resource: lp, site: op, buy_cny: 80}
disposal:
  - {id: out, resource: e1, site: op}
"""


def _problems(tmp_path: Path, text: str) -> list[tuple[str, int | None, str]]:
    file = tmp_path / "park.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    assert all(p.file == str(file) for p in info.value.problems)
    return [(p.path, p.line, p.message) for p in info.value.problems]


def _one(tmp_path: Path, text: str) -> tuple[str, int | None, str]:
    problems = _problems(tmp_path, text)
    assert len(problems) == 1, problems
    return problems[0]


def test_base_is_valid(tmp_path: Path) -> None:
    file = tmp_path / "park.yaml"
    file.write_text(BASE, encoding="utf-8")
    s = load_scenario(file)
    assert s.processes[0].quality_load == {"e1": pytest.approx(2000 * 8760)}  # 2 kg/h in ppm x t/a
    assert s.processes[0].capacity == pytest.approx(100 * 8760)


@pytest.mark.parametrize(
    ("old", "new", "path", "line", "says"),
    [
        ("input_quality: {water: 0}", "input_quality: {steam: 0}", "processes[wash].input_quality.steam", 18, "no quality attribute"),
        ("input_quality: {water: 0}", "input_quality: {wter: 0}", "processes[wash].input_quality.wter", 18, "'wter' is not defined"),
        ("quality_load: {e1: 2 kg/h}", "quality_load: {e1: 2 MWh}", "processes[wash].quality_load.e1", 19, "cannot be converted to ppm * t"),
        ("output_quality: {e1: 100}\n", "output_quality: {}\n", "processes[wash].output_quality.e1", 17, "give this process's output quality"),
        ("quality_load: {e1: 2 kg/h}", "quality_load: {lp: 2}", "processes[wash].quality_load.lp", 19, "must be an output"),
        ("substitutes: {steam: {lp: 1.2}}", "substitutes: {steam: {water: 1.2}}", "processes[wash].substitutes.steam.water", 20, "already an input"),
        ("substitutes: {steam: {lp: 1.2}}", "substitutes: {lp: {steam: 1.2}}", "processes[wash].substitutes.lp", 20, "not an input of this process"),
        ("substitutes: {steam: {lp: 1.2}}", "substitutes: {water: {lp: 1.2}}", "processes[wash].substitutes.water.lp", 20, "same attribute"),
        ("capacity: 100 t/h", "capacity: 100 kg/zz", "processes[wash].capacity", 21, "cannot read"),
        ("sites: demands, buy_cny: 1", "sites: [op, opp], buy_cny: 1", "markets[fresh].sites[1]", 23, "'opp' is not defined"),
        ("sites: demands, buy_cny: 1", "site: op, sites: [op], buy_cny: 1", "markets[fresh]", 23, "not both"),
        ("  - {id: out, resource: e1, site: op}", "  - {id: out, resource: e1, site: op}\n  - {id: dump, resource: water, site: op}",
         "processes[wash].inputs.water", 15, "also goes to disposal 'dump'"),
    ],
)  # fmt: skip
def test_process_and_market_mistakes(tmp_path: Path, old, new, path, line, says) -> None:  # noqa: ANN001
    assert old in BASE
    got_path, got_line, message = _one(tmp_path, BASE.replace(old, new))
    assert (got_path, got_line) == (path, line)
    assert says in message


def test_mol_needs_the_molar_volume(tmp_path: Path) -> None:
    text = BASE + "  - {id: flare, resource: h2, site: op, cap: 10 kmol/h}\n"
    path, line, message = _one(tmp_path, text)
    assert (path, line) == ("disposal[flare].cap", 28)
    assert "molar_volume_nm3_per_kmol" in message
    fixed = text.replace("name: hydrogen}", "name: hydrogen, molar_volume_nm3_per_kmol: 22.414}")
    file = tmp_path / "ok.yaml"
    file.write_text(fixed, encoding="utf-8")
    assert load_scenario(file).disposal[1].cap == pytest.approx(10 * 22.414 * 8760)


def test_demand_substitute_mistakes(tmp_path: Path) -> None:
    text = BASE.replace(
        "  - {id: op2, name: operation 2, xy_km: [0, 0]}",
        "  - id: op2\n    name: operation 2\n    demands:\n"
        "      - {resource: steam, amount: 5, substitutes: {steam: 1, lpp: 2}}",
    )
    problems = _problems(tmp_path, text)
    assert {(p, ln) for p, ln, _ in problems} == {
        ("sites[op2].demands[steam].substitutes.steam", 13),
        ("sites[op2].demands[steam].substitutes.lpp", 13),
    }


BUILD = (
    BASE
    + """\
links:
  - {id: l1, resource: e1, from: op, to: op2, candidate: true}
  - {id: l0, resource: e1, from: op, to: op2}
build_groups:
  - {id: g, kind: KIND, members: MEMBERS REQ}
"""
)


@pytest.mark.parametrize(
    ("kind", "members", "req", "path", "says"),
    [
        ("shared", "[l1, l0]", "", "build_groups[g].members[1]", "existing, not a candidate"),
        ("at_most_one", "[l1, lx]", "", "build_groups[g].members[1]", "'lx' is not defined"),
        ("at_most_one", "[l1]", "", "build_groups[g]", "at least two members"),
        ("requires", "[l1]", "", "build_groups[g]", "requires is given exactly when"),
        ("requires", "[l1]", ", requires: [l1]", "build_groups[g].requires[0]", "cannot require itself"),
        ("exactly_one", "[l1, wash]", "", "build_groups[g].members[1]", "existing, not a candidate"),
    ],
)  # fmt: skip
def test_build_group_mistakes(tmp_path: Path, kind, members, req, path, says) -> None:  # noqa: ANN001
    text = BUILD.replace("KIND", kind).replace("MEMBERS", members).replace(" REQ", req)
    got_path, got_line, message = _one(tmp_path, text)
    assert (got_path, got_line) == (path, 32)
    assert says in message


def test_plain_strings_stay_valid_and_bilingual_text_is_kept(tmp_path: Path) -> None:
    file = tmp_path / "park.yaml"
    file.write_text(BASE + "description: {en: a check, zh: 一个校验}\n", encoding="utf-8")
    s = load_scenario(file)
    assert (s.description.text("en"), s.description.text("zh")) == ("a check", "一个校验")
    assert s.resources[0].name.en == "water" and s.resources[0].name.text("zh") == "water"
    file.write_text(BASE + "description: just English\n", encoding="utf-8")
    assert load_scenario(file).description.text("zh") == "just English"
