"""environment.yml and pyproject.toml must name the same runtime packages."""

import re
import tomllib

import yaml
from support import ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(d) for d in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip_lines = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    from_pip = {_name(line) for line in pip_lines if not line.startswith("-")}
    assert runtime == conda | from_pip
    assert any(line.startswith("-e .") for line in pip_lines), "environment installs the package"


def test_console_script_and_python_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["toolkit"] == "toolkit.cli:main"
    assert project["requires-python"] == ">=3.11"
