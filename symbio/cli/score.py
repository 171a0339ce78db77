"""``symbio score RESULT_DIR --out DIR``: grade an optimization result.

Thin layer over :func:`symbio.scoring.score_result` and
:func:`symbio.scoring.write_scores`. Input errors are raised as
:class:`symbio.errors.SymbioError` subclasses; the application layer turns them into exit
code 2 without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbio.cli.options import Force, JsonOpt, emit_json
from symbio.errors import InputError
from symbio.outdir import check_out_dir
from symbio.scoring import DEFAULT_GRADE_SCORES, OPERATORS, RI_TABLES, score_result, write_scores
from symbio.scoring.fuzzy import resolve_operator

__all__ = ["register", "score"]

#: ``--method KEY=VALUE`` keys -> score_result keyword (a bare value sets ``weights``).
_METHOD_KEYS = {
    "weights": "weight_method",
    "aggregation": "aggregation",
    "ri": "ri_table",
    "ri_table": "ri_table",
    "cr_threshold": "cr_threshold",
    "ri_beyond": "ri_beyond",
    "incomplete": "incomplete",
    "repair": "repair",
    "operator": "operator",
    "membership": "membership_shape",
    "composite": "composite_rule",
    "delphi_rule": "delphi_rule",
    "grade_scores": "grade_scores",
}


#: Allowed values per ``--method`` key (``grade_scores`` is checked separately).
_CHOICES = {
    "weights": ("eigenvector", "geometric_mean", "column_normalisation"),
    "aggregation": ("aij", "aip"),
    "ri": tuple(RI_TABLES),
    "ri_beyond": ("error", "skip"),
    "incomplete": ("harker", "lambda_min"),
    "repair": ("none", "iterative", "blend"),
    "operator": ("weighted_average", "min_max", "product_max", "min_bounded_sum", *OPERATORS),
    "membership": ("linear", "step"),
    "composite": ("literal", "strict"),
    "delphi_rule": ("threshold", "boundary"),
}
_CHOICES["ri_table"] = _CHOICES["ri"]


def _parse_methods(items: list[str]) -> dict:
    out: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            key, value = "weights", item
        key = key.strip().lower()
        if key not in _METHOD_KEYS:
            raise InputError(
                "--method", key, f"unknown method key (allowed: {', '.join(_METHOD_KEYS)})"
            )
        value = value.strip()
        if key == "grade_scores":
            try:
                scores = tuple(float(x) for x in value.split(","))
            except ValueError:
                scores = ()
            if len(scores) != 4:
                raise InputError(
                    "--method", key, f"expected four numbers like 95,85,70,50, got {value!r}"
                )
            out[_METHOD_KEYS[key]] = scores
            continue
        if key == "cr_threshold":
            out["cr_threshold"] = _cr_threshold(value)
            continue
        if value not in _CHOICES[key] and _operator_alias(key, value) is None:
            raise InputError(
                "--method", key, f"unknown value {value!r} (allowed: {', '.join(_CHOICES[key])})"
            )
        out[_METHOD_KEYS[key]] = None if (key == "repair" and value == "none") else value
    return out


def _cr_threshold(value: str) -> float | str:
    if value == "saaty_by_size":
        return value
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number < 1:
        raise InputError(
            "--method",
            "cr_threshold",
            f"expected a number in (0, 1) or saaty_by_size, got {value!r}",
        )
    return number


def _operator_alias(key: str, value: str) -> str | None:
    """Accept the ASCII operator aliases (``M(*,+)`` ...) as well; None when unknown."""
    if key != "operator":
        return None
    try:
        return resolve_operator(value)
    except ValueError:
        return None


def score(
    result_dir: Annotated[Path, typer.Argument(help="Result directory written by `symbio run`.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Directory to write the scores into (replaced atomically)."
        ),
    ],
    indicators: Annotated[
        list[Path] | None,
        typer.Option(
            "--indicators",
            help="Indicator library YAML file(s) or directory (default: data/indicators).",
        ),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="AHP panel judgments (YAML) or direct weights (YAML/CSV) "
            "(default: data/experts/ahp_panel.yaml, an ILLUSTRATIVE example).",
        ),
    ] = None,
    method: Annotated[
        list[str] | None,
        typer.Option(
            "--method",
            help="Method choice KEY=VALUE, repeatable: weights=eigenvector|geometric_mean|column_normalisation, "
            "aggregation=aij|aip, ri=saaty1980|saaty2005|donegan_dodd1991|alonso_lamata2006|chinese_common, "
            "cr_threshold=0.1|saaty_by_size, ri_beyond=error|skip (matrices larger than the RI table), "
            "incomplete=harker|lambda_min, repair=none|iterative|blend, operator=weighted_average|min_max|"
            "product_max|min_bounded_sum, membership=linear|step, composite=literal|strict, "
            "delphi_rule=threshold|boundary, grade_scores=95,85,70,50. A bare value sets weights=.",
        ),
    ] = None,
    delphi: Annotated[
        Path | None,
        typer.Option(
            "--delphi",
            help="Delphi score sheet whose retained set filters the library (default: the bundled ILLUSTRATIVE sheet).",
        ),
    ] = None,
    no_delphi: Annotated[
        bool, typer.Option("--no-delphi", help="Do not screen the library with a Delphi sheet.")
    ] = False,
    timeseries: Annotated[
        Path | None,
        typer.Option(
            "--timeseries",
            help="CSV year,value_added,energy_tce,co2_t for the decoupling indicators.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    force: Force = False,
) -> None:
    """Score an optimization result with the cleaner-production indicator system."""
    inputs = [result_dir, *(indicators or []), weights, delphi, timeseries]
    check_out_dir(out, inputs=[p for p in inputs if p is not None], force=force)
    options = _parse_methods(list(method or []))
    scores = score_result(
        result_dir,
        indicators=list(indicators) if indicators else None,
        weights=weights,
        delphi=False if no_delphi else delphi,
        timeseries=timeseries,
        **options,
    )
    target = write_scores(scores, out, force=force)
    if as_json:
        park = scores.overall[scores.overall["level"].isin(["park", "network"])]
        illustrative = {
            k: bool(scores.method.get(k, {}).get("illustrative")) for k in ("weights", "delphi")
        }
        emit_json({"out": target, "overall": park, "illustrative": illustrative})
        return
    _print_summary(scores, target, options.get("grade_scores", DEFAULT_GRADE_SCORES))


def _print_summary(scores, target: Path, grade_scores) -> None:  # noqa: ANN001
    console = Console()
    table = Table(title="Cleaner-production grade", show_lines=False)
    for col in ("level", "entity", "case", "score", "grade", "max-μ", "通则", "n"):
        table.add_column(col, no_wrap=True)
    park = scores.overall[scores.overall["level"].isin(["park", "network"])]
    for row in park.to_dict("records"):
        table.add_row(
            row["level"],
            row["entity"],
            row["case"],
            "-" if row["score"] != row["score"] else f"{row['score']:.1f}",
            row["grade_by_score"] or "-",
            row["grade_max_membership"] or "-",
            row["composite_rating"],
            f"{row['n_available']}/{row['n_indicators']}",
        )
    console.print(table)
    console.print(
        "grade: from the fuzzy score; max-μ: maximum membership; 通则: composite-index rating; n: indicators available"
    )
    rule = scores.method.get("fuzzy", {}).get("grading_rule", {}).get("en")
    if rule:
        console.print(rule)
    _print_fixed_areas(console, scores)
    n_sites = int((scores.overall["level"] == "enterprise").sum())
    if n_sites:
        console.print(f"{n_sites} enterprise score(s) in overall_scores.csv")
    if scores.method.get("weights", {}).get("illustrative"):
        console.print(
            "[yellow]Weights come from ILLUSTRATIVE EXAMPLE judgments, not survey data.[/]"
        )
    if scores.method.get("delphi", {}).get("illustrative"):
        console.print(
            "[yellow]Delphi screening used an ILLUSTRATIVE EXAMPLE sheet, not survey data.[/]"
        )
    console.print(f"grade scores {tuple(grade_scores)}; written to {target}")


def _print_fixed_areas(console: Console, scores) -> None:  # noqa: ANN001
    """Say why a park area cannot respond to the plan (anchor or missing input)."""
    areas = scores.areas
    if areas.empty or "fixed_reason" not in areas.columns:
        return
    park = areas[(areas["level"] == "park") & (areas["case"] == "optimized")]
    for row in park.to_dict("records"):
        if row["fixed_reason"]:
            console.print(f"[dim]{row['area']}: {row['fixed_reason']}[/]", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Register ``symbio score`` on the application."""
    app.command("score")(score)
