"""/staff/stats: page views and unique visitors of the last 30 days, as bars drawn from plain boxes."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from ogp_app.models.base import utcnow
from ogp_app.services.handler_calls import Call
from ogp_app.services.staff import analytics
from ogp_app.state.base import AppState
from ogp_app.state.staff import STAFF, display_day

CHART_HEIGHT = 160  # px


@dataclass(frozen=True)
class Bar:
    label: str
    views: int
    unique: int
    height: str  # CSS height of the bar, relative to the busiest day


@dataclass(frozen=True)
class PathLine:
    path: str
    views: int
    unique: int


class StaffStatsState(AppState):
    bars: list[Bar] = []  # oldest first: the chart
    newest_first: list[Bar] = []  # the table
    paths: list[PathLine] = []
    total_views: int = 0
    total_unique: int = 0

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self._fill(*await self._call(STAFF, _figures))

    def _fill(self, days: list[analytics.DayFigure], top: list[analytics.PathFigure]) -> None:
        peak = max((d.views for d in days), default=0) or 1
        self.bars = [
            Bar(
                label=display_day(d.day),
                views=d.views,
                unique=d.unique_visitors,
                height=f"{max(2, round(CHART_HEIGHT * d.views / peak)) if d.views else 0}px",
            )
            for d in days
        ]
        self.newest_first = list(reversed(self.bars))
        self.paths = [PathLine(path=p.path, views=p.views, unique=p.unique_visitors) for p in top]
        self.total_views = sum(d.views for d in days)
        self.total_unique = sum(d.unique_visitors for d in days)


def _figures(call: Call) -> tuple[list[analytics.DayFigure], list[analytics.PathFigure]]:
    now = utcnow()
    return analytics.daily_totals(call.db, now=now, days=30), analytics.top_paths(call.db, now=now, days=30)
