"""``extends``: a variant equals the scenario written out in full; merge rules; chain errors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from teaching_copies import bare

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario
from symbio.flows.merge import deep_merge
from symbio.paths import scenarios_dir

EXAMPLES = scenarios_dir() / "examples"


def _dump(scenario) -> dict:
    # ``extends`` only records where the variant came from; the content must be equal.
    return scenario.model_dump(exclude={"extends"})


def test_carbon_200_variant_equals_the_scenario_written_in_full(tmp_path: Path) -> None:
    # the files without their generated estimates blocks (each lists its own numbers' ranges)
    full = yaml.safe_load(bare("small-park.yaml").read_text(encoding="utf-8"))
    # What small-park-carbon-200.yaml says, applied by hand:
    full["name"] = {
        "en": "Small park at 200 CNY/t CO2 (teaching example)",
        "zh": "小型化工园区 碳价200元/吨（教学示例）",
    }
    full["policy"]["carbon_price_cny_t"] = 200
    hcl_ox = next(p for p in full["processes"] if p["id"] == "hcl_oxidation")
    hcl_ox["capex_cny"] = 5.0e8
    hcl_ox["estimate"] = "illustrative teaching value (a lower quote)"
    iso = next(s for s in full["sites"] if s["id"] == "isocyanate")
    next(d for d in iso["demands"] if d["resource"] == "cl2")["amount"] = 110000
    full["markets"] = [m for m in full["markets"] if m["id"] != "hcl_acid_sale"]
    written = tmp_path / "small-park-carbon-200-in-full.yaml"
    written.write_text(yaml.safe_dump(full, allow_unicode=True, sort_keys=False), encoding="utf-8")

    variant = load_scenario(bare("small-park-carbon-200.yaml"))
    assert variant.extends == "small-park.yaml"
    assert _dump(variant) == _dump(load_scenario(written))


def test_variant_changes_only_what_it_says() -> None:
    base = load_scenario(EXAMPLES / "small-park.yaml")
    variant = load_scenario(EXAMPLES / "small-park-carbon-200.yaml")
    assert (base.policy.carbon_price_cny_t, variant.policy.carbon_price_cny_t) == (100, 200)
    assert variant.policy.discount_rate == base.policy.discount_rate  # mapping merged
    assert [m.id for m in variant.markets] == ["grid_power", "pipeline_gas"]  # removed
    base_ox = next(p for p in base.processes if p.id == "hcl_oxidation")
    var_ox = next(p for p in variant.processes if p.id == "hcl_oxidation")
    assert var_ox.capex_cny == 5.0e8
    assert var_ox.model_dump(exclude={"capex_cny", "estimate"}) == base_ox.model_dump(
        exclude={"capex_cny", "estimate"}
    )
    iso = variant.site("isocyanate")
    assert [(d.resource, d.amount) for d in iso.demands] == [
        ("cl2", 110000),
        ("steam_lp", 280000),
        ("electricity", 120000),
    ]
    assert iso.demands[0].estimate == "illustrative teaching value"  # kept from the base record


def test_deep_merge_rules() -> None:
    base = {
        "policy": {"carbon_price_cny_t": 0, "discount_rate": 0.08},
        "sites": [
            {"id": "a", "xy_km": [0, 0], "supplies": [{"resource": "h2", "amount": 1}]},
            {"id": "b", "xy_km": [1, 0]},
        ],
    }
    before = copy.deepcopy(base)
    over = {
        "policy": {"carbon_price_cny_t": 200},
        "sites": [
            {"id": "a", "xy_km": [5, 5], "supplies": [{"resource": "h2", "amount": 2}]},
            {"id": "b", "remove": True},
            {"id": "c", "xy_km": [2, 2]},
        ],
    }
    merged = deep_merge(base, over)
    assert merged == {
        "policy": {"carbon_price_cny_t": 200, "discount_rate": 0.08},
        "sites": [
            {"id": "a", "xy_km": [5, 5], "supplies": [{"resource": "h2", "amount": 2}]},
            {"id": "c", "xy_km": [2, 2]},
        ],
    }
    assert base == before  # neither input is modified


def test_deep_merge_reports_removals_that_match_nothing() -> None:
    unmatched: list = []
    deep_merge(
        {"markets": [{"id": "m1"}]},
        {"markets": [{"id": "m2", "remove": True}]},
        unmatched=unmatched,
    )
    assert unmatched == [("markets", "[m2]")]


def test_deep_merge_tolerates_odd_record_keys() -> None:
    # An id that is a list cannot key a record: the list is replaced whole, no crash.
    assert deep_merge({"sites": [{"id": ["a"]}]}, {"sites": [{"id": "b"}]}) == {
        "sites": [{"id": "b"}]
    }


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def test_remove_of_an_unknown_record_is_an_error(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {"variant.yaml": "extends: base.yaml\nmarkets:\n  - {id: h2_purchse, remove: true}\n"},
    )
    (tmp_path / "base.yaml").write_text(
        (EXAMPLES / "hydrogen-pair.yaml").read_text(encoding="utf-8")
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "variant.yaml")
    (p,) = info.value.problems
    assert (Path(p.file).name, p.path, p.line) == ("variant.yaml", "markets[h2_purchse]", 3)
    assert "no such record to remove" in p.message


def test_two_file_cycle(tmp_path: Path) -> None:
    _write(tmp_path, {"a.yaml": "extends: b.yaml\n", "b.yaml": "# b\nextends: a.yaml\n"})
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    (p,) = info.value.problems
    assert (Path(p.file).name, p.path, p.line) == ("b.yaml", "extends", 2)
    assert "extends cycle: a.yaml -> b.yaml -> a.yaml" in p.message


def test_missing_base_two_levels_down(tmp_path: Path) -> None:
    _write(
        tmp_path, {"a.yaml": "extends: b.yaml\n", "b.yaml": "name: {en: b}\n\nextends: gone.yaml\n"}
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    (p,) = info.value.problems
    assert (Path(p.file).name, p.path, p.line) == ("b.yaml", "extends", 3)
    assert p.message.startswith("base file not found")


@pytest.mark.parametrize("value", ["5", "''", "[a.yaml]"])
def test_extends_must_name_a_file(tmp_path: Path, value: str) -> None:
    _write(tmp_path, {"a.yaml": f"name: {{en: a}}\nextends: {value}\n"})
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    (p,) = info.value.problems
    assert (p.path, p.line) == ("extends", 2)


def test_errors_point_into_the_file_that_gives_the_value(tmp_path: Path) -> None:
    base = (EXAMPLES / "hydrogen-pair.yaml").read_text(encoding="utf-8")
    base = base.replace("amount: 10000", "amount: -10000")  # wrong in the base
    _write(
        tmp_path,
        {
            "base.yaml": base,
            "variant.yaml": "extends: base.yaml\nsites:\n  - id: refinery\n    xy_km: [3.0, x]\n",
        },
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "variant.yaml")
    found = {(Path(p.file).name, p.path, p.line) for p in info.value.problems}
    supply_line = (
        base.splitlines().index(
            '      - {resource: h2, amount: -10000, estimate: "illustrative teaching value"}'
        )
        + 1
    )
    assert found == {
        ("base.yaml", "sites[cracker].supplies[h2].amount", supply_line),
        ("variant.yaml", "sites[refinery].xy_km[1]", 4),
    }
