"""The toolkit's own exceptions and warnings: each names the file and the problem."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base class for every error the toolkit raises on purpose."""


class ReportError(ToolkitError):
    """A report file cannot be read as a report; the message starts with its path."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class ReportWarning(UserWarning):
    """A report was read, but something in it deserves a look."""


class ProvenanceError(ToolkitError):
    """Claims or events do not point at evidence in their reports."""
