"""Reports render their sections on the test's loop (pytest-asyncio 0.21 tests)."""

from batch import Report


def test_report_renders_its_sections(event_loop):
    report = Report(event_loop, ["totals", "errors"])
    assert report.render() == "TOTALS\nERRORS"


def test_empty_report(event_loop):
    assert Report(event_loop, []).render() == ""
