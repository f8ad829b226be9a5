"""The Telegram front end: handlers, rendering, retries, the webhook server and the runner.

Only this package imports ``telegram``; it calls the transport-independent ``Dialogue``.
"""
