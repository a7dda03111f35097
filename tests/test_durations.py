"""Durations (spec section 3): parsing, working time, and how readers see them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from conftest import ROOT
from sop_manual.durations import UNITS, DurationError, WorkingTime, is_duration, parse_duration, split_seconds
from sop_manual.rendering import Renderer, Settings


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("10 menit", 10, 10, "menit"),
        ("1,5 jam", Fraction(3, 2), Fraction(3, 2), "jam"),
        ("1.5 jam", Fraction(3, 2), Fraction(3, 2), "jam"),
        ("0,25 hari", Fraction(1, 4), Fraction(1, 4), "hari"),
        ("5-10 menit", 5, 10, "menit"),
        ("5 - 10 menit", 5, 10, "menit"),
        ("1,5-2,5 jam", Fraction(3, 2), Fraction(5, 2), "jam"),
        ("3 hari kerja", 3, 3, "hari kerja"),
        ("3 Hari  Kerja", 3, 3, "hari kerja"),
        ("2 HARI", 2, 2, "hari"),
        ("30 detik", 30, 30, "detik"),
        ("2 minggu", 2, 2, "minggu"),
        ("12 bulan", 12, 12, "bulan"),
        ("  15 Menit  ", 15, 15, "menit"),
        ("10menit", 10, 10, "menit"),
    ],
)
def test_parse(text, low, high, unit):
    duration = parse_duration(text)
    assert (duration.low, duration.high, duration.unit) == (low, high, unit)
    assert duration.text == text  # shown to readers as the editor wrote it


@pytest.mark.parametrize(
    "text",
    ["", "10", "menit", "2 jm", "1 tahun", "sehari", "1 hari 2 jam", "-5 menit", "5- menit", "1,5,5 jam",
     "2 hari kerjaan", "dua jam", "5 menit lagi", "5–10 menit"],
)
def test_not_a_duration_names_the_accepted_units(text):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert message.startswith(f"'{text}' is not a duration")
    assert "detik, menit, jam, hari, hari kerja, minggu, bulan" in message
    assert not is_duration(text)


def test_a_range_that_ends_before_it_starts_is_not_a_duration():
    with pytest.raises(DurationError, match="the range ends before it starts"):
        parse_duration("10-5 menit")


def test_units_are_those_of_the_spec():
    assert UNITS == ("detik", "menit", "jam", "hari", "hari kerja", "minggu", "bulan")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30 detik", Fraction(1, 2)),
        ("90 detik", Fraction(3, 2)),
        ("10 menit", 10),
        ("1 jam", 60),
        ("1,5 jam", 90),
        ("1 hari", 8 * 60),
        ("1 hari kerja", 8 * 60),
        ("0,5 hari", 4 * 60),
        ("1 minggu", 5 * 8 * 60),
        ("1 bulan", 4 * 5 * 8 * 60),
        ("2 bulan", 2 * 4 * 5 * 8 * 60),
    ],
)
def test_working_time_of_a_duration(text, minutes):
    low, high = parse_duration(text).minutes(WorkingTime())
    assert low == high == minutes


def test_a_range_gives_its_low_and_high_ends():
    assert parse_duration("1-3 hari kerja").minutes(WorkingTime()) == (480, 1440)


def test_the_working_day_is_configurable_and_weeks_and_months_follow_it():
    seven = WorkingTime(hours_per_day=7)
    assert parse_duration("1 hari").minutes(seven) == (420, 420)
    assert parse_duration("1 hari kerja").minutes(seven) == (420, 420)
    assert parse_duration("1 minggu").minutes(seven) == (5 * 420, 5 * 420)
    assert parse_duration("1 bulan").minutes(seven) == (20 * 420, 20 * 420)
    assert parse_duration("2 jam").minutes(seven) == (120, 120)  # an hour is always an hour


def test_split_seconds_in_the_largest_units():
    day = 8 * 3600
    assert split_seconds((2 * 480 + 95) * 60, WorkingTime()) == [(2, "hari"), (1, "jam"), (35, "menit")]
    assert split_seconds(20 * day + 5 * day + day + 61, WorkingTime()) == [
        (1, "bulan"), (1, "minggu"), (1, "hari"), (1, "menit"), (1, "detik")]
    assert split_seconds(0, WorkingTime()) == []


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer([ROOT / "overrides"], Settings())


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        ((2 * 8 * 60 + 60 + 35) * 60, "2 hari 1 jam 35 menit"),
        (8 * 3600, "1 hari"),          # 8 hours are a working day, not "8 jam"
        (9 * 3600, "1 hari 1 jam"),
        (5 * 8 * 3600, "1 minggu"),
        (4 * 5 * 8 * 3600, "1 bulan"),
        (4 * 5 * 8 * 3600 + 2 * 8 * 3600, "1 bulan 2 hari"),
        (60, "1 menit"),
        (90, "1 menit 30 detik"),
        (45, "45 detik"),
        (0, "kurang dari 1 menit"),
    ],
)
def test_format_seconds_in_largest_units(renderer, seconds, text):
    assert renderer.format_seconds(seconds) == text


def test_format_seconds_follows_the_configured_working_day_and_language():
    seven = Renderer([ROOT / "overrides"], Settings(hours_per_day=7))
    assert seven.format_seconds(8 * 3600) == "1 hari 1 jam"
    english = Renderer([ROOT / "overrides"], Settings(language="en"))
    assert english.format_seconds((2 * 8 * 60 + 3 * 60 + 35) * 60) == "2 days 3 hours 35 minutes"
