"""The building blocks of every staff-edited YAML record (knowledge base, directory, alerts).

One base (``Strict``), one two-language text (``Bilingual``) and one way to write web
addresses (``Url``, ``SourceUrls``), so a rule about them changes in one place."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from bot.text import Language


class Strict(BaseModel):
    """Immutable; an unknown field is an error (a typo staff must hear about); text trimmed."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Bilingual(Strict):
    """A text in English and French; both are required."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    def get(self, lang: Language) -> str:
        """The text in ``lang``."""
        return self.fr if lang == "fr" else self.en


def check_url(value: str) -> str:
    """A web address someone can open: http(s) only."""
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"'{value}' must be a web address starting with https://")
    return value


def _one_or_more(value: Any) -> Any:
    """Staff may write one address without the list brackets."""
    return (value,) if isinstance(value, str) else value


Url = Annotated[str, AfterValidator(check_url)]
# Where a fact comes from: one address or a list of them.
SourceUrls = Annotated[tuple[Url, ...], BeforeValidator(_one_or_more)]
