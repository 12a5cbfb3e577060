"""Report generation: the async builder, and the sync CLI entry point wrapped around it."""
import asyncio
import sys

import pytest

SECTIONS = ("revenue", "refunds", "churn")


async def build_section(name):
    await asyncio.sleep(0)
    return {"name": name, "rows": len(name)}


async def build_report(month):
    sections = await asyncio.gather(*(build_section(name) for name in SECTIONS))
    return {"month": month, "sections": sections}


def main(argv):
    report = asyncio.run(build_report(argv[0]))
    print(f"{report['month']}: {len(report['sections'])} sections")
    return 0


@pytest.fixture
def month():
    return "2024-05"


def test_report_has_every_section(month, capsys):
    report = asyncio.run(build_report(month))
    assert [s["name"] for s in report["sections"]] == list(SECTIONS)
    # the CLI runs its own loop afterwards (asyncio.run inside a running loop would fail)
    assert main([month]) == 0
    assert capsys.readouterr().out == "2024-05: 3 sections\n"


def test_cli_prints_summary(month, capsys):
    assert main([month]) == 0
    assert capsys.readouterr().out == "2024-05: 3 sections\n"


class TestSections:
    def test_rows_count_letters(self):
        section = asyncio.run(build_section("refunds"))
        assert section["rows"] == 7


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
