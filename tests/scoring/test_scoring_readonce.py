"""Scoring inputs read once per process and scores written cheaply: the same results."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import symbio.scoring.pipeline as pipeline
from symbio.paths import data_dir
from symbio.scoring import score_result
from symbio.scoring.memo import _MEMO
from symbio.scoring.output import _clean, _records
from symbio.scoring.yamlfile import SAFE_LOADER, safe_load


def test_bundled_yaml_same_with_either_loader():
    files = sorted(data_dir().rglob("*.yaml"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader), f  # noqa: S506


def test_libyaml_parser_used_when_present():
    if hasattr(yaml, "CSafeLoader"):
        assert SAFE_LOADER is yaml.CSafeLoader
    else:
        assert SAFE_LOADER is yaml.SafeLoader


def test_safe_loader_refuses_python_tags():
    try:
        safe_load("!!python/object/apply:os.system ['true']")
    except yaml.YAMLError:
        return
    raise AssertionError("a python tag was constructed")


def test_records_equal_pandas_records_after_clean():
    df = pd.DataFrame(
        {
            "f": [1.5, math.nan, -0.0],
            "i": np.array([1, 2, 3], dtype=np.int64),
            "b": [True, False, True],
            "s": ["a", None, "c"],
            "o": pd.Series([np.float64(2.5), "x", np.int64(7)], dtype=object),
            "inf": [math.inf, 1.0, -math.inf],
        }
    )
    mine = _clean(_records(df))
    theirs = _clean(df.to_dict("records"))
    assert json.dumps(mine) == json.dumps(theirs)
    assert mine[1]["f"] is None and mine[0]["inf"] is None
    assert type(mine[0]["i"]) is int and type(mine[0]["b"]) is bool
    assert type(mine[0]["o"]) is float and type(mine[2]["o"]) is int


def test_clean_handles_tuples_paths_numpy_and_keys():
    doc = {1: (np.float32(0.5), Path("a/b")), "x": [np.nan, {"y": np.bool_(True)}]}
    assert _clean(doc) == {"1": [0.5, "a/b"], "x": [None, {"y": True}]}


def test_time_series_read_once_and_copied(result_dir, monkeypatch):
    ts = data_dir() / "timeseries" / "scip-park-statistics.csv"
    calls = []
    real = pipeline.load_timeseries
    monkeypatch.setattr(pipeline, "load_timeseries", lambda p: calls.append(p) or real(p))
    _MEMO.clear()
    first = score_result(result_dir, timeseries=ts)
    first.decoupling.loc[:, "elasticity"] = -99.0  # a caller editing its table
    key = next(iter(first.method["decoupling"]["kpis"]))
    first.method["decoupling"]["kpis"][key] = -99.0
    second = score_result(result_dir, timeseries=ts)
    assert len(calls) == 1
    assert (second.decoupling["elasticity"] != -99.0).all()
    assert second.method["decoupling"]["kpis"][key] != -99.0
    assert second.decoupling.equals(score_result(result_dir, timeseries=ts).decoupling)


def _levels(data, lib, wset):
    from symbio.scoring.indicators import LEVELS

    lib = lib.subset([i for i in lib.ids if i in wset.local_weights])
    method = {"excluded": {}}
    fuzzy = ("M(·,⊕)", (95.0, 85.0, 70.0, 50.0), "linear", "literal")
    return pipeline._score_levels(data, lib, LEVELS, wset, method, fuzzy)


def test_entity_memo_gives_what_scoring_afresh_gives(library, weights, monkeypatch):
    from symbio.scoring.resultdir import kpis_from_mapping
    from tests.scoring.conftest import PARK_KPIS

    data = kpis_from_mapping(
        {"baseline": dict(PARK_KPIS), "optimized": {**PARK_KPIS, "co2_t": 0.0}}
    )
    pipeline._ENTITIES.clear()
    first = _levels(data, library, weights)
    repeat = _levels(data, library, weights)  # all from the memo
    calls = []
    real = pipeline.score_entity
    monkeypatch.setattr(pipeline, "score_entity", lambda *a: calls.append(1) or real(*a))
    again = _levels(data, library, weights)
    assert calls == []  # every entity came from the memo
    monkeypatch.setattr(pipeline, "_ENTITIES", {})
    fresh = _levels(data, library, weights)
    assert json.dumps(_clean([first, repeat, again])) == json.dumps(_clean([fresh] * 3))


def test_entity_memo_keeps_signed_zero_and_int_apart(library, weights):
    pipeline._ENTITIES.clear()
    fuzzy = ("M(·,⊕)", (95.0, 85.0, 70.0, 50.0), "linear", "literal")
    park = library.subset([i for i in library.ids if i in weights.local_weights]).for_level("park")
    for value in (0.0, -0.0, 0, 0.0):
        pipeline._score_entity_once(park, {"co2_t": value, "energy_tce": 1.0}, weights, fuzzy)
    assert len(pipeline._ENTITIES) == 3  # 0.0 again is a hit; -0.0 and 0 are not
