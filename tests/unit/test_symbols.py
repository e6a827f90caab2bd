from workforce_lib.constants import SYMBOLS
from workforce_lib.measures import MEASURES
from workforce_lib.published import symbols


def test_only_c_is_suppressed():
    assert [s for s in SYMBOLS if symbols.is_suppressed(s)] == ["c"]
    assert "suppress" not in " ".join(w for s, w in SYMBOLS.items() if s != "c")


def test_each_symbol_in_words():
    t = MEASURES["turnover_rate_fte"]
    assert symbols.shown(t, None, "low") == "less than 0.5%"
    assert symbols.shown(MEASURES["agency_fte"], None, "low") == "less than 0.5"
    assert symbols.shown(t, None, "z") == "not applicable (z)"
    assert symbols.shown(t, None, "x: not available") == "not available (x)"
    assert symbols.shown(t, None, "c") == "suppressed to protect confidentiality (c)"
    assert symbols.shown(t, None, "u") == "low reliability (u)"


def test_low_counts_as_zero_and_others_have_no_value():
    assert symbols.value_for_counting(None, "low: less than 0.5") == 0.0
    for s in ("x", "z", "c", "u"):
        assert symbols.value_for_counting(None, s) is None
