"""Report: the JSON contract, an HTML page and a terminal summary."""

from newstrace.report.html import render_html
from newstrace.report.jsonreport import SCHEMA_PATH, load_schema, validate_report
from newstrace.report.terminal import print_summary

__all__ = ["SCHEMA_PATH", "load_schema", "print_summary", "render_html", "validate_report"]
