"""Dutch first, English second (X4): the catalogs, the language switch, the formats."""

import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import deactivate, gettext, ngettext, npgettext, override, pgettext

from portal.templatetags.portal import euro, long_date

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture(autouse=True)
def back_to_dutch():
    """A request in English leaves English active in this thread; the next test expects Dutch."""
    yield
    deactivate()


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    context: str | None = None
    msgstr: list = field(default_factory=list)
    fuzzy: bool = False


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, without the header and obsolete (#~) entries.

    Just enough of the format for our catalogs: flags, msgctxt, msgid,
    msgid_plural, msgstr and msgstr[n], strings continued on the next lines.
    """
    entries, entry, keyword = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry.msgid:
                entries.append(entry)
            entry = Entry()
        elif line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
        elif not line.startswith("#"):
            if not line.startswith('"'):
                keyword, line = line.split(" ", 1)
            _append(entry, keyword, json.loads(line))
    return entries


def _append(entry: Entry, keyword: str, text: str) -> None:
    if keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if "[" in keyword else 0
        while len(entry.msgstr) <= index:
            entry.msgstr.append("")
        entry.msgstr[index] += text
    else:
        name = {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "msgid_plural"}[keyword]
        setattr(entry, name, (getattr(entry, name) or "") + text)


def catalog(language: str) -> list[Entry]:
    return parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")


def translated(entry: Entry) -> list[str]:
    """What the running code gets for `entry`: one text, or singular and plural."""
    if entry.msgid_plural is None:
        if entry.context is None:
            return [gettext(entry.msgid)]
        return [pgettext(entry.context, entry.msgid)]
    if entry.context is None:
        return [ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
    return [npgettext(entry.context, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]


# --- the catalogs ---------------------------------------------------------------


def test_it_has_an_english_text_for_every_dutch_text():
    entries = catalog("en")
    assert len(entries) > 400
    assert [e.msgid for e in entries if not all(e.msgstr)] == []


def test_it_has_no_fuzzy_english_texts():
    assert [e.msgid for e in catalog("en") if e.fuzzy] == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_it_compiled_the_catalog_from_the_current_po_file(language):
    # A .po edited without compilemessages leaves a stale .mo: this fails then.
    with override(language):
        stale = [e.msgid for e in catalog(language) if translated(e) != e.msgstr]
    assert stale == []


def test_it_has_no_texts_the_code_no_longer_uses(tmp_path, monkeypatch, settings):
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("needs the gettext tools (xgettext, msgmerge)")
    # makemessages writes next to the code it reads: extract from a copy.
    source = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "locale", "staticfiles", "node_modules", "__pycache__", "*.sqlite3", "*.mo", "*.po"
        ),
    )
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = {(e.context, e.msgid) for e in parse_po(source / "locale/en/LC_MESSAGES/django.po")}
    assert sorted({(e.context, e.msgid) for e in catalog("en")} - extracted) == []


def test_it_gives_djangos_untranslated_blank_choice_a_dutch_text():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with override("nl"):
        assert str(BLANK_CHOICE_LABEL) == "- Maak een keuze -"


def test_it_tells_a_tenant_in_dutch_that_a_password_is_too_short():
    from django.contrib.auth.password_validation import MinimumLengthValidator

    with override("nl"):
        message = MinimumLengthValidator().get_error_message()
    assert message == "Dit wachtwoord is te kort. Kies een wachtwoord van minstens 8 tekens."


# --- switching language ---------------------------------------------------------


def test_it_shows_the_dashboard_in_english_after_switching(huurder_client):
    huurder_client.post("/i18n/setlang/", {"language": "en", "next": "/mijn/"})
    text = huurder_client.get("/mijn/").text
    assert "Welcome, Sanne de Vries" in text
    assert "You have an outstanding balance of €125.31." in text


def test_it_shows_dutch_again_after_switching_back(huurder_client):
    huurder_client.post("/i18n/setlang/", {"language": "en", "next": "/mijn/"})
    huurder_client.post("/i18n/setlang/", {"language": "nl", "next": "/mijn/"})
    text = huurder_client.get("/mijn/").text
    assert "Welkom, Sanne de Vries" in text
    assert "U heeft een openstaand saldo van €\xa0125,31." in text


def test_it_marks_the_page_with_the_chosen_language(huurder_client):
    huurder_client.post("/i18n/setlang/", {"language": "en", "next": "/mijn/"})
    assert '<html lang="en">' in huurder_client.get("/mijn/").text


# --- formats ---------------------------------------------------------------------


def test_it_writes_euros_the_dutch_way():
    with override("nl"):
        assert euro(Decimal("1234.56")) == "€\xa01.234,56"


def test_it_writes_euros_the_english_way():
    with override("en"):
        assert euro(Decimal("1234.56")) == "€1,234.56"


def test_it_puts_the_minus_after_the_euro_sign_in_dutch():
    with override("nl"):
        assert euro(Decimal("-1234.5")) == "€\xa0-1.234,50"


def test_it_puts_the_minus_before_the_euro_sign_in_english():
    with override("en"):
        assert euro(Decimal("-1234.5")) == "-€1,234.50"


def test_it_writes_a_long_date_in_dutch():
    with override("nl"):
        assert long_date(date(2026, 11, 25)) == "woensdag 25 november 2026"


def test_it_writes_a_long_date_in_english():
    with override("en"):
        assert long_date(date(2026, 11, 25)) == "Wednesday 25 November 2026"
