"""Turn news reports about armed conflict into validated, analysable claims data."""

from toolkit.errors import ProvenanceError, ReportError, ReportWarning, ToolkitError
from toolkit.evaluate import evaluate
from toolkit.extract.claims import extract_claims
from toolkit.extract.events import extract_events
from toolkit.provenance import check_provenance
from toolkit.reports import read_reports
from toolkit.tables import read_claims, read_events, write_table

__all__ = [
    "ProvenanceError",
    "ReportError",
    "ReportWarning",
    "ToolkitError",
    "check_provenance",
    "evaluate",
    "extract_claims",
    "extract_events",
    "read_claims",
    "read_events",
    "read_reports",
    "write_table",
]
__version__ = "0.1.0"
