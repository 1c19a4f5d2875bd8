"""`data update --members` against a local HTTP server (a thread in the test) answering in the
Members API's format: Members/Search pages of at most 20 with totalResults, skip and take,
and Members/{id}/Contact. The answers are made here from the kit's own seats with three
documented changes; offline, one line and nothing changed."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from campaign_kit.localdata.store import BUNDLED_STORE, user_store

# One Search item as the API gives it (shape per the API's OpenAPI description; values ours).
EXAMPLE_ITEM = {
    "value": {
        "id": 90001, "nameListAs": "Example, Ann", "nameDisplayAs": "Ann Example",
        "nameFullTitle": "Ann Example MP", "nameAddressAs": "Ms Example",
        "latestParty": {"id": 8, "name": "Independent", "abbreviation": "Ind",
                        "backgroundColour": "c0c0c0", "foregroundColour": "ffffff",
                        "isLordsMainParty": False, "isLordsSpiritualParty": False,
                        "governmentType": None, "isIndependentParty": True},
        "gender": "F",
        "latestHouseMembership": {
            "membershipFrom": "Example North", "membershipFromId": 9001, "house": 1,
            "membershipStartDate": "2026-05-07T00:00:00", "membershipEndDate": None,
            "membershipEndReason": None, "membershipEndReasonNotes": None,
            "membershipEndReasonId": None,
            "membershipStatus": {"statusIsActive": True, "statusDescription": "Current Member",
                                 "statusNotes": None, "statusId": 0, "status": 0,
                                 "statusStartDate": "2026-05-07T00:00:00"}},
        "thumbnailUrl": "https://members-api.parliament.uk/api/Members/90001/Thumbnail"},
    "links": [{"rel": "self", "href": "/Members/90001", "method": "GET"}],
}
BY_ELECTION, RENAMED, SWITCHED = "Hexham", "Aldershot", "Leeds Central and Headingley"


def recorded_members() -> list[dict]:
    """Every seat's MP as the kit holds it, in the API's shape, with a by-election in Hexham,
    a new display name in Aldershot and a change of party in Leeds Central and Headingley."""
    db = sqlite3.connect(BUNDLED_STORE)
    items = []
    for name, member_id, display, title, party, gender in db.execute(
            "SELECT name, member_id, mp_name, mp_title, party, gender FROM seats ORDER BY name"):
        value = json.loads(json.dumps(EXAMPLE_ITEM["value"]))
        value.update(id=int(member_id), nameDisplayAs=display, nameFullTitle=title,
                     gender=gender or None)
        value["latestParty"]["name"] = party
        value["latestHouseMembership"]["membershipFrom"] = name
        if name == BY_ELECTION:
            value.update(id=90001, nameDisplayAs="Ann Example", nameFullTitle="Ann Example MP",
                         gender="F")
            value["latestParty"]["name"] = "Independent"
        elif name == RENAMED:
            value["nameDisplayAs"] = f"{display} Jones"
            value["nameFullTitle"] = title.replace(" MP", " Jones MP")
        elif name == SWITCHED:
            value["latestParty"]["name"] = "Independent"
        items.append({"value": value, "links": EXAMPLE_ITEM["links"]})
    db.close()
    return items


class Recorded(BaseHTTPRequestHandler):
    members: list[dict] = []
    asked: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).asked.append(self.path)
        if url.path == "/api/Members/Search":
            skip, take = int(query.get("skip", 0)), min(int(query.get("take", 20)), 20)
            body = {"items": self.members[skip:skip + take], "totalResults": len(self.members),
                    "resultContext": "", "skip": skip, "take": take, "links": []}
        elif url.path == "/api/Members/90001/Contact":
            body = {"value": [{"type": "Parliamentary office", "typeDescription": "Parliamentary",
                               "typeId": 1, "isPreferred": True, "isWebAddress": False,
                               "email": "ann.example.mp@parliament.uk"}], "links": []}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def api(monkeypatch):
    Recorded.members, Recorded.asked = recorded_members(), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("CAMPAIGN_KIT_MEMBERS_API", f"http://127.0.0.1:{server.server_port}")
    yield Recorded
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.mark.slow
def test_members_update_pages_through_the_api_and_reports_each_change(api, runner, cli):
    result = runner.invoke(cli, ["data", "update", "--members"])
    assert result.exit_code == 0, result.output
    searches = [a for a in api.asked if a.startswith("/api/Members/Search")]
    assert len(searches) == 33 and "skip=640" in searches[-1] and "take=20" in searches[0]
    assert [a for a in api.asked if "Contact" in a] == ["/api/Members/90001/Contact"]
    assert "MPs changed (3):" in result.output
    assert f"{BY_ELECTION}: " in result.output and "Ann Example (Independent) (a new MP" \
        in result.output
    assert f"{RENAMED}: " in result.output and "(name or title changed)" in result.output
    assert f"{SWITCHED}: " in result.output and "(Independent) (party changed)" in result.output
    from campaign_kit.localdata.lookup import Places

    hexham = Places().find("Hexham").mp
    assert (hexham.name, hexham.email, hexham.salutation) == (
        "Ann Example", "ann.example.mp@parliament.uk", "Dear Ms Example")


def test_offline_one_line_and_nothing_changed(runner, cli, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CAMPAIGN_KIT_MEMBERS_API", f"http://127.0.0.1:{port}")
    result = runner.invoke(cli, ["data", "update", "--members"])
    assert result.exit_code == 4
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: Parliament's Members API cannot be reached (ConnectionError)")
    assert last.endswith("nothing was changed (is this computer online?)")
    assert not user_store().exists()
