"""Harm-reduction chatbot: a transport-independent core plus a Telegram adapter.

The core (knowledge base, matcher, locator, dialogue) never imports ``telegram``.
"""

__version__ = "0.1.0"
