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
    """A report was read, but something in it deserves a look.

    Warnings about one file are built with `ReportWarning.about(path, problem)`: the
    message starts with the path, and `path` and `problem` are kept as attributes so a
    batch ledger can attach each warning to its file. Warnings about a batch (raised
    with a plain message) have `path` None.
    """

    path: str | None = None
    problem: str | None = None

    @classmethod
    def about(cls, path: object, problem: str) -> ReportWarning:
        warning = cls(f"{path}: {problem}")
        warning.path, warning.problem = str(path), problem
        return warning


class ProvenanceError(ToolkitError):
    """Claims or events do not point at evidence in their reports."""


class LedgerError(ToolkitError):
    """A batch ledger does not add up: some input file is neither loaded nor rejected."""
