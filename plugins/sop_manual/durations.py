"""Durations as SOPs state them: ``3 hari kerja``, ``1,5 jam``, ``5-10 menit``.

Totals count working time: 1 jam = 60 menit, 1 hari = 1 hari kerja = 8 jam
(configurable), 1 minggu = 5 hari kerja, 1 bulan = 4 minggu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .suggestions import closest

UNITS = ("detik", "menit", "jam", "hari", "hari kerja", "minggu", "bulan")

_NUMBER = r"\d+(?:[.,]\d+)?"
_PATTERN = re.compile(
    rf"^\s*(?P<low>{_NUMBER})\s*(?:-\s*(?P<high>{_NUMBER})\s*)?"
    rf"(?P<unit>hari\s+kerja|detik|menit|jam|hari|minggu|bulan)\s*$",
    re.IGNORECASE,
)


class DurationError(ValueError):
    """A text that is not a duration; the message names the accepted units."""


@dataclass(frozen=True)
class WorkingTime:
    """How long a working day is; the other units derive from it."""

    hours_per_day: int = 8

    def minutes_per(self, unit: str) -> int:
        day = self.hours_per_day * 60
        return {
            "detik": 0,  # handled as a fraction below
            "menit": 1,
            "jam": 60,
            "hari": day,
            "hari kerja": day,
            "minggu": 5 * day,
            "bulan": 20 * day,
        }[unit]

    def to_minutes(self, amount: Fraction, unit: str) -> Fraction:
        if unit == "detik":
            return amount / 60
        return amount * self.minutes_per(unit)


@dataclass(frozen=True)
class Duration:
    """A parsed duration; a plain value has ``low == high``."""

    text: str
    low: Fraction
    high: Fraction
    unit: str

    def minutes(self, working_time: WorkingTime) -> tuple[Fraction, Fraction]:
        return (working_time.to_minutes(self.low, self.unit), working_time.to_minutes(self.high, self.unit))


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def parse_duration(text: str) -> Duration:
    match = _PATTERN.match(str(text))
    if not match:
        raise DurationError(
            f"'{text}' is not a duration: write '<number> <unit>' or a range '<number>-<number> <unit>',"
            f" with unit one of: {', '.join(UNITS)}" + _suggestion(str(text))
        )
    low = _number(match["low"])
    high = _number(match["high"]) if match["high"] else low
    if high < low:
        raise DurationError(f"'{text}' is not a duration: the range ends before it starts")
    unit = re.sub(r"\s+", " ", match["unit"].lower())
    return Duration(text=str(text), low=low, high=high, unit=unit)


_AMOUNT_AND_WORD = re.compile(rf"^\s*(?P<amount>{_NUMBER}(?:\s*-\s*{_NUMBER})?)\s*(?P<unit>\D+?)\s*$")


def _suggestion(text: str) -> str:
    """``; did you mean '3 hari kerja'?`` for ``3 hari kerj`` (a number and a misspelt unit)."""
    match = _AMOUNT_AND_WORD.match(text)
    if not match:
        return ""
    unit = closest(re.sub(r"\s+", " ", match["unit"]), UNITS)
    return f"; did you mean '{match['amount']} {unit}'?" if unit else ""


def is_duration(text: object) -> bool:
    try:
        parse_duration(str(text))
    except DurationError:
        return False
    return True


def split_seconds(total_seconds: int, working_time: WorkingTime) -> list[tuple[int, str]]:
    """Whole seconds -> ``[(2, "hari"), (1, "jam"), (35, "menit")]`` in the largest fitting units."""
    parts: list[tuple[int, str]] = []
    remaining = total_seconds
    for unit in ("bulan", "minggu", "hari", "jam", "menit"):
        size = working_time.minutes_per(unit) * 60
        count, remaining = divmod(remaining, size)
        if count:
            parts.append((count, unit))
    if remaining:
        parts.append((remaining, "detik"))
    return parts
