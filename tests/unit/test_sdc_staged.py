"""The engine in two stages (:func:`workforce_lib.records.sdc.protect_staged`): a small
table published beside a larger problem (the possible-unlinked moves beside the leaver
tables) is solved after it, tied to it, and audited with it."""

from tests.audit import intervals
from workforce_lib.records import sdc


def _leavers():
    """Leavers of three councils by "not seen again" (n) and "moved" (m), with totals,
    and beside them the not-seen split into possible unlinked moves (p) and the rest (q),
    all added up by hand."""
    values = {
        ("o", "x", "n"): 9, ("o", "x", "m"): 1, ("o", "x", "T"): 10,
        ("o", "y", "n"): 7, ("o", "y", "m"): 6, ("o", "y", "T"): 13,
        ("o", "z", "n"): 12, ("o", "z", "m"): 8, ("o", "z", "T"): 20,
        ("o", "T", "n"): 28, ("o", "T", "m"): 15, ("o", "T", "T"): 43,
        ("u", "x", "p"): 2, ("u", "x", "q"): 7,
        ("u", "y", "p"): 6, ("u", "y", "q"): 1,
        ("u", "z", "p"): 5, ("u", "z", "q"): 7,
        ("u", "T", "p"): 13, ("u", "T", "q"): 15,
    }  # fmt: skip
    rows = ["x", "y", "z"]
    lines = [([("o", r, "n"), ("o", r, "m")], ("o", r, "T")) for r in [*rows, "T"]]
    lines += [([("o", r, c) for r in rows], ("o", "T", c)) for c in ("n", "m", "T")]
    lines += [([("u", r, c) for r in rows], ("u", "T", c)) for c in ("p", "q")]
    lines += [([("u", r, "p"), ("u", r, "q")], ("o", r, "n")) for r in [*rows, "T"]]
    return values, lines


def _tied(hidden: set) -> set:
    return {("u", r, c) for t, r, col in hidden if t == "o" and col == "n" for c in ("p", "q")}


def _later(values: dict) -> set:
    return {c for c in values if c[0] == "u"}


def test_the_small_table_is_hidden_where_its_total_is_and_the_whole_passes_the_audit():
    values, lines = _leavers()
    hidden = sdc.protect_staged(values, lines, 5, _later(values), _tied)
    # the 1 moved from x takes the cheaper cell of its column (y's 6) and the rectangle;
    # beside them, x's 2 and y's 1 are hidden, each with the other council's cell of its
    # column (z's 5 and 7 cost more), x's and y's not-seen (hidden) closing their rows
    assert hidden == {
        ("o", "x", "n"), ("o", "x", "m"), ("o", "y", "n"), ("o", "y", "m"),
        ("u", "x", "p"), ("u", "x", "q"), ("u", "y", "p"), ("u", "y", "q"),
    }  # fmt: skip
    iv = intervals(values, lines, set(values) - hidden)  # the tests' own attacker
    for cell, (lo, hi) in iv.items():
        assert hi - lo >= 5, (cell, lo, hi)
        assert not (0 < values[cell] < 5 and hi < 5), (cell, lo, hi)
    assert sdc.audit(values, lines, hidden, 5) == {}


def test_each_threshold_keeps_what_the_one_below_hid():
    values, lines = _leavers()
    at = {t: sdc.protect_staged(values, lines, t, _later(values), _tied) for t in (5, 6, 7)}
    assert at[5] <= at[6] <= at[7]
    for t, hidden in at.items():
        assert sdc.audit(values, lines, hidden, t) == {}


def test_forced_cells_of_either_stage_are_hidden():
    values, lines = _leavers()
    forced = {("o", "z", "m"), ("u", "z", "p")}
    hidden = sdc.protect_staged(values, lines, 5, _later(values), _tied, lambda t: forced)
    assert forced <= hidden
    assert sdc.audit(values, lines, hidden, 5) == {}


def test_the_small_table_is_tied_to_hidden_totals_when_its_rounds_run_out(monkeypatch):
    import importlib

    sec = importlib.import_module("workforce_lib.records.sdc.secondary")
    # a 9 and a 3 under a shown 12; the 9 split into a 2 and a 7 beside them
    values = {"a": 9, "b": 3, "t": 12, "p": 2, "q": 7}
    lines = [(["a", "b"], "t"), (["p", "q"], "a")]
    tied = {"p", "q"}
    # in its rounds, the second stage hides the 2 alone beside the hidden 9: the 2 can be
    # 0 to 5 (the 9 is 7 to 12), wide enough
    assert sdc.protect_staged(values, lines, 5, tied, lambda h: tied) == {"a", "b", "p"}
    monkeypatch.setattr(sec, "STAGE_ROUNDS", 0)
    hidden = sdc.protect_staged(values, lines, 5, tied, lambda h: tied if "a" in h else set())
    assert hidden == {"a", "b", "p", "q"}
    assert sdc.audit(values, lines, hidden, 5) == {}
