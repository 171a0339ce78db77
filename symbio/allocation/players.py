"""Who the players are, and which candidates a coalition of them may build.

A *player* is an enterprise (sites grouped by ``owner``), a single site, or a zone, as the
scenario's ``allocation.players`` (or the caller) chooses. Hubs and the park gate without an
``owner`` are the park's common infrastructure: they belong to no player, and their accounts
are kept in the park's own account (:data:`PARK`).

A candidate's *parties* are the players it connects: the owner of a candidate process's
site; the owners of both ends of a candidate link (common ends left out). A coalition ``S``
may build a candidate when all its parties are in ``S``; candidates without parties (a unit
at a hub, a feeder between two hubs) are open to every coalition and are part of the
reference every coalition's value is measured from.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbio.errors import InputError
from symbio.flows.schema import Scenario, Site

#: Account of the park's common infrastructure (hubs and the gate without an owner).
PARK = "park"
GROUPINGS = ("site", "owner", "zone")
COMMON_KINDS = ("hub", "gate")


def account_of(site: Site, grouping: str) -> str:
    """Account (player, or :data:`PARK`) a site belongs to under a grouping."""
    if grouping not in GROUPINGS:
        raise InputError(
            "command line", "--players", f"{grouping!r} is not one of {', '.join(GROUPINGS)}"
        )
    if site.kind in COMMON_KINDS and site.owner is None:
        return PARK
    if grouping == "site":
        return site.id
    if grouping == "owner":
        return site.owner or site.id
    return f"zone:{site.zone}" if site.zone else f"zone:{site.id}"


@dataclass(frozen=True)
class Players:
    """The players of a scenario and the parties of each candidate.

    Attributes
    ----------
    grouping : str
        ``site``, ``owner`` or ``zone``.
    account : dict
        Site id -> account (a player, or :data:`PARK`).
    parties : dict
        Candidate id (link or process) -> the players it connects (empty: open to all).
    names : dict
        Player -> display name ``{"en": ..., "zh": ...}``.
    """

    grouping: str
    account: dict[str, str]
    parties: dict[str, frozenset[str]]
    names: dict[str, dict[str, str]]

    @property
    def all(self) -> tuple[str, ...]:
        """Every player (sites grouped), sorted."""
        return tuple(sorted({a for a in self.account.values() if a != PARK}))

    @property
    def active(self) -> tuple[str, ...]:
        """Players that are a party of some candidate; the others are null players."""
        return tuple(sorted(set().union(*self.parties.values()) if self.parties else ()))

    def allowed(self, coalition: frozenset[str] | set[str]) -> set[str]:
        """Candidates a coalition may build (all their parties are members)."""
        return {c for c, p in self.parties.items() if p <= coalition}


def players_of(scenario: Scenario, links: dict, grouping: str | None = None) -> Players:
    """Group the sites into players and find each candidate's parties.

    Parameters
    ----------
    scenario
        The scenario.
    links
        Link id -> link record (``ModelIndex.links``: explicit and generated links).
    grouping
        ``site``, ``owner`` or ``zone``; default the scenario's ``allocation.players``.
    """
    grouping = grouping or scenario.allocation.players
    account = {s.id: account_of(s, grouping) for s in scenario.sites}
    parties: dict[str, frozenset[str]] = {}
    for p in scenario.processes:
        if p.candidate:
            parties[p.id] = frozenset({account[p.site]} - {PARK})
    for lid, lk in links.items():
        if lk.candidate:
            parties[lid] = frozenset({account[lk.from_], account[lk.to]} - {PARK})
    names: dict[str, dict[str, str]] = {}
    for s in scenario.sites:
        a = account[s.id]
        if grouping == "site" or (grouping == "owner" and s.owner is None):
            names[a] = {"en": s.name.en, "zh": s.name.zh or s.name.en}
        else:
            label = a.removeprefix("zone:")
            names.setdefault(a, {"en": label, "zh": label})
    names[PARK] = {"en": "park (common infrastructure)", "zh": "园区（公共设施）"}
    return Players(grouping, account, parties, names)
