"""`python -m tradeagent` and the `tradeagent` console script."""

from __future__ import annotations


def main() -> None:
    from tradeagent.cli import cli

    cli(prog_name="tradeagent")


if __name__ == "__main__":
    main()
