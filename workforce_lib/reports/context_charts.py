"""Charts of the children's context (:mod:`workforce_lib.published.context`), drawn the way
:mod:`workforce_lib.reports.plotting` draws every chart: Okabe-Ito colours, alt text and the data
behind the chart as a table."""

from __future__ import annotations

import pandas as pd

from workforce_lib.measures import CONTEXT_MEASURES, MEASURES, round_half_up
from workforce_lib.published import symbols
from workforce_lib.published.context import PART_YEAR_STATUS, StabilityComparison
from workforce_lib.reports.plotting import OKABE_ITO, Chart, _finish, _subplots, style


def _shown(m, value, status: str) -> str:
    """A rate as the table shows it: ``12.5%``, or the DfE symbol with its reason."""
    if status == PART_YEAR_STATUS:
        return status
    if status:
        return symbols.reason(status)
    return m.format(None if pd.isna(value) else float(value))


def _rho_text(rho: float | None, n: int) -> str:
    return f"Spearman's rho {rho:+.2f}, n = {n}" if rho is not None else f"n = {n}: too few"


def stability_charts(comp: StabilityComparison) -> list[Chart]:
    """The charts of the England report's stability section: the scatter, or none."""
    chart = stability_scatter(comp)
    return [chart] if chart is not None else []


def stability_scatter(comp: StabilityComparison) -> Chart | None:
    """Every council's share of looked-after children with 3+ social workers against its
    agency, turnover and vacancy rates: one panel each, titled with the rank correlation
    and the number of councils with both figures. None when there is nothing to draw."""
    if comp.workforce_year is None or comp.frame.empty:
        return None
    style()
    share = CONTEXT_MEASURES["cla_3plus_social_workers_pct"]
    f = comp.frame
    against = list(comp.correlations)
    fig, axes = _subplots(1, len(against), figsize=(9.6, 3.4), sharey=True)
    for ax, k in zip(axes, against):
        m = MEASURES[k]
        both = f.dropna(subset=["share_3plus", k])
        ax.scatter(both[k], both.share_3plus, s=14, color=OKABE_ITO["blue"], alpha=0.7)
        ax.set_xlabel(f"{m.label} ({m.unit}), {comp.workforce_year}")
        ax.set_title(_rho_text(*comp.correlations[k]), fontsize=9)
    axes[0].set_ylabel("3+ social workers (% of looked-after)")
    fig.suptitle(
        f"Looked-after children with 3+ social workers ({comp.period}) against workforce "
        f"rates at 30 September {comp.workforce_year}",
        fontsize=10,
    )
    alt = (
        f"Three scatter plots, one point per council, of the share of looked-after children "
        f"with 3 or more social workers in the {comp.period} against the "
        + "; ".join(
            f"{MEASURES[k].label.lower()} ({_rho_text(*comp.correlations[k])})" for k in against
        )
        + f", workforce at 30 September {comp.workforce_year}. Descriptive, one year, not causal."
    )
    table = pd.DataFrame(
        {
            "Council": f.council,
            "Region": f.region,
            f"{share.label} ({comp.period})": [
                share.format(None if pd.isna(v) else float(round_half_up(v, 0)))
                for v in f.share_3plus
            ],
            **{
                f"{MEASURES[k].label} {comp.workforce_year}": [
                    _shown(MEASURES[k], v, st) for v, st in zip(f[k], f[f"{k}__status"])
                ]
                for k in against
            },
        }
    )
    title = (
        f"Social worker stability of looked-after children ({comp.period}) against agency, "
        f"turnover and vacancy rates, every council"
    )
    return _finish(fig, alt, table, title)
