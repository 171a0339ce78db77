"""Build hook: copy the repository's ``data/`` and ``scenarios/`` into the wheel.

The project keeps both folders at the top of the repository; an installed symbio needs them
inside the package (``symbio/bundled/…``, read with importlib.resources by
:mod:`symbio.paths`). Everything else about the build is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Repository folder -> where it sits inside the built package.
BUNDLED = {"data": "symbio/bundled/data", "scenarios": "symbio/bundled/scenarios"}
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithBundledData(build_py):
    """``build_py`` that also copies the bundled data folders into the build tree."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders directly
            return
        for source, target in BUNDLED.items():
            dest = Path(self.build_lib) / target
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(HERE / source, dest, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithBundledData})
