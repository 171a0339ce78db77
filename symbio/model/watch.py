"""A change notice for the recorded components: every mutation through Pyomo's API counts.

Pyomo tells nobody when a variable is fixed or a row deactivated, so the hand-over used to
read every variable's domain, bounds and fixed flag and every row's expression and active
flag to confirm that nothing changed since the build (0.13 s of 0.19 s at N = 5,000).
Instead, a recorded component and its data get watched subclasses of Pyomo's own classes
(same slots, so ``__class__`` is swapped in place; nothing else changes): each method or
property setter that can change what the hand-over reads first does what Pyomo does, then
increments the component's :func:`version`. The hand-over trusts a recording made at the
component's current version and reads the component again otherwise.

What is watched (all of Pyomo's ways to change it, including a user script's direct
``v.fix()``):

* variables: ``fix``/``unfix``/``free`` and ``fixed =`` (through the ``fixed`` setter),
  ``setlb``/``setub``, ``lb``/``ub``/``lower``/``upper``/``bounds =`` (through the
  ``lower``/``upper`` setters), ``domain =`` of a variable or of the whole component, and
  a variable deleted; the value of a *fixed* variable (its column's bounds) is re-read at
  every hand-over instead, since solution loading sets every value;
* rows: ``set_value``/``expr =``/``comp[k] = expr`` (a row added or replaced), ``activate``
  and ``deactivate`` of a row or of the component, a row deleted;
* a component's ``clear()`` (all its variables or rows dropped).

Not watched: writes to Pyomo's private slots (``v._lb = ...``), a mutable Param inside a
recorded bound (such components are never trusted, see :mod:`symbio.model.record`), and
an expression object mutated in place. ``SYMBIO_VERIFY_RECORD=1`` (or
``Compiler(model, trust=False)``) makes the hand-over check everything as before.
"""

from __future__ import annotations

from collections import deque
from itertools import repeat

from pyomo.core.base.constraint import ConstraintData, IndexedConstraint
from pyomo.core.base.var import IndexedVar, VarData

_VERSION = "_symbio_version"


def version(comp: object) -> int:
    """How many watched changes ``comp`` has seen (-1: not watched)."""
    return getattr(comp, _VERSION, -1)


def _bump(comp: object) -> None:
    if comp is not None:
        setattr(comp, _VERSION, getattr(comp, _VERSION, 0) + 1)


def _mark(data: object) -> None:
    """Count a change of ``data`` on its component."""
    ref = data._component  # noqa: SLF001 - Pyomo's weak reference to the owner
    if ref is not None:
        _bump(ref())


def _setter(prop: property) -> property:
    """``prop`` whose setter marks the variable's component after Pyomo's setter."""

    def fset(self: object, val: object) -> None:
        prop.fset(self, val)
        _mark(self)

    return property(prop.fget, fset, doc=prop.__doc__)


class WatchedVarData(VarData):
    """A ``VarData`` whose bound, domain and fixed setters count a change."""

    __slots__ = ()
    domain = _setter(VarData.domain)
    lower = _setter(VarData.lower)
    upper = _setter(VarData.upper)
    fixed = _setter(VarData.fixed)


class WatchedIndexedVar(IndexedVar):
    """An ``IndexedVar`` whose new data are watched and whose domain setter counts a change."""

    _ComponentDataClass = WatchedVarData

    @property
    def domain(self) -> None:
        """Not readable on an indexed variable (as Pyomo's); setting it counts a change."""
        return IndexedVar.domain.fget(self)

    @domain.setter
    def domain(self, domain: object) -> None:
        try:
            IndexedVar.domain.fset(self, domain)
        finally:  # a rule that raises part-way has changed some variables already
            _bump(self)

    def __delitem__(self, index: object) -> None:
        super().__delitem__(index)
        _bump(self)

    def clear(self) -> None:
        """Pyomo's ``clear`` (every variable dropped), then count the change."""
        super().clear()
        _bump(self)


class WatchedConstraintData(ConstraintData):
    """A ``ConstraintData`` whose expression and active flag count a change."""

    __slots__ = ()

    def set_value(self, expr: object) -> None:
        """Pyomo's ``set_value``, then count the change."""
        super().set_value(expr)
        _mark(self)

    def activate(self) -> None:
        """Pyomo's ``activate``, then count the change."""
        super().activate()
        _mark(self)

    def deactivate(self) -> None:
        """Pyomo's ``deactivate``, then count the change."""
        super().deactivate()
        _mark(self)


class WatchedIndexedConstraint(IndexedConstraint):
    """An ``IndexedConstraint`` whose new rows are watched and whose deletions count.

    (``__delitem__`` and ``clear`` repeat :class:`WatchedIndexedVar`'s: a shared mixin base
    changes the object layout, and ``__class__`` can then no longer be swapped in place.)
    """

    _ComponentDataClass = WatchedConstraintData

    def __delitem__(self, index: object) -> None:
        super().__delitem__(index)
        _bump(self)

    def clear(self) -> None:
        """Pyomo's ``clear`` (every row dropped), then count the change."""
        super().clear()
        _bump(self)


_WATCHED = {
    IndexedVar: (WatchedIndexedVar, VarData, WatchedVarData),
    IndexedConstraint: (WatchedIndexedConstraint, ConstraintData, WatchedConstraintData),
}


def watch(comp: object) -> bool:
    """Watch an indexed variable or constraint component (False: left as it is).

    The component and each of its data objects get the watched subclass of their exact
    Pyomo class; a component of any other class (a scalar, a subclass) is not watched.
    """
    classes = _WATCHED.get(comp.__class__)
    if classes is None:
        return comp.__class__ in (WatchedIndexedVar, WatchedIndexedConstraint)
    component, data, watched = classes
    datas = comp._data.values()  # noqa: SLF001
    if datas and set(map(type, datas)) != {data}:
        return False
    deque(map(setattr, datas, repeat("__class__"), repeat(watched)), maxlen=0)  # a C loop
    comp.__class__ = component
    setattr(comp, _VERSION, 0)
    return True
