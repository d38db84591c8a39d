"""The brief's page printed to PDF (A4) by the system's Chromium, headless."""

from __future__ import annotations

from kg.catalogue import say
from kg.errors import ExportError

CHROMIUM_COMMANDS = ("chromium", "chromium-browser")
"""Names of the browser that prints the PDF (Debian's and Ubuntu's package)."""

PRINT_TIMEOUT = 180.0
"""Seconds the browser may take to print."""


def print_pdf(document: str) -> bytes:
    """The HTML `document` printed to PDF (A4) by the system's Chromium, headless.

    Raises
    ------
    ExportError
        If no Chromium is installed (naming the package to install) or it fails to print.
    """
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    browser = next(filter(None, map(shutil.which, CHROMIUM_COMMANDS)), None)
    if browser is None:
        raise ExportError(
            "printing a PDF needs Chromium, and none is installed: install the package "
            "'chromium' (Debian: apt-get install chromium; Ubuntu: chromium-browser), or "
            "write HTML and print it from a browser"
        )
    with tempfile.TemporaryDirectory(prefix="kg-report-") as folder:
        page, pdf = Path(folder, "brief.html"), Path(folder, "brief.pdf")
        page.write_text(document, encoding="utf-8")
        command = [
            browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
            "--disable-extensions", "--disable-background-networking",
            f"--user-data-dir={Path(folder, 'profile')}",
            "--no-pdf-header-footer", "--print-to-pdf-no-header",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportError(say("refusals.chromium_failed", browser=browser,
                                  reason=str(exc))) from exc
        if not pdf.is_file() or pdf.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ExportError(
                f"Chromium ({browser}) printed no PDF (exit {done.returncode}): {detail[0]}"
            )
        return pdf.read_bytes()
