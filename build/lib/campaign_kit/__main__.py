"""python -m campaign_kit: the same as the campaign-kit command."""

from .cli import main

main()
