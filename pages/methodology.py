"""Metodología / Methodology: docs/methodology.<lang>.md as it is (project text, no user data),
then the evidence behind the method: Mexico's backtest on real outcomes (every country)."""
import streamlit as st

from dashboard import evidence, state, text
from dashboard.i18n import t

state.ensure_entrypoint()
ctx = state.context()
st.caption(t("methodology.intro", ctx.lang))
st.markdown(text.methodology_text(ctx.lang, ctx.country))

st.subheader(t("evidence.title", ctx.lang), anchor="backtest")
bt = evidence.backtest_results()
st.write(evidence.intro_sentence(bt, ctx.lang))
st.plotly_chart(evidence.backtest_figure(bt, ctx.lang), width="stretch", key="backtest_chart")
st.write(evidence.best_sentence(bt, ctx.lang))
st.dataframe(evidence.backtest_summary(bt, ctx.lang), hide_index=True, width="stretch")
st.caption(t("evidence.caveat", ctx.lang))
