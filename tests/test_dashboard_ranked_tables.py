"""The phone copy of a ranked table: the five columns a 390 px screen shows, headers as in the
wide table and the downloads, text that Markdown cannot turn into anything else."""
import pandas as pd

from dashboard import ranked_tables
from dashboard.priorities import PHONE_COLUMNS, column_header


def test_phone_frame_has_the_five_columns_named_as_on_the_wide_table():
    frame = pd.DataFrame({"rank": [1, 12], "name": ["*San* [Juan](x)", "Ilopango"], "department": ["A", "B"],
                          "score": ["7,25", "3,10"], "label": ["claramente", "poco probable"],
                          "p_top": [97.0, 4.0], "band": ["1–2", "8–30"]})
    out = ranked_tables.phone_frame(frame, "es", 10)
    headers = [column_header(c, "es", 10) for c in PHONE_COLUMNS]
    assert [h.replace("\\", "") for h in out.columns] == headers  # the escapes only
    assert "Certeza (10 primeros)" in headers and "P(entre los 10 primeros)" in headers
    assert out.iloc[:, 0].tolist() == ["1", "12"]
    assert out.iloc[0, 1] == r"\*San\* \[Juan\]\(x\)"
    assert out.iloc[:, 4].tolist() == [r"97 \%", r"4 \%"] and ranked_tables.phone_frame(frame, "en", 10).iloc[0, 4] == r"97\%"
    assert "department" not in out and len(out.columns) == 5


def test_wide_column_config_names_every_column_as_the_downloads_do():
    cols = ("rank", "name", "score", "label", "p_top", "band", "why", "selected")
    cfg = ranked_tables.column_config(cols, "en", 7)
    assert [cfg[c]["label"] for c in cols] == [column_header(c, "en", 7) for c in cols]
    assert cfg["p_top"]["label"] == "P(top 7)" and cfg["p_top"]["type_config"]["type"] == "progress"
