"""The closed vocabularies of a statistic record, as in SPEC.md.

They are StrEnums so that JSON output, DuckDB enum types and the lexicon
files all use the same plain codes.
"""

from enum import StrEnum


class Subject(StrEnum):
    """What is counted."""

    party_member = "party_member"
    party_org = "party_org"
    party_candidate = "party_candidate"
    union_org = "union_org"
    union_member = "union_member"
    youth_org = "youth_org"
    youth_member = "youth_member"
    women_org = "women_org"
    women_member = "women_member"
    veterans_org = "veterans_org"
    veterans_member = "veterans_member"
    worker = "worker"
    enterprise = "enterprise"
    class_ = "class"
    indicator = "indicator"
    other = "other"


class Measure(StrEnum):
    """What happened to the subject: a stock (count, share) or a flow."""

    count = "count"
    admitted = "admitted"
    established = "established"
    trained = "trained"
    target = "target"
    exceeded = "exceeded"
    share = "share"
    achieved = "achieved"
    other = "other"


class Unit(StrEnum):
    count = "count"
    percent = "percent"


class Qualifier(StrEnum):
    """How exact the figure is, as the text hedges it."""

    exact = "exact"
    approx = "approx"
    more_than = "more_than"
    at_least = "at_least"
    less_than = "less_than"
    range = "range"


class Level(StrEnum):
    """How much of its province a figure speaks for: what makes two provinces' figures comparable."""

    national = "national"
    province = "province"
    sector = "sector"
    district = "district"
    commune = "commune"
    unit = "unit"
