"""Progress bars for long per-message steps: shown in a terminal or a Jupyter kernel, silent elsewhere."""
from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any


def in_notebook_kernel() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:
        return False
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


_PROGRESS_MIN_ITEMS = 1000


def progress_bar(total: int, desc: str, enabled: bool) -> Any:
    """A tqdm bar on stderr, or a no-op, for ``total`` items.

    Shown only when ``enabled`` and there is enough work (≥ 1,000 items) and someone can watch it: a
    terminal or a Jupyter kernel (papermill included). Plain ``tqdm.std`` is used on purpose: it needs no
    ipywidgets and renders as text in executed notebooks.
    """
    from tqdm.std import tqdm

    watchable = in_notebook_kernel() or bool(getattr(sys.stderr, "isatty", lambda: False)())
    show = enabled and total >= _PROGRESS_MIN_ITEMS and watchable
    return tqdm(total=total, desc=desc, unit="msg", disable=not show, file=sys.stderr, mininterval=0.5,
                leave=False)


def chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]

