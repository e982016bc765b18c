"""The HTML pages: the upload form and the results."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from fer.classes import CLASS_NAMES
from fer.images import enlarge
from flask_app.uploads import data_uri, predict_upload, predictor, read_upload

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    return render_template("index.html")


@bp.post("/predict")
def predict():
    name, data = read_upload(request)
    result = predict_upload(data)
    faces = [
        {
            "number": number,
            "face": face,
            "crop": data_uri(face.crop, 256),
            "model_input": data_uri(enlarge(face.model_input)),
            "attention": data_uri(face.attention_overlay),
            "probabilities": sorted(zip(CLASS_NAMES, face.probabilities.tolist()), key=lambda item: -item[1]),
        }
        for number, face in enumerate(result.faces, start=1)
    ]
    return render_template(
        "results.html",
        name=name,
        result=result,
        faces=faces,
        annotated=data_uri(result.stages["annotated"]),
        tta=predictor().config.tta,
    )
