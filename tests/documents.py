"""Documents of each kind for tests, made the way the CLI makes them (kinds.make)."""

from __future__ import annotations

import datetime as dt

from campaign_kit.document import Document
from campaign_kit.engine.requests import Area, Request


def letter_doc(engine, seat, member, date: dt.date, asks=None) -> Document:
    return engine.make("letter", Request(date, seat=seat, member=member,
                                       ask_ids=asks)).documents[0][0]


def pack_docs(engine, seat, event, date: dt.date) -> list[tuple[Document, str]]:
    return list(engine.make("roundtable", Request(event.date or date, seat=seat, event=event,
                                                today=date)).documents)


def deck_doc(engine, seat, date: dt.date) -> Document:
    return engine.make("deck", Request(date, area=Area.of_seat(seat))).documents[0][0]
