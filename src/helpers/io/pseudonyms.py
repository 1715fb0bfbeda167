"""Salted, stable author pseudonyms and the per-dataset salt they use."""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["SALT_FILE", "pseudonymise", "salt_for"]

#: file in a dataset folder holding its pseudonym salt (hex text, mode 0600)
SALT_FILE = ".pseudonym_salt"


def pseudonymise(values: pd.Series, salt: str) -> pd.Series:
    """Salted pseudonyms: ``"m_"`` + the first 12 hex digits of sha256(salt + value) (UTF-8).

    Stable for the same salt and value; missing values stay missing. Returns a ``string`` Series with the
    same index."""
    cache: dict[str, str] = {}

    def one(value: Any) -> str:
        text = str(value)
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = "m_" + hashlib.sha256((salt + text).encode("utf-8")).hexdigest()[:12]
        return hit

    return values.map(one, na_action="ignore").astype("string")


def salt_for(out_dir: Path) -> str:
    """The dataset's pseudonym salt from ``out_dir/.pseudonym_salt``, created (random, 0600) on first use."""
    path = out_dir / SALT_FILE
    if path.is_file():
        salt = path.read_text(encoding="utf-8").strip()
        if salt:
            return salt
    salt = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(salt + "\n")
    return salt
