"""DataCity consultation API: the Chalice app, its middleware and its rooms' routes (chalicelib/house.py)."""

from chalice import Chalice, Rate

from chalicelib import house, runtime
from chalicelib.system.routes import routes as system_routes
from chalicelib.web import function_url as function_url_events
from chalicelib.web import middleware

app = Chalice(app_name="datacity-api")
middleware.install(app, runtime.service)
for routes in (system_routes, *house.ROUTES):
    app.register_blueprint(routes)

# Production's Lambda handler: the same app, answering the function URL CloudFront calls (infra/package.py sets it).
function_url = function_url_events.handler(app, lambda: runtime.service().context.catalog.vocabulary.languages)


@app.schedule(Rate(1, unit=Rate.HOURS))
def housekeeping(event):
    """Delete personal data on the promised date: expired contact emails, old rate-limit counters."""
    return {"deleted": runtime.service().housekeeping()}
