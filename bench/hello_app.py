"""Hello world: the smallest Streamlit page, the yardstick for a cold start."""

import streamlit as st

st.title("Hello, world")
