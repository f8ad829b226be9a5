"""Telegram-only interface texts: keyboard labels, command menu, group hints.

Health content lives in the resources; these are the few words that exist only because
Telegram has keyboards, command menus and group chats.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.reply import Language


@dataclass(frozen=True, slots=True)
class KeyboardKey:
    """One big button of the /start keyboard and the dialogue topic it opens."""

    intent: str
    en: str
    fr: str

    def label(self, lang: Language) -> str:
        """The button text in ``lang``."""
        return self.fr if lang == "fr" else self.en


# Order is the order on screen: the emergency first.
KEYBOARD: tuple[KeyboardKey, ...] = (
    KeyboardKey("emergency", "🚨 Overdose now", "🚨 Surdose en cours"),
    KeyboardKey("naloxone_get", "💉 Get naloxone", "💉 Obtenir de la naloxone"),
    KeyboardKey("find_services", "📍 Find services near me", "📍 Services près de moi"),
    KeyboardKey("overdose_signs", "👀 Signs of overdose", "👀 Signes de surdose"),
    KeyboardKey("crisis_support", "💬 Talk to someone", "💬 Parler à quelqu’un"),
)
LOCATION_INTENT = "find_services"

# Command -> (English description, French description) for the command menu.
COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("What I can do", "Ce que je peux faire"),
    "naloxone": ("Naloxone: what it is, where to get it", "Naloxone : ce que c’est, où l’obtenir"),
    "signs": ("Signs of an overdose", "Signes d’une surdose"),
    "sites": ("Supervised consumption sites", "Sites de consommation supervisée"),
    "near": ("Services near me", "Services près de moi"),
    "lang": ("English / français", "Français / English"),
    "alerts": ("Drug-supply alerts for your region", "Alertes sur les drogues de votre région"),
    "stop": ("Stop alerts", "Arrêter les alertes"),
    "privacy": ("What I keep about you", "Ce que je garde sur vous"),
    "forget": ("Forget our conversation now", "Oublier notre conversation maintenant"),
}

_TEXTS: dict[str, tuple[str, str]] = {
    "group_location": (
        "To find services near you, message me privately and share your location there: {link}",
        "Pour trouver des services près de vous, écrivez-moi en privé et partagez votre "
        "position : {link}",
    ),
    "open_private": ("Open a private chat", "Ouvrir une conversation privée"),
    "share_location": ("📍 Share my location", "📍 Partager ma position"),
    "choose_language": ("Choose a language / Choisissez une langue",
                        "Choisissez une langue / Choose a language"),
    "error": (
        "Sorry, something went wrong. If someone is overdosing, call 911 now.",
        "Désolé, une erreur est survenue. Si quelqu’un fait une surdose, appelez le 911.",
    ),
    "location_placeholder": ("Or type a place or postal code", "Ou écrivez un lieu ou code postal"),
}


def text(key: str, lang: Language, **values: str) -> str:
    """An adapter text in ``lang`` with ``{placeholders}`` filled."""
    en, fr = _TEXTS[key]
    chosen = fr if lang == "fr" else en
    return chosen.format(**values) if values else chosen


def intent_for_label(label: str) -> str | None:
    """The intent a keyboard button opens, from its text in either language."""
    for key in KEYBOARD:
        if label.strip() in (key.en, key.fr):
            return key.intent
    return None
