"""Thin Click commands: parse options, call the library, turn errors into one-line messages.

The commands live in one module per group (places, documents, batches, campaigns, serve);
shared options in options.py. Nothing heavy is imported at module level, so
`campaign-kit --help` stays fast.
"""

from __future__ import annotations

import click

from .. import __version__
from ..engine.rules import one_line
from ..errors import Ambiguous, CampaignKitError
from ..runs.interrupt import exit_interrupted, requested
from .notes import words


class KitGroup(click.Group):
    """Turns the library's errors (and any unexpected one) into one line and exit 1;
    Ctrl-C at any point before the batch takes over exits 130, as a shell expects."""

    def make_context(self, *args, **kwargs) -> click.Context:
        """Reading the arguments takes a moment (messages are translated): a Ctrl-C then would
        reach Click's own handler, which prints 'Aborted!' and exits 1."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as exc:
            exc.message = one_line(exc.message)
            raise
        except CampaignKitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error = click.ClickException(one_line(words(exc.note)))
            if isinstance(exc, Ambiguous):
                error.exit_code = 2  # a choice is needed: the message names the candidates
            raise error from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()
        except Exception as exc:  # a bug: still one line, details with --debug
            if requested():  # a Ctrl-C that arrived wrapped in another error
                click.echo("Interrupted.", err=True)
                exit_interrupted()
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(one_line(
                f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)")) \
                from None


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
