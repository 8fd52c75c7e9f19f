"""Running the bot for real: long polling by default, a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.logs import configure_logging
from bot.settings import Settings


def serve(settings: Settings) -> None:
    secrets = [settings.token]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    application = build_application(settings)
    if settings.webhook_url:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
            secret_token=(
                settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            ),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
