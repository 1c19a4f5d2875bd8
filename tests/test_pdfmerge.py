"""Merging tagged PDFs keeps links and structure pointing at the right pages and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign_kit.engine.engine import Engine
from campaign_kit.errors import OutputProblem
from campaign_kit.writers.pdf import write_pdf

from .extract import merge_to, pdf_info, pdf_structure
from .test_ua_stylesheet import every_block


@pytest.mark.slow
def test_links_and_parent_tree_renumbered(tmp_path):
    data = write_pdf(every_block(), Engine.load().assets)  # 2 pages, 7 links
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"{n}.pdf")
        paths[-1].write_bytes(data)
    merged = tmp_path / "all.pdf"
    assert merge_to(paths, merged, "All") == 6
    reader = PdfReader(str(merged))
    keys = []
    for page in reader.pages:
        keys.append(int(page["/StructParents"]))
        keys += [int(a.get_object()["/StructParent"]) for a in page.get("/Annots", [])]
    assert len(keys) == len(set(keys)) == 3 * 9  # per copy: 2 pages, 7 link annotations
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    assert sorted(keys) == list(nums[::2]) == list(range(27))
    assert tree["/ParentTreeNextKey"] == 27
    link_keys = {int(a.get_object()["/StructParent"]): a.idnum for p in reader.pages
                 for a in p.get("/Annots", [])}
    checked = 0
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if key in link_keys:  # an annotation's key leads to its Link element and back
            checked += 1
            link = value.get_object()
            assert link["/S"] == "/Link"
            objr = [k for k in link["/K"] if isinstance(k.get_object(), dict)
                    and k.get_object().get("/Type") == "/OBJR"]
            assert objr and objr[0].get_object().raw_get("/Obj").idnum == link_keys[key]
    assert checked == 21
    assert pdf_info(merged)["Tagged"] == "yes"
    structure = pdf_structure(merged)
    assert structure.count("  Link (inline)") == 21
    assert structure.splitlines()[0] == "Document" and structure.count("\n  Part") == 3
    assert merged.read_bytes() == _merge_again(paths, tmp_path)  # reproducible


def _merge_again(paths: list[Path], tmp_path: Path) -> bytes:
    again = tmp_path / "again.pdf"
    merge_to(paths, again, "All")
    return again.read_bytes()


def _table_cells(reader) -> tuple[dict[str, dict], list[dict], dict[str, object]]:
    """Header cells by ID, data cells, and the IDTree's map, walking the structure tree."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    names = tree.get("/IDTree", {}).get("/Names", [])
    id_tree = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    headers, cells, stack = {}, [], [tree["/K"]]
    while stack:
        node = stack.pop()
        for kid in node if isinstance(node, list) else [node]:
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if not isinstance(obj, dict) or "/S" not in obj:
                continue
            if obj["/S"] == "/TH":
                headers[str(obj["/ID"])] = obj
            elif obj["/S"] == "/TD":
                cells.append(obj)
            if "/K" in obj:
                stack.append(obj["/K"])
    return headers, cells, id_tree


@pytest.mark.slow
def test_table_header_cells_resolve_alone_and_merged(tmp_path):
    """Every data cell names header cells that the IDTree finds, each with a Scope."""
    data = write_pdf(every_block(), Engine.load().assets)
    single = tmp_path / "one.pdf"
    single.write_bytes(data)
    (tmp_path / "two.pdf").write_bytes(data)
    merged = tmp_path / "both.pdf"
    merge_to([single, tmp_path / "two.pdf"], merged, "Both")
    for path, copies in ((single, 1), (merged, 2)):
        headers, cells, id_tree = _table_cells(PdfReader(str(path)))
        assert len(headers) == 4 * copies and len(cells) == 6 * copies  # 2 columns; 1 + 2 rows
        assert set(id_tree) == set(headers)
        for key, th in headers.items():
            assert th["/A"]["/Scope"] == "/Column"
            assert id_tree[key]["/S"] == "/TH" and str(id_tree[key]["/ID"]) == key
        for td in cells:
            assert td["/A"]["/Headers"] and all(str(h) in id_tree for h in td["/A"]["/Headers"])


@pytest.mark.slow
def test_an_unreadable_letter_is_a_clear_error_and_no_print_file(tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(write_pdf(every_block(), Engine.load().assets))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a PDF")
    target = tmp_path / "print.pdf"
    with pytest.raises(OutputProblem, match="broken.pdf"):
        merge_to([good, broken], target, "Print")
    assert not target.exists() and not list(tmp_path.glob("*.part"))
