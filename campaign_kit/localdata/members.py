"""Current MPs from the UK Parliament Members API, page by page.

GET {base}/api/Members/Search?House=1&IsCurrentMember=true&skip=N&take=20 answers
{"items": [{"value": {"id", "nameDisplayAs", "nameFullTitle", "gender", "latestParty":
{"name"}, "latestHouseMembership": {"membershipFrom", "house", ...}}, "links": [...]}],
"totalResults", "skip", "take", ...}; take is at most 20, so about 33 pages. A new member's
email comes from {base}/api/Members/{id}/Contact ({"value": [{"typeId", "email", ...}]}).
Seats are matched by name (the API gives no ONS code), normalised, against the kit's 650.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import DataError
from .names import normalise_name
from .report import NewMP, new_mp

API = "https://members-api.parliament.uk"
PAGE = 20  # the API's maximum `take`
MAX_PAGES = 60  # 650 members are 33 pages; more means the paging is not what we expect
TIMEOUT = (5, 30)  # seconds to connect, to read


class Offline(DataError):
    """Parliament's API could not be reached; nothing was changed."""


@dataclass(frozen=True)
class Fetched:
    mps: dict[str, NewMP]  # seat code -> MP
    unmatched: list[str]  # constituency names the kit does not have
    total: int


def _session():
    import requests

    session = requests.Session()
    session.headers["Accept"] = "application/json"
    session.headers["User-Agent"] = "campaign-kit (data update)"
    return session


def _get(session, url: str, params: dict | None = None) -> dict:
    import requests

    try:
        response = session.get(url, params=params, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise Offline(f"Parliament's Members API cannot be reached ({type(exc).__name__}); "
                      "nothing was changed") from None
    if response.status_code != 200:
        raise DataError(f"Parliament's Members API answered HTTP {response.status_code} for "
                        f"{response.url}; nothing was changed")
    try:
        data = response.json()
    except ValueError:
        raise DataError(f"Parliament's Members API answered something that is not JSON for "
                        f"{response.url}; nothing was changed") from None
    if not isinstance(data, dict):
        raise DataError("Parliament's Members API answered in an unexpected shape")
    return data


def current_members(base: str = API, session=None) -> list[dict]:
    """Every current member of the Commons, following skip/take until totalResults."""
    session = session or _session()
    members: list[dict] = []
    skip, total = 0, None
    for _ in range(MAX_PAGES):
        page = _get(session, f"{base}/api/Members/Search",
                    {"House": 1, "IsCurrentMember": "true", "skip": skip, "take": PAGE})
        items = page.get("items")
        if not isinstance(items, list) or not isinstance(page.get("totalResults"), int):
            raise DataError("Parliament's Members API answered without 'items' and "
                            "'totalResults'; nothing was changed")
        total = page["totalResults"]
        members += [i["value"] for i in items if isinstance(i, dict)
                    and isinstance(i.get("value"), dict)]
        skip += len(items)
        if not items or skip >= total:
            break
    else:
        raise DataError(f"Parliament's Members API gave more than {MAX_PAGES} pages")
    if total is not None and len(members) != total:
        raise DataError(f"Parliament's Members API listed {total} members but gave "
                        f"{len(members)}; nothing was changed")
    return members


def email_of(member_id: str, base: str = API, session=None) -> str:
    """The member's parliamentary email (the preferred one, else the first given)."""
    data = _get(session or _session(), f"{base}/api/Members/{member_id}/Contact")
    rows = [r for r in data.get("value") or [] if isinstance(r, dict) and r.get("email")]
    rows.sort(key=lambda r: (not r.get("isPreferred"), r.get("typeId") != 1))
    return str(rows[0]["email"]).strip() if rows else ""


def fetch(seats: dict[str, tuple[str, str, str]], base: str = API,
          progress: Callable[[str], None] | None = None) -> Fetched:
    """The MP of each of the kit's seats. `seats`: code -> (name, member id, email) as the
    kit holds them; a member the kit already has keeps their email, a new one's is asked
    for (one call each)."""
    session = _session()
    members = current_members(base, session)
    by_name = {normalise_name(name): code for code, (name, _, _) in seats.items()}
    mps: dict[str, NewMP] = {}
    unmatched: list[str] = []
    for m in members:
        house = m.get("latestHouseMembership") or {}
        place = str(house.get("membershipFrom") or "")
        code = by_name.get(normalise_name(place))
        if code is None:
            unmatched.append(place or f"member {m.get('id')}")
            continue
        member_id = str(m.get("id", ""))
        _, held_id, held_email = seats[code]
        email = held_email  # a member the kit already has keeps theirs
        if member_id != held_id:
            if progress:
                progress(f"email of {m.get('nameDisplayAs', member_id)}")
            email = email_of(member_id, base, session)
        party = (m.get("latestParty") or {}).get("name") or ""
        mps[code] = new_mp(str(m.get("nameDisplayAs") or ""), str(m.get("nameFullTitle") or ""),
                           str(party), email, str(m.get("gender") or ""), member_id)
    return Fetched(mps, unmatched, len(members))
