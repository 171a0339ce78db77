"""Imported once by the fork server of a sweep's process pool, before any worker forks.

Every worker is then forked with the optimizer, the scoring code, the scenario checks that
validate each variant and the bundled indicator library and AHP weights already loaded,
instead of importing and parsing them itself (seconds per worker; the checks alone, with
the unit library they load, ~0.3 s). Nothing here starts a thread or opens a solver, so
forking from this state is safe. The loaded objects are moved to the garbage collector's
permanent generation (``gc.freeze``): a worker's collections then neither scan them nor
touch their pages, which would copy the pages into every worker (copy-on-write).

When the sweep names its base scenario (environment variable
:data:`symbio.sweep.pool.BASE_ENV`), the server also reads, validates and writes it once as
a run does: the loader keeps the parsed file and the writer the YAML text of each part, per
process (:func:`symbio.flows.overrides.read_base`, :func:`symbio.flows.yamldump.dump_yaml_parts`),
so each worker starts with them instead of filling them in its first run (~0.35 s on SCIP).
A server forked from the sweep's process receives them from it instead (the sweep's process
fills them while the server imports: :mod:`symbio.sweep.basememo`). Both memos check that
they still hold for what a run asks, so a stale one costs time, never a wrong result.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os

import symbio.run  # noqa: F401  (Pyomo, HiGHS bindings, the model)
import symbio.sweep.execute  # noqa: F401
from symbio.sweep import basememo, server
from symbio.sweep.adapter import scoring_inputs
from symbio.sweep.pool import BASE_ENV, SCENARIO_CHECKS

for _name in SCENARIO_CHECKS:  # imported by the first validation otherwise
    importlib.import_module(_name)

# A library or base scenario that does not load is reported by the first run, not here.
with contextlib.suppress(Exception):
    scoring_inputs()
_handed = server.receive()  # the sweep's process may have filled the base's memos for us
if _handed is not None:
    basememo.install(_handed)
elif os.environ.get(BASE_ENV):
    with contextlib.suppress(Exception):
        basememo.prime(os.environ[BASE_ENV])
del _handed, _name

gc.collect()
gc.freeze()
