"""``symbio validate``, ``symbio schema`` and ``symbio show``: check, describe and list parks.

Examples
--------
::

    symbio validate scenarios/examples/*.yaml          # file:line: field path: message
    symbio validate park.yaml --json                   # machine-readable problems
    symbio schema --out scenario.schema.json           # JSON Schema for editors
    symbio show scenarios/examples/small-park.yaml     # tables: sites, resources, links, ...
"""

from __future__ import annotations

import copy
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.options import JsonOpt, emit_json
from symbio.errors import Problem, ScenarioError
from symbio.fileio import write_atomic
from symbio.flows.load import load_scenario
from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.quantities import allow_quantities
from symbio.flows.schema import RECORD_KEYS, Scenario
from symbio.flows.summary import park_summary

#: Exit code of a command that found invalid input (same as any SymbioError).
EXIT_INVALID = 2
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

FilesArg = Annotated[
    list[Path],
    typer.Argument(help="Scenario files (YAML); each is validated with its extends chain."),
]
log = logging.getLogger(__name__)
FileArg = Annotated[Path, typer.Argument(help="A scenario file (YAML).")]


def register(app: typer.Typer) -> None:
    """Add the ``validate``, ``schema`` and ``show`` commands to ``app``."""
    app.command("validate")(validate)
    app.command("schema")(schema)
    app.command("show")(show)


def _console() -> Console:
    # soft_wrap: one problem per line, never re-wrapped, so editors and grep can parse it.
    return Console(highlight=False, soft_wrap=True)


def missing_translations(scenario: object) -> list[str]:
    """Names and descriptions a reader sees that have no Chinese text (the briefing in zh would
    fall back to English there), as ``field path: no Chinese name (zh)``.
    """
    out = []
    if getattr(scenario, "name", None) is not None and not scenario.name.zh:  # type: ignore[attr-defined]
        out.append("name: no Chinese name (zh)")
    description = getattr(scenario, "description", None)
    if description is not None and not description.zh:
        out.append("description: no Chinese text (zh)")
    for family in ("resources", "sites", "processes", "measures"):
        for rec in getattr(scenario, family, ()):
            name = getattr(rec, "name", None)
            if name is not None and not name.zh:
                out.append(f"{family}[{rec.id}].name: no Chinese name (zh)")
    return out


def validate(files: FilesArg, as_json: JsonOpt = False) -> None:
    """Check scenario files and list every problem: file:line: field path: message.

    Exits with code 0 when every file is valid and 2 otherwise (no traceback).

    Examples: symbio validate scenarios/examples/*.yaml; symbio validate park.yaml --json
    """
    results: list[tuple[Path, list[Problem]]] = []
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as exc:
            results.append((file, list(exc.problems)))
        else:
            results.append((file, []))
            for warning in [*magnitude_warnings(scenario), *missing_translations(scenario)]:
                typer.echo(f"{file}: warning: {warning}", err=True)
    problems = [p for _, found in results for p in found]
    if as_json:
        payload = {
            "valid": not problems,
            "files": [
                {"file": str(f), "valid": not found, "problems": len(found)} for f, found in results
            ],
            "problems": [p.as_dict() for p in problems],
        }
        emit_json(payload)
    else:
        _print_problems(results)
    if problems:
        raise typer.Exit(EXIT_INVALID)


def _print_problems(results: list[tuple[Path, list[Problem]]]) -> None:
    out = _console()
    for file, found in results:
        if not found:
            out.print(f"{file}: valid", style="green", markup=False)
        for p in found:
            out.print(str(p), style="red", markup=False)
    n = sum(len(found) for _, found in results)
    bad = sum(bool(found) for _, found in results)
    if n:
        out.print(
            f"{n} problem{'s' if n != 1 else ''} in {bad} of {len(results)} "
            f"file{'s' if len(results) != 1 else ''}",
            style="bold red",
            markup=False,
        )
    else:
        out.print(f"all {len(results)} file{'s' if len(results) != 1 else ''} valid", markup=False)


def scenario_json_schema(variant: bool = False) -> dict:
    """Return the JSON Schema of the scenario format (by field alias, e.g. ``from``).

    With ``variant``, every field is optional and records accept ``remove: true``: the
    schema of a file that ``extends`` another.
    """
    schema = {"$schema": JSON_SCHEMA_DIALECT, **Scenario.model_json_schema(by_alias=True)}
    schema = allow_quantities(schema)
    if variant:
        schema = _relaxed(copy.deepcopy(schema))
        schema["title"] = "Scenario variant (extends another file)"
    return schema


def _relaxed(node: object) -> object:
    """Drop every ``required`` list and allow ``remove`` in records that have a key."""
    if isinstance(node, dict):
        node.pop("required", None)
        props = node.get("properties")
        if isinstance(props, dict) and {"id", *RECORD_KEYS.values()} & set(props):
            props.setdefault(
                "remove",
                {"type": "boolean", "description": "true: delete this record of the base file."},
            )
        for value in node.values():
            _relaxed(value)
    elif isinstance(node, list):
        for value in node:
            _relaxed(value)
    return node


def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schema to this file instead of stdout.")
    ] = None,
    variant: Annotated[
        bool, typer.Option("--variant", help="Schema of a file that extends another: all optional.")
    ] = False,
) -> None:
    """Print the JSON Schema of the scenario format, for editors (YAML language servers).

    Example: symbio schema --out scenario.schema.json
    """
    text = json.dumps(scenario_json_schema(variant), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    write_atomic(out, text)
    log.info("wrote %s", out)


def show(file: FileArg, as_json: JsonOpt = False) -> None:
    """Describe a park: resources, sites, processes, links (with generated candidates),
    supply against demand per resource, and the share of numbers that are estimates.

    Example: symbio show scenarios/examples/small-park.yaml
    """
    summary = park_summary(load_scenario(file))
    if as_json:
        emit_json(summary)
        return
    # Tables need room: when piped (no terminal width), use a wide page, not 80 columns.
    render_summary(summary, Console(highlight=False, width=None if _isatty() else 160))


def _isatty() -> bool:
    return sys.stdout.isatty()


def render_summary(summary: dict, out: Console) -> None:
    """Print the tables of a :func:`~symbio.flows.summary.park_summary`."""
    name = summary["name"]
    title = name["en"] + (f" / {name['zh']}" if name.get("zh") else "")
    slices = ", ".join(f"{t['id']} {_num(t['hours'])} h" for t in summary["time_slices"])
    pol = summary["policy"]
    out.print(title, style="bold", markup=False)
    out.print(
        f"file {summary['file']}  sha256 {summary['sha256'][:12]}\n"
        f"time slices: {slices}\n"
        f"policy: carbon price {_num(pol['carbon_price_cny_t'])} CNY/t, discount rate "
        f"{pol['discount_rate']:g}, factor set {pol['factor_set']}"
        + (f", caps {pol['caps']}" if pol["caps"] else ""),
        markup=False,
    )
    for table in (
        _resources_table(summary),
        _sites_table(summary),
        _processes_table(summary),
        _links_table(summary),
        _balance_table(summary),
        _measures_table(summary),
    ):
        if table.row_count:
            out.print(table)
    prov = summary["provenance"]
    shares, counts = prov["shares"], prov["counts"]
    out.print(
        f"numbers: {prov['numbers']}: estimates {shares['estimate']:.0%} ({counts['estimate']}), "
        f"cited sources {shares['source']:.0%} ({counts['source']}), factor set "
        f"{shares['factor']:.0%} ({counts['factor']}), no provenance {shares['none']:.0%} "
        f"({counts['none']}); estimates with a range {prov['ranged']}, without a range "
        f"{prov['unranged']}",
        markup=False,
    )


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", highlight=False)
    for col in columns:
        numeric = col.endswith(("_n", " ")) or col in {"capacity", "km", "supplied", "demanded"}
        table.add_column(col.strip(), justify="right" if numeric else "left", overflow="fold")
    return table


def _resources_table(s: dict) -> Table:
    t = _table("Resources", "id", "unit", "category", "quality", "tce/unit", "name")
    for r in s["resources"]:
        q = r["quality"]
        quality = f"{q['attribute']} ({q['unit']}, {q['sense']})" if q else ""
        tce = "" if r["tce_per_unit"] is None else f"{r['tce_per_unit']:g}"
        t.add_row(r["id"], r["unit"], r["category"], quality, tce, r["name"])
    return t


def _sites_table(s: dict) -> Table:
    t = _table("Sites", "id", "kind", "zone", "xy km", "supplies", "demands")
    for x in s["sites"]:
        xy = "" if x["xy_km"] is None else f"{x['xy_km'][0]:g}, {x['xy_km'][1]:g}"
        supplies, demands = _flows(x["supplies"], "\n"), _flows(x["demands"], "\n")
        t.add_row(x["id"], x["kind"], x["zone"] or "", xy, supplies, demands)
    return t


def _processes_table(s: dict) -> Table:
    t = _table("Processes", "id", "site", "status", "capacity", "per unit of activity", "capex CNY")
    for p in s["processes"]:
        status = "candidate" if p["candidate"] else "existing"
        flows = f"{_flows(p['inputs'])} -> {_flows(p['outputs'])}"
        cap = f"{_num(p['capacity'])} {p['activity_unit']}/a"
        capex = _num(p["capex_cny"]) if p["capex_cny"] else ""
        t.add_row(p["id"], p["site"], status, cap, flows, capex)
    return t


def _links_table(s: dict) -> Table:
    t = _table("Links", "id", "resource", "from -> to", "status", "km", "capacity")
    for lk in s["links"]:
        status = "candidate" if lk["candidate"] else "existing"
        if lk["generated_by"]:
            status += f" (from {lk['generated_by']})"
        km = "" if lk["length_km"] is None else f"{lk['length_km']:.2f}"
        cap = "" if lk["capacity"] is None else _num(lk["capacity"])
        t.add_row(lk["id"], lk["resource"], f"{lk['from']} -> {lk['to']}", status, km, cap)
    return t


def _balance_table(s: dict) -> Table:
    t = _table(
        "Supply and demand per resource (per year)",
        "resource", "unit", "supplied", "demanded", "made by", "used by", "buy", "sell", "dispose",
    )  # fmt: skip
    for b in s["balance"]:
        t.add_row(
            b["resource"],
            b["unit"],
            _num(b["supplied"]),
            _num(b["demanded"]),
            ", ".join(b["made_by"]),
            ", ".join(b["used_by"]),
            _offers(b["buy"], "price_cny"),
            _offers(b["sell"], "price_cny"),
            _offers(b["disposal"], "cost_cny"),
        )
    return t


def _measures_table(s: dict) -> Table:
    t = _table("Measures", "id", "name", "members")
    for m in s["measures"]:
        t.add_row(m["id"], m["name"], ", ".join(m["members"]))
    return t


def _offers(offers: list[dict], price: str) -> str:
    """``site @ price (cap)`` for each market or disposal option; "-" when there is none."""
    parts = []
    for o in offers:
        where = o["site"] or "every site"
        cap = f", cap {_num(o['cap'])}" if o["cap"] is not None else ""
        parts.append(f"{where} @ {_num(o[price])}{cap}")
    return "; ".join(parts) or "-"


def _flows(flows: dict, sep: str = ", ") -> str:
    return sep.join(f"{k} {_num(v)}" for k, v in flows.items())


def _num(x: float) -> str:
    """A number for a table: thousands separated, at most 4 significant decimals."""
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) >= 1e-3 else f"{x:.3g}"
