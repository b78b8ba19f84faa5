"""`python -m crisis`."""

from crisis.cli import entry

entry()
