"""The PnL curve and the drawdown below it (plotext), over the days of the backtest window."""

from __future__ import annotations

from typing import Any, Literal

from textual_plotext import PlotextPlot

POINTS = 240
"""Points drawn per series: enough for a full-screen chart; the engine's series can be 500k."""

ChartKind = Literal["pnl", "drawdown"]


class PnlChart(PlotextPlot):
    """``pnl``: the PnL series (realized in Hummingbot mode, marked to market in realistic
    mode); ``drawdown``: its distance below the running peak."""

    def __init__(self, series: dict[str, list[Any]], kind: ChartKind, title: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.series = series
        self.kind: ChartKind = kind
        self.title = title

    def on_mount(self) -> None:
        super().on_mount()
        stamps: list[int] = self.series["timestamp"]
        values: list[float] = self.series["total_pnl" if self.kind == "pnl" else "drawdown"]
        plt = self.plt
        plt.title(self.title)
        if not stamps:
            return
        first = stamps[0]
        days = [(stamp - first) / 86_400 for stamp in stamps]
        if self.kind == "pnl":
            plt.plot(days, values, color="cyan", marker="braille")
        else:
            plt.plot(days, values, color="red", marker="braille", fillx=True)
        plt.xlabel("days")
