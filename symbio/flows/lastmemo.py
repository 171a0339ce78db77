"""Remember a function's value for the object it was last called with.

Within one run the same frozen scenario is asked for the same derived data several times
in a row (validation, then the graph, then the run's notes); a sweep's next variant is a
new object. :func:`last_object` keeps one value, for the object asked last, recognized by
identity through a weak reference, so it is never given for another object (a new object
at a dead one's address does not match a dead reference) and keeps nothing alive.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def last_object(fn: Callable[[object], T]) -> Callable[[object], T]:
    """``fn(obj)``, computed again only when ``obj`` is not the object of the last call.

    The value is shared between the calls: callers must not change it. An object without
    weak references is not remembered.
    """
    last: tuple[weakref.ref, T] | None = None

    @functools.wraps(fn)
    def once(obj: object) -> T:
        nonlocal last
        kept = last  # one read: another thread may replace it
        if kept is not None and kept[0]() is obj:
            return kept[1]
        value = fn(obj)
        try:
            last = (weakref.ref(obj), value)
        except TypeError:
            last = None
        return value

    return once
