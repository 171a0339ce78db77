"""The column layout of a model: its variables in column order, and where each component starts.

Shared by the build (which joins the recorded rows of an unchanged model once,
:mod:`symbio.model.record_join`) and the hand-over (:mod:`symbio.solvers.matrix`), so both
number the columns the same way: variable components in declaration order, each one's
data in index order.
"""

from __future__ import annotations

import operator
from itertools import chain

import pyomo.environ as pyo

from symbio.model.record import same_columns
from symbio.model.watch import version


def model_columns(model: pyo.Block, trust: bool = True) -> tuple:
    """The model's variables in column order, each recorded component's first column, and
    the column range ``(a, b, component)`` of every component.

    A variable component recorded at build time (``m.symbio_columns``) whose data are
    still the recorded ones, in that order, gets a first column (``None`` for all when
    the model has sub-blocks or no recording: the recorded rows are then not used). With
    ``trust``, a watched component without a change notice since it was last confirmed is
    taken as it is (:mod:`symbio.model.watch`). A range is ``(a, b, component, version)``:
    the component's change count when its columns were listed. The variables are a tuple
    (shared with later calls) when the model has a recording, else a list.
    """
    recorded = getattr(model, "symbio_columns", None)
    if next(model.component_objects(pyo.Block, descend_into=True), None) is not None:
        return data_objects(model, pyo.Var, active=None), None, []
    lists: list = []
    start: dict[str, int] = {}
    segments: list[tuple] = []
    first = 0
    for comp in model.component_objects(pyo.Var, descend_into=False):
        datas = (recorded or {}).get(comp.local_name)
        if datas is not None and same_columns(comp, datas, trust):
            start[comp.local_name] = first
        else:
            datas = list(comp.values())
        lists.append(datas)
        if datas:
            segments.append((first, first + len(datas), comp, version(comp)))
            first += len(datas)
    if recorded is None:
        return [v for datas in lists for v in datas], None, segments
    return _joined_columns(model, lists, len(start) == len(lists)), start, segments


_KEPT = "symbio_columns_joined"


def _joined_columns(model: pyo.Block, lists: list, recorded: bool) -> tuple:
    """The variables of ``lists`` one after the other, as a tuple.

    When every component was listed from its recording, the tuple made of the very same
    lists last time is taken (kept on the model); joining 250k variables costs about as
    much as a third of a hand-over at N = 5000.
    """
    kept = getattr(model, _KEPT, None)
    same = kept is not None and len(kept[0]) == len(lists)
    if recorded and same and all(map(operator.is_, kept[0], lists)):
        return kept[1]
    joined = tuple(chain.from_iterable(lists))
    if recorded:
        setattr(model, _KEPT, (tuple(lists), joined))
    return joined


def data_objects(model: pyo.Block, ctype: type, active: bool | None) -> list:
    """``list(model.component_data_objects(ctype, active=active))``, component by component.

    The same objects in the same order (components in declaration order, then their data
    in index order), without Pyomo's generator per data object; a model with sub-blocks
    takes Pyomo's way.
    """
    if next(model.component_objects(pyo.Block, descend_into=True), None) is not None:
        return list(model.component_data_objects(ctype, active=active, descend_into=True))
    out: list = []
    for comp in model.component_objects(ctype, active=active, descend_into=False):
        if active:
            out += [d for d in comp.values() if d.active]
        else:
            out += comp.values()
    return out
