"""The scenario a result was solved from, handed over in memory, reads as the result directory's
``scenario.resolved.yaml`` does: the same scenario, the same origin, the same briefing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from report_data import MINI_PARK, REPO

from symbio.flows.load import load_scenario, scenario_sha256
from symbio.report.bundle import load_result, solved_scenario
from symbio.report.html.briefing import read_briefing
from symbio.results import scenario_yaml

VARIANT = REPO / "scenarios" / "examples" / "small-park-carbon-200.yaml"  # it extends another


def _result_dir(scenario_file: Path, out: Path, factors: list | None = None) -> Path:
    """A result directory as `symbio run` writes the scenario part of it."""
    sc = load_scenario(scenario_file)
    out.mkdir(parents=True)
    (out / "scenario.resolved.yaml").write_text(scenario_yaml(sc), encoding="utf-8")
    summary = {"status": "optimal", "scenario": {"sha256": scenario_sha256(sc)}}
    if factors is not None:
        summary["factors"] = factors
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return out


def _fields_given(model: object) -> object:
    """Every field a model and its parts were given (the provenance counts only those)."""
    from pydantic import BaseModel

    if isinstance(model, BaseModel):
        return {k: _fields_given(getattr(model, k)) for k in sorted(model.model_fields_set)}
    if isinstance(model, list | tuple):
        return [_fields_given(x) for x in model]
    if isinstance(model, dict):
        return {k: _fields_given(v) for k, v in model.items()}
    return model


def _same(a, b) -> None:
    assert a.model_dump() == b.model_dump()
    assert _fields_given(a) == _fields_given(b)
    assert a._origin == b._origin
    assert a.extends == b.extends


def test_a_variant_in_memory_is_the_scenario_read_back(tmp_path: Path):
    known = load_scenario(VARIANT)
    assert known.extends  # the file read back has no extends: taken in memory, neither
    folder = _result_dir(VARIANT, tmp_path / "run")
    from_file = load_result(folder).scenario
    handed = load_result(folder, scenario=known).scenario
    _same(handed, from_file)
    assert handed is not known and known.extends  # the caller's scenario is left as it was


def test_the_summarys_factors_are_the_origin_either_way(tmp_path: Path):
    uses = [{"path": "resources[h2].tce_per_unit", "factor": "x", "value": 1.0}]
    folder = _result_dir(MINI_PARK, tmp_path / "run", factors=uses)
    handed = load_result(folder, scenario=load_scenario(MINI_PARK)).scenario
    _same(handed, load_result(folder).scenario)
    assert handed._origin["factors"] == uses


def test_another_scenario_than_the_one_solved_is_not_taken(tmp_path: Path):
    folder = _result_dir(MINI_PARK, tmp_path / "run")
    other = load_scenario(VARIANT)
    summary = json.loads((folder / "summary.json").read_text())
    assert solved_scenario(other, summary, folder / "scenario.resolved.yaml") is None
    assert solved_scenario(other, {}, folder / "scenario.resolved.yaml") is None
    read = load_result(folder, scenario=other).scenario  # the file is read instead
    _same(read, load_result(folder).scenario)


def test_the_briefing_is_the_same_with_the_scenarios_in_memory(mini_result: Path, tmp_path: Path):
    folder = tmp_path / "mini"
    shutil.copytree(mini_result, folder)
    known = load_scenario(MINI_PARK)
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["scenario"]["sha256"] == scenario_sha256(known)  # else the test proves nothing
    read = read_briefing([folder]).render("en")
    handed = read_briefing([folder], scenarios={folder: known})
    assert handed.bundles[0].scenario is not None
    assert handed.render("en") == read
