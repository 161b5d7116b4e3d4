"""The HTTP glue shared by every room's routes; with the routes, the only part of chalicelib that knows Chalice.

- middleware.py: what every request shares (its Call, the origin check, errors as problem+json, faults as 503);
- routes.py: a room's routes are a Blueprint (Routes) that hands its errors to the middleware;
- call.py: one request as the routes see it (`call()`);
- pages.py: the shell of the API's own HTML pages; openapi.py: the shapes the rooms' OpenAPI descriptions share.
  These two know no web framework, so the rooms' pages and descriptions stay pure.
"""
