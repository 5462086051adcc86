"""Controlled vocabularies of the claims contract, in one place.

These are the contract's own words (not tunable lexicons), so they live in code
next to the schemas that enforce them.
"""

from __future__ import annotations

CATEGORY_UNITS: dict[str, tuple[str, ...]] = {
    "displaced": ("people", "families"),
    "population": ("people", "families"),
    "civilians_killed": ("people",),
    "children_killed": ("people",),
    "combatants_killed": ("people",),
    "people_killed": ("people",),
    "wounded": ("people",),
    "detained": ("people",),
    "surrendered": ("people",),
    "troops_deployed": ("people",),
    "territory_share": ("percent",),
    "front_distance": ("km",),
}
CATEGORIES = tuple(CATEGORY_UNITS)
UNITS = ("people", "families", "percent", "km")
QUALIFIERS = (
    "exact",
    "approx",
    "at_least",
    "more_than",
    "at_most",
    "up_to",
    "almost",
    "range",
    "vague",
)
POINT_QUALIFIERS = ("exact", "approx")
LOWER_QUALIFIERS = ("at_least", "more_than")
UPPER_QUALIFIERS = ("at_most", "up_to", "almost")

ACTIONS = ("captured", "advanced", "repelled", "withdrew", "holds")
STANCES = ("asserted", "denied")

# Flows cover a span of days; stocks and shares are as of one day.
STOCK_CATEGORIES = ("population", "territory_share", "front_distance")
FLOW_CATEGORIES = tuple(c for c in CATEGORIES if c not in STOCK_CATEGORIES)

# Upper limits beyond which a value is absurd rather than merely large.
UNIT_MAXIMUM = {"people": 1e8, "families": 2e7, "percent": 100.0, "km": 20_000.0}

PLACE_KINDS = (
    "country",
    "governorate",
    "city",
    "city part",
    "district",
    "village",
    "landmark",
    "river",
    "region",
)
SOURCE_KINDS = (
    "monitor",
    "state media",
    "government",
    "military",
    "UN agency",
    "armed group",
    "news agency",
    "news outlet",
    "foreign government",
    "local authority",
    "NGO",
)
ALIGNMENTS = ("government", "opposition", "Kurdish", "international", "other")
ACTOR_SIDES = ("government", "opposition", "jihadist", "Kurdish", "international", "other")
