"""symbio: industrial-symbiosis network optimizer and cleaner-production scoring.

The public API is a chain of plain functions over typed data::

    scenario = symbio.load_scenario("scenarios/examples/hydrogen-pair.yaml")
    graph = symbio.build_graph(scenario)
    result = symbio.solve(scenario)           # baseline and optimized, as pandas tables
"""

from importlib.metadata import PackageNotFoundError, version

from symbio.flows import ParkGraph, Scenario, build_graph, load_scenario

try:
    __version__ = version("symbio")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["ParkGraph", "Scenario", "__version__", "build_graph", "load_scenario"]

# Optimizer API, imported on first use (keeps `import symbio` free of Pyomo and HiGHS).
_LAZY = {
    "solve": "symbio.run",
    "build_model": "symbio.model",
    "ModelOptions": "symbio.model",
    "Result": "symbio.results",
    "read_result": "symbio.results",
    "SolverOptions": "symbio.solvers",
    "solve_model": "symbio.solvers",
}
__all__ += list(_LAZY)


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'symbio' has no attribute {name!r}")
