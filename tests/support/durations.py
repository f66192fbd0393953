"""At the end of a run: the time each part of the suite took (setup + call + teardown per directory).

A session fixture's setup counts for the test that first needs it (the app build for the first browser
test), so a directory's figure is what leaving it out would save.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest


class DirectoryDurations:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.tests: defaultdict[str, int] = defaultdict(int)

    @staticmethod
    def part(nodeid: str) -> str:
        path = nodeid.split("::", 1)[0].split("/")
        return "/".join(path[:2]) if len(path) > 2 else path[0]

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        part = self.part(report.nodeid)
        self.seconds[part] += report.duration
        if report.when == "setup":
            self.tests[part] += 1

    @pytest.hookimpl(trylast=True)  # after pytest's slowest tests
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.seconds:
            return
        terminalreporter.write_sep("=", "time per directory (setup + call + teardown)")
        for part, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{part:<24} {self.tests[part]:>5} tests {seconds:>9.1f} s")
        wall = time.monotonic() - self.started
        terminalreporter.write_line(f"{'wall clock':<24} {sum(self.tests.values()):>5} tests {wall:>9.1f} s")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(DirectoryDurations(), "ogp-directory-durations")
