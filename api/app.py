"""DataCity consultation API: the Chalice app, its middleware and its rooms' routes (chalicelib/house.py)."""

from chalice import Chalice, Rate

from chalicelib import house, runtime
from chalicelib.system.routes import routes as system_routes
from chalicelib.web import middleware

app = Chalice(app_name="datacity-api")
middleware.install(app, runtime.service)
for routes in (system_routes, *house.ROUTES):
    app.register_blueprint(routes)


@app.schedule(Rate(1, unit=Rate.HOURS))
def housekeeping(event):
    """Delete personal data on the promised date: expired contact emails, old rate-limit counters."""
    return {"deleted": runtime.service().housekeeping()}
