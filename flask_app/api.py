"""The JSON API: the same per-image object as `python -m fer predict --json`."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from fer.classes import CLASS_NAMES
from flask_app.uploads import predict_upload, predictor, read_upload

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/predict")
def predict():
    name, data = read_upload(request)
    return jsonify({"file": name, **predict_upload(data).to_dict()})


@bp.get("/health")
def health():
    return jsonify(
        status="ok", model=predictor().model_path.name, classes=list(CLASS_NAMES), tta=predictor().config.tta
    )
