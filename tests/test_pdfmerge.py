"""Merging tagged PDFs keeps links and structure pointing at the right pages and keys."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from campaign_kit.kits import Kit
from campaign_kit.pdfmerge import merge_tagged_pdfs
from campaign_kit.writers.pdf import write_pdf

from .extract import pdf_info, pdf_structure
from .test_pdf_ua import every_block


def test_links_and_parent_tree_renumbered(tmp_path):
    data = write_pdf(every_block(), Kit.load().templates.find_file)  # 2 pages, 7 links
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"{n}.pdf")
        paths[-1].write_bytes(data)
    merged = tmp_path / "all.pdf"
    assert merge_tagged_pdfs(paths, merged, "All") == 6
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
    merge_tagged_pdfs(paths, again, "All")
    return again.read_bytes()
