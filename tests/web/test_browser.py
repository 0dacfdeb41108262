"""The phone client in real headless Chromium against a real `kyb serve` on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def phone(live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (bash tasks.sh setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        context.close()
        browser.close()


def test_photo_to_band_page(phone, live_server, tiny_index, tmp_path):
    page, errors = phone
    photo = tmp_path / "poster.jpg"
    photo.write_bytes(tiny_index.photo)
    page.goto(live_server + "/")
    assert page.get_by_text("Take a photo").is_visible() and page.get_by_text("Choose a photo").is_visible()

    page.set_input_files("#library", str(photo))
    page.wait_for_selector("#view-result:not([hidden])")
    hit = page.locator("#hits .hit").first
    assert tiny_index.band_name in hit.inner_text()
    assert "%" in hit.inner_text()
    assert page.locator("#overlay polygon.known").count() >= 1
    assert tiny_index.band_name in page.locator("#overlay").text_content()
    page.screenshot(path=str(tmp_path / "result.png"), full_page=True)

    hit.click()
    page.wait_for_selector("#view-detail:not([hidden])")
    assert page.locator("#band-name").inner_text() == tiny_index.band_name
    assert page.get_by_role("heading", name="Discography").is_visible()
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)

    page.go_back()  # the phone's back button returns to the photo
    page.wait_for_selector("#view-result:not([hidden])")
    assert errors == []


def test_photo_without_bands(phone, live_server, blank_photo, tmp_path):
    page, errors = phone
    photo = tmp_path / "wall.jpg"
    photo.write_bytes(blank_photo)
    page.goto(live_server + "/")
    page.set_input_files("#camera", str(photo))
    page.wait_for_selector("#view-result:not([hidden])")
    assert page.locator("#result-title").inner_text() == "No known band found"
    assert page.locator("#overlay polygon").count() == 0
    assert errors == []


def test_a_text_file_shows_a_message(phone, live_server, tmp_path):
    page, _ = phone
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo")
    page.goto(live_server + "/")
    page.set_input_files("#library", str(notes))
    assert "not a photo" in page.locator("#error").inner_text()


def test_unknown_regions_are_drawn_dashed_and_named(phone, live_server):
    # The engine reports `unknown` regions only with a detector; the client's drawing is checked directly.
    page, errors = phone
    page.goto(live_server + "/")
    labels = page.evaluate("""async () => {
        const { drawOverlay } = await import("./js/overlay.js");
        const svg = document.getElementById("overlay");
        document.getElementById("view-result").hidden = false;
        drawOverlay(svg, {image: {width: 800, height: 600}, objects: [], timing_ms: {total: 1},
                          unknown: [{kind: "logo", box: [10, 300, 200, 380], score: 0.7},
                                    {kind: "album", box: [400, 100, 700, 400], score: 0.6}]});
        return [svg.querySelectorAll("rect.unknown").length, svg.textContent];
    }""")
    assert labels[0] == 2
    assert "a logo we don't know" in labels[1] and "an album we don't know" in labels[1]
    assert errors == []


def test_installable_shell_is_cached_by_the_service_worker(phone, live_server):
    page, errors = phone
    page.goto(live_server + "/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == live_server + "/"
    cached = page.evaluate("""async () => {
        for (let i = 0; i < 50; i++) {  // install fills the cache asynchronously
            const keys = await (await caches.open("kyb-shell-v2")).keys();
            if (keys.length >= 12) return keys.map((r) => new URL(r.url).pathname);
            await new Promise((done) => setTimeout(done, 100));
        }
        return [];
    }""")
    assert {"/", "/app.js", "/manifest.webmanifest", "/icons/icon-512.png"} <= set(cached)
    assert not any(p.startswith(("/api/", "/media/")) for p in cached)
    manifest = page.evaluate("fetch('manifest.webmanifest').then((r) => r.json())")
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    assert errors == []


def test_big_sideways_photo_is_shrunk_upright_before_upload(phone, live_server, tiny_index, tmp_path):
    # A 3000x2000 scene stored sideways with EXIF orientation 6, as phones write portrait shots.
    import io

    from PIL import Image

    page, errors = phone
    upright = Image.new("RGB", (3000, 2000), (96, 84, 72))
    upright.paste(Image.open(io.BytesIO(tiny_index.photo)).resize((1500, 1125)), (700, 400))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "portrait.jpg"
    upright.rotate(90, expand=True).save(path, quality=90, exif=exif)
    page.goto(live_server + "/")
    with page.expect_response("**/api/v1/recognize") as answer:
        page.set_input_files("#library", str(path))
    body = answer.value.json()
    assert body["image"] == {"width": 2048, "height": 1365}  # upright, long side 2048
    assert body["objects"] and body["objects"][0]["band"]["name"] == tiny_index.band_name
    assert errors == []
