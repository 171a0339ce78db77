"""The ``symbio`` command: a thin layer over the Python API.

Each command lives in its own module with a ``register(app)`` function. Errors of the
:mod:`symbio.errors` hierarchy are printed without a traceback and mapped to exit codes
(2 bad input, 3 infeasible, 4 solver failure).

Conventions of typer/rich tools: ``--version``; ``-v``/``-vv``/``-q`` set the level of the
``symbio`` logger (progress on stderr through :mod:`logging`, results on stdout); ``--json``
on the commands that print a summary (:data:`symbio.cli.options.JsonOpt`); shell completion
(``--install-completion`` / ``--show-completion``).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import typer
from rich.console import Console
from rich.markup import escape

from symbio.errors import SymbioError

app = typer.Typer(
    name="symbio",
    help="Industrial-symbiosis network optimizer and cleaner-production scoring for chemical parks.",
    no_args_is_help=True,
    add_completion=True,
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
    "allocate",
    "robust",
    "pilot",
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


def _print_version(value: bool) -> None:
    if value:
        from symbio import __version__

        typer.echo(f"symbio {__version__}")
        raise typer.Exit(0)


class _LevelPrefix(logging.Formatter):
    """``message`` for progress, ``warning: message`` / ``error: message`` above it."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text if record.levelno < logging.WARNING else f"{record.levelname.lower()}: {text}"


def configure_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Send the ``symbio`` logger to stderr: INFO by default, DEBUG with ``-v``, WARNING with
    ``-q`` (one handler, replaced on every call, so repeated runs in one process do not stack).
    """
    logger = logging.getLogger("symbio")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelPrefix("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
    verbose: int = typer.Option(
        0,
        "--verbose",
        "-v",
        count=True,
        show_default=False,
        help="More detail on stderr (solver phases, timings).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only warnings and errors on stderr."),
    allow_outside_refs: bool = typer.Option(
        False,
        "--allow-outside-refs",
        help="Let scenario references (extends:, policy.factor_set) point outside the "
        "scenario's folder and symbio's bundled data.",
    ),
) -> None:
    configure_logging(verbose, quiet)
    if allow_outside_refs:
        from symbio.flows.refs import ALLOW_ENV

        os.environ[ALLOW_ENV] = "1"  # inherited by sweep workers too


_register_all()


def command() -> object:
    """The click command behind ``app``; boolean flags show no ``<bool>`` type in ``--help``."""
    cmd = typer.main.get_command(app)
    stack = [cmd]
    while stack:
        current = stack.pop()
        stack += list(getattr(current, "commands", {}).values())
        for param in current.params:
            if (getattr(param, "is_flag", False) or getattr(param, "count", False)) and (
                param.metavar is None
            ):
                param.metavar = ""
        current.get_help_option = _flag_help_option(current.get_help_option)
    return cmd


def _flag_help_option(get_help_option):  # noqa: ANN001, ANN202
    """Wrap ``get_help_option`` so ``--help`` too is listed without a ``<bool>`` type."""

    def wrapped(ctx):  # noqa: ANN001, ANN202
        option = get_help_option(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option

    return wrapped


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (used by the ``symbio`` console script)."""
    try:
        # With standalone_mode=False click returns the code of a ``typer.Exit(code)``.
        rv = command().main(args=argv, prog_name="symbio", standalone_mode=False)
    except SymbioError as exc:
        # escape: field paths such as ``sites[secco]`` are not rich markup
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a file-system failure not turned into a user error where it arose
        where = exc.filename or "file system"
        err_console.print(f"[bold red]error:[/] {escape(f'{where}: {exc.strerror or exc}')}")
        return 2
    except Exception as exc:  # click usage errors
        if isinstance(exc, _click_exceptions()):
            exc.show()
            return exc.exit_code
        raise
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0


def _click_exceptions() -> tuple[type[Exception], ...]:
    """Click's usage-error classes: typer >= 0.20 raises those of its vendored copy."""
    import click

    classes: list[type[Exception]] = [click.exceptions.ClickException]
    try:
        from typer._click.exceptions import ClickException as TyperClickException
    except ImportError:
        pass
    else:
        classes.append(TyperClickException)
    return tuple(classes)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
