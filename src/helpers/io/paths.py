"""Where the workbook lives and how paths are resolved and shown (the bottom of :mod:`helpers.io`)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

__all__ = ["workbook_root", "resolve_path", "display_path"]


def _is_workbook_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "notebooks").is_dir()


def _find_root_above(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if _is_workbook_root(folder):
            return folder
    return None


def workbook_root() -> Path:
    """The workbook folder (holding ``pyproject.toml`` and ``notebooks/``).

    Searched upwards from the current directory first, then from this file's location; falls back to the
    current directory when neither lies inside a workbook (e.g. the package installed elsewhere).
    """
    cwd = Path.cwd().resolve()
    return _find_root_above(cwd) or _find_root_above(Path(__file__).resolve().parent) or cwd


def resolve_path(p: str | os.PathLike) -> Path:
    """Resolve a path the way every helper does, so notebooks work from the repo root or from ``notebooks/``.

    Absolute paths (after ``~`` expansion) are returned unchanged. A relative path is taken relative to the
    current directory when it exists there; otherwise relative to the workbook root (:func:`workbook_root`)
    when it exists there, or when the current directory lies inside the workbook (so a new output folder
    such as ``reports/x`` lands in the workbook, not in ``notebooks/``). Otherwise it stays relative to the
    current directory. The result is absolute.
    """
    path = Path(p).expanduser()
    if path.is_absolute():
        return path
    cwd = Path.cwd()
    here = cwd / path
    if here.exists():
        return here
    root = workbook_root()
    there = root / path
    if there.exists():
        return there
    inside = _find_root_above(cwd.resolve())
    if inside is not None:
        return inside / path
    return here


def display_path(path: str | os.PathLike | None, *, relative_to: Literal["cwd", "root"] = "cwd",
                 resolve: bool = True) -> str:
    """``path`` as people should read it in messages and pages (the one way the workbook shows a path).

    ``relative_to="cwd"``: relative to the current directory when it lies below it, else as given.
    ``relative_to="root"``: relative to the workbook root when inside it, so a notebook run from
    ``notebooks/`` still shows ``data/sample/models/sentiment``; outside the workbook as with ``"cwd"``.
    ``resolve=False`` keeps symlinks as they are (``reports/latest/index.html`` stays ``latest``).
    ``None`` gives ``""``.
    """
    if path is None:
        return ""
    p = Path(path)
    if relative_to == "root":
        try:
            return str(p.resolve().relative_to(workbook_root().resolve()))
        except (ValueError, OSError):
            pass
    try:
        if resolve:
            return str(p.resolve().relative_to(Path.cwd().resolve()))
        return str(p.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(p)
