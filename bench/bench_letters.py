"""Benchmark: letters (PDF + DOCX) per second against two peers, and memory in batch size.

Run by hand: .venv/bin/python bench/bench_letters.py [--letters 200] [--memory]
Peers, measured in the same run on the same letters:
  A. LibreOffice converting the same DOCX files to PDF in batch calls of 200 files (the
     mail-merge-then-export route; one call silently stops after about 247 files), both
     plain and as tagged PDF/UA, the quality we produce (writer_pdf_Export with the filter
     options {"PDFUACompliance": true, "UseTaggedPDF": true}, given as JSON on the command
     line, which LibreOffice reads since 7.4);
  B. bare WeasyPrint + python-docx on the same HTML and the same paragraphs, with no
     campaign-kit code in the timed loop (the floor for these libraries).
--memory also runs `campaign-kit letters` on 100 and on 2,000 rows and compares peak RSS
(largest process: the parent or a worker).

Besides wall time it reports CPU seconds per letter (user + system), which is what decides
throughput once every core is busy: resource.getrusage(RUSAGE_SELF) for work in this process,
RUSAGE_CHILDREN for soffice and for the worker pool (children count once they are reaped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign_kit.authoring.samples import excel_csv, member_rows  # noqa: E402
from campaign_kit.document import AddressBlock, Heading, ListBlock, Paragraph, Signature, plain  # noqa: E402,E501
from campaign_kit.engine.engine import Engine  # noqa: E402
from campaign_kit.engine.requests import Request  # noqa: E402
from campaign_kit.engine.rules import member as make_member  # noqa: E402
from campaign_kit.runs import batch  # noqa: E402
from campaign_kit.writers.html import document_html  # noqa: E402
from campaign_kit.writers.pdf import brand_css  # noqa: E402

DATE = dt.date(2026, 11, 24)


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """Wall seconds and CPU seconds (this process and reaped children) of a block."""

    def __enter__(self):
        self.wall, self.own, self.children = (time.perf_counter(),
                                              cpu(resource.RUSAGE_SELF),
                                              cpu(resource.RUSAGE_CHILDREN))
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.own = cpu(resource.RUSAGE_SELF) - self.own
        self.children = cpu(resource.RUSAGE_CHILDREN) - self.children
        self.cpu = self.own + self.children


def ours(kit: Engine, jobs: list[batch.Job], out: Path, workers: int = 1) -> float:
    settings = {"formats": ["pdf", "docx"], "out_dir": str(out), "date": DATE.isoformat(),
                "stems": batch.unique_stems(kit, jobs), "templates_dir": None,
                "content_dir": None, "campaign_id": kit.campaign.id}
    start = time.perf_counter()
    summary = batch.run_jobs("letter", jobs, settings, out, workers, True, "ours",
                             stream=open("/dev/null", "w"))
    assert not summary.failed, summary.failed[0].error
    return time.perf_counter() - start


def paragraphs_of(doc) -> list[tuple[str, str]]:
    """(style, text) pairs: what python-docx alone has to write for the same letter."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append((f"Heading {b.level}", plain(b.spans)))
        elif isinstance(b, Paragraph):
            out.append(("Normal", plain(b.spans)))
        elif isinstance(b, ListBlock):
            style = "List Number" if b.ordered else "List Bullet"
            out += [(style, plain(i)) for i in b.items]
        elif isinstance(b, AddressBlock):
            out += [("Normal", plain(line)) for line in b.lines]
        elif isinstance(b, Signature):
            out += [("Normal", plain(b.closing))] + [("Normal", plain(x)) for x in b.lines]
    return out


def bare(kit: Engine, docs, out: Path) -> float:
    import weasyprint
    from docx import Document as Docx
    from weasyprint.text.fonts import FontConfiguration

    css_path = ROOT / "templates" / "styles" / "print.css"
    reference = str(ROOT / "templates" / "reference.docx")
    brand = kit.campaign.brand  # the same HTML and stylesheets as ours, prepared untimed
    inputs = [(document_html(d, brand), paragraphs_of(d)) for d in docs]
    fonts = FontConfiguration()
    css = [weasyprint.CSS(filename=str(css_path), font_config=fonts),
           weasyprint.CSS(string=brand_css(brand), font_config=fonts)]
    start = time.perf_counter()
    for n, (html, paras) in enumerate(inputs):
        pdf = weasyprint.HTML(string=html, base_url=str(css_path.parent)).write_pdf(
            stylesheets=css, font_config=fonts, pdf_variant="pdf/ua-1")
        (out / f"{n}.pdf").write_bytes(pdf)
        docx = Docx(reference)
        for style, text in paras:
            docx.add_paragraph(text, style=style)
        docx.save(str(out / f"{n}.docx"))
    return time.perf_counter() - start


LIBREOFFICE_CHUNK = 200  # one soffice call silently stops after ~247 files (seen here)
PDF_UA = ('pdf:writer_pdf_Export:{"PDFUACompliance":{"type":"boolean","value":"true"},'
          '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


def libreoffice(docx_dir: Path, out: Path, target: str = "pdf") -> Meter:
    """soffice --convert-to over every DOCX, in calls of 200 files; checks all came out."""
    soffice = shutil.which("soffice")
    files = sorted(str(p) for p in docx_dir.glob("*.docx"))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--version"], capture_output=True, check=True)  # first start, untimed
        with Meter() as meter:
            for i in range(0, len(files), LIBREOFFICE_CHUNK):
                subprocess.run([soffice, "--headless",
                                f"-env:UserInstallation=file://{profile}", "--convert-to",
                                target, "--outdir", str(out), *files[i:i + LIBREOFFICE_CHUNK]],
                               capture_output=True, check=True)
    made = sorted(out.glob("*.pdf"))
    if len(made) != len(files):
        raise SystemExit(f"LibreOffice converted {len(made)} of {len(files)} files")
    if target != "pdf":  # the PDF/UA route really made tagged PDF/UA
        from pypdf import PdfReader

        reader = PdfReader(str(made[0]))
        root = reader.trailer["/Root"]
        metadata = root["/Metadata"].get_object().get_data()
        if "/StructTreeRoot" not in root or b"pdfuaid" not in metadata:
            raise SystemExit("LibreOffice did not make a tagged PDF/UA file")
    return meter


def peak_rss(rows: int, work: Path) -> tuple[float, int]:
    """Run the real command on `rows` letters; seconds and the largest process's peak RSS."""
    from campaign_kit.localdata.lookup import Places

    csv_path = work / f"members-{rows}.csv"
    csv_path.write_bytes(excel_csv(member_rows(Places(), rows)))
    code = ("import resource, subprocess, sys, time\nt = time.perf_counter()\n"
            f"subprocess.run([{str(ROOT / '.venv/bin/campaign-kit')!r}, 'letters', "
            f"{str(csv_path)!r}, '--out', {str(work / f'mem-{rows}')!r}, '--force', "
            "'--date', '2026-11-24'], check=True, capture_output=True)\n"
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    work = ROOT / "bench" / "work" / "letters"
    shutil.rmtree(work, ignore_errors=True)
    for sub in ("ours", "bare", "lo", "lo-ua"):
        (work / sub).mkdir(parents=True)
    kit = Engine.load()
    from campaign_kit.localdata.lookup import Places

    csv_path = work / "members.csv"
    csv_path.write_bytes(excel_csv(member_rows(Places(), args.letters)))
    jobs = batch.letter_jobs(batch.read_members(csv_path), "bench", ["pdf", "docx"])
    # warm both paths once (imports, fonts), untimed
    docs = []
    for job in jobs:
        f = job.payload
        seat = kit.places.find(f["constituency"])
        member = make_member(f["name"], f["address"], f["role"], f["school"], f["story"])
        docs.append(kit.make("letter", Request(DATE, seat=seat, member=member))
                    .documents[0][0])
    bare(kit, docs[:2], work / "bare")
    ours(kit, jobs[:2], work / "ours")

    n = len(jobs)
    with Meter() as m_ours:
        t_ours = ours(kit, jobs, work / "ours")
    with Meter() as m_bare:
        t_bare = bare(kit, docs, work / "bare")
    m_lo = libreoffice(work / "ours", work / "lo")
    m_ua = libreoffice(work / "ours", work / "lo-ua", PDF_UA)
    t_lo = m_lo.wall
    workers = batch.default_workers()
    with Meter() as m_pool:
        t_pool = ours(kit, jobs, work / "ours", workers)
    print(f"{n} letters, PDF + DOCX, one process each:")
    print(f"  campaign-kit:                 {t_ours:6.2f} s  {n / t_ours:6.1f} letters/s  "
          f"{1000 * t_ours / n:5.1f} ms/letter")
    print(f"  bare WeasyPrint+python-docx:  {t_bare:6.2f} s  {n / t_bare:6.1f} letters/s  "
          f"{1000 * t_bare / n:5.1f} ms/letter")
    print(f"  LibreOffice DOCX->PDF batch:  {t_lo:6.2f} s  {n / t_lo:6.1f} letters/s  "
          "(PDF only, DOCX already made)")
    print(f"  LibreOffice DOCX->PDF/UA:     {m_ua.wall:6.2f} s  {n / m_ua.wall:6.1f} letters/s  "
          "(tagged PDF/UA, our output's quality)")
    print("CPU seconds per letter (user + system; what limits throughput on busy cores):")
    for label, meter in (("campaign-kit, PDF/UA + DOCX, one process", m_ours),
                         (f"campaign-kit, --jobs {workers} (workers included)", m_pool),
                         ("bare WeasyPrint+python-docx, PDF/UA + DOCX", m_bare),
                         ("LibreOffice DOCX->PDF", m_lo),
                         ("LibreOffice DOCX->PDF/UA (tagged)", m_ua)):
        print(f"  {label:46s} {1000 * meter.cpu / n:6.1f} ms")
    print(f"ratio CPU per letter, LibreOffice PDF/UA / campaign-kit (PDF/UA and DOCX): "
          f"{m_ua.cpu / m_ours.cpu:.2f}x; throughput, default --jobs {workers} against "
          f"LibreOffice PDF/UA: {m_ua.wall / t_pool:.2f}x")
    print(f"ratio cost per letter, campaign-kit / bare libraries: {t_ours / t_bare:.2f}x "
          "(target <= 1.15)")
    print(f"  campaign-kit, --jobs {workers} (default): {t_pool:6.2f} s  "
          f"{n / t_pool:6.1f} letters/s (includes starting the workers)")
    print(f"ratio throughput, campaign-kit / LibreOffice: one process {t_lo / t_ours:.2f}x; "
          f"default --jobs {workers} {t_lo / t_pool:.2f}x (target >= 2)")
    budget = workers * t_lo / n / 2  # CPU seconds a letter may cost, all cores busy
    print(f"on {workers} cores, 2x LibreOffice leaves {1000 * budget:.1f} ms of CPU per letter "
          f"(perfect scaling); the bare libraries alone take {1000 * t_bare / n:.1f} ms, "
          f"campaign-kit {1000 * t_ours / n:.1f} ms")
    if args.memory:
        small = peak_rss(100, work)
        large = peak_rss(2000, work)
        print(f"campaign-kit letters, default jobs: 100 letters {small[0]:.1f} s peak RSS "
              f"{small[1]} MiB; 2,000 letters {large[0]:.1f} s peak RSS {large[1]} MiB; "
              f"ratio {large[1] / small[1]:.2f}x (target <= 1.2)")
    print(f"(user CPU of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_utime:.0f} s)")


if __name__ == "__main__":
    main()
