"""pyproject.toml is the source of truth; environment.yml must list the same packages."""

import re
import tomllib

import yaml

from support import ROOT


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(s) for s in project["dependencies"])
    for extra in project["optional-dependencies"]:
        wanted.update(_split(s) for s in project["optional-dependencies"][extra])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _split(d)
        for d in env["dependencies"]
        if isinstance(d, str) and _split(d)[0] not in ("python", "pip")
    )
    assert conda == wanted
    pip_part = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert pip_part == ["-e ."], "the conda route installs the project itself with pip"
    python = [d for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] == "python"]
    assert python == ["python" + project["requires-python"]]


def _locked(path):
    """``{name: (version, n_hashes)}`` of a ``uv pip compile --generate-hashes`` file."""
    pins, name = {}, None
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", line)
        if m:
            name = m.group(1).lower().replace("_", "-")
            pins[name] = [m.group(2), 0]
        elif name and line.strip().startswith("--hash=sha256:"):
            pins[name][1] += 1
    return pins


def test_lock_files_pin_every_dependency_with_hashes_within_its_range():
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    for lock, groups in [("lock.txt", ["test"]), ("dev.txt", ["test", "lab", "lint"])]:
        pins = _locked(ROOT / "requirements" / lock)
        assert pins and all(n > 0 for _, n in pins.values()), f"{lock}: a pin without hashes"
        specs = [*project["dependencies"], *(s for g in groups for s in extras[g])]
        for spec in specs:
            name, rng = _split(spec)
            assert name in pins, f"{name} is not pinned in requirements/{lock}: run make lock"
            assert pins[name][0] in SpecifierSet(rng), f"{lock}: {name}=={pins[name][0]} vs {rng}"
        assert {"setuptools", "wheel"} <= set(pins), "the build tools are locked too"
