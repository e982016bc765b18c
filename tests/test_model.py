import json
import zipfile

import numpy as np
import pytest

from fer.classes import CLASS_NAMES
from fer.config import ModelConfig, fast_preset
from fer.model import ATTENTION_LAYER, METADATA_ENTRY, build_model, load_shipped_model, read_metadata

from .conftest import TINY_MODEL


def test_seed_architecture_matches_the_original():
    model = build_model(ModelConfig())
    assert model.count_params() == 4_960_328  # the issue says "about 4.8M"; this is the exact count
    assert model.get_layer(ATTENTION_LAYER).output.shape[1:] == (12, 12, 1)
    assert model.input.shape[1:] == (48, 48, 1) and model.output.shape[1:] == (7,)


def test_fast_preset_is_smaller():
    assert build_model(fast_preset().model).count_params() < 2e6


def test_output_is_a_distribution():
    probabilities = build_model(TINY_MODEL).predict(np.random.rand(3, 48, 48, 1) * 255, verbose=0)
    assert probabilities.shape == (3, 7)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_round_trip_keeps_class_names_and_outputs(tiny_model_path):
    model, metadata = load_shipped_model(tiny_model_path)
    assert metadata["class_names"] == list(CLASS_NAMES)
    assert metadata["preprocessing"]["image_size"] == 48
    assert getattr(model, "optimizer", None) is None  # shipped without optimizer state
    x = np.random.default_rng(0).random((2, 48, 48, 1)) * 255
    again, _ = load_shipped_model(tiny_model_path)
    np.testing.assert_allclose(model.predict(x, verbose=0), again.predict(x, verbose=0), rtol=1e-6)


def test_a_model_with_another_class_order_is_refused(tiny_model_path, tmp_path):
    wrong = tmp_path / "wrong.keras"
    with zipfile.ZipFile(tiny_model_path) as source, zipfile.ZipFile(wrong, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == METADATA_ENTRY:
                meta = json.loads(data)
                meta["class_names"] = sorted(meta["class_names"], reverse=True)
                data = json.dumps(meta)
            target.writestr(item, data)
    with pytest.raises(ValueError, match="expected"):
        read_metadata(wrong)


def test_a_plain_keras_file_is_refused(tmp_path):
    path = tmp_path / "plain.keras"
    build_model(TINY_MODEL).save(path)
    with pytest.raises(ValueError, match="no class names"):
        read_metadata(path)
