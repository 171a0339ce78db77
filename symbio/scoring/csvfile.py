"""Read a user's CSV file, turning pandas' read errors into :class:`~symbio.errors.InputError`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from symbio.errors import InputError


def read_input_csv(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV file given by the user; a missing, empty or malformed file is an input error.

    Parameters
    ----------
    path
        The CSV file.
    **kwargs
        Passed to :func:`pandas.read_csv` (e.g. ``comment="#"``, ``skipinitialspace=True``).

    Returns
    -------
    pandas.DataFrame
        The table as read.

    Raises
    ------
    InputError
        If the file cannot be opened, is empty or does not parse (the file is named).
    """
    try:
        return pd.read_csv(path, **kwargs)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "", f"cannot read CSV: {exc}") from None
