#!/usr/bin/env bash
# Re-create the lock files from pyproject.toml (see requirements/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header)
uv pip compile pyproject.toml requirements/build.in --extra test "${common[@]}" -o requirements/lock.txt
uv pip compile pyproject.toml requirements/build.in --extra test --extra lab --extra lint "${common[@]}" -o requirements/dev.txt
