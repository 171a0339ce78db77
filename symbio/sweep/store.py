"""The sweep directory: plan, per-run results, index. Every file is written atomically.

::

    DIR/sweep.yaml            copy of the sweep file
    DIR/plan.json, plan.csv   the runs and their overrides (written before any run)
    DIR/runs/<run_id>/        one run: record.json, the result files, scores/
    DIR/index.csv             one row per run with its status (rewritten after each run)
    DIR/summary/              KPI quantiles, build frequency, grade probability, plots

A run directory appears in one ``os.replace`` of a fully written staging directory, so it
is either complete or absent; ``record.json`` in it is the proof that the run finished.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.fileio import write_atomic
from symbio.sweep.plan import Plan
from symbio.sweep.runspec import RunOutput, RunRecord, relative_path

#: Index columns that change from one execution to the next (left out when comparing).
TIMING_COLUMNS = (
    "seconds", "cpu_seconds", "runner_seconds", "runner_cpu_seconds", "worker"
)  # fmt: skip
RECORD_FILE = "record.json"
STAGING = ".staging"


class SweepDir:
    """Read and write one sweep's output directory."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.runs = self.root / "runs"

    # -- plan ---------------------------------------------------------------------------
    def has_plan(self) -> bool:
        """True when the directory holds a sweep (its plan was written)."""
        return (self.root / "plan.json").exists()

    def write_plan(self, plan: Plan, sweep_text: str) -> None:
        """Write ``sweep.yaml``, ``plan.json`` and ``plan.csv``."""
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.root / "sweep.yaml", sweep_text)
        data = {"fingerprint": plan.fingerprint, **plan.as_json()}
        write_atomic(self.root / "plan.json", json.dumps(data, indent=1, default=str) + "\n")
        write_atomic(self.root / "plan.csv", plan.table().to_csv(index=False))

    def check_plan(self, plan: Plan) -> None:
        """Refuse to resume when the sweep or its base scenario changed.

        Raises
        ------
        InputError
            Naming what differs.
        """
        file = self.root / "plan.json"
        stored = json.loads(file.read_text(encoding="utf-8"))
        if stored.get("fingerprint") == plan.fingerprint:
            return
        if stored.get("base_sha256") != plan.base_sha256:
            why = "the base scenario changed since the sweep started"
        elif stored.get("runs") != json.loads(json.dumps(plan.as_json()["runs"], default=str)):
            why = "the sweep's runs changed (grid, distributions, seed or runs)"
        else:
            why = "the sweep's options changed (score, objective, time limit)"
        raise InputError(
            str(file), "", f"cannot resume: {why}; start a new sweep in another --out directory"
        )

    # -- runs ---------------------------------------------------------------------------
    def clean_staging(self) -> None:
        """Remove half-written staging directories of an interrupted sweep."""
        shutil.rmtree(self.runs / STAGING, ignore_errors=True)

    @property
    def staging(self) -> Path:
        """Where runs are written before they are moved into place (workers on this file
        system write their run's folder here: :func:`symbio.sweep.execute.run_one`)."""
        return self.runs / STAGING

    def commit(self, output: RunOutput) -> None:
        """Write one run's files (unless a worker wrote them in the staging folder) and
        record, then move them into place in one step."""
        if output.folder is not None:
            staging = self._staged(output.folder, output.record.run_id)
        else:
            staging = self.staging / f"{output.record.run_id}-{uuid.uuid4().hex[:8]}"
            staging.mkdir(parents=True)
        made = {staging}
        for rel, data in output.files.items():
            target = staging / relative_path(rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        text = json.dumps(output.record.as_dict(), indent=1, default=float) + "\n"
        (staging / RECORD_FILE).write_text(text, encoding="utf-8")
        final = self.runs / output.record.run_id
        if final.exists():  # a failed run being retried
            shutil.rmtree(final)
        os.replace(staging, final)

    def _staged(self, folder: str, run_id: str) -> Path:
        """The folder a worker wrote run ``run_id`` in, checked to be that run's folder in
        this sweep's staging folder.

        Raises
        ------
        InputError
            Any other folder (also a link there: record.json would be written through it).
        """
        path = Path(folder)
        inside = path.parent == self.staging.absolute() and not path.is_symlink()
        if not inside or not path.name.startswith(f"{run_id}-"):
            raise InputError(folder, "", f"is not a staging folder of run {run_id}")
        return path

    def records(self) -> dict[str, RunRecord]:
        """Records of every finished run (a run without a readable record is not finished)."""
        out = {}
        if not self.runs.exists():
            return out
        for path in sorted(self.runs.glob(f"*/{RECORD_FILE}")):
            try:
                record = RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if record.status != "pending" and record.run_id == path.parent.name:
                out[record.run_id] = record
        return out

    # -- index --------------------------------------------------------------------------
    def write_index(self, plan: Plan, records: dict[str, RunRecord]) -> pd.DataFrame:
        """Rewrite ``index.csv`` (one row per planned run) and return it."""
        frame = index_table(plan, records)
        write_atomic(self.root / "index.csv", frame.to_csv(index=False))
        return frame

    def read_index(self) -> pd.DataFrame:
        """Read ``index.csv``."""
        return pd.read_csv(self.root / "index.csv", keep_default_na=False, na_values=[""])


def index_table(plan: Plan, records: dict[str, RunRecord]) -> pd.DataFrame:
    """One row per run: id, status, the overrides, objectives, grade, builds, KPIs, message.

    Runs not finished yet have status ``pending``. Column order is stable: KPI columns
    (``kpi.<name>``) are sorted by name.
    """
    kpi_names = sorted({k for r in records.values() for k in r.kpis})
    rows = []
    for run in plan.runs:
        rec = records.get(run.run_id) or RunRecord(run.run_id, "pending")
        row = {"run_id": run.run_id, "status": rec.status}
        row.update({p: _scalar(run.overrides.get(p)) for p in plan.paths})
        row.update(
            objective_baseline=rec.objective_baseline,
            objective_optimized=rec.objective_optimized,
            solver_status=rec.solver_status,
            gap=rec.gap,
            audit=rec.audit,
            grade=rec.grade,
            score=rec.score,
            rating=rec.rating,
            n_builds=len(rec.builds) if rec.status == "ok" else None,
            builds=";".join(rec.builds),
            measures=";".join(rec.measures),
        )
        row.update({f"kpi.{k}": rec.kpis.get(k) for k in kpi_names})
        row.update(message=_one_line(rec.message), seconds=rec.seconds)
        row.update(cpu_seconds=rec.cpu_seconds, runner_seconds=rec.runner_seconds)
        row.update(runner_cpu_seconds=rec.runner_cpu_seconds, worker=rec.worker)
        rows.append(row)
    return pd.DataFrame(rows)


def _scalar(value: object) -> object:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def _one_line(text: str, limit: int = 500) -> str:
    line = " | ".join(s.strip() for s in text.splitlines() if s.strip())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def completed(records: dict[str, RunRecord], retry: Iterable[str] = ()) -> set[str]:
    """Run ids to skip on resume: every finished run except those with a status in ``retry``."""
    retry = set(retry)
    return {rid for rid, rec in records.items() if rec.status not in retry}
