"""Many tagged PDFs into one tagged PDF: the print file of a batch of letters.

pypdf copies pages but not the structure tree that makes a PDF accessible (PDF/UA), so this
carries it over: each letter's tree becomes a Part of one Document, its page and annotation
keys into the parent tree are renumbered, and the catalogue keeps the language, the marked
flag, the title shown in the window and PDF/UA metadata. Each letter also gets a bookmark.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from ..errors import OutputProblem

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<rdf:Description rdf:about="" pdfuaid:part="1" pdf:Producer="campaign-kit">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def _dict(entries: dict) -> DictionaryObject:
    """A PDF dictionary from plain keys; string values starting with / become names."""
    return DictionaryObject({NameObject(k): NameObject(v) if isinstance(v, str) and
                             v.startswith("/") else v for k, v in entries.items()})


def _numbers(tree) -> list[tuple[int, object]]:
    """The (key, value) pairs of a PDF number tree, flattened."""
    tree = tree.get_object()
    pairs = []
    nums = tree.get("/Nums", [])
    pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        pairs += _numbers(kid)
    return pairs


def _rename_ids(element, prefix: str, ids: list) -> None:
    """Prefix every structure element ID (and the table cells' /Headers naming them) below
    `element`, so that IDs from different letters cannot collide; collects (id, element)."""
    stack = [element]
    while stack:
        node = stack.pop()
        obj = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(obj, dict) or "/S" not in obj:
            continue  # marked-content numbers and references
        if "/ID" in obj:
            obj[NameObject("/ID")] = TextStringObject(prefix + str(obj["/ID"]))
            if obj.indirect_reference is not None:
                ids.append((str(obj["/ID"]), obj.indirect_reference))
        attributes = obj.get("/A")
        for attr in attributes if isinstance(attributes, list) else [attributes]:
            attr = attr.get_object() if hasattr(attr, "get_object") else attr
            if isinstance(attr, dict) and "/Headers" in attr:
                attr[NameObject("/Headers")] = ArrayObject(
                    TextStringObject(prefix + str(h)) for h in attr["/Headers"])
        kids = obj.get("/K")
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])


def merge_tagged_pdfs(paths: list[Path], title: str) -> tuple[bytes, int]:
    """`paths` one after another as one tagged PDF: (its bytes, its page count)."""
    merged = _Merged()
    for path in paths:
        try:
            reader = PdfReader(str(path))
        except (OSError, PdfReadError) as exc:
            raise OutputProblem(f"cannot add {path.name} to the print PDF: {exc}") from None
        merged.add(reader, path.stem)
    return merged.finish(title)


class _Merged:
    """One Document structure element with a Part for each PDF added, the page and
    annotation keys into the parent tree renumbered as pages are appended."""

    def __init__(self):
        self.writer = writer = PdfWriter()
        self.tree_root = _dict({"/Type": "/StructTreeRoot"})
        self.tree_ref = writer._add_object(self.tree_root)
        self.document = _dict({"/Type": "/StructElem", "/S": "/Document", "/P": self.tree_ref})
        self.document_ref = writer._add_object(self.document)
        self.parts, self.numbers, self.ids = ArrayObject(), ArrayObject(), []
        self.next_key, self.lang = 0, None

    def add(self, reader: PdfReader, stem: str) -> None:
        catalog = reader.trailer["/Root"]
        self.lang = self.lang or catalog.get("/Lang")
        first_page = len(self.writer.pages)
        self.add_pages(reader)
        tree = catalog.get("/StructTreeRoot")
        if tree is not None:  # an untagged input's pages print, with nothing to carry over
            self.add_structure(tree.get_object())
        info = reader.metadata or {}
        label = str(info.get("/Title") or stem)
        if info.get("/Author"):
            label += f" ({info['/Author']})"
        self.writer.add_outline_item(title=label, page_number=first_page)

    def add_pages(self, reader: PdfReader) -> None:
        for page in reader.pages:
            added = self.writer.add_page(page)  # pypdf drops /StructParents: renumbered here
            if "/StructParents" in page:
                key = NumberObject(page["/StructParents"] + self.next_key)
                added[NameObject("/StructParents")] = key
            for annot in added.get("/Annots", []):
                annot = annot.get_object()
                if "/StructParent" in annot:
                    key = NumberObject(annot["/StructParent"] + self.next_key)
                    annot[NameObject("/StructParent")] = key

    def add_structure(self, tree) -> None:
        kids = tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]
        for kid in kids:
            element = kid.get_object()
            element[NameObject("/P")] = NullObject()  # do not drag the old tree root along
            part = kid.clone(self.writer).get_object()
            part[NameObject("/P")] = self.document_ref
            if part.get("/S") == "/Document":
                part[NameObject("/S")] = NameObject("/Part")  # one Document, a Part per letter
            self.parts.append(part.indirect_reference or self.writer._add_object(part))
            _rename_ids(part, f"{len(self.parts)}-", self.ids)
        pairs = _numbers(tree["/ParentTree"]) if "/ParentTree" in tree else []
        for key, value in pairs:
            self.numbers += [NumberObject(key + self.next_key), value.clone(self.writer)]
        self.next_key += max((key for key, _ in pairs), default=-1) + 1

    def finish(self, title: str) -> tuple[bytes, int]:
        writer, tree_root = self.writer, self.tree_root
        self.document[NameObject("/K")] = self.parts
        tree_root[NameObject("/K")] = ArrayObject([self.document_ref])
        tree_root[NameObject("/ParentTree")] = writer._add_object(_dict({"/Nums": self.numbers}))
        tree_root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        if self.ids:
            tree_root[NameObject("/IDTree")] = _dict({"/Names": ArrayObject(
                item for key, ref in sorted(self.ids) for item in (TextStringObject(key), ref))})
        root = writer._root_object
        root[NameObject("/StructTreeRoot")] = self.tree_ref
        root[NameObject("/MarkInfo")] = _dict({"/Marked": BooleanObject(True)})
        root[NameObject("/Lang")] = TextStringObject(str(self.lang or "en-GB"))
        root[NameObject("/ViewerPreferences")] = _dict({"/DisplayDocTitle": BooleanObject(True)})
        root[NameObject("/PageMode")] = NameObject("/UseOutlines")
        metadata = DecodedStreamObject()
        metadata.set_data(XMP.format(title=escape(title)).encode("utf-8"))
        metadata.update(_dict({"/Type": "/Metadata", "/Subtype": "/XML"}))
        root[NameObject("/Metadata")] = writer._add_object(metadata)
        writer.add_metadata({"/Title": title, "/Producer": "campaign-kit"})
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue(), len(writer.pages)
