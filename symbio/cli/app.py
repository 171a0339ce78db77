"""The ``symbio`` command: a thin layer over the Python API.

Each command lives in its own module with a ``register(app)`` function. Errors of the
:mod:`symbio.errors` hierarchy are printed without a traceback and mapped to exit codes
(2 bad input, 3 infeasible, 4 solver failure).
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from symbio.errors import SymbioError

app = typer.Typer(
    name="symbio",
    help="Industrial-symbiosis network optimizer and cleaner-production scoring for chemical parks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Modules in symbio.cli that each define ``register(app)``; one line per command group.
COMMAND_MODULES = (
    "validate",
    "run",
    "score",
    "pareto",
    "compare",
    "report",
    "workbook",
    "sweep",
)

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"symbio.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"symbio.cli.{name}":
                continue  # command not built yet
            raise
        module.register(app)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        from symbio import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (used by the ``symbio`` console script)."""
    try:
        app(args=argv, standalone_mode=False)
    except SymbioError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", markup=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
