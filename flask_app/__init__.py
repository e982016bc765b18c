"""The Flask upload page and JSON API, built by an application factory around the shared `fer` predictor."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from fer.predictor import DEFAULT_MODEL, Predictor

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: dict | None = None) -> Flask:
    """Build the app; the model is loaded here, once per process (once per gunicorn worker)."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=10 * 1024 * 1024, MODEL_PATH=str(DEFAULT_MODEL))
    if config:
        app.config.update(config)
    app.extensions["fer_predictor"] = Predictor(app.config["MODEL_PATH"])
    app.json.sort_keys = False  # keep the CLI's field order

    from flask_app import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = _friendly(error)
        if request.path.startswith("/api/"):
            return jsonify(error=message, status=error.code), error.code
        return render_template("index.html", error=message), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        message = "Something went wrong on our side; the error was logged."
        if request.path.startswith("/api/"):
            return jsonify(error=message, status=500), 500
        return render_template("index.html", error=message), 500

    return app


def _friendly(error: HTTPException) -> str:
    if error.code == 413 and error.description == type(error).description:
        return f"The upload is too large: files up to {_megabytes_limit()} MB are accepted."
    if error.code == 404:
        return "There is no page at this address."
    if error.code == 405:
        return "This address does not accept that kind of request."
    return error.description or error.name


def _megabytes_limit() -> int:
    from flask import current_app

    return current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
