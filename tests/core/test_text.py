import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from toasoan.core.text import dateline, fold, nfc, short_datetime, vi_slug

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_fold_removes_d_stroke_and_stacked_marks():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("đối ngoại") == "doi ngoai"
    assert fold("Tiếng Việt: ẵ ộ ệ ữ ằ") == "tieng viet: a o e u a"
    assert fold("HỘI AN") == "hoi an"


def test_fold_treats_decomposed_and_composed_text_alike():
    composed = "Quảng Nam"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "quang nam"


def test_slug_of_the_seed_title_keeps_every_letter():
    title = "Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế"
    assert vi_slug(title) == (
        "hoat-dong-thong-tin-doi-ngoai-co-vai-tro-quan-trong-thuc-day-phat-trien-kinh-te"
    )
    assert vi_slug("Đường về Điện Bàn & “Hội An”") == "duong-ve-dien-ban-hoi-an"


def test_overlong_slug_is_cut_at_a_word_boundary():
    slug = vi_slug("Đà Nẵng " * 60)
    assert len(slug) <= 120
    assert slug.endswith("nang") and not slug.endswith("-")


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Bửu")
    assert len(decomposed) > len("Bửu")
    assert nfc(decomposed) == "Bửu"


def test_datelines_in_the_paper_time_zone():
    moment = datetime(2021, 12, 22, 3, 1, tzinfo=ZoneInfo("UTC"))
    assert short_datetime(moment) == "22/12/2021 10:01"
    assert dateline(moment) == "Thứ Tư, 22/12/2021, 10:01 (GMT+7)"
    assert dateline(datetime(2021, 12, 26, 9, 0, tzinfo=HCM)).startswith("Chủ Nhật, 26/12/2021")


def test_every_model_of_ours_stores_text_nfc_and_trimmed_whoever_saves_it(db, story):
    """Text typed on a phone keyboard or pasted from a decomposed source, saved from the shell
    or an import (no form in between): stored composed, single-line fields trimmed."""
    from toasoan.comments.models import BannedWord
    from toasoan.polls.models import Poll

    decomposed = unicodedata.normalize("NFD", "  Bầu cử Quảng Nam  ")
    poll = Poll.objects.create(question=decomposed, article=story)
    word = BannedWord.objects.create(word=unicodedata.normalize("NFD", " lừa đảo "))
    story.sapo = unicodedata.normalize("NFD", "Sáng 22/12, tại Tam Kỳ…")
    story.save()

    poll.refresh_from_db()
    word.refresh_from_db()
    story.refresh_from_db()
    assert poll.question == "Bầu cử Quảng Nam"
    assert word.word == "lừa đảo"
    assert unicodedata.is_normalized("NFC", story.sapo) and story.sapo.startswith("Sáng")
