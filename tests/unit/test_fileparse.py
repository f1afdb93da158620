"""Shared files read into records: real PDFs and DOCX built here, each refusal a sentence naming the file."""

from __future__ import annotations

import pytest

from newsroom.fileparse import file_suffix, read_file
from newsroom.settings import IngestSettings
from tests.fakes.documents import docx, pdf

SETTINGS = IngestSettings()
WHO = {"author": "slack:UEDITOR"}


def test_a_pdf_with_text_becomes_a_document_record_with_uploader_and_file_name() -> None:
    data = pdf(["The council approved 4.2 million (for the depot).", "Vote: 7-2."], title="Depot memo")
    parsed = read_file("depot memo.pdf", data, SETTINGS, WHO)
    assert parsed.error is None and parsed.record is not None
    record = parsed.record
    assert "approved 4.2 million (for the depot)" in record.text and "Vote: 7-2." in record.text
    assert (record.kind, record.author, record.outlet, record.title) == (
        "document",
        "slack:UEDITOR",
        "depot memo.pdf",
        "Depot memo",
    )
    assert record.published_at is None  # a file's creation date is not a publication date


def test_a_pdf_without_a_title_is_titled_by_its_file_name() -> None:
    parsed = read_file("q3-report.pdf", pdf(["Revenue rose 12 percent."]), SETTINGS, WHO)
    assert parsed.record is not None and parsed.record.title == "q3-report"


def test_a_scanned_pdf_gets_a_sentence_and_no_record() -> None:
    parsed = read_file("scan.pdf", pdf([]), SETTINGS, WHO)
    assert parsed.record is None
    assert parsed.error is not None and "scan.pdf has no text" in parsed.error and "scanned" in parsed.error


def test_a_damaged_pdf_or_docx_is_a_sentence() -> None:
    assert "could not be read as a PDF" in str(read_file("x.pdf", b"%PDF-1.4 garbage", SETTINGS, WHO).error)
    assert "could not be read as a Word document" in str(
        read_file("x.docx", b"PK\x03\x04", SETTINGS, WHO).error
    )


def test_a_docx_reads_paragraphs_and_tables() -> None:
    data = docx(
        ["Ridership fell 9% in October.", ""], title="Transit note", table=[["Line", "Riders"], ["A", "120"]]
    )
    parsed = read_file("note.docx", data, SETTINGS, WHO)
    assert parsed.record is not None
    assert parsed.record.title == "Transit note"
    assert "Ridership fell 9% in October." in parsed.record.text and "A | 120" in parsed.record.text
    assert parsed.record.published_at is None


def test_markdown_html_and_text_use_the_existing_parsers() -> None:
    md = read_file("brief.md", b"# Budget brief\n\nThe levy rises 3% next year.", SETTINGS, WHO)
    assert md.record is not None and md.record.title == "Budget brief" and md.record.kind == "document"
    page = b"<html><head><title>Depot</title></head><body><article><p>" + b"The depot opens in May. " * 20
    html = read_file("page.html", page + b"</p></article></body></html>", SETTINGS, WHO)
    assert html.record is not None and "depot opens in May" in html.record.text
    assert html.record.author == "slack:UEDITOR"
    binary = read_file("notes.txt", b"\x00\x01\xff\xfe\x00" * 40, SETTINGS, WHO)
    assert binary.record is None and "notes.txt" in str(binary.error)


@pytest.mark.parametrize("name", ["budget.xlsx", "photo.png", "noext"])
def test_an_unsupported_type_names_the_types_accepted(name: str) -> None:
    parsed = read_file(name, b"whatever", SETTINGS, WHO)
    assert parsed.record is None
    assert name in str(parsed.error) and "PDF, DOCX, HTML, Markdown or plain text" in str(parsed.error)


def test_slacks_file_type_decides_when_the_name_has_no_suffix() -> None:
    assert file_suffix("Minutes", "pdf") == ".pdf"
    assert file_suffix("notes.MD", "") == ".md"
    assert file_suffix("a.pdf", "text") == ".pdf"  # the name wins when it says
    assert file_suffix("sheet", "xlsx") == ""
