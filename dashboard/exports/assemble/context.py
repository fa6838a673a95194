"""What every export prints besides the data (``ExportContext``) and the small pieces the
exporters share: class colours and names, legend rows, source and vintage lines, rank labels.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_number
from geodata.names import CLASS_CODES
from risk_model.classify import Classification
from risk_model.indicator_layer import class_ranges

from ..style import PALETTE

LAYER_COMPOSITE = "composite"
#: Fill of units whose small count of a sensitive indicator is hidden.
SUPPRESSED_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class ExportContext:
    """What every export prints besides the data.

    ``attributions`` maps a dataset name to its attribution line (the pack's); ``datasets`` is
    the store's registry (``Store.datasets``) for the metadata sheet; ``public`` hides small
    counts of sensitive indicators (``geodata.suppression``).
    """

    country: str
    country_name: str
    lang: str
    date: dt.date
    data_version: str
    attributions: dict = field(default_factory=dict)
    datasets: pd.DataFrame | None = None
    public: bool = True

    @property
    def date_text(self) -> str:
        return self.date.isoformat()


# ----------------------------------------------------------------------------- small pieces

def class_colours(k: int, palette: str = "ylorrd") -> list[str]:
    """``k`` colours spread over a 5-class palette of ``dashboard.map_layer.PALETTES`` (YlOrRd by
    default, as on the map page)."""
    from dashboard.map_layer import PALETTES

    colours = PALETTES.get(palette, PALETTE)
    return [colours[int(round(i))] for i in np.linspace(0, len(colours) - 1, k)] if k > 1 \
        else [colours[len(colours) // 2]]


def class_names(k: int, lang: str) -> list[str]:
    """Translated names of ``k`` classes (very low .. very high, spread when k < 5)."""
    idx = [int(round(i)) for i in np.linspace(0, len(CLASS_CODES) - 1, k)] if k > 1 else [2]
    return [t(f"export.class_{CLASS_CODES[i]}", lang) for i in idx]


def capitalised(text: str) -> str:
    """First letter upper case (units such as "fatalities per ..." open a subtitle)."""
    return text[:1].upper() + text[1:]


def level_text(level: str, lang: str) -> str:
    return t(f"export.level_{level}", lang)


def years_text(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "–"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def legend_rows(values: np.ndarray, cls: Classification, lang: str, decimals: int,
            palette: str = "ylorrd") -> list[tuple[str, str]]:
    """(colour, "Name: low – high (n)") per class, lowest first."""
    colours, names = class_colours(cls.k, palette), class_names(cls.k, lang)
    rows = []
    for i, (low, high) in enumerate(class_ranges(cls, values)):
        lo, hi = format_number(low, lang, decimals), format_number(high, lang, decimals)
        n = int(cls.counts[i])
        text = (t("export.legend_row_single", lang, name=names[i], value=hi, n=n) if lo == hi
                else t("export.legend_row", lang, name=names[i], low=lo, high=hi, n=n))
        rows.append((colours[i], text))
    return rows


def sources_line(ctx: ExportContext, datasets) -> str:
    lines = []
    for d in datasets:
        line = ctx.attributions.get(d, "")
        if line and line not in lines:
            lines.append(line)
    return t("export.source", ctx.lang, sources="; ".join(lines) or "–")


def rank_labels(units: pd.DataFrame, order: pd.Series, n: int) -> pd.Series:
    """"1. Name" for the ``n`` first units by ``order`` (1 = first), "" for the others. Units
    tied on a place are taken by ``code`` (as the briefing's table takes them), so never more
    than ``n`` labels: Mexico's 2,469 municipios have over a hundred tied at the top score."""
    out = pd.Series("", index=units.index, dtype=object)
    ranked = pd.DataFrame({"rank": order, "code": units["code"].astype(str)})
    top = ranked[ranked["rank"] <= n].sort_values(["rank", "code"]).head(n)
    for idx, rank in top["rank"].items():
        out[idx] = f"{int(rank)}. {units.at[idx, 'name']}"
    return out


def rank_labels_note(order: pd.Series, n: int, lang: str, key: str = "export.labels_note") -> str:
    """The legend's note on the ``n`` labels of :func:`rank_labels` (message ``key``), with a
    sentence when more units than ``n`` share the first places (tied scores); "" for no label."""
    if n <= 0:
        return ""
    note = t(key, lang, n=n)
    tied = int((order <= order.nsmallest(n).max()).sum())
    return note + (" " + t("export.labels_tied", lang, tied=tied, n=n) if tied > n else "")


def map_frame(units: gpd.GeoDataFrame, fill, label) -> gpd.GeoDataFrame:
    out = units[["code", "name", "geometry"]].copy()
    out["fill"] = list(fill)
    out["label"] = list(label)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=units.crs)


def aligned(units: gpd.GeoDataFrame, table: pd.DataFrame, level: str = "") -> pd.DataFrame:
    """``table`` reindexed on the codes of ``units`` (same order); ValueError when they share
    no code (units of another level than the table's)."""
    codes = units["code"].astype(str).to_numpy()
    out = table.set_index(table["code"].astype(str)).reindex(codes)
    if len(codes) and out["name"].isna().all():
        raise ValueError(f"the table has no unit of these {len(codes)} units: pass the units of "
                         f"{level!r}, the level of the table")
    return out


def scenario_text(spec, lang: str, pools: bool = True) -> str:
    """Aggregation and weights; the window only when some indicator pools several years."""
    weights = ", ".join(t("export.weight", lang, dimension=t(f"export.dim_{d}", lang),
                          weight=format_number(spec.weight(d), lang, 1 if spec.weight(d) % 1 else 0))
                        for d in spec.dimensions if spec.weight(d) > 0)
    return t("export.scenario_window" if pools else "export.scenario", lang,
             aggregation=t(f"export.agg_{spec.aggregation}", lang), weights=weights, window=spec.window)


def vintage_line(ctx: ExportContext, items) -> str:
    """items: (label, years) pairs."""
    parts = [t("export.vintage_item", ctx.lang, label=label, years=years_text(years))
             for label, years in items]
    return t("export.vintage", ctx.lang, items="; ".join(parts))
