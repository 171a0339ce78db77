"""Pollution-equivalent values: the data file and the arithmetic."""

import pytest

from symbio.errors import InputError
from symbio.pathways.equivalents import PollutionEquivalents, load_equivalents


def test_bundled_values_match_the_tax_law_annex():
    pe = load_equivalents()
    # 环境保护税法 附表二: SO2 0.95, NOx 0.95, 一般性粉尘 4, COD 1, 氨氮 0.8 kg; VOCs pilot 0.95 kg
    assert pe.value_kg == {
        "so2": 0.95,
        "nox": 0.95,
        "particulates": 4.0,
        "vocs": 0.95,
        "cod": 1.0,
        "nh3n": 0.8,
    }
    assert all(pe.source[s] for s in pe.species)
    assert "co2" not in pe.value_kg


def test_equivalents_of_tonnes():
    pe = load_equivalents()
    # 1 t NH3-N = 1000 kg / 0.8 kg = 1250 equivalents; 2 t COD = 2000; CO2 has no weight
    assert pe.equivalents({"nh3n": 1.0, "cod": 2.0, "co2": 5e4}) == pytest.approx(3250.0)
    assert pe.per_tonne("so2") == pytest.approx(1000 / 0.95)
    assert pe.breakdown({"nox": 0.95})["nox"] == pytest.approx(1000.0)


def test_bad_value_is_located(tmp_path):
    f = tmp_path / "pe.yaml"
    f.write_text("species:\n  so2: {value_kg: -1}\n")
    with pytest.raises(InputError, match=r"species\.so2\.value_kg"):
        load_equivalents(f)


def test_custom_table():
    pe = PollutionEquivalents({"x": 2.0})
    assert pe.equivalents({"x": 1.0, "y": 9.0}) == pytest.approx(500.0)
