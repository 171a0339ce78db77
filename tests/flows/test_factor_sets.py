"""Factor sets are found beside the scenario (a user's own) or in the bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from symbio.errors import ScenarioError
from symbio.flows.factors import available_factor_sets, find_factor_set
from symbio.flows.load import load_scenario, scenario_origin
from symbio.paths import data_dir

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "scip" / "baseline-2021.yaml"


def _copy_with_set(tmp_path: Path, factor_set: str) -> Path:
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    data["policy"]["factor_set"] = factor_set
    out = tmp_path / "my-park.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def _own_set(folder: Path, name: str, grid: float) -> None:
    content = yaml.safe_load((data_dir() / "factors" / "shanghai-2022.yaml").read_text("utf-8"))
    content["id"] = name
    content["factors"]["grid_electricity_co2"]["value"] = grid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(content, allow_unicode=True), "utf-8")


def _grid(file: Path) -> float:
    uses = scenario_origin(load_scenario(file))["factors"]
    return next(u["value"] for u in uses if u["factor"] == "grid_electricity_co2")


def test_own_factor_set_in_factors_folder_beside_the_scenario(tmp_path: Path):
    _own_set(tmp_path / "factors", "park-2024", 0.39)
    scenario = _copy_with_set(tmp_path, "park-2024")
    assert find_factor_set("park-2024", str(scenario)) == tmp_path / "factors" / "park-2024.yaml"
    assert "park-2024" in available_factor_sets(str(scenario))
    assert "shanghai-2022" in available_factor_sets(str(scenario))
    assert _grid(scenario) == pytest.approx(0.39)


def test_own_set_shadows_a_bundled_one_of_the_same_name(tmp_path: Path):
    _own_set(tmp_path / "factors", "shanghai-2022", 0.5)
    assert _grid(_copy_with_set(tmp_path, "shanghai-2022")) == pytest.approx(0.5)


def test_bundled_set_from_a_copied_scenario(tmp_path: Path):
    copy = tmp_path / "baseline.yaml"
    shutil.copy(BASELINE, copy)
    assert _grid(copy) == pytest.approx(0.42)  # 沪环气〔2022〕34号: 4.2 tCO2 per 10⁴ kWh


def test_unknown_set_names_where_it_looked(tmp_path: Path):
    with pytest.raises(ScenarioError) as err:
        load_scenario(_copy_with_set(tmp_path, "no-such-set"))
    text = str(err.value)
    assert "factor set 'no-such-set' not found" in text
    assert str(tmp_path / "factors") in text and "shanghai-2022" in text
