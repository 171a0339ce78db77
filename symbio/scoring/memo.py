"""Read each scoring input file once per process: a memo keyed by the files' identity.

``score_result`` is called once per run and again by ``compare`` for every run; the
indicator library and the AHP panel behind it are the same files each time. The memo key is
each file's resolved path, size and modification time (for a directory: of every file in
it), plus the loader's options, so an edited file is read again. The values are the loaders'
frozen results (:class:`IndicatorLibrary`, :class:`WeightSet`), shared, not copied.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_MEMO: dict[Hashable, object] = {}
#: Entries kept before the memo is cleared (a long-lived process reading many inputs).
MAX_ENTRIES = 64


def file_identity(paths: str | Path | Sequence[str | Path]) -> tuple:
    """(path, size, mtime_ns) of each file named, a directory's files included.

    A path that cannot be stat'ed gives ``(path, None, None)``: the loader then reports it.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    out = []
    for item in items:
        p = Path(item)
        members = sorted(p.iterdir()) if p.is_dir() else [p]
        for m in members:
            try:
                st = m.stat()
                out.append((str(m.resolve()), st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((str(m), None, None))
    return tuple(out)


def memoised(loader: Callable[..., T], paths: object, **options: object) -> T:
    """Return ``loader(paths, **options)``, computed once per file identity and options."""
    key = (loader.__module__, loader.__qualname__, file_identity(paths),  # type: ignore[arg-type]
           tuple(sorted((k, repr(v)) for k, v in options.items())))  # fmt: skip
    if key not in _MEMO:
        if len(_MEMO) >= MAX_ENTRIES:
            _MEMO.clear()
        _MEMO[key] = loader(paths, **options)
    return _MEMO[key]  # type: ignore[return-value]
