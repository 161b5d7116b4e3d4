"""The served OpenAPI document describes exactly the routes the app has."""

from __future__ import annotations

import app as app_module
from chalicelib.kernel.catalog import Vocabulary
from chalicelib.system.routes import openapi_document
from site_builder.catalog import vocabulary


def test_openapi_matches_the_routes():
    doc = openapi_document(Vocabulary.parse(vocabulary(("fr", "en"))))
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = {(path, method) for path, methods in app_module.app.routes.items() for method in methods}
    assert described == routed


def test_openapi_is_served(api):
    response = api.request("GET", "/openapi.json")
    body = api.json(response)
    assert response.status_code == 200 and body["openapi"] == "3.1.0"
    for path, ops in body["paths"].items():
        for method, op in ops.items():
            assert op["operationId"] and op["responses"], (path, method)
            refs = [r for r in str(op).split("'$ref': '")[1:]]
            for ref in refs:
                name = ref.split("'")[0].rsplit("/", 1)[-1]
                assert name in body["components"]["schemas"], name
