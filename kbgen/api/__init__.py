"""The help API: events in (POST /api/events), health and an OpenAPI document out."""

from kbgen.api.app import HelpApi, create_api_app, create_app
from kbgen.api.settings import ApiSettings

__all__ = ["ApiSettings", "HelpApi", "create_api_app", "create_app"]
