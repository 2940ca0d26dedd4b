"""The cross-examination of date translations: locating the date, its readings, the verdict."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui_models.dates.checks import MIN_CONFIDENCE, examine, locate, readings, scan

YEARS = (1970, 2030)


@pytest.mark.parametrize("text,span", [
    ("On Tue, Mar 2, 2021 at 9:14 AM John Smith <john@example.com> wrote:", "Tue, Mar 2, 2021"),
    ("Date: Tue, 14 Mar 2017 09:12:44 +0000", "Tue, 14 Mar 2017"),
    ("X-Original-Date: 2020-05-11T08:30:00Z", "2020-05-11"),
    ("When: Monday, 9 May 2022 14:00-15:00 (UTC+01:00) Amsterdam", "Monday, 9 May 2022"),
    ("March 9th, 2020 at 4pm", "March 9th, 2020"),
    ("Tue Mar 2 09:14:22 2021", "Tue Mar 2 2021"),  # ctime: the time inside is cut out
    ("the 4th of July 1976", "4th of July 1976"),
    ("banana", "banana"),
    # date words in groups apart: the one group that reads as a date
    ("Dep: 1 Sept 2021 23:55 Arr: 09:40 +1", "1 Sept 2021"),
    ("BA0117 18JUN23 LHR JFK 0825 1105", "18JUN23"),
    ("Order No. 5531, shipped 3 May 2020", "3 May 2020"),
    ("the 4th day of July in the year 1976", "4th day of July in the year 1976"),  # joiners keep one group
    ("from 3 May 2020 to 5 June 2021", "3 May 2020 to 5 June 2021"),  # two dates: the whole stretch
    ("Vaccination record: Dose 2 — 19 July 2021 — Lot EW0182", "19 July 2021"),  # a dash set off ends a group
    ("Game 6 | Wednesday, June 11th, 2014", "Wednesday, June 11th, 2014"),
    ("Kick-off Sun 3rd Sept 2017 at 4.30pm", "Sun 3rd Sept 2017"),  # a dotted time with pm is a time
    ("valid 3-5-2021", "3-5-2021"),  # a plain hyphen stays inside a date
    ("発行日 2019年7月15日 午後3時", "2019-7-15"),  # CJK: digits next to characters are numbers, 年/月 become dashes
    ("이 건물은 2001년 3월 9일에 완공", "2001-3-9"),
    ("rendez-vous le 3 juin 2024", "3 June 2024"),  # another language's month: the English name the model knows
    ("geboren op 2 maart 1950", "2 March 1950"),
    ("Sat Mar 4 10:12:00 2023 -0500", "Sat Mar 4 2023"),  # a zone after the year, once a time came
    ("dinner sun 5th may 2024 at 8", "sun 5th may 2024"),  # an hour after "at"
    ("2/3/22,Gadget,7,4.50", "2/3/22"),  # prices are not date words
    ("Sold 1,250 copies by 3 May 2020", "3 May 2020"),
    ("10.1.1.7 - bob [21/Aug/2021:07:15:02 +0200] \"GET /a HTTP/1.1\" 200 88", "21/Aug/2021"),  # brackets end a group
    ("Photo 2022-05-06 at 18.30.12.png", "2022-05-06"),  # a dotted time after "at"
    ("EXIF DateTime: 2018:04:22 10:01:09", "2018-04-22"),  # EXIF's colons read as a date
    ("7       Fri Jun 18 10:20:30 2021 x", "Fri Jun 18 2021"),  # columns apart; ctime's year after its time
    ("Line 9: Friday, 8 March 2024", "Friday, 8 March 2024"),  # a colon and a space end a group
    ("4,Gizmo,2,07/08/2020,shipped", "07/08/2020"),  # a CSV comma between numbers ends a group
    ("card ****5512 paid 11 Jan 2022", "11 Jan 2022"),  # a masked or long number is not a date word
    ("IMG_20220311_104455.jpg", "20220311"),
    ("2020-01-02 08:00:00 +0000 (Thu, 02 Jan 2020)", "2020-01-02"),  # the same date twice: the first
])
def test_locate_finds_the_dates_stretch_without_times(text: str, span: str) -> None:
    assert locate(text).text == span


def test_a_label_before_a_number_outside_the_date_does_not_decline_it() -> None:
    verdict = examine("Order No. 5531, shipped 3 May 2020", "2020-05-03", 0.99, years=YEARS)
    assert verdict.status == "date" and verdict.iso == "2020-05-03"
    assert examine("Employee ID 19850317", "1985-03-17", 0.99, years=YEARS).reason.startswith("not a date: the number is labelled")


def test_digits_glued_to_words_are_codes_not_numbers() -> None:
    kinds = [(t.text, t.kind) for t in scan("Q2 BA0117 k3si812 18JUN23")]
    assert kinds == [("Q2", "word"), ("BA0117", "word"), ("k3si812", "word"),
                     ("18", "number"), ("JUN", "month"), ("23", "number")]


@pytest.mark.parametrize("text,dates,ambiguous", [
    ("03/04/05", ["2005-04-03", "2005-03-04"], True),
    ("31/12/2020", ["2020-12-31"], False),  # no month 31: day first is the only reading
    ("12-25-2020", ["2020-12-25"], False),
    ("2019.03.12", ["2019-03-12"], False),  # year first is not ambiguous
    ("7/7/77", ["1977-07-07"], False),  # both orders agree
    ("20190805", ["2019-08-05"], False),
    ("Septmber 30th 2017", ["2017-09-30"], False),  # one letter off a month name
    ("1. März 2018", ["2018-03-01"], False),
    ("4 jul 68", ["2068-07-04"], False),  # POSIX pivot: 00–68 → 20xx
    ("4 jul 69", ["1969-07-04"], False),
    ("Sunday the 7th, 7 May 2023", ["2023-05-07"], False),  # a day said twice is one day
    ("remember 5/6/07", ["2007-06-05", "2007-05-06"], True),  # "remember" is not a misspelt December
    ("match on 4/5/2021", ["2021-05-04", "2021-04-05"], True),  # nor "match" March
])
def test_readings_come_from_the_text_alone(text: str, dates: list[str], ambiguous: bool) -> None:
    found = readings(locate(text).tokens)
    assert [d.isoformat() for d in found.dates] == dates and found.ambiguous is ambiguous


@pytest.mark.parametrize("text,answer,reason", [
    ("banana", "2000-01-01", "not a date: no day, month or year in it"),
    ("Call at 14:30 CET", "2000-12-14", "not a date: a time only"),
    ("31/09/2021", "2021-01-09", "not a date: September 2021 has 30 days, not 31"),
    ("2021-02-29", "2021-02-09", "not a date: February 2021 has 28 days, not 29"),
    ("Due: 15 March", "2010-03-15", "not a date: no year"),
    ("Stand: 04/2021", "2021-01-04", "not a date: not a whole date"),
    ("christmas 2020", "2020-05-00", "not a date: not a whole date"),
    ("Total due: $1,203.12", "2012-07-01", "not a date: no day, month or year in it"),  # an amount
    ("Phone: +44 20 7946 0958", "1996-04-04", "labelled as an identifier ('Phone')"),
    ("+44 20 7946 0958", "1996-04-04", "not a date: 4 numbers: more than a date"),
    ("Employee ID 19850317", "1985-03-17", "labelled as an identifier ('ID')"),
    ("Invoice #20190805", "2019-08-05", "labelled as an identifier ('#')"),
    ("Firmware 2.10.4, build 20180302", "2018-03-02", "labelled as an identifier"),
    ("Sat, 15 Jan 2021", "2021-01-15", "not a date: 15 January 2021 was a Friday, not a Saturday"),
    ("31/12/2020", "2020-01-12", "not sure: the model read 2020-01-12, but the text says 2020-12-31"),
    ("4 july 1850", "1970-07-04", "not sure: the model read 1970-07-04"),
    ("4 july 2045", "2045-07-04", "not sure: the model learned the years 1970–2030, not 2045"),
])
def test_declined_with_the_reason(text: str, answer: str, reason: str) -> None:
    verdict = examine(text, answer, 0.99, years=YEARS)
    assert verdict.declined and verdict.iso is None and reason in verdict.reason


def test_a_date_passes_every_check_and_low_confidence_is_not_sure() -> None:
    assert examine("Sent: Friday, October 12, 2018 3:47 PM", "2018-10-12", 0.9, years=YEARS).iso == "2018-10-12"
    unsure = examine("12 October 2018", "2018-10-12", MIN_CONFIDENCE / 2, years=YEARS)
    assert unsure.declined and unsure.reason.startswith("not sure: the model is only")


def test_ambiguous_dates_give_every_reading_and_a_weekday_settles_them() -> None:
    verdict = examine("Invoice date: 03/04/2023", "2023-04-03", 0.99, years=YEARS)
    assert verdict.status == "ambiguous" and verdict.readings == ("2023-04-03", "2023-03-04") and verdict.iso is None
    settled = examine("Meeting: Tue 3/8/2022 2:00 PM", "2022-03-08", 0.99, years=YEARS)  # 8 March 2022 was a Tuesday
    assert settled.status == "date" and settled.iso == "2022-03-08"


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1970, 1, 1), dt.date(2030, 12, 31)),
       st.sampled_from(["%d %B %Y", "%B %d, %Y", "%a, %d %b %Y %H:%M:%S +0000", "%Y-%m-%dT%H:%M:%SZ",
                        "%A %d %B %Y at %I%p", "%d-%b-%Y", "%Y%m%d", "%Y/%m/%d", "on %d %b %Y"]),
       st.sampled_from(["", "Date: ", "Due ", "Sent: "]))
def test_a_right_answer_about_an_unambiguous_date_is_a_date(day: dt.date, pattern: str, prefix: str) -> None:
    text = prefix + dt.datetime(day.year, day.month, day.day, 14, 5).strftime(pattern)
    verdict = examine(text, day.isoformat(), 0.99, years=YEARS)
    assert verdict.status == "date" and verdict.iso == day.isoformat(), (text, verdict)


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1970, 1, 1), dt.date(2030, 12, 31)), st.dates(dt.date(1970, 1, 1), dt.date(2030, 12, 31)),
       st.sampled_from(["%d %B %Y", "%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %y"]))
def test_a_wrong_answer_is_never_given_as_a_date(day: dt.date, answer: dt.date, pattern: str) -> None:
    text = day.strftime(pattern)
    verdict = examine(text, answer.isoformat(), 0.99, years=YEARS)
    if verdict.status == "date":
        assert verdict.iso == answer.isoformat()
        assert answer == day or (answer.year, answer.month, answer.day) == (day.year, day.day, day.month)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gets_a_verdict(text: str) -> None:
    verdict = examine(text, "2000-01-01", 0.99, years=YEARS)
    assert verdict.status in ("date", "ambiguous", "declined")
    assert (verdict.iso is None) == (verdict.status != "date")
    assert verdict.declined == bool(verdict.reason.startswith(("not a date", "not sure")))


ANSWERS = st.dates(dt.date(1970, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=40), ANSWERS)
def test_words_without_numbers_are_never_a_date(text: str, answer: str) -> None:
    assert examine(text, answer, 1.0, years=YEARS).declined


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["{h}:{m:02d}", "{h:02d}:{m:02d}:00", "{h}pm", "at {h} am",
                                                                   "{h}:{m:02d} CET", "T{h:02d}:{m:02d}:00Z"]), ANSWERS)
def test_times_alone_are_not_dates(hour: int, minute: int, pattern: str, answer: str) -> None:
    verdict = examine(pattern.format(h=hour, m=minute), answer, 1.0, years=YEARS)
    assert verdict.declined


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**12).filter(lambda n: len(str(n)) != 8), ANSWERS)
def test_a_lone_number_is_not_a_date(number: int, answer: str) -> None:
    assert examine(str(number), answer, 1.0, years=YEARS).declined


@settings(max_examples=300, deadline=None)
@given(st.integers(1970, 2030), st.sampled_from([(2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31), (2, 29)]),
       st.sampled_from(["{d} {month} {y}", "{month} {d}, {y}", "{y}-{m:02d}-{d:02d}", "{d}.{m}.{y}"]), ANSWERS)
def test_impossible_dates_are_declined(year: int, month_day: tuple[int, int], pattern: str, answer: str) -> None:
    month, day = month_day
    if (month, day) == (2, 29) and year % 4 == 0:
        year += 1  # no 29 February
    text = pattern.format(d=day, m=month, y=year, month=calendar.month_name[month])
    verdict = examine(text, answer, 1.0, years=YEARS)
    assert verdict.declined and "days, not" in verdict.reason, (text, verdict)


@pytest.mark.parametrize("text", ["v1.2.3", "version 2.10.3", "1.2.3", "Python 3.11", "release 4.0.12"])
def test_version_strings_are_not_dates(text: str) -> None:
    assert examine(text, "2003-02-01", 1.0, years=YEARS).declined


def test_an_upper_case_month_after_an_identifier_is_a_month_not_a_codes_letters() -> None:
    verdict = examine("Archive | Vol. 142, No. 37 | OCT. 27, 1995", "1995-10-27", 0.99, years=(1900, 2099))
    assert verdict.iso == "1995-10-27"
    assert examine("Ref: JM/04/11/22", "2022-11-04", 0.99, years=YEARS).declined  # a code's letters still are


@pytest.mark.parametrize("text,answer,iso", [
    ("Date of birth (DD/MM/YYYY): 09/12/1992", "1992-09-12", "1992-12-09"),  # the model's order overruled
    ("EXP 11/04/25 (MM/DD/YY)", "2025-11-04", "2025-11-04"),
    ("Date of travel: 07/04/2022 (dd.mm.yyyy)", "2022-07-04", "2022-04-07"),
])
def test_a_written_format_settles_the_day_and_month_order(text: str, answer: str, iso: str) -> None:
    verdict = examine(text, answer, 0.99, years=YEARS)
    assert verdict.status == "date" and verdict.iso == iso and "as the format" in verdict.reason
    assert examine("07/04/2022", "2022-07-04", 0.99, years=YEARS).status == "ambiguous"  # no format: both readings


def test_a_weekday_settles_the_order_of_an_all_number_date() -> None:
    verdict = examine("Fri 04/06/2021 dentist", "2021-04-06", 0.99, years=YEARS)  # 4 June 2021 was a Friday
    assert verdict.status == "date" and verdict.iso == "2021-06-04" and "weekday" in verdict.reason
    assert examine("Tue 09/03/2021", "2021-09-03", 0.99, years=YEARS).iso == "2021-03-09"  # 3 Sept was a Friday
    both = examine("Thu 05/09/2024", "2024-09-05", 0.99, years=YEARS)  # 5 Sept and 9 May 2024: both Thursdays
    assert both.status == "ambiguous" and set(both.readings) == {"2024-09-05", "2024-05-09"}


def test_an_identifier_label_counts_only_right_before_the_date() -> None:
    assert examine("order_5531 | 2019-04-02 | sent", "2019-04-02", 0.99, years=YEARS).iso == "2019-04-02"
    assert "identifier" in examine("Invoice #20190805", "2019-08-05", 0.99, years=YEARS).reason


@pytest.mark.parametrize("text,answer,iso,how", [
    ("Geburtsdatum: 03.02.1967", "1967-02-03", "1967-02-03", "day first"),
    ("Paket zugestellt am 02.05.2023 um 13:27 Uhr", "2023-05-02", "2023-05-02", "day first"),
    ("Lovely stay! The Nguyens from Perth, Australia, 2/9/2019", "2019-09-02", "2019-09-02", "day first"),
    ("Geburt: 2.3.1940 in Köln", "1940-03-02", "1940-03-02", "day first"),
    ("Ohio BMV application (US dates) — Date signed: 07/04/2023", "2023-07-04", "2023-07-04", "month first"),
])
def test_the_country_or_language_of_a_text_settles_the_order(text: str, answer: str, iso: str, how: str) -> None:
    verdict = examine(text, answer, 0.99, years=(1900, 2099))
    assert verdict.status == "date" and verdict.iso == iso and how in verdict.reason
    # even when the model read the other way round: the text decides, not the model
    other = f"{iso[:4]}-{iso[8:]}-{iso[5:7]}"
    assert examine(text, other, 0.99, years=(1900, 2099)).iso == iso


@pytest.mark.parametrize("text", [
    "let us meet on 03/04/2021",  # "us" in lower case is a pronoun, not the country
    "US office, Berlin team: 03/04/2021 — Köln",  # cues both ways settle nothing
    "03/04/2021",
])
def test_without_a_clear_cue_an_all_number_date_stays_ambiguous(text: str) -> None:
    assert examine(text, "2021-04-03", 0.99, years=YEARS).status == "ambiguous"


@pytest.mark.parametrize("text", [
    "from 12 to 15 August 2022", "Return: 19–21 May 2024 (flexible)", "May 3-5, 2021",
    "the 3rd to the 5th of May 2021", "between 4 and 6 June 2020",
])
def test_a_range_of_days_is_not_one_day(text: str) -> None:
    verdict = examine(text, "2022-08-15", 0.99, years=(1900, 2099))
    assert verdict.declined and "a range of days" in verdict.reason


@pytest.mark.parametrize("text", ["Vaccination record: Dose 2 — 19 July 2021 — Lot EW0182", "2021-07-19"])
def test_numbers_apart_or_inside_an_iso_date_are_no_range(text: str) -> None:
    assert examine(text, "2021-07-19", 0.99, years=YEARS).iso == "2021-07-19"


@pytest.mark.parametrize("text,iso", [
    ("令和3年5月1日 入籍しました", "2021-05-01"),  # a Japanese era year
    ("平成元年1月8日", "1989-01-08"),
    ("Ring inscription: Forever — 20.IX.2003", "2003-09-20"),  # a Roman-numeral month
    ("Rio de Janeiro, 7 de setembro de 1922", "1922-09-07"),  # a place named after a month
    ("Kraków, 11 listopada 1918", "1918-11-11"),  # Polish months
    ("mtg 4 déc 2019 w/ Pierre", "2019-12-04"),
    ("Jan's bday: 17 Mrz 1990", "1990-03-17"),  # "Jan's" is a name
    ("INSERT INTO payments (id, paid_on) VALUES (8812, '1999-12-31');", "1999-12-31"),  # an ISO date apart
    ("backup-2023-08-15_0300.tar.gz created (4.1G)", "2023-08-15"),
    ("Firmware 2.1.12 (build 2021-04-30)", "2021-04-30"),  # a version is no date; a written ISO date is one
    ("Date:  12 / 25 / 2019  Period 3", "2019-12-25"),
])
def test_dates_written_in_other_ways_are_read(text: str, iso: str) -> None:
    span = locate(text).text
    assert examine(text, iso, 0.99, years=(1900, 2099)).iso == iso, span
    if text.startswith("Date:"):
        assert span == "12/25/2019"  # the model reads the slashes without spaces


def test_eight_digits_glued_to_letters_are_a_code() -> None:
    assert examine("sha256:20210312e4b7c9a0f1d2c3b4a5968776", "2021-03-12", 0.99, years=YEARS).declined
    assert examine("IMG_20210312_101500.jpg", "2021-03-12", 0.99, years=YEARS).iso == "2021-03-12"
    assert examine("20210312T101500Z", "2021-03-12", 0.99, years=YEARS).iso == "2021-03-12"
