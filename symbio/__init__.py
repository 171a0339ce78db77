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
