"""Imported once by the fork server of a sweep's process pool, before any worker forks.

Every worker is then forked with the optimizer, the scoring code, the scenario checks that
validate each variant and the bundled indicator library and AHP weights already loaded,
instead of importing and parsing them itself (seconds per worker; the checks alone, with
the unit library they load, ~0.3 s). Nothing here starts a thread or opens a solver, so
forking from this state is safe. The loaded objects are moved to the garbage collector's
permanent generation (``gc.freeze``): a worker's collections then neither scan them nor
touch their pages, which would copy the pages into every worker (copy-on-write).
"""

from __future__ import annotations

import contextlib
import gc

import symbio.flows.checks  # noqa: F401  (imported by the first validation otherwise)
import symbio.flows.factors  # noqa: F401
import symbio.flows.partial  # noqa: F401
import symbio.flows.quantities  # noqa: F401
import symbio.run  # noqa: F401  (Pyomo, HiGHS bindings, the model)
import symbio.sweep.execute  # noqa: F401
from symbio.sweep.adapter import scoring_inputs

# A library that does not load is reported by the first run that scores, not here.
with contextlib.suppress(Exception):
    scoring_inputs()

gc.collect()
gc.freeze()
