"""Use-cases: each takes a database session and an actor, never flask.request."""
