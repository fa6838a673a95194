"""A one-function app for the clear-cache control test: prints each time its cache is missed."""
import streamlit as st


@st.cache_data
def probe() -> int:
    print("PROBE computed", flush=True)
    return 1


st.write(f"probe {probe()}")
