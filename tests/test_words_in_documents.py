"""The small wording helpers every document shares (render/words.py): lists of names that
hold 'and' or commas, roles mid-sentence, election results in words; and the email form of
a document (writers/text.py)."""

from __future__ import annotations

import pytest

from campaign_kit.render.words import election_result, join_list, role_in_sentence


@pytest.mark.parametrize("names, joined", [
    (["Kent"], "Kent"),
    (["Kent", "Surrey"], "Kent and Surrey"),
    (["Kent", "Surrey", "Sussex"], "Kent, Surrey and Sussex"),
    (["Belfast", "Lisburn and Castlereagh", "Newry, Mourne and Down"],
     "Belfast; Lisburn and Castlereagh; and Newry, Mourne and Down"),
    (["Bath and North East Somerset", "Bristol"], "Bath and North East Somerset, and Bristol"),
    (["Brighton & Hove", "Kent", "Surrey"], "Brighton & Hove, Kent, and Surrey"),
])
def test_names_holding_and_or_commas_are_never_run_together(names, joined):
    assert join_list(names) == joined


def test_a_list_with_its_own_separator_keeps_it():
    assert join_list(["a x", "b y", "c z"], "and", "; ") == "a x; b y; and c z"
    assert join_list(["Kent", "Surrey"], "or") == "Kent or Surrey"


@pytest.mark.parametrize("role, said", [
    ("Headteacher", "headteacher"), ("Deputy Head Teacher", "deputy head teacher"),
    ("SENCO", "SENCO"), ("Head of Year 6", "head of Year 6"),
    ("Headteacher at St Anne's", "headteacher at St Anne's"), ("headteacher", "headteacher"),
    ("[", "["), ('"', '"'), ("", ""),
])
def test_roles_read_in_sentence_case_mid_sentence(role, said):
    assert role_in_sentence(role) == said


@pytest.mark.parametrize("result, words", [
    ("Lab gain from Con", "Labour gained the seat from the Conservatives"),
    ("SNP hold", "the SNP held the seat"),
    ("LD gain from SNP", "the Liberal Democrats gained the seat from the SNP"),
    ("Ind gain from Lab", "an Independent gained the seat from Labour"),
    ("Spk hold", "the Speaker held the seat"),
    ("Something new", "the result was \u201cSomething new\u201d"),
])
def test_election_results_in_words(result, words):
    assert election_result(result) == words


def test_a_letter_says_a_typed_role_in_sentence_case(engine):
    import datetime as dt

    from campaign_kit.engine.requests import Request
    from campaign_kit.engine.rules import member

    person = member("Jo Bloggs", "1 High Street", "Headteacher", "Cove School", "A story.")
    made = engine.produce("letter", Request(dt.date.today(), seat=engine.seat("E14001063"),
                                            member=person), ["email"])
    text = made.files[0].data.decode()
    assert "a headteacher" in text and "a Headteacher" not in text
    assert "\nHeadteacher\n" in text  # the signature keeps it as typed
