"""Date expressions resolved against the publication date."""
import pytest

from kg import dates


@pytest.mark.parametrize("text,doc_date,value", [
    ("2025年12月8日,特朗普宣布", None, "2025-12-08"),
    ("12月8日,特朗普宣布", "2025-12-09", "2025-12-08"),
    ("12月30日的决定", "2026-01-05", "2025-12-30"),         # a month after publication: last year
    ("9月15日至16日举行会谈", "2025-09-18", "2025-09-15"),    # a range is dated by its start
    ("今年7月份恢复出口", "2025-12-09", "2025-07"),
    ("去年3月", "2025-12-09", "2024-03"),
    ("上月", "2025-01-10", "2024-12"),
    ("8月份他曾暗示", "2025-11-14", "2025-08"),
    ("从2022年开始", None, "2022"),
    ("2025-07-31发布", None, "2025-07-31"),
    ("十二月三日", "2025-12-09", "2025-12-03"),
])
def test_dates_resolve(text, doc_date, value):
    found = dates.find(text, doc_date)
    assert found and found[0].value == value


def test_deadline_is_not_the_date_of_the_act():
    found = dates.find("签下总统令,延期执行禁令至12月16日", "2025-09-18")
    assert [d.deadline for d in found] == [True]
    range_end = dates.find("9月15日至16日", "2025-09-18")
    assert not any(d.deadline for d in range_end)


def test_relative_dates_need_a_document_date():
    assert dates.find("今年7月", None) == []


def test_literals_are_typed():
    assert str(dates.literal("2025-12-08").datatype).endswith("#date")
    assert str(dates.literal("2025-07").datatype).endswith("#gYearMonth")
    assert str(dates.literal("2022").datatype).endswith("#gYear")


def test_an_undated_article_knows_months_and_days_but_not_this_month():
    from kg import dates
    found = {m.value for m in dates.find("5月13日宣布，本月9日公布，昨天表示，25日发布", dates.UNKNOWN_YEAR_DATE)}
    assert found == {"0004-05-13"}
    assert not dates.year_known("0004-05-13") and dates.year_known("2025-05-13")
