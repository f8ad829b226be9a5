"""Make an unmatched question safe to keep: no contact details, no precise places, no ids.

Scrubbing runs on the text as typed (folding would break the patterns: it drops ``@``,
``+`` and brackets), then each piece between the scrubbed parts is folded.
"""

from __future__ import annotations

import re

from bot.text import fold

MAX_CHARS = 200

_PATTERNS = (
    ("email", r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
    ("postal_code", r"\b[A-Za-z]\d[A-Za-z](?:[ \-]?\d[A-Za-z]\d)?\b"),
    ("phone", r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}\b"
              r"|\b\d{3}[\s.\-]\d{4}\b"),
    # Card, health or case numbers, street numbers with unit: any 5+ digits in a row.
    ("number", r"\d(?:[\s.\-/]?\d){4,}"),
)
_SCRUB = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS))


def scrub(text: str) -> str:
    """``text`` with contact details replaced by ``[email]``, ``[phone]``..., then folded."""
    parts: list[str] = []
    end = 0
    for match in _SCRUB.finditer(text):
        parts.append(fold(text[end : match.start()]))
        parts.append(f"[{match.lastgroup}]")
        end = match.end()
    parts.append(fold(text[end:]))
    cleaned = " ".join(p for p in parts if p)
    if len(cleaned) > MAX_CHARS:
        cleaned = cleaned[:MAX_CHARS].rsplit(" ", 1)[0]
    return cleaned
