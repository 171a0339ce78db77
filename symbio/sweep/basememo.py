"""The base scenario read, validated and written once per process, and handed to another.

A run starts from its base scenario: the loader keeps the parsed file
(:func:`symbio.flows.overrides.read_base`) and the writer the YAML text of each part
(:func:`symbio.flows.yamldump.dump_yaml_parts`), per process. A pool's fork server fills
these memos once (:func:`prime`), so that its workers start with them. Where the server is
a fork of the sweep's process, the sweep's process fills them instead, while the server
imports the optimizer (this process waits for the server then), and hands them over as one
pickle (:func:`pack`, :func:`install`): the server is ready ~0.15-0.25 s sooner, with the
same memos. Both memos check that they still hold for what a run asks (file digests, the
part's own pickle as key), so memos from another process cost time at worst, never a wrong
result.
"""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path

#: The memos handed over: module -> names of its per-process memos (dicts or lists).
MEMOS = {
    "symbio.flows.overrides": ("_BASES", "_PICKLED"),
    "symbio.flows.yamldump": ("_DUMPED", "_SHAPES"),
}


def prime(base: str | Path) -> str:
    """Read, validate and write ``base`` as a run does (filling this process's memos);
    returns the YAML text (:func:`symbio.results.scenario_yaml` of the base).

    Raises
    ------
    symbio.errors.SymbioError
        The base does not load (each run reports it too).
    """
    from symbio.flows.overrides import apply_overrides
    from symbio.flows.yamldump import dump_yaml_parts

    scenario = apply_overrides(base, {})
    # what symbio.results.scenario_yaml writes (that module imports the optimizer: seconds)
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"extends"})
    return dump_yaml_parts(data)


def pack(base: str | Path) -> bytes:
    """The memos after :func:`prime` of ``base``, pickled together (one object kept in two
    memos stays one object)."""
    prime(base)
    memos = [
        getattr(importlib.import_module(module), name)
        for module, names in MEMOS.items()
        for name in names
    ]
    return pickle.dumps(memos, protocol=pickle.HIGHEST_PROTOCOL)


def install(blob: bytes) -> None:
    """Add the memos of :func:`pack` to this process's."""
    memos = iter(pickle.loads(blob))  # noqa: S301 - made by the sweep's own process
    for module, names in MEMOS.items():
        mod = importlib.import_module(module)
        for name in names:
            mine, theirs = getattr(mod, name), next(memos)
            if isinstance(mine, dict):
                mine.update(theirs)
            else:
                mine[:] = theirs
