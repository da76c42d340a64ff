"""The public page frame (frontpage/base.html): favicon, and the phone menu's button."""

import re


def test_favicon_is_served_from_our_logo(client, home):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=" in response["Cache-Control"]
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page


def test_menu_toggle_is_a_button_that_says_whether_it_is_open(client, home, section):
    page = client.get(section.url).content.decode()
    masthead = page[page.index('<header class="masthead"') : page.index("</header>")]
    assert 'type="checkbox"' not in masthead
    button = re.search(r'<button type="button"[^>]*aria-controls="menu-list"[^>]*>', masthead)
    assert button and 'aria-expanded="false"' in button.group(0)
    assert 'id="menu-list"' in masthead
    assert re.search(r'<span class="visually-hidden">Chuyên mục</span>', masthead)
