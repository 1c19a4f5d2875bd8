"""python -m campaign_kit: the same as the campaign-kit command.

`main` is also the console script's entry point: the CLI is imported inside it, so a Ctrl-C
while Python is still importing (Click, the package) exits 130 like any other, quietly.
"""

from .interrupt import exit_interrupted


def main() -> None:
    try:
        from .cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        exit_interrupted()


if __name__ == "__main__":
    main()
