"""Risk model: the pure statistics behind the map (rates, smoothing, scores, classes, ranks).

Arrays in, frozen dataclasses out; no Streamlit, no files, no global state.
"""
from .aggregate import Aggregate, aggregate
from .backtest import Backtest, backtest
from .classify import Classification, classify
from .hotspots import PERMUTATIONS, GetisOrd, LocalMoran, getis_ord, local_moran, queen_weights
from .engine import DimensionDraws, Reaggregated, reaggregate
from .normalise import CONSTANT_SCORE, Goalposts, Normalised, goalpost_scale, minmax, pooled_goalposts
from .rates import SHARE_METHODS, CrudeRate, ShareInterval, poisson_interval, share_interval
from .reliability import Reliability, reliability
from .smoothing import (RateEstimate, ShareEstimate, beta_binomial_shrink, eb_global, eb_spatial,
                        neighbour_lists)
from .treatment import Treatment, skew_kurtosis, treat
from .trends import FLAGS, Trend, trend
from .uncertainty import (RankUncertainty, perturb_weights, rank_uncertainty, redraw_counts,
                          redraw_shares, top_n_membership)

__all__ = [
    # rates
    "CrudeRate", "ShareInterval", "SHARE_METHODS", "poisson_interval", "share_interval",
    # smoothing
    "RateEstimate", "ShareEstimate", "eb_global", "eb_spatial", "beta_binomial_shrink",
    "neighbour_lists",
    # treatment, normalise, aggregate
    "Treatment", "treat", "skew_kurtosis",
    "Normalised", "minmax", "CONSTANT_SCORE", "Goalposts", "goalpost_scale", "pooled_goalposts",
    # the engine's re-aggregation of cached dimension draws (a weight change)
    "DimensionDraws", "Reaggregated", "reaggregate",
    "Aggregate", "aggregate",
    # classify, reliability
    "Classification", "classify",
    "Reliability", "reliability",
    # uncertainty, trends, hotspots, backtest
    "RankUncertainty", "rank_uncertainty", "top_n_membership", "perturb_weights", "redraw_counts",
    "redraw_shares",
    "Trend", "trend", "FLAGS",
    "LocalMoran", "GetisOrd", "queen_weights", "local_moran", "getis_ord", "PERMUTATIONS",
    "Backtest", "backtest",
]
