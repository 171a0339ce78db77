"""Park data: the scenario format, loading and validation, and the park graph."""

from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.load import load_scenario, scenario_origin, scenario_sha256
from symbio.flows.schema import Scenario

__all__ = [
    "ParkGraph",
    "Scenario",
    "build_graph",
    "load_scenario",
    "scenario_origin",
    "scenario_sha256",
]
