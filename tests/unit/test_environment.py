"""environment.yml and pyproject.toml must carry the same dependency set with the same lower bounds."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:>=\s*([0-9][^,;\s]*))?")


def _parse(spec: str) -> tuple[str, str | None]:
    m = _REQ.match(spec)
    assert m, f"cannot parse requirement {spec!r}"
    return m.group(1).lower().replace("_", "-"), m.group(2)


def _pyproject() -> dict[str, str | None]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(_parse(s) for s in specs)


def _conda() -> dict[str, str | None]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and not item.startswith(("python=", "pip")) and item != "pip":
            name, bound = _parse(item)
            out[name] = bound
    return out


def test_same_packages_and_lower_bounds():
    py, conda = _pyproject(), _conda()
    assert set(py) == set(conda), f"only in pyproject: {set(py) - set(conda)}; only in environment.yml: {set(conda) - set(py)}"
    different = {k: (py[k], conda[k]) for k in py if py[k] != conda[k]}
    assert not different, f"lower bounds differ (pyproject, environment.yml): {different}"


def test_every_dependency_has_a_lower_bound():
    missing = [k for k, v in _pyproject().items() if v is None]
    assert not missing, f"no tested lower bound for: {missing}"


def test_environment_installs_the_project_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pips and "-e ." in pips[0]
    assert any(isinstance(d, str) and d.startswith("python=3.11") for d in env["dependencies"])
