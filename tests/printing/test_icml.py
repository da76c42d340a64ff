"""ICML export: well-formed, in the ICML structure, style ranges right, Vietnamese exact."""

import io
import unicodedata
import zipfile
from xml.etree import ElementTree as ET

import pytest

from tests.factories import ArticlePageFactory, PhotoFactory
from tests.staff import client_for
from toasoan.printing.icml import PrintText, from_icml, to_icml
from toasoan.printing.versions import print_version_for, save_version

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def every_tone_on_every_vowel() -> str:
    words = []
    for vowel in VOWELS + VOWELS.upper():
        words.append("".join(unicodedata.normalize("NFC", vowel + tone) for tone in TONES))
    return " ".join(words) + " Đđ"


def test_every_tone_mark_on_every_vowel_is_in_the_sample():
    sample = every_tone_on_every_vowel()
    assert len(set(sample.replace(" ", ""))) == 2 * 12 * 6 + 2  # 144 vowels with tones, Đ, đ
    assert "ỹ" in sample and "Ữ" in sample and "ặ" in sample


def test_round_trip_is_byte_identical():
    text = every_tone_on_every_vowel()
    original = PrintText(
        title=f"Tít: {text}",
        sapo=f"Sapo “có ngoặc” & <dấu> {text}",
        body=f"Đoạn một: {text}\n\nĐoạn hai: {text[::-1]}\n\nĐoạn ba — hết.",
        byline="NGUYỄN VĂN ỬNG",
    )
    back = from_icml(to_icml(original))
    for field in ("title", "sapo", "body", "byline"):
        assert getattr(back, field).encode("utf-8") == getattr(original, field).encode("utf-8")


def test_icml_structure_and_style_ranges():
    data = to_icml(PrintText("Tít bài", "Sapo đậm", "Đoạn 1\n\nĐoạn 2", "BÚT DANH"))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    assert b'<?aid SnippetType="InCopyInterchange"?>' in data
    root = ET.fromstring(data)
    assert root.tag == "Document" and root.get("DOMVersion")
    para_styles = {s.get("Self") for s in root.iter("ParagraphStyle")}
    char_styles = {s.get("Self") for s in root.iter("CharacterStyle")}
    stories = root.findall("Story")
    assert len(stories) == 1
    ranges = stories[0].findall("ParagraphStyleRange")
    applied = [r.get("AppliedParagraphStyle") for r in ranges]
    assert applied == [
        "ParagraphStyle/Tit",
        "ParagraphStyle/Sapo",
        "ParagraphStyle/NoiDung",
        "ParagraphStyle/NoiDung",
        "ParagraphStyle/ButDanh",
    ]
    for r in ranges:
        # Every style a range applies is declared; each range holds character ranges only.
        assert r.get("AppliedParagraphStyle") in para_styles
        children = list(r)
        assert children and all(c.tag == "CharacterStyleRange" for c in children)
        for run in children:
            assert run.get("AppliedCharacterStyle") in char_styles
            assert {c.tag for c in run} <= {"Content", "Br"}
    sapo_run = ranges[1].find("CharacterStyleRange")
    assert sapo_run.get("AppliedCharacterStyle") == "CharacterStyle/Dam"
    # Paragraphs end with <Br/> except the last.
    assert [r.find("CharacterStyleRange/Br") is not None for r in ranges] == [True] * 4 + [False]


@pytest.mark.django_db
def test_the_story_exports_as_icml_and_photos_zip(newsroom):
    politics, _ = newsroom["sections"]
    photo = PhotoFactory(title="Hội nghị", caption="Quang cảnh hội nghị đối ngoại.", credit="V.A")
    story = ArticlePageFactory(parent=politics, title="Bài có ảnh", sapo="Sapo.", cover_image=photo)
    version = print_version_for(story)
    text = every_tone_on_every_vowel()
    save_version(version, title="Tít in", sapo="Sapo in", body=text, user=None)
    client = client_for(newsroom["people"]["tkts"])
    answer = client.get(f"/admin/bao-in/ban-in/{story.pk}/icml/")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith(f'tit-in-{story.pk}.icml"')
    assert from_icml(answer.content).body == text
    zipped = client.get(f"/admin/bao-in/ban-in/{story.pk}/anh.zip")
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    names = archive.namelist()
    assert names == ["01-hoi-nghi.jpg", "chu-thich.txt"]
    with photo.open_file() as handle:
        assert archive.read("01-hoi-nghi.jpg") == handle.read()  # the original, full size
    captions = archive.read("chu-thich.txt").decode("utf-8")
    assert "01-hoi-nghi.jpg: Quang cảnh hội nghị đối ngoại. (Ảnh: V.A)" in captions
    # A reader outside the print desk gets nothing.
    assert client_for(newsroom["people"]["pv"]).get(
        f"/admin/bao-in/ban-in/{story.pk}/icml/"
    ).status_code in (302, 403)


@pytest.mark.django_db
def test_a_draft_is_not_exported_to_print_staff_of_another_section(newsroom):
    politics, _ = newsroom["sections"]
    draft = ArticlePageFactory(parent=politics, title="Bài chưa đăng, cấm tiết lộ", live=False)
    other_desk = client_for(newsroom["people"]["btv_kt"])  # cuts print versions, Kinh tế only
    for path in ("", "icml/", "anh.zip"):
        refused = other_desk.get(f"/admin/bao-in/ban-in/{draft.pk}/{path}")
        assert refused.status_code in (302, 403), path  # Wagtail: back to the dashboard
    own_desk = client_for(newsroom["people"]["btv"])  # Thời sự: may edit the draft anyway
    assert own_desk.get(f"/admin/bao-in/ban-in/{draft.pk}/icml/").status_code == 200
