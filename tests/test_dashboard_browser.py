"""A real browser loads the dashboard, uploads an example photo and sees the prediction and the chart."""

from PIL import Image

from fer.classes import CLASS_NAMES
from fer.config import ASSETS

from .browser import browser_page, free_port, needs_chromium, running, screenshot_path


@needs_chromium
def test_dashboard_in_a_browser(tmp_path, tiny_model_path):
    model = ASSETS / "model.keras"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = ["dashboard.py", "--port", str(port), "--model", str(model if model.exists() else tiny_model_path)]
    uploads = tmp_path / "gradio-uploads"
    visitor = tmp_path / "visitor.jpg"  # not one of the bundled examples, which Gradio keeps cached
    Image.open(ASSETS / "examples" / "astronaut.jpg").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(visitor)
    with running(command, url, env={"GRADIO_TEMP_DIR": str(uploads)}), browser_page() as page:
        page.goto(url)
        page.locator("input[type=file]").first.set_input_files(str(visitor))
        page.get_by_role("button", name="Predict", exact=True).click()
        verdict = page.locator("#verdict")
        verdict.get_by_text("%").wait_for(timeout=60_000)
        assert any(name.capitalize() in verdict.inner_text() for name in CLASS_NAMES)
        assert "1 face found." in page.locator("#predict-message").inner_text()
        page.locator("#probability-chart .js-plotly-plot").wait_for(timeout=30_000)
        assert "visitor.jpg" in {p.name for p in uploads.rglob("*")}  # cached while the server runs
        page.screenshot(path=str(screenshot_path(tmp_path, "dashboard.png")), full_page=True)
    # Gradio's upload cache held the visitor's photo while serving; stopping the server deletes it.
    left = {p.name for p in uploads.rglob("*") if p.is_file()}
    assert "visitor.jpg" not in left
    assert left <= {p.name for p in (ASSETS / "examples").glob("*.jpg")}
