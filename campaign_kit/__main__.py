"""python -m campaign_kit: the same as the campaign-kit command.

`main` is also the console script's entry point: the CLI is imported inside it, so a Ctrl-C
while Python is still importing (Click, the package) exits 130 like any other, quietly.
"""

from .runs.interrupt import exit_interrupted, requested, watch


def main() -> None:
    watch()
    try:
        from .cli import main as cli_main

        cli_main()
    except BaseException as exc:  # noqa: BLE001 - a Ctrl-C may arrive wrapped or swallowed
        if isinstance(exc, KeyboardInterrupt) or requested():
            exit_interrupted()
        raise
    if requested():  # the Ctrl-C was swallowed somewhere, yet the user asked us to stop
        exit_interrupted()


if __name__ == "__main__":
    main()
