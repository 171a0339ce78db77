"""The context every check reports into: the scenario, the file, line look-up and id sets."""

from __future__ import annotations

import difflib

from symbio.errors import Problem
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, format_path

#: Stands in ``known`` for "a record was set aside whose id could not be read".
ANY_ID = "*"
_REFERRED = {
    "resource": ("resources",),
    "site": ("sites",),
    "time slice": ("time_slices",),
    "link, process or generator": ("processes", "links", "candidate_links"),
}


class Ctx:
    """What a check needs to report: the file, line look-up and id sets."""

    def __init__(
        self,
        scenario: Scenario,
        file: str,
        located: Located,
        known: dict[str, set[str]] | None = None,
    ) -> None:
        self.s, self.file, self.located = scenario, file, located
        self.resources = {r.id for r in scenario.resources}
        self.sites = {s.id for s in scenario.sites}
        self.slices = {t.id for t in scenario.time_slices}
        #: Ids of malformed records set aside (already reported): references to them pass.
        self.known = known or {}
        self.problems: list[Problem] = []

    def add(self, path: tuple[str, ...], message: str) -> None:
        where = None
        for n in range(len(path), -1, -1):
            where = self.located.where.get(path[:n])
            if where:
                break
        file, line = where if where else (self.file, None)
        self.problems.append(Problem(file, format_path(path), message, line))

    def ref(self, path: tuple[str, ...], value: str | None, known: set[str], what: str) -> None:
        if value is None or value in known or any(value in ids for ids in self.known.values()):
            return
        if any(ANY_ID in self.known.get(fam, ()) for fam in _REFERRED.get(what, ())):
            return  # a record of that kind was set aside without a readable id
        hint = difflib.get_close_matches(value, sorted(known), n=1)
        msg = f"{what} {value!r} is not defined"
        msg += (
            f" (did you mean {hint[0]!r}?)"
            if hint
            else f"; defined: {', '.join(sorted(known)) or 'none'}"
        )
        self.add(path, msg)
