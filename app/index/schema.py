"""The Whoosh schema: one document per page, one per book, and the schema's version."""

from __future__ import annotations

from whoosh import fields

from app.index.analysis import analyzer_for

#: Raise when the schema or the analysis changes: every index built before is rebuilt.
SCHEMA_VERSION = 2  # 2: Latin diacritics folded (é → e), CJK indexed as pairs

#: The text field of each page language; a page goes into the field of its detected language.
TEXT_FIELDS = {"uz": "text_uz", "ru": "text_ru", "en": "text_en"}
#: Pages whose language is unknown are indexed as Uzbek: the folding is harmless for English
#: and keeps Cyrillic and apostrophe forms findable.
FALLBACK_LANGUAGE = "uz"


def field_language(lang: str) -> str:
    """The language whose text field (and analysis) a page of language ``lang`` uses."""
    return lang if lang in TEXT_FIELDS else FALLBACK_LANGUAGE


def build_schema() -> fields.Schema:
    """The index layout (see docs/text-analysis.md for the per-language decision)."""
    return fields.Schema(
        kind=fields.ID(stored=True),
        book=fields.ID(stored=True, sortable=True),
        page=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        lang=fields.ID(stored=True),
        format=fields.ID(),
        text_uz=fields.TEXT(analyzer=analyzer_for("uz"), phrase=True),
        text_ru=fields.TEXT(analyzer=analyzer_for("ru"), phrase=True),
        text_en=fields.TEXT(analyzer=analyzer_for("en"), phrase=True),
        title=fields.TEXT(analyzer=analyzer_for("name"), phrase=True),
        authors=fields.TEXT(analyzer=analyzer_for("name"), phrase=True),
    )
