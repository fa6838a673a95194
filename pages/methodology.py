"""Metodología / Methodology: docs/methodology.<lang>.md as it is (project text, no user data)."""
import streamlit as st

from dashboard import state, tables
from dashboard.i18n import t

state.ensure_entrypoint()
ctx = state.context()
st.caption(t("methodology.intro", ctx.lang))
st.markdown(tables.methodology_text(ctx.lang))
