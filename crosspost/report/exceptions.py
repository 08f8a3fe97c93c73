"""Typed errors of the provenance report."""

from crosspost.exceptions import CrosspostError


class NoCommittedData(CrosspostError):
    """The dates asked for have no committed partition: there is nothing to report on."""


class ReportOutputError(CrosspostError):
    """The report file could not be written (no such folder, no permission, disk full)."""
