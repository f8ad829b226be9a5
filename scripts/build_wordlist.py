"""Build resources/words/common-{en,fr}.txt: frequent everyday words, folded.

The typo corrector must not "fix" real words it does not know ("infection" is not a typo
of "injection"). These lists tell it which words are real. Generated once and committed;
the bot never needs wordfreq at run or test time.

    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq
    /tmp/wf/bin/python scripts/build_wordlist.py

Data: wordfreq (https://github.com/rspeer/wordfreq), word lists CC BY-SA 4.0.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from wordfreq import top_n_list

TOP_N = 25_000
MIN_LEN = 4  # shorter words are never corrected anyway
OUT = Path(__file__).resolve().parent.parent / "resources" / "words"
HEADER = (
    "# Frequent {lang} words (folded: lowercase, no accents), one per line, from wordfreq\n"
    "# (https://github.com/rspeer/wordfreq, data CC BY-SA 4.0), built by\n"
    "# scripts/build_wordlist.py. The typo corrector never changes these words.\n"
)


def fold(word: str) -> str:
    """Lowercase without accents, letters only."""
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def main() -> None:
    """Write one file per language."""
    OUT.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "fr"):
        words = []
        seen = set()
        for word in top_n_list(lang, TOP_N):
            folded = fold(word)
            if len(folded) >= MIN_LEN and re.fullmatch(r"[a-z]+", folded) and folded not in seen:
                seen.add(folded)
                words.append(folded)
        text = HEADER.format(lang={"en": "English", "fr": "French"}[lang]) + "\n".join(words)
        (OUT / f"common-{lang}.txt").write_text(text + "\n", encoding="utf-8")
        print(f"{lang}: {len(words)} words")


if __name__ == "__main__":
    main()
