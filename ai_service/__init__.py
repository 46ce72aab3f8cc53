"""HTTP service, auth and wiring. Nothing else imports this package."""

from ai_service.app import create_app
from ai_service.config import Settings

__all__ = ["Settings", "create_app"]
