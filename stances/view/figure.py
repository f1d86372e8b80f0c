"""Figures built from plain dicts that reach the page without plotly's checks or copies."""

from __future__ import annotations

import functools
from typing import Any

import plotly.graph_objects as go


@functools.cache
def default_template() -> dict:
    """The template plotly gives every figure (``pio.templates.default``), as JSON."""
    return go.Figure().to_dict()["layout"]["template"]


class PlainFigure(go.Figure):
    """A figure that keeps the dicts it is given and hands them out as they are.

    ``st.plotly_chart`` takes a figure by ``to_dict()``. A ``go.Figure`` deep-copies its
    traces and layout twice on the way (once when made, once in ``to_dict``), and those
    copies were a quarter of a replica's busy time under load (bench/README.md,
    "Where a replica's time goes"). This one makes no copy: ``to_dict()`` returns the
    figure's own dict, which callers read and must not change.

    Anything else plotly offers (``fig.layout``, ``update_layout``…) works too: on first
    use the figure becomes an ordinary ``go.Figure`` of the same dicts, and ``to_dict()``
    is then plotly's own.
    """

    def __init__(self, data: list[dict], layout: dict) -> None:  # plotly's __init__ is deferred
        self._plain: dict[str, Any] | None = {
            "data": data,
            "layout": {"template": default_template(), **layout},
        }

    @classmethod
    def of(cls, fig: go.Figure) -> PlainFigure:
        """A checked figure, copied once, to be handed out without copies from now on."""
        plain = fig.to_dict()
        return cls(plain["data"], plain["layout"])

    def _become_plotly(self) -> None:
        plain, self._plain = self._plain, None
        go.Figure.__init__(self, plain["data"], layout=plain["layout"], _validate=False)  # type: ignore[index]

    def __getattr__(self, name: str) -> Any:
        # Only reached for what plotly's __init__ would have set: set it now.
        if name == "_plain" or self.__dict__.get("_plain") is None:
            raise AttributeError(name)
        self._become_plotly()
        return getattr(self, name)

    def __reduce__(self) -> tuple:
        plain = self.to_dict()
        return (PlainFigure, (plain["data"], plain["layout"]))

    def to_dict(self) -> dict:  # plotly's to_plotly_json and to_json go through it
        return self._plain if self._plain is not None else super().to_dict()


def unchecked_figure(traces: list[dict], layout: dict) -> PlainFigure:
    """A figure from plain dicts that plotly does not check: its checks cost six times the
    rest of building a map of 250 countries, on every rerun. So the dicts spell every
    property in full (``legend.title.text``, not the ``title_text`` shorthand only the
    checks expand); tests compare each figure with a checked copy of it."""
    return PlainFigure(traces, layout)
