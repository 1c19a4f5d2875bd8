"""Templates: escaping member text, block syntax, sandbox and errors that name file and line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_kit.document import AddressBlock, ListBlock, Paragraph, Signature, Span, plain
from campaign_kit.errors import TemplateProblem
from campaign_kit.render.templating import Templates, md_escape, paragraphs, parse_markdown

member_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1, max_size=200,
).filter(lambda s: s.strip())


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(member_text)
def test_member_text_prints_exactly_as_typed(text):
    blocks = parse_markdown(md_escape(text) + "\n")
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    assert blocks[0].role == ""
    assert plain(blocks[0].spans).strip() == " ".join(text.split())
    assert all(s.link is None and not s.bold and not s.italic for s in blocks[0].spans)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.lists(member_text, min_size=1, max_size=4))
def test_story_paragraphs_stay_paragraphs(parts):
    blocks = parse_markdown(str(paragraphs("\n\n".join(parts))))
    assert [plain(b.spans).strip() for b in blocks] == [" ".join(p.split()) for p in parts]


@pytest.mark.parametrize("text", [":::", "::: sender", "::: pagebreak", "::: chart x"])
def test_member_text_cannot_open_a_block(text):
    blocks = parse_markdown(md_escape(text) + "\n")
    assert blocks == (Paragraph((Span(text),)),)


def test_forged_block_marker_is_text():
    blocks = parse_markdown("::: sender\n" + md_escape("::: signature") + "\n"
                            + md_escape(":::") + "\n:::\n")
    assert isinstance(blocks[0], AddressBlock)
    assert [plain(line) for line in blocks[0].lines] == ["::: signature", ":::"]


def test_blocks_from_markdown():
    md = ("::: sender\nJo\n1 High St\n:::\n\nDear Ms Baker,\n\n::: subject\nRe: SEND\n:::\n\n"
          "1. one\n2. two\n\n::: signature\nYours sincerely\nJo\nHead\n:::\n")
    blocks = parse_markdown(md)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["AddressBlock", "Paragraph", "Paragraph", "ListBlock", "Signature"]
    assert blocks[2].role == "subject"
    assert isinstance(blocks[3], ListBlock) and blocks[3].ordered
    assert isinstance(blocks[4], Signature) and plain(blocks[4].closing) == "Yours sincerely"


def test_undefined_names_template_and_line(tmp_path):
    (tmp_path / "bad.md.j2").write_text("# Title\n\n{{ member.nmae }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem) as err:
        Templates(tmp_path).render("bad.md.j2", {"member": {"name": "Jo"}})
    assert "bad.md.j2" in str(err.value) and "line 3" in str(err.value)


def test_syntax_error_names_template_and_line(tmp_path):
    (tmp_path / "broken.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"broken\.md\.j2, line 2"):
        Templates(tmp_path).render("broken.md.j2", {})


def test_sandbox_blocks_python_internals(tmp_path):
    (tmp_path / "evil.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}",
                                         encoding="utf-8")
    with pytest.raises(TemplateProblem):
        Templates(tmp_path).render("evil.md.j2", {})


def test_override_folder_wins_file_by_file(tmp_path):
    (tmp_path / "letter").mkdir()
    (tmp_path / "letter" / "letter.md.j2").write_text("Custom {{ x }}\n", encoding="utf-8")
    templates = Templates(tmp_path)
    assert templates.render("letter/letter.md.j2", {"x": 1}).markdown.startswith("Custom 1")
    assert templates.find_file("reference.docx").parent.name == "templates"
