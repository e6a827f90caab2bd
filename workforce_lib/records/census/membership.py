"""Which sets of councils a pool may show its movements for, and what it hides beside
the pools of other registered groups.

A pool's figures that depend on which councils are members (moves between member
councils, leavers' next step, flows into and out of agency work, cooling-off, possible
unlinked moves) differ between two pools by the people who passed through a council in
one pool and not the other: a pool of a region beside a pool of the region less one
council gives, by subtraction, the moves to and through that council, counts of 1 to 4
among them. Hiding, in every pool, whatever any other set of councils could give away
hides most of what a region's board needs (issue 19: 48% of council figures of 5 or
more people shown, the region-wide totals almost never).

So the set of pools is fixed instead. Those figures are shown only for a pool whose
councils are exactly one **registered group** -- England, one of DfE's regions, or a named
group in the project's own ``workforce_lib/config/groups.yaml`` (for example the Eastern
MoU's 11), never a user's groups file -- with a usable return from every member in every
year pooled. Registered groups never overlap except one inside another (checked), and a
pool holding smaller registered groups hides what its difference from each of them would
give away (:meth:`Membership.varies`). A pool of any other set of councils, or one with a
member's return missing or left out, shows none of those figures and says why; its other
tables (the region's social workers, experience) are shown as before.

Fictional councils (``workforce demo census``: LA numbers 001 to 200, which no council
has) are no one's records: a pool of them is treated as one registered group of its own,
so the demo shows the tables a registered region's board sees. Real returns re-numbered
001-200 (to hide which council is which, say) would be taken for them, and every set of
them is that group, so each of its councils counts as a registered group inside it: the
pool hides what the pool of any other set of them would give away.

Examples
--------
>>> reg = Registry({"Region": frozenset({"801", "802", "803"}),
...                 "Pair": frozenset({"801", "802"})})
>>> m = decide(["801", "802", "803"], {}, reg)
>>> m.group, m.shown
('Region', True)
>>> m.varies("801", ["802"]), m.varies("801", ["803"])
(False, True)
>>> decide(["801", "803"], {}, reg).shown
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from workforce_lib.yaml_config import ConfigError

#: The highest LA number ``workforce demo census`` gives a fictional council (no
#: council's LA number is below 201).
FICTIONAL_MAX = 200
FICTIONAL_GROUP = "fictional councils (workforce demo census)"


def is_fictional(council: str) -> bool:
    """Whether an LA number is one of the demo's fictional councils (001 to 200).

    >>> is_fictional("007"), is_fictional("841"), is_fictional("7")
    (True, False, False)
    """
    return len(council) == 3 and council.isdigit() and 1 <= int(council) <= FICTIONAL_MAX


@dataclass(frozen=True)
class Registry:
    """The registered groups a pool may be: name -> LA numbers of its councils.

    Two groups with the same councils are one group (the first name is used); two that
    overlap without one holding the other are refused: the pools of both would differ by
    people neither can see whole.

    >>> try:
    ...     Registry({"A": frozenset({"801", "802"}), "B": frozenset({"802", "803"})})
    ... except ConfigError as e:
    ...     print(e)  # doctest: +NORMALIZE_WHITESPACE
    registered groups A and B share councils (802) without one holding the other: pools
    of both could be set side by side
    """

    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: where the groups came from, in words (shown when a pool matches none)
    source: str = (
        "no release of DfE's figures was read, so no group's councils are known: give "
        "--data-dir or set WORKFORCE_DATA_DIR"
    )

    def __post_init__(self) -> None:
        names = list(self.groups)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                ga, gb = self.groups[a], self.groups[b]
                shared = ga & gb
                if shared and not (ga <= gb or gb <= ga):
                    listed = ", ".join(sorted(shared)[:5])
                    raise ConfigError(
                        f"registered groups {a} and {b} share councils ({listed}) without one "
                        "holding the other: pools of both could be set side by side"
                    )

    def match(self, councils: Iterable[str]) -> str | None:
        """The registered group whose councils are exactly ``councils``, or None."""
        want = frozenset(councils)
        return next((n for n, g in self.groups.items() if g == want), None)

    def inside(self, name: str) -> list[frozenset[str]]:
        """The registered groups strictly inside ``name`` (each once)."""
        outer = self.groups[name]
        return sorted({g for g in self.groups.values() if g < outer}, key=sorted)


@dataclass(frozen=True)
class Membership:
    """What a pool may show of the figures that depend on its members (:func:`decide`)."""

    #: the registered group the pool is, or None
    group: str | None
    #: whether those figures are shown at all
    shown: bool
    #: why, in words (for the report's notes)
    why: str
    #: registered groups inside this one: its figures beside theirs must give nothing away
    inside: tuple[frozenset[str], ...] = ()

    def varies(self, home: str, others: Iterable[str]) -> bool:
        """Whether people of council ``home`` who passed through ``others`` (other member
        councils) can count in different figures here and in a pool of a registered group
        inside this one: such a group holds some of these councils but not all (a
        leaver's next step, or the council they are counted as coming from, depends on
        which are members).

        >>> m = Membership("R", True, "", (frozenset({"801", "802"}),))
        >>> m.varies("801", ["802"]), m.varies("801", ["803"]), m.varies("803", ["801"])
        (False, True, True)
        >>> m.varies("803", ["804"])
        False
        """
        path = {home, *others}
        return any(g & path and not path <= g for g in self.inside)


def decide(
    councils: Iterable[str],
    missing: Mapping[str, list[int]],
    registry: Registry,
) -> Membership:
    """Whether a pool of ``councils`` shows the figures that depend on its members.

    Parameters
    ----------
    councils : the pool's councils (LA numbers).
    missing : council -> census years of the pool with no usable return from it (none,
        or left out for problems).
    registry : the registered groups (:func:`registry_from_release`).
    """
    councils = sorted(set(councils))
    gaps = "; ".join(f"{c} {', '.join(map(str, ys))}" for c, ys in sorted(missing.items()) if ys)
    group = registry.match(councils)
    if group is not None:
        inside = tuple(registry.inside(group))
    elif councils and all(is_fictional(c) for c in councils):
        # real returns re-numbered 001-200 would be taken for these, and every set of
        # them is this group: each council is held as a group inside it, so a figure is
        # hidden wherever any other set of them would show it differently by a few
        group, inside = FICTIONAL_GROUP, tuple(frozenset({c}) for c in councils)
    else:
        return Membership(
            None,
            False,
            "These councils are not one registered group (England, a DfE region or a "
            f"group in the project's groups.yaml; {registry.source}), so the figures "
            "that depend on which councils are members (moves between them, leavers' "
            "next step, agency flows, cooling-off, agency workers' experience) are not "
            "shown: beside a pool of another set of councils they would give away people "
            "the tables hide.",
        )
    if gaps:
        return Membership(
            group,
            False,
            f"No usable return from every member in every year ({gaps}), so the figures "
            "that depend on which councils are members are not shown: a pool lacking a "
            "member's return, beside the complete pool, gives away the people who passed "
            "through that member.",
        )
    why = f"The pool is the registered group {group}, with every member's returns."
    if group == FICTIONAL_GROUP:
        why += (
            " Any set of councils numbered 001-200 is one, so a figure is hidden wherever "
            "a pool of other councils among them would show it differently by fewer "
            "people than the threshold."
        )
    elif inside:
        why += (
            f" It holds {len(inside)} smaller registered group"
            f"{'s' if len(inside) != 1 else ''}: a figure is hidden wherever its "
            "difference from the same figure of a pool of one of them would be a count "
            "of fewer people than the threshold."
        )
    return Membership(group, True, why, inside)


def of_pool(pool, registry: Registry) -> Membership:
    """:func:`decide` for a pooled region (:class:`~workforce_lib.records.census.pool.Pool`):
    its members are the councils of its returns and of the files left out of it; a file
    left out whose council could not be read leaves the membership unknown. A return
    whose every record has a placeholder SWE number links no one, so it counts as no
    return: the pool's linked figures are those of a pool without it."""
    cov = pool.coverage()
    members = set(pool.councils) | {e.council for e in pool.excluded if e.council}
    w = pool.workers
    records = w.groupby(["council", "year"], observed=True).size() if len(w) else {}
    unlinked = {k for k, n in pool.placeholders.items() if n and n == records.get(k, 0)}
    missing = {
        c: [y for y in pool.years
            if c not in cov.index or not cov.at[c, y] or (c, y) in unlinked]
        for c in members
    }  # fmt: skip
    unread = sum(1 for e in pool.excluded if not e.council)
    if unread:
        files = f"{unread} file{'s' if unread != 1 else ''}"
        missing[f"{files} left out whose council is not known"] = ["?"]
    return decide(members, missing, registry)


def registry_for(pool, data_dir: str | None = None, release=None) -> Registry:
    """The registered groups a pool is matched against: from ``release`` or the release
    in ``data_dir`` (else ``$WORKFORCE_DATA_DIR``, else ``data/raw``), at the pool's
    last year. A pool of fictional councils needs none; a release that cannot be read
    gives no registered group, saying why (the pool then shows no figure that depends
    on which councils are members)."""
    from workforce_lib.errors import WorkforceError

    if all(is_fictional(c) for c in pool.councils):
        return Registry()
    if release is None:
        from workforce_lib.published.release import load_release

        try:
            release = load_release(data_dir or None)
        except WorkforceError as e:
            return Registry(source=f"no release of DfE's figures could be read ({e})")
    return registry_from_release(release, pool.years[-1])


def registry_from_release(release, year: int) -> Registry:
    """The project's own groups (never a user's groups file) with their councils in the
    release's ``year`` (or its latest year before it): England, DfE's regions and the
    named groups of ``workforce_lib/config/groups.yaml``."""
    from workforce_lib.published.areas import PROJECT_GROUPS, group_members, project_groups

    groups = project_groups()
    years = sorted(int(y) for y in release.areas["year"].unique())
    at = max([y for y in years if y <= year] or years[:1])
    out: dict[str, frozenset[str]] = {}
    for name, g in groups.items():
        members = frozenset(group_members(release, g, at))
        if members and members not in out.values():
            out[name] = members
    return Registry(
        out, f"registered groups: {PROJECT_GROUPS}, councils as in DfE's release for {at}"
    )
