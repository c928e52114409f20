"""Screenshots the docs show are taken by tests, but a test run must not change tracked files."""

from pathlib import Path

DOC_IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"


def test_screenshots_go_to_the_tests_own_folder_unless_new_images_are_asked_for(doc_image, monkeypatch, tmp_path):
    monkeypatch.delenv("ONRECORD_UPDATE_IMAGES", raising=False)
    assert doc_image("card-x.png") == tmp_path / "images" / "card-x.png"
    monkeypatch.setenv("ONRECORD_UPDATE_IMAGES", "1")
    assert doc_image("card-x.png") == DOC_IMAGES / "card-x.png"
