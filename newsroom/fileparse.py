"""Files people share (PDF, DOCX, HTML, Markdown, text) read into source records of kind "document", each
refusal a sentence naming the file: a scanned PDF, a damaged file, a type newsroom does not read."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Any

from newsroom.parsers import HTML_SUFFIXES, TEXT_SUFFIXES, NotText, Parsed, decode, parse_html, parse_text
from newsroom.records import RecordError, make_record
from newsroom.settings import IngestSettings

PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
ACCEPTED = "PDF, DOCX, HTML, Markdown or plain text (.pdf, .docx, .html, .htm, .md, .markdown, .txt)"
# Slack's own `filetype` names, for a file whose name has no usable suffix.
_SLACK_TYPES = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "markdown": ".md", "text": ".txt"}


def file_suffix(name: str, slack_type: str = "") -> str:
    """The suffix that decides how a file is read: its name's, else what Slack says it is ('' if neither)."""
    suffix = PurePosixPath(name or "").suffix.lower()
    if suffix in PDF_SUFFIXES | DOCX_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES:
        return suffix
    return _SLACK_TYPES.get((slack_type or "").lower(), suffix)


def read_file(
    name: str, data: bytes, settings: IngestSettings, defaults: dict[str, Any], slack_type: str = ""
) -> Parsed:
    """One record from one shared file, undated: a file's creation date (a template's, often) is not when
    anything was published. `defaults` carries who shared it (author) and anything else the
    door knows; the file name becomes the outlet and, when the file has no title of its own, the title."""
    source = f"file {name}"
    fields = {"kind": "document", "outlet": name, **defaults}
    suffix = file_suffix(name, slack_type)
    if suffix in PDF_SUFFIXES:
        return _pdf(name, data, source, settings, fields)
    if suffix in DOCX_SUFFIXES:
        return _docx(name, data, source, settings, fields)
    if suffix in HTML_SUFFIXES:
        return _named(parse_html(data, source, settings, fields), name)
    if suffix in TEXT_SUFFIXES:
        try:
            text = decode(data)
        except NotText:
            return Parsed(source, error=f"{name} is binary, not text; nothing was read from it.")
        return _named(parse_text(text, source, settings, fields), name)
    return Parsed(
        source,
        error=f"{name} is not a type newsroom reads ({suffix or 'no file type'}); share {ACCEPTED}.",
    )


def _pdf(name: str, data: bytes, source: str, settings: IngestSettings, fields: dict[str, Any]) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return Parsed(source, error=f"{name} is password-protected; share a copy without a password.")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        meta = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return Parsed(source, error=f"{name} could not be read as a PDF (it is damaged or not a PDF).")
    text = "\n\n".join(p for p in pages if p)
    if not text:
        return Parsed(
            source,
            error=f"{name} has no text to read: it looks like a scanned PDF (images of pages). Share a "
            "PDF with a text layer (run it through OCR first) or paste the text.",
        )
    title = _clean(getattr(meta, "title", None) if meta else None)
    return _build(source, {**fields, "text": text, "title": title or _stem(name)}, settings)


def _docx(name: str, data: bytes, source: str, settings: IngestSettings, fields: dict[str, Any]) -> Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return Parsed(
            source, error=f"{name} could not be read as a Word document (it is damaged or not DOCX)."
        )
    blocks = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            blocks.append(" | ".join(c for c in cells if c))
    text = "\n\n".join(b for b in blocks if b)
    if not text:
        return Parsed(source, error=f"{name} holds no text.")
    props = document.core_properties
    title = _clean(props.title)
    return _build(source, {**fields, "text": text, "title": title or _stem(name)}, settings)


def _named(parsed: Parsed, name: str) -> Parsed:
    """The parsers' sentences say what is wrong; the person who shared several files needs to know which."""
    if parsed.record is None and parsed.error:
        parsed.error = f"{name}: {parsed.error}"
    return parsed


def _build(source: str, fields: dict[str, Any], settings: IngestSettings) -> Parsed:
    try:
        return Parsed(source, record=make_record(fields, settings.max_text_chars))
    except RecordError as exc:
        return Parsed(source, error=f"{fields.get('outlet') or source}: {exc}")


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _stem(name: str) -> str:
    return PurePosixPath(name).stem or name
