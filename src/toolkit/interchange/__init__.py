"""Exchange claims with other tools: HXL-tagged CSV out and in, UCDP GED and IOM DTM in.

See docs/interchange.md for the hashtag mapping and the import rules. Parquet export is
`toolkit.tables.write_table(frame, "x.parquet")`.
"""

from toolkit.interchange.dtm import read_iom_dtm
from toolkit.interchange.hxl import (
    InterchangeError,
    events_to_hxl,
    read_hxl_claims,
    read_hxl_events,
    to_hxl,
    write_hxl,
)
from toolkit.interchange.ucdp import read_ucdp_ged

__all__ = [
    "InterchangeError",
    "events_to_hxl",
    "read_hxl_claims",
    "read_hxl_events",
    "read_iom_dtm",
    "read_ucdp_ged",
    "to_hxl",
    "write_hxl",
]
