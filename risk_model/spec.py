"""The model spec: indicators -> dimensions -> weights, treatment, aggregation, classes.

A spec is frozen; a scenario is ``dataclasses.replace(spec, ...)`` or ``spec.with_scenario(...)``.
``spec.key()`` is one canonical text used as cache key, URL parameter and export footer.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from geodata.errors import DataError
from geodata.names import AGGREGATIONS, DIMENSIONS, FILL_LEVELS, SCHEMES, SMOOTHINGS

__all__ = ["Spec", "IndicatorSpec", "load_spec", "parse_key", "SNR_MIN", "ABSENT_ZERO"]

SPEC_DIR = Path(__file__).resolve().parent / "specs"
#: ``fill_missing`` value for a source that lists only units with at least one event: a unit
#: absent from it has zero events (an explicit, flagged estimate; see ``estimate_indicator``).
ABSENT_ZERO = "zero"
#: Default signal-to-noise threshold: an indicator whose between-unit variance of smoothed
#: values is below this share of its mean posterior variance is left out of the composite.
SNR_MIN = 0.25


@dataclass(frozen=True)
class IndicatorSpec:
    """One scored indicator: its dimension, weight within the dimension and treatment.

    ``goalposts`` (lower, upper), in the indicator's unit: the values scored 0 and 10, fixed
    so that the same value scores the same in every year (values beyond are capped; with
    ``log`` the scale is linear in log(1 + x)); empty: the pooled rule of
    ``risk_model.normalise.pooled_goalposts`` (old specs wrote them as ``bounds``).
    ``fill_missing``: empty (the default) leaves units without data missing; a coarser level
    (``"department"``) gives them that level's pooled estimate; ``"zero"`` says the source lists
    only units with at least one event, so an absent unit has zero events; both are flagged as
    imputed (reliability drops).
    ``pool_level`` (a coarser level): the indicator is estimated at that level and applied to
    every unit in it, flagged as imputed (for surveys not representative per unit).
    """

    id: str
    dimension: str
    weight: float = 1.0
    log: bool = False
    goalposts: tuple[float, ...] = ()
    why: str = ""
    fill_missing: str = ""
    pool_level: str = ""


@dataclass(frozen=True)
class Spec:
    """A whole model recipe. Weights are relative (any non-negative numbers)."""

    name: str
    country: str
    indicators: tuple[IndicatorSpec, ...]
    dimension_weights: tuple[tuple[str, float], ...]
    enabled: tuple[str, ...]
    window: int = 3
    aggregation: str = "geometric"
    scheme: str = "quantiles"
    draws: int = 1000
    top_n: int = 10
    seed: int = 0
    smoothing: str = "eb_global"
    excluded: tuple[str, ...] = field(default=())
    snr_min: float = SNR_MIN

    def __post_init__(self):
        checks = [("aggregation", self.aggregation, AGGREGATIONS), ("scheme", self.scheme, SCHEMES),
                  ("smoothing", self.smoothing, SMOOTHINGS)]
        for name, value, allowed in checks:
            if value not in allowed:
                raise DataError("spec.bad_choice", "{field} = {value!r}; one of {valid}",
                                field=name, value=value, valid=", ".join(allowed))
        if self.window < 1 or self.draws < 0 or self.top_n < 1 or not self.snr_min >= 0:
            raise DataError("spec.bad_number", "window and top_n must be at least 1, draws and snr_min at least 0")
        if any(w < 0 for _, w in self.dimension_weights):
            raise DataError("spec.negative_weight", "dimension weights must be zero or more")

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Enabled dimensions with at least one indicator, in display order."""
        used = {i.dimension for i in self.indicators}
        return tuple(d for d in DIMENSIONS if d in self.enabled and d in used)

    def weight(self, dimension: str) -> float:
        return dict(self.dimension_weights).get(dimension, 0.0)

    def active_indicators(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for i in self.indicators if i.dimension in self.dimensions and i.id not in self.excluded)

    def with_scenario(self, *, weights: dict | None = None, aggregation: str | None = None,
                      scheme: str | None = None, window: int | None = None, top_n: int | None = None,
                      enabled: tuple | None = None, draws: int | None = None, seed: int | None = None,
                      smoothing: str | None = None) -> "Spec":
        """A copy with user choices applied (the Priorities page and the URL use this)."""
        dw = dict(self.dimension_weights)
        dw.update({k: float(v) for k, v in (weights or {}).items()})
        return replace(self, dimension_weights=tuple(dw.items()),
                       aggregation=aggregation or self.aggregation, scheme=scheme or self.scheme,
                       window=window or self.window, top_n=top_n or self.top_n,
                       enabled=tuple(enabled) if enabled is not None else self.enabled,
                       draws=self.draws if draws is None else int(draws),
                       seed=self.seed if seed is None else int(seed), smoothing=smoothing or self.smoothing)

    def key(self) -> str:
        """Canonical scenario text, e.g. ``slv_default;agg=geometric;scheme=quantiles;win=3;top=10;
        draws=1000;seed=0;smooth=eb_global;w=violence:1,extortion:1,displacement:1``. Disabled
        dimensions are left out of ``w``. Two scenarios with the same key give the same table,
        bands included, on every page, export and the command line."""
        w = ",".join(f"{d}:{self.weight(d):g}" for d in DIMENSIONS if d in self.enabled)
        return (f"{self.name};agg={self.aggregation};scheme={self.scheme};win={self.window};"
                f"top={self.top_n};draws={self.draws};seed={self.seed};smooth={self.smoothing};w={w}")

    def draws_key(self) -> str:
        """The part of the scenario that fixes the dimension-level Monte Carlo draws (name,
        window, smoothing, draws, seed): scenarios that differ only in weights, enabled
        dimensions, aggregation, classes or N share them and only re-aggregate."""
        return f"{self.name};win={self.window};smooth={self.smoothing};draws={self.draws};seed={self.seed}"


def parse_key(base: Spec, key: str) -> Spec:
    """Rebuild a scenario from ``Spec.key()`` text over ``base``; DataError on malformed text."""
    parts = dict(p.split("=", 1) for p in key.split(";")[1:] if "=" in p)
    try:
        weights = {d: float(v) for d, v in (x.split(":") for x in parts.get("w", "").split(",") if x)}
        return base.with_scenario(weights=weights, aggregation=parts.get("agg"), scheme=parts.get("scheme"),
                                  window=int(parts["win"]) if "win" in parts else None,
                                  top_n=int(parts["top"]) if "top" in parts else None,
                                  enabled=tuple(weights) if "w" in parts else None,
                                  draws=int(parts["draws"]) if "draws" in parts else None,
                                  seed=int(parts["seed"]) if "seed" in parts else None,
                                  smoothing=parts.get("smooth"))
    except ValueError as err:
        if isinstance(err, DataError):
            raise
        raise DataError("spec.bad_key", "cannot read scenario {text!r}", text=key) from None


def _indicator(row: dict) -> IndicatorSpec:
    """An ``[[indicator]]`` table as IndicatorSpec. Old specs keep loading: ``bounds`` is read as
    ``goalposts`` and ``winsorise`` is ignored (capping at the goalposts replaced it)."""
    row = {k: v for k, v in row.items() if k != "winsorise"}
    goalposts = tuple(float(v) for v in row.pop("goalposts", row.pop("bounds", ())))
    if goalposts and not (len(goalposts) == 2 and goalposts[0] < goalposts[1]):
        raise DataError("spec.bad_goalposts", "indicator {id}: goalposts must be [lower, upper] with lower < upper, "
                        "got {goalposts}", id=row.get("id"), goalposts=list(goalposts))
    known = set(IndicatorSpec.__dataclass_fields__)
    unknown = sorted(set(row) - known)
    if unknown:
        raise DataError("spec.unknown_field", "indicator {id}: unknown field(s) {fields}; known: {valid}",
                        id=row.get("id"), fields=", ".join(unknown), valid=", ".join(sorted(known)))
    return IndicatorSpec(**row, goalposts=goalposts)


def load_spec(path_or_name: str | Path = "slv_default") -> Spec:
    """Read a spec TOML file, or a bundled spec by name (``risk_model/specs/<name>.toml``)."""
    path = Path(path_or_name)
    if not path.suffix:
        path = SPEC_DIR / f"{path_or_name}.toml"
    if not path.exists():
        raise DataError("spec.missing", "model spec not found: {path}", path=str(path))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    inds = []
    for row in raw.get("indicator", []):
        if row.get("dimension") not in DIMENSIONS:
            raise DataError("spec.bad_dimension", "indicator {id}: dimension {dim!r}; one of {valid}",
                            id=row.get("id"), dim=row.get("dimension"), valid=", ".join(DIMENSIONS))
        for key, allowed in (("fill_missing", FILL_LEVELS + (ABSENT_ZERO,)), ("pool_level", FILL_LEVELS)):
            if row.get(key, "") not in allowed:
                raise DataError("spec.bad_fill", "indicator {id}: {key} {fill!r}; one of {valid}", id=row.get("id"),
                                key=key, fill=row.get(key), valid=", ".join(allowed[1:]))
        inds.append(_indicator(row))
    dims = raw.get("dimensions", {})
    return Spec(name=raw.get("name", path.stem), country=raw.get("country", "slv"), indicators=tuple(inds),
                dimension_weights=tuple((d, float(dims.get(d, {}).get("weight", 1.0))) for d in DIMENSIONS),
                enabled=tuple(d for d in DIMENSIONS if dims.get(d, {}).get("enabled", True)),
                **{k: raw[k] for k in ("window", "aggregation", "scheme", "draws", "top_n", "seed", "smoothing", "snr_min")
                   if k in raw})
