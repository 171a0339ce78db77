"""A progress bar for sweeps: runs done, failed, elapsed and time left (rich, on stderr)."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from symbio.sweep.runspec import RunRecord

#: Statuses counted as "failed" on the bar (the run produced no solution).
FAILED = ("infeasible", "invalid", "failed")


class SweepProgress:
    """Context manager around a rich Progress; a no-op when disabled."""

    def __init__(self, total: int, finished: Iterable[RunRecord], enabled: bool = True) -> None:
        finished = list(finished)
        self.failed = sum(r.status in FAILED for r in finished)
        self.done = len(finished)
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("[bold]sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("runs · [red]{task.fields[failed]} failed[/]"),
            TextColumn("· elapsed"),
            TimeElapsedColumn(),
            TextColumn("· left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
            # rich redraws from its own thread; 10 a second (its default) took ~2 % of a
            # core from the workers, for a bar that moves a few times a second
            refresh_per_second=4,
        )
        self._task = self._progress.add_task(
            "sweep", total=total, completed=self.done, failed=self.failed
        )

    def advance(self, record: RunRecord) -> None:
        """Count one finished run."""
        self.done += 1
        self.failed += record.status in FAILED
        self._progress.update(self._task, advance=1, failed=self.failed)

    def __enter__(self) -> SweepProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()
