"""The system routes: health and the OpenAPI document."""

from __future__ import annotations

from .. import house
from ..kernel.catalog import Vocabulary
from ..web import openapi as description
from ..web.call import call
from ..web.routes import CORS, Routes
from . import openapi as system_openapi

routes = Routes(__name__)


@routes.route("/health", methods=["GET"])
def health():
    this = call()
    return this.json(this.consultation.health())


@routes.route("/openapi.json", methods=["GET"], cors=CORS)
def openapi():
    this = call()
    return this.json(openapi_document(this.consultation.context.catalog.vocabulary))


def openapi_document(vocabulary: Vocabulary) -> dict:
    """The whole OpenAPI document: these routes', then every room's (house.py)."""
    return description.document(vocabulary, (system_openapi, *house.DESCRIPTIONS), house.SECURITY)
