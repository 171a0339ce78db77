"""One exception hierarchy for everything symbio reports to a user.

Every error carries a message a planner can act on. The CLI prints ``str(error)``
and exits with :attr:`SymbioError.exit_code`; it never shows a traceback for these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SymbioError(Exception):
    """Base class of all errors symbio reports to its user."""

    exit_code: int = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        The file the value comes from.
    path : str
        Field path inside the file, e.g. ``sites[secco].supplies[h2].amount``.
    message : str
        What is wrong and what is allowed.
    line : int | None
        1-based line in the file where the value is given, when known.
    """

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        loc = f" {self.path}:" if self.path else ""
        return f"{where}:{loc} {self.message}"

    def as_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}


@dataclass
class ScenarioError(SymbioError):
    """A scenario file (or a file it extends) is invalid; holds every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in scenario input:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class InputError(SymbioError):
    """A non-scenario input (result directory, judgment file, sweep file) is invalid."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = str(file), field, message
        loc = f" {field}:" if field else ""
        super().__init__(f"{file}:{loc} {message}")


class AuditError(SymbioError):
    """A run's self-audit failed: its tables do not obey the model they came from."""

    exit_code = 5


class InfeasibleError(SymbioError):
    """The model has no feasible solution; ``diagnosis`` says why in planner's words."""

    exit_code = 3

    def __init__(self, message: str, diagnosis: object = None) -> None:
        self.diagnosis = diagnosis
        super().__init__(message)


class SolverError(SymbioError):
    """The solver failed, or stopped without a usable solution."""

    exit_code = 4
