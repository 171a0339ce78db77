"""Value rules beyond types: unbounded prices, by_slice totals, finite numbers, clear messages."""

from __future__ import annotations

import copy

import pytest

from symbio.errors import ScenarioError
from symbio.flows.load import scenario_from_data

PARK = {
    "name": {"en": "checks"},
    "time_slices": [{"id": "summer", "hours": 4380}, {"id": "winter", "hours": 4380}],
    "resources": [{"id": "h2", "unit": "t", "name": {"en": "hydrogen"}}],
    "sites": [
        {
            "id": "a",
            "name": {"en": "a"},
            "xy_km": [0, 0],
            "supplies": [{"resource": "h2", "amount": 100}],
        },
        {
            "id": "b",
            "name": {"en": "b"},
            "xy_km": [1, 0],
            "demands": [{"resource": "h2", "amount": 60}],
        },
    ],
    "links": [{"id": "pipe", "resource": "h2", "from": "a", "to": "b"}],
    "markets": [{"id": "m", "resource": "h2", "site": "b", "buy_cny": 100}],
    "disposal": [{"id": "flare", "resource": "h2", "site": "a"}],
}


def _problems(edit) -> list[tuple[str, str]]:
    data = copy.deepcopy(PARK)
    edit(data)
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data, None, "park.yaml")
    return [(p.path, p.message) for p in info.value.problems]


def test_the_base_is_valid() -> None:
    scenario_from_data(copy.deepcopy(PARK), None, "park.yaml")


def test_selling_above_the_buying_price_without_caps_is_unbounded() -> None:
    ((path, msg),) = _problems(lambda d: d["markets"][0].update(sell_cny=150))
    assert path == "markets[m].sell_cny" and "unbounded" in msg


def test_a_negative_price_needs_a_cap() -> None:
    ((path, msg),) = _problems(lambda d: d["markets"][0].update(buy_cny=-1))
    assert path == "markets[m].buy_cny" and "buy_cap" in msg
    d = copy.deepcopy(PARK)
    d["markets"][0].update(buy_cny=-1, buy_cap=10)
    scenario_from_data(d, None, "park.yaml")  # with a cap it is allowed


def test_a_disposal_revenue_needs_a_cap() -> None:
    ((path, _),) = _problems(lambda d: d["disposal"][0].update(cost_cny=-5))
    assert path == "disposal[flare].cost_cny"


def test_link_variable_cost_cannot_be_negative() -> None:
    ((path, msg),) = _problems(lambda d: d["links"][0].update(variable_cost_cny=-1))
    assert path == "links[pipe].variable_cost_cny" and "greater than or equal to 0" in msg


def test_standard_coal_factor_cannot_be_negative() -> None:
    ((path, _),) = _problems(lambda d: d["resources"][0].update(tce_per_unit=-0.1))
    assert path == "resources[h2].tce_per_unit"


def test_by_slice_must_add_up_to_the_amount() -> None:
    def edit(d: dict) -> None:
        d["sites"][1]["demands"][0]["by_slice"] = {"summer": 20, "winter": 30}

    ((path, msg),) = _problems(edit)
    assert path == "sites[b].demands[h2].by_slice"
    assert "adds up to 50 but amount is 60" in msg


def test_by_slice_must_name_every_slice() -> None:
    def edit(d: dict) -> None:
        d["sites"][1]["demands"][0]["by_slice"] = {"summer": 60, "autumn": 0}

    found = dict(_problems(edit))
    assert "time slice 'autumn' is not defined" in found["sites[b].demands[h2].by_slice.autumn"]
    assert "missing: winter" in found["sites[b].demands[h2].by_slice"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_numbers_must_be_finite(value: float) -> None:
    ((path, msg),) = _problems(lambda d: d["sites"][0].update(xy_km=[value, 0]))
    assert path == "sites[a].xy_km[0]" and msg.startswith("must be a finite number")


def test_a_coefficient_is_a_number_or_a_factor_reference() -> None:
    ((path, msg),) = _problems(lambda d: d["markets"][0].update(emissions={"co2": "lots"}))
    assert path == "markets[m].emissions.co2"
    assert msg == "must be a number or a factor reference {factor: KEY} (got 'lots')"


def test_a_malformed_factor_reference_names_its_own_field() -> None:
    found = dict(_problems(lambda d: d["markets"][0].update(emissions={"co2": {"factr": "x"}})))
    assert found == {
        "markets[m].emissions.co2.factor": "required field is missing",
        "markets[m].emissions.co2.factr": "unknown field 'factr' (did you mean 'factor'?); "
        "allowed: factor",
    }


def test_remove_outside_a_variant_says_why() -> None:
    ((path, msg),) = _problems(lambda d: d["markets"][0].update(remove=True))
    assert path == "markets[m].remove" and "only allowed in a file that extends" in msg


def test_time_slices_cannot_be_empty() -> None:
    ((path, msg),) = _problems(lambda d: d.update(time_slices=[]))
    assert (path, msg) == ("time_slices", "must have at least 1 item(s)")


def test_ids_follow_the_pattern() -> None:
    ((path, msg),) = _problems(lambda d: d["links"][0].update(id="2pipe"))
    assert path == "links[2pipe].id" and msg.startswith("must be an id")


@pytest.mark.parametrize("hours", [4000, 5000])
def test_time_slices_must_cover_one_year(hours: float) -> None:
    def edit(d: dict) -> None:
        d["time_slices"][1]["hours"] = hours  # 4380 + 4000 < 8760; 4380 + 5000 > 8784

    ((path, msg),) = _problems(edit)
    assert path == "time_slices" and "they must cover one year: 8760 h" in msg
