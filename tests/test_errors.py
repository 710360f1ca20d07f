"""Every coded error lives in ``newstrace.errors`` and owns its code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import newstrace
from newstrace import errors
from newstrace.errors import NewstraceError


def _coded_classes_in(module) -> list[type[NewstraceError]]:
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, NewstraceError)
        and obj.__module__ == module.__name__
    ]


def test_codes_are_unique_and_well_formed():
    classes = _coded_classes_in(errors)
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes)), sorted(codes)
    assert all(code.startswith("NT") and len(code) == 5 and code[2:].isdigit() for code in codes)


def test_every_coded_error_is_defined_in_errors_module():
    elsewhere = []
    for info in pkgutil.walk_packages(newstrace.__path__, "newstrace."):
        if info.name == "newstrace.errors" or info.name.startswith("newstrace.store.migrations"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue  # an optional extra is not installed
        elsewhere += [f"{info.name}.{cls.__name__}" for cls in _coded_classes_in(module)]
    assert elsewhere == [], "coded errors belong in newstrace.errors"


def test_the_tree_in_the_docstring_names_every_class_with_its_code():
    for cls in _coded_classes_in(errors):
        assert f"{cls.__name__}" in errors.__doc__
        assert cls.code in errors.__doc__
