"""The ``kg`` command line: a thin skin over the library.

``app`` holds the group and what every command shares; each other module holds one family of
commands and registers them on the group when imported here.
"""

from kg.cli import changes as changes
from kg.cli import commands as commands
from kg.cli import engine as engine
from kg.cli import report as report
from kg.cli import shell as shell
from kg.cli import stakeholders as stakeholders
from kg.cli import timeline as timeline
from kg.cli.app import cli, main

__all__ = ["cli", "main"]
