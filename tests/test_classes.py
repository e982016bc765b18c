import pytest

from fer.classes import CLASS_NAMES, class_index, fer2013_code_to_index


def test_canonical_order():
    assert CLASS_NAMES == ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


@pytest.mark.parametrize(
    "code, name", [(0, "angry"), (1, "disgust"), (2, "fear"), (3, "happy"), (4, "sad"), (5, "surprise"), (6, "neutral")]
)
def test_fer2013_codes_map_to_canonical_classes(code, name):
    assert CLASS_NAMES[fer2013_code_to_index(code)] == name


@pytest.mark.parametrize("code", [-1, 7, 42])
def test_unknown_codes_are_rejected(code):
    assert fer2013_code_to_index(code) is None


@pytest.mark.parametrize(
    "folder, name",
    [
        ("Anger", "angry"),
        ("disgusted", "disgust"),
        ("FEARFUL", "fear"),
        ("happiness", "happy"),
        ("Sadness", "sad"),
        ("surprised", "surprise"),
        ("neutral", "neutral"),
    ],
)
def test_aliases(folder, name):
    assert CLASS_NAMES[class_index(folder)] == name


def test_other_classes_are_not_guessed():
    assert class_index("contempt") is None
