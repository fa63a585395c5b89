"""Command-line interface. Each command opens what it needs, calls one library function, and turns
library errors into messages a user can act on. Nothing imports this module."""

from __future__ import annotations

import click

from aggregator import __version__


@click.group()
@click.version_option(__version__, prog_name="aggregator")
def main() -> None:
    """Follow what governments and international bodies say."""
