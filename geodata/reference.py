"""Published results of peer indices, for validation only (never model inputs).

Read from ``<data root>/reference/`` (Guatemala: UNHCR A2SIT, see its PROVENANCE.md) and, for
Honduras, the published IUDPAS-UNAH 2014 municipal homicide rates in ``indicators/``. The pairs
compared were fixed from the provenance notes before any result was seen:

- Guatemala: our violence dimension against A2SIT's ``human_made`` threats sub-pillar (crime and
  violence), our displacement against ``mms`` (mixed migration and mobility), our composite
  against the overall ``MVI``. Both indices are built largely from the same A2SIT inputs, so
  agreement is expected and is a consistency check, not independent evidence.
- Honduras: our violence dimension and our composite against the published homicide rate per
  100,000 (2014). Our violence dimension *is* built from these homicides, so this checks what the
  smoothing and scaling do to them; there is no published municipal displacement reference.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config
from .errors import DataError

__all__ = ["Peer", "PEERS", "load_peer"]


@dataclass(frozen=True)
class Peer:
    """A peer reference: file (relative to the data root), its unit-code column and how codes map
    to ours, the pairs (our column, its column) and its citation."""

    country: str
    path: str
    code_column: str
    pairs: tuple
    name: str
    code_width: int = 0   # left-pad numeric codes with zeros to this width (0 = as is)


PEERS = {
    "gtm": Peer("gtm", "reference/gtm_unhcr_a2sit_results_fullscore.csv", "uCode",
                (("violence", "human_made"), ("displacement", "mms"), ("score", "MVI")),
                "UNHCR A2SIT (Admin2 Severity Index Tool), Guatemala, Results$FullScore"),
    "hnd": Peer("hnd", "indicators/hnd_iudpas_municipal_homicides_2014.csv", "geoId",
                (("violence", "homicide_rate_per100k"), ("displacement", ""), ("score", "homicide_rate_per100k")),
                "IUDPAS-UNAH Observatorio de la Violencia, homicides per 100,000, 2014", code_width=4),
}


def load_peer(country: str, root: Path | None = None) -> tuple[Peer, pd.DataFrame]:
    """The peer of ``country`` and its published values indexed by our unit code."""
    peer = PEERS.get(country)
    if peer is None:
        raise DataError("validate.no_peer", "no published peer index for {country}; one of {valid}",
                        country=country, valid=", ".join(PEERS))
    path = (root or config.data_root()) / peer.path
    if not path.exists():
        raise DataError("data.missing_file", "data file not found: {path} (set RISKMAP_DATA_ROOT)", path=str(path))
    frame = pd.read_csv(path, dtype={peer.code_column: str}, encoding="utf-8")
    codes = frame[peer.code_column].str.strip()
    if peer.code_width:
        codes = codes.str.zfill(peer.code_width)
    if codes.duplicated().any():
        raise DataError("validate.duplicate_codes", "{path}: unit codes repeated in column {column}: {codes}",
                        path=path.name, column=peer.code_column, codes=", ".join(codes[codes.duplicated()][:5]))
    return peer, frame.set_index(codes.rename("code"))
