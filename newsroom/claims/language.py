"""The language a record is written in, so its numbers are read in that language's format."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()
SAMPLE = 2000  # characters enough to tell a language; a long record is not read whole


def record_language(text: str) -> str:
    """The language of a record (see `text_language`), told from 12 letters or more."""
    return text_language(text, 12)


@lru_cache(maxsize=4096)
def text_language(text: str, min_letters: int = 12) -> str:
    """An ISO 639-1 code ('en', 'zh', 'ja', 'fr', ...) for the text; 'en' with fewer than `min_letters`.

    Script decides first (kana is Japanese; Han without kana Chinese; Hangul Korean), when a fifth of the
    letters are in it, since a Chinese report names Western companies in Latin letters; otherwise
    py3langid's classifier, which ships its model.
    """
    sample = text[:SAMPLE]
    letters = len(_LETTER.findall(sample))
    if letters < min_letters:
        return "en"
    han, kana = len(_HAN.findall(sample)), len(_KANA.findall(sample))
    if kana and (han + kana) * 5 >= letters:
        return "ja"
    if han * 5 >= letters:
        return "zh"
    if len(_HANGUL.findall(sample)) * 5 >= letters:
        return "ko"
    with _lock:  # the classifier's first call loads its model; one thread does it
        import py3langid

        lang, _score = py3langid.classify(sample)
    return str(lang)
