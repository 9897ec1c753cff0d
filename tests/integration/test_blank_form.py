"""The printed blank questionnaire: generated from the definition, checked with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from symdesk.cli import main
from symdesk.i18n import _, current_language, set_language
from symdesk.questionnaire.definition import default_definition
from symdesk.services import forms as forms_service
from symdesk.services.errors import UserError

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) is not installed; apt-get install poppler-utils",
)


def normalise(text: str) -> str:
    """Whitespace collapsed and lines joined, so wrapped labels read as one."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed
    return pages


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def language() -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


def make_pdf(folder: Path, lang: str) -> Path:
    set_language(lang)
    return forms_service.write_blank_form(folder / f"blank-{lang}.pdf", language=lang)


@pytest.fixture(scope="module")
def ru_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    before = current_language()
    yield make_pdf(tmp_path_factory.mktemp("blank"), "ru")
    set_language(before)


@pytest.fixture(scope="module")
def en_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    before = current_language()
    yield make_pdf(tmp_path_factory.mktemp("blank"), "en")
    set_language(before)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_label_and_title_is_printed(lang: str, ru_pdf: Path, en_pdf: Path) -> None:
    path = ru_pdf if lang == "ru" else en_pdf
    definition = default_definition()
    pages = pdf_pages(path)
    assert len(pages) >= 2
    text = normalise(" ".join(pages))
    assert normalise(definition.title.get(lang)) in text
    if lang == "ru":
        assert "Анкета резидента свободной экономической зоны" in text
    missing = [
        f.label.get(lang)
        for section in definition.scalar_sections
        for f in section.fields
        if normalise(f.label.get(lang)) not in text
    ]
    assert not missing, f"labels not found in the PDF: {missing}"
    for section in definition.sections:
        assert normalise(section.label.get(lang)) in text, section.name
    categories = definition.section("offers").field("category").choices
    for choice in categories:
        assert normalise(choice.label.get(lang)) in text, choice.value
    assert definition.form_id in text and definition.version in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_fonts_are_embedded_dejavu_and_no_page_is_empty(lang: str, ru_pdf: Path, en_pdf: Path) -> None:
    path = ru_pdf if lang == "ru" else en_pdf
    fonts = pdf_fonts(path)
    assert fonts, "no fonts in the PDF"
    for row in fonts:
        name, emb = row[0], row[-5]  # name ... emb sub uni object ID
        assert "DejaVu" in name and emb == "yes", row
    assert not any("Helvetica" in row[0] for row in fonts)
    for number, page in enumerate(pdf_pages(path), start=1):
        assert page.strip(), f"page {number} is empty"


def test_english_pages_are_numbered(en_pdf: Path) -> None:
    pages = pdf_pages(en_pdf)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page


def test_russian_pages_are_numbered(ru_pdf: Path, language: None) -> None:
    pages = pdf_pages(ru_pdf)
    set_language("ru")
    footer = _("page {page} of {pages}")
    for number, page in enumerate(pages, start=1):
        assert footer.format(page=number, pages=len(pages)) in page
    assert f"стр. 1 из {len(pages)}" in pages[0]


def test_cli_writes_the_form(tmp_path: Path, capsys: pytest.CaptureFixture[str], language: None) -> None:
    out = tmp_path / "form.pdf"
    assert main(["--lang", "en", "form", "blank", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert str(out) in capsys.readouterr().out
    assert "Questionnaire of a special economic zone resident" in normalise(" ".join(pdf_pages(out)))
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_form_language_overrides_the_global_one(tmp_path: Path, language: None) -> None:
    out = tmp_path / "form-ru.pdf"
    assert main(["--lang", "en", "form", "blank", "--lang", "ru", "--out", str(out)]) == 0
    assert "Анкета резидента свободной экономической зоны" in normalise(" ".join(pdf_pages(out)))


def test_missing_folder_fails_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            language: None) -> None:
    out = tmp_path / "missing" / "form.pdf"
    assert main(["form", "blank", "--out", str(out)]) == 1
    _out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and err.startswith("symdesk: ")
    assert not out.exists() and not out.parent.exists()


def test_a_failed_build_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(definition: object, path: Path, language: str) -> Path:
        Path(path).write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(forms_service, "build_blank_form", broken)
    out = tmp_path / "form.pdf"
    with pytest.raises(UserError):
        forms_service.write_blank_form(out)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_only_when_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "form.pdf"
    out.write_bytes(b"old")

    def broken(definition: object, path: Path, language: str) -> Path:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(forms_service, "build_blank_form", broken)
    with pytest.raises(UserError):
        forms_service.write_blank_form(out)
    assert out.read_bytes() == b"old" and list(tmp_path.iterdir()) == [out]
