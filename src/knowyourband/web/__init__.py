"""The web service and mobile client: `create_app(settings)` builds the app, `serve(...)` runs it."""

from knowyourband.web.app import create_app
from knowyourband.web.server import serve
from knowyourband.web.settings import Settings

__all__ = ["Settings", "create_app", "serve"]
