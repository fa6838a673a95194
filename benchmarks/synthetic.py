"""SYNTHETIC units for scaling benchmarks: a hexagon grid with generated counts (labelled synthetic,
never shown as data). Neighbours come from the grid's arithmetic, not from geometry."""
from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.catalogue import Indicator
from risk_model.estimates import ModelData
from risk_model.spec import IndicatorSpec, Spec

N_INDICATORS = 10
YEARS = (2021, 2022, 2023)


def hex_neighbours(rows: int, cols: int) -> list[np.ndarray]:
    """Neighbours of an offset-row hexagon grid (each cell has up to 6), by position."""
    out = []
    for r in range(rows):
        shifts = [(-1, 0), (-1, 1), (0, -1), (0, 1), (1, 0), (1, 1)] if r % 2 else \
                 [(-1, -1), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 0)]
        for c in range(cols):
            nb = [(r + dr) * cols + (c + dc) for dr, dc in shifts
                  if 0 <= r + dr < rows and 0 <= c + dc < cols]
            out.append(np.array(nb, dtype=int))
    return out


def synthetic_data(n_units: int, *, seed: int = 0) -> tuple[ModelData, Spec]:
    """A SYNTHETIC country of ``n_units`` hexagons with 10 count indicators over 3 years."""
    rng = np.random.default_rng(seed)
    cols = int(np.ceil(np.sqrt(n_units)))
    rows = int(np.ceil(n_units / cols))
    neighbours = hex_neighbours(rows, cols)[:n_units]
    neighbours = [nb[nb < n_units] for nb in neighbours]
    codes = np.array([f"H{i:06d}" for i in range(n_units)])
    units = pd.DataFrame({"code": codes, "name": codes, "level": "district", "dept_code": "",
                          "dept_name": "synthetic", "mun2024_code": "", "mun2024_name": "",
                          "pop_2007": rng.integers(500, 200_000, n_units)})
    catalogue, frames, specs = {}, [], []
    for k in range(N_INDICATORS):
        ind_id = f"synthetic_{k}"
        catalogue[ind_id] = Indicator(id=ind_id, dataset="synthetic", label_es=ind_id, label_en=ind_id,
                                      level="district", kind="count", denominator="population", per=100_000,
                                      unit_es="por 100.000", unit_en="per 100,000", direction=1,
                                      dimension=("violence", "extortion", "displacement")[k % 3])
        rate = rng.gamma(2.0, 10 / 2.0, n_units) / 1e5
        for y in YEARS:
            pop = units["pop_2007"].to_numpy(float)
            frames.append(pd.DataFrame({"unit": codes, "level": "district", "year": y, "indicator": ind_id,
                                        "value": rng.poisson(rate * pop).astype(float), "denominator": pop}))
        specs.append(IndicatorSpec(id=ind_id, dimension=catalogue[ind_id].dimension, log=True))
    obs = pd.concat(frames, ignore_index=True)
    data = ModelData(country="synthetic", units={"district": units}, weights={}, neighbours={"district": neighbours},
                     observations=obs, population=pd.DataFrame(), catalogue=catalogue)
    spec = Spec(name="synthetic", country="synthetic", indicators=tuple(specs),
                dimension_weights=(("violence", 1.0), ("extortion", 1.0), ("displacement", 1.0)),
                enabled=("violence", "extortion", "displacement"))
    return data, spec
