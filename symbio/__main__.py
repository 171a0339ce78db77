"""``python -m symbio``: the same as the ``symbio`` command."""

from symbio.cli.app import entry

if __name__ == "__main__":
    entry()
