"""The per-sample shortcuts of a sweep run give what the full path gives.

Each test here fails when its shortcut is wrong: the shortcut's answer is compared with the
plain computation, including a case where the shortcut must not apply.
"""

from __future__ import annotations

import gc
import pickle
import weakref
from pathlib import Path

from symbio.sweep.execute import run_one
from symbio.sweep.runspec import RunOptions, RunSpec

HYDROGEN_PAIR = Path(__file__).resolve().parents[2] / "scenarios/examples/hydrogen-pair.yaml"


class _Node:
    """An object in a reference cycle (only the collector frees it)."""

    def __init__(self) -> None:
        self.me = self


#: Weak references to the cycles the runner below made.
MADE: list[weakref.ref] = []


#: Whether the collector ran automatically during the runs of :func:`cycle_runner`.
STATE: list[bool] = []


def cycle_runner(scenario: object, options: RunOptions, out: Path) -> dict:
    """A runner that leaves a reference cycle behind and notes the collector's state."""
    MADE.append(weakref.ref(_Node()))
    STATE.append(gc.isenabled())
    return {"status": "ok"}


def test_a_run_frees_its_cycles_and_leaves_nothing_frozen() -> None:
    """The run's garbage is collected at its end; objects alive before it are not left
    frozen (a cycle dropped before the run is collectable afterwards); the automatic
    collections are off during the run and on again after it."""
    before = _Node()
    ref_before = weakref.ref(before)
    del before  # garbage now, freed only by the collector
    spec = RunSpec(
        "r1", str(HYDROGEN_PAIR), {}, RunOptions(score=False, runner=f"{__name__}:cycle_runner")
    )
    out = run_one(spec)
    assert out.record.status == "ok", out.record.message
    assert MADE and MADE[-1]() is None  # the run's own cycle: freed at the run's end
    assert gc.get_freeze_count() == 0
    assert STATE[-1] is False and gc.isenabled()  # off during the run, on again after it
    gc.collect()
    assert ref_before() is None  # not stuck in the permanent generation


def _full_warnings(scenario: object) -> list[str]:
    """Magnitude warnings computed afresh from the scenario's data (no memo)."""
    from symbio.flows.magnitudes import check_magnitudes
    from symbio.flows.yamlsource import format_path

    _, warnings = check_magnitudes(scenario.model_dump(mode="json", by_alias=True))
    return [f"{format_path(p)}: {m}" for p, m in warnings]


def test_magnitude_warnings_of_each_variant_are_its_own() -> None:
    """Validated then solved, a variant's magnitudes are checked once; another variant
    (same base, other numbers) never gets the first one's answer."""
    from symbio.errors import ScenarioError
    from symbio.flows.magnitudes import magnitude_warnings
    from symbio.flows.overrides import apply_overrides

    tiny = "markets[h2_purchase].emissions.co2"
    small = apply_overrides(HYDROGEN_PAIR, {tiny: 1e-8})  # below the solver's tolerance
    plain = apply_overrides(HYDROGEN_PAIR, {})
    for scenario, warned in ((small, True), (plain, False), (small, True), (plain, False)):
        got = magnitude_warnings(scenario)
        assert got == _full_warnings(scenario)
        assert any(w.startswith(tiny) for w in got) is warned
    # validation after a valid variant still rejects an out-of-range number
    try:
        apply_overrides(HYDROGEN_PAIR, {tiny: 1e9})
    except ScenarioError as exc:
        assert tiny in str(exc)
    else:
        raise AssertionError("a coefficient of 1e9 passed validation")


def _set_all(data: dict, overrides: list[tuple[str, object]], memo: dict | None) -> object:
    """The tree after every override, or the message of the first one that fails."""
    from symbio.errors import InputError
    from symbio.flows.overrides import set_value

    for path, value in overrides:
        try:
            set_value(data, path, value, in_place=True, memo=memo)
        except InputError as exc:
            return str(exc)
    return data


def test_record_lookup_memo_sets_what_a_scan_sets() -> None:
    """Overrides set through the look-up memo give the tree (or the error) of a plain scan,
    also when an override renames a record or replaces one (the memo must be dropped)."""
    import copy

    from symbio.flows.overrides import read_base

    base = read_base(HYDROGEN_PAIR).data
    cases = [
        [("sites[cracker].supplies[h2].amount", 5.0), ("sites[refinery].xy_km[0]", 2.0)],
        # rename, then the new name is found and the old one is not
        [("sites[cracker].id", "plant"), ("sites[plant].xy_km[1]", 1.0)],
        [("sites[cracker].id", "plant"), ("sites[cracker].xy_km[1]", 1.0)],
        # a record replaced, then looked up by its new key
        [("sites[refinery]", {"id": "other", "xy_km": [1.0, 1.0]}), ("sites[other].xy_km[0]", 4.0)],
        [
            ("sites[refinery]", {"id": "other", "xy_km": [1.0, 1.0]}),
            ("sites[refinery].xy_km[0]", 4.0),
        ],
    ]
    for overrides in cases:
        plain = _set_all(copy.deepcopy(base), overrides, None)
        memo = _set_all(copy.deepcopy(base), overrides, {})
        assert memo == plain, overrides
    assert isinstance(_set_all(copy.deepcopy(base), cases[2], {}), str)  # old name is gone


def test_result_files_in_memory_are_the_files_written(tmp_path: Path) -> None:
    """A sweep run's result files are made in memory: the bytes ``write`` puts on disk."""
    from symbio.run import solve

    result = solve(HYDROGEN_PAIR)
    result.write(tmp_path / "run")
    on_disk = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()}
    assert result.directory_files() == on_disk
    # the worker returns the same set of files, with the same tables
    spec = RunSpec("r1", str(HYDROGEN_PAIR), {}, RunOptions(score=False))
    files = run_one(spec).files
    assert sorted(files) == sorted(on_disk)
    assert all(files[n] == on_disk[n] for n in on_disk if n != "summary.json")  # timings


def test_variants_copy_the_base_as_it_is_read(tmp_path: Path) -> None:
    """Each variant starts from a copy of the base tree made from its pickle (kept per
    base): variants alternating give what a fresh process gives, the kept tree never
    changes, and an edited base file is read and pickled again."""
    from symbio.flows import overrides as ov
    from symbio.results import scenario_yaml

    base = tmp_path / "pair.yaml"
    base.write_text(HYDROGEN_PAIR.read_text(encoding="utf-8"), encoding="utf-8")
    path = "markets[h2_purchase].emissions.co2"

    def fresh(value: float) -> str:
        ov._BASES.clear()
        ov._PICKLED.clear()
        return scenario_yaml(ov.apply_overrides(base, {path: value}))

    want = {v: fresh(v) for v in (1.5, 2.5)}
    ov._BASES.clear()
    ov._PICKLED.clear()
    for v in (1.5, 2.5, 1.5, 2.5):
        assert scenario_yaml(ov.apply_overrides(base, {path: v})) == want[v]
    located = ov.read_base(base)
    assert ov._PICKLED[0][0] is located
    assert pickle.loads(ov._PICKLED[0][1]) == located.data  # the kept tree: unchanged
    assert "1.5" not in repr(located.data.get("markets"))
    # the base edited: its new content is what the next variant starts from
    told, edited = "one candidate pipeline.", "one candidate pipeline, edited."
    assert want[1.5].count(told) == 1
    base.write_text(base.read_text(encoding="utf-8").replace(told, edited), encoding="utf-8")
    again = ov.apply_overrides(base, {path: 1.5})
    assert ov._PICKLED[0][0] is ov.read_base(base) is not located
    assert scenario_yaml(again) == want[1.5].replace(told, edited)  # not the stale copy
