"""A real browser uploads a photo on the Flask page (served by gunicorn) and sees the results page."""

from fer.classes import CLASS_NAMES
from fer.config import ASSETS

from .browser import browser_page, free_port, needs_chromium, running, screenshot_path


@needs_chromium
def test_upload_in_a_browser(tmp_path, tiny_model_path):
    model = ASSETS / "model.keras"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    app = f"flask_app:create_app({{'MODEL_PATH': {str(model if model.exists() else tiny_model_path)!r}}})"
    command = ["-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", app]
    with running(command, url), browser_page() as page:
        page.goto(url)
        page.set_input_files("#image", str(ASSETS / "examples" / "astronaut.jpg"))
        page.get_by_role("button", name="Analyse").first.click()
        page.wait_for_selector(".emotion", timeout=60_000)
        assert page.locator(".emotion").first.inner_text().lower() in CLASS_NAMES
        assert "1 face found." in page.locator("#message").inner_text()
        page.screenshot(path=str(screenshot_path(tmp_path, "flask_results.png")), full_page=True)
