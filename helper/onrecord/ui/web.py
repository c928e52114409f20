"""The settings pages and their API, served by the helper under /settings/ (placeholder)."""

from flask import Blueprint

blueprint = Blueprint("settings_ui", __name__, url_prefix="/settings")
