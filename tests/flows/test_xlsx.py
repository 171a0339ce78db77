"""Scenario workbooks round-trip (factor references included); errors name sheet, row, column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from symbio.cli.app import main
from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario, scenario_origin
from symbio.flows.provenance import provenance_summary
from symbio.flows.xlsx.write import write_scenario_workbook

REPO = Path(__file__).resolve().parents[2]
HYDROGEN_PAIR = REPO / "scenarios" / "examples" / "hydrogen-pair.yaml"
MINI_PARK = REPO / "tests" / "report" / "data" / "mini-park.yaml"
SMALL_PARK = REPO / "scenarios" / "examples" / "small-park.yaml"
SCIP_2025 = REPO / "scenarios" / "scip" / "symbiosis-2025.yaml"
#: The second-pass forms: quantities, substitutes, loads, market sites, build groups, {en, zh}.
FORMS = [
    REPO / "scenarios" / "examples" / f"{name}.yaml"
    for name in (
        "water-fixed-load",
        "water-source-sink",
        "build-groups",
        "substitutes",
        "gas-units",
    )
]
ROUND_TRIP = [p for p in (HYDROGEN_PAIR, MINI_PARK, SMALL_PARK, SCIP_2025, *FORMS) if p.is_file()]


@pytest.mark.parametrize("scenario_file", ROUND_TRIP, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_scenario(scenario_file: Path, tmp_path: Path):
    original = load_scenario(scenario_file)
    book = write_scenario_workbook(original, tmp_path / "s.xlsx")
    back = load_scenario(book)  # load_scenario reads .xlsx through flows.xlsx.read
    # A workbook holds the resolved scenario: it extends nothing.
    assert back.model_dump(exclude={"extends"}) == original.model_dump(exclude={"extends"})
    assert back.extends is None
    assert provenance_summary(back)["counts"] == provenance_summary(original)["counts"]


def test_workbook_has_one_sheet_per_table(tmp_path: Path):
    book = write_scenario_workbook(load_scenario(MINI_PARK), tmp_path / "s.xlsx")
    wb = load_workbook(book)
    for sheet in ("resources", "sites", "supplies", "demands", "processes", "links", "candidate_links",
                  "markets", "disposal", "time_slices", "policy", "measures"):  # fmt: skip
        assert sheet in wb.sheetnames
    header = [c.value for c in wb["processes"][1]]
    assert header[:2] == ["id", "name.en"]
    assert {"in:hcl", "out:cl2", "em:co2"} <= set(header)
    assert [c.value for c in wb["sites"][1]][:2] == ["id", "name.en"]
    assert "x_km" in [c.value for c in wb["sites"][1]]


def _broken(tmp_path: Path, edit) -> Path:  # noqa: ANN001
    book = write_scenario_workbook(load_scenario(MINI_PARK), tmp_path / "ok.xlsx")
    wb = load_workbook(book)
    edit(wb)
    wb.save(tmp_path / "bad.xlsx")
    return tmp_path / "bad.xlsx"


def _cell(ws, header: str, row: int):  # noqa: ANN001, ANN202
    col = [c.value for c in ws[1]].index(header) + 1
    return ws.cell(row=row, column=col)


def test_validation_errors_name_sheet_row_and_column(tmp_path: Path):
    def edit(wb):  # noqa: ANN001, ANN202
        _cell(wb["supplies"], "amount", 2).value = "lots"
        _cell(wb["processes"], "in:water", 2).value = -1
        _cell(wb["links"], "to", 2).value = "nowhere"

    with pytest.raises(ScenarioError) as err:
        load_scenario(_broken(tmp_path, edit))
    problems = {p.file.rsplit("[", 1)[-1].rstrip("]"): p for p in err.value.problems}
    amount = problems["supplies"]
    assert amount.line == 2 and amount.path == "sites[cracker].supplies[h2].amount"
    assert amount.message.startswith("column C 'amount'") and "must be a number" in amount.message
    assert problems["processes"].path == "processes[boiler].inputs.water"
    assert "'in:water'" in problems["processes"].message and problems["processes"].line == 2
    assert "site 'nowhere' is not defined" in problems["links"].message
    assert "column" in problems["links"].message
    assert str(err.value).count("bad.xlsx[") == 3


def test_layout_errors_are_reported_together(tmp_path: Path):
    def edit(wb):  # noqa: ANN001, ANN202
        wb["sites"].cell(row=1, column=wb["sites"].max_column + 1, value="zoen")
        _cell(wb["supplies"], "site", 3).value = "crackr"
        wb.create_sheet("procesess")

    with pytest.raises(ScenarioError) as err:
        load_scenario(_broken(tmp_path, edit))
    text = str(err.value)
    assert "[sites]:1" in text and "unknown column 'zoen' (did you mean 'zone'?)" in text
    assert (
        "[supplies]:3" in text
        and "site 'crackr' is not in sheet 'sites' (did you mean 'cracker'?)" in text
    )
    assert "unknown sheet 'procesess' (did you mean 'processes'?)" in text


def test_cli_export_and_import(tmp_path: Path):
    book, back = tmp_path / "pair.xlsx", tmp_path / "pair.yaml"
    assert main(["export-xlsx", str(HYDROGEN_PAIR), "--out", str(book)]) == 0
    assert main(["import-xlsx", str(book), "--out", str(back)]) == 0
    assert (
        yaml.safe_load(back.read_text(encoding="utf-8"))["name"]["zh"] == "副产氢供需对（教学示例）"
    )
    assert load_scenario(back).model_dump() == load_scenario(HYDROGEN_PAIR).model_dump()


def test_cli_import_of_a_bad_workbook_exits_2(tmp_path: Path):
    bad = _broken(tmp_path, lambda wb: setattr(_cell(wb["supplies"], "amount", 2), "value", "lots"))
    assert main(["import-xlsx", str(bad), "--out", str(tmp_path / "x.yaml")]) == 2
    assert not (tmp_path / "x.yaml").exists()


def test_import_keeps_factor_references(tmp_path: Path):
    """A round trip through Excel keeps ``{factor: KEY}``: switching the factor set afterwards
    changes the numbers (it used to freeze them)."""
    book, back = tmp_path / "scip.xlsx", tmp_path / "scip.yaml"
    assert main(["export-xlsx", str(SCIP_2025), "--out", str(book)]) == 0
    assert main(["import-xlsx", str(book), "--out", str(back)]) == 0
    text = back.read_text(encoding="utf-8")
    assert "factor: grid_electricity_co2" in text
    data = yaml.safe_load(text)
    data.setdefault("policy", {})["factor_set"] = "national-2022"
    national = tmp_path / "national.yaml"
    national.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    uses = {u["factor"]: u["value"] for u in scenario_origin(load_scenario(national))["factors"]}
    shanghai = {u["factor"]: u["value"] for u in scenario_origin(load_scenario(back))["factors"]}
    grid = "grid_electricity_co2"
    # data/factors: Shanghai 0.42 tCO2/MWh (沪环气〔2022〕34号), national 0.5703 (MEE 2023)
    assert shanghai[grid] == pytest.approx(0.42)
    assert uses[grid] == pytest.approx(0.5703)
