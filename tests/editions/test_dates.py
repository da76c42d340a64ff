from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from toasoan.core.text import dateline_en, dateline_for, short_datetime_for

MOMENT = datetime(2021, 12, 22, 10, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_english_dateline():
    assert dateline_en(MOMENT) == "December 22, 2021, 10:01 (GMT+7)"


def test_datelines_follow_the_edition_being_served():
    with translation.override("en"):
        assert dateline_for(MOMENT) == "December 22, 2021, 10:01 (GMT+7)"
        assert short_datetime_for(MOMENT) == "December 22, 2021, 10:01"
    with translation.override("vi"):
        assert dateline_for(MOMENT) == "Thứ Tư, 22/12/2021, 10:01 (GMT+7)"
        assert short_datetime_for(MOMENT) == "22/12/2021 10:01"
