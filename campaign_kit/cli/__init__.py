"""Thin Click commands: parse options, call the library, turn errors into one-line messages.

The commands live in one module per group (places, documents, batches, campaigns, serve);
shared options in options.py. Nothing heavy is imported at module level, so
`campaign-kit --help` stays fast.
"""

from __future__ import annotations

import click

from .. import __version__
from ..engine.rules import one_line
from ..errors import Ambiguous, CampaignKitError, DataError, TemplateProblem
from ..runs.interrupt import exit_interrupted, requested
from .notes import words

# One exit code per kind of mistake, in every command (README, "Exit codes").
EXIT_CODES = ((Ambiguous, 2), (TemplateProblem, 3), (DataError, 4), (CampaignKitError, 1))
INTERNAL_ERROR = 70  # a bug (BSD sysexits' EX_SOFTWARE): one line, --debug for more


class KitGroup(click.Group):
    """Turns the library's errors into one line and the exit code for their kind (and any
    unexpected one into one line and 70); Ctrl-C at any point before the batch takes over
    exits 130, as a shell expects."""

    def make_context(self, *args, **kwargs) -> click.Context:
        """Reading the arguments takes a moment (messages are translated): a Ctrl-C then would
        reach Click's own handler, which prints 'Aborted!' and exits 1."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()

    def invoke(self, ctx: click.Context):
        debug = bool(ctx.obj and ctx.obj.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as exc:
            exc.message = one_line(exc.message)
            raise
        except CampaignKitError as exc:
            if debug:
                raise
            error = click.ClickException(one_line(words(exc.note)))
            error.exit_code = next(code for kind, code in EXIT_CODES if isinstance(exc, kind))
            raise error from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()
        except Exception as exc:  # a bug: still one line, details with --debug
            if requested():  # a Ctrl-C that arrived wrapped in another error
                click.echo("Interrupted.", err=True)
                exit_interrupted()
            if debug:
                raise
            error = click.ClickException(one_line(
                f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"))
            error.exit_code = INTERNAL_ERROR
            raise error from None


@click.group(cls=KitGroup)
@click.version_option(__version__, prog_name="campaign-kit")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Personalised campaign material with real local data.

    Letters to MPs (PDF, DOCX, text), roundtable packs and slide decks for any of the
    650 UK Parliament constituencies, for each campaign in content/.
    """
    ctx.ensure_object(dict)["debug"] = debug


def _register() -> None:
    """Every command, from the module that holds it (one module a group of commands)."""
    from . import batches, campaigns, documents, places, serve

    for command in (places.lookup, places.data, campaigns.campaigns, campaigns.new_campaign,
                    campaigns.check, campaigns.preview, documents.letter, documents.roundtable,
                    documents.deck, batches.letters, batches.kit, serve.serve):
        cli.add_command(command)


_register()


def main() -> None:
    try:
        cli(prog_name="campaign-kit")
    except KeyboardInterrupt:  # while Python was still importing, before Click took over
        exit_interrupted()
