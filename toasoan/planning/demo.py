"""Demo planning desk: a week of story ideas, coverages and events across the sections.

Idempotent: ideas and events are found by title, so loading the demo twice adds nothing."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from . import ideas
from .access import plan_sections
from .models import Coverage, Event, Idea, PlanMailing

EVENTS = [
    # title, day offset, hour, minutes long, location, section title or "", RRULE, description
    (
        "Họp báo thường kỳ UBND tỉnh Quảng Nam",
        1,
        14,
        90,
        "Số 62 Hùng Vương, Tam Kỳ",
        "",
        "FREQ=MONTHLY;BYDAY=1TU",
        "Thông tin kinh tế – xã hội tháng; trả lời câu hỏi của báo chí.",
    ),
    (
        "Kỳ họp thứ 24 HĐND tỉnh khóa X",
        2,
        7,
        240,
        "Hội trường Tỉnh ủy, Tam Kỳ",
        "Chính trị",
        "",
        "Chất vấn về giải ngân vốn đầu tư công và tiến độ đường ĐT609.",
    ),
    (
        "Giao ban báo chí hằng tuần",
        0,
        8,
        60,
        "Ban Tuyên giáo Tỉnh ủy",
        "",
        "FREQ=WEEKLY;BYDAY=MO",
        "Định hướng thông tin tuần.",
    ),
    (
        "Hội nghị xúc tiến đầu tư vào Khu kinh tế mở Chu Lai",
        3,
        8,
        180,
        "Khách sạn Mường Thanh, Tam Kỳ",
        "Kinh tế",
        "",
        "Ký kết biên bản ghi nhớ với nhà đầu tư Hàn Quốc và Nhật Bản.",
    ),
    (
        "Lễ hội Cầu Ngư Tam Thanh",
        4,
        6,
        600,
        "Xã Tam Thanh, Tam Kỳ",
        "Văn hóa – Du lịch",
        "FREQ=YEARLY",
        "Lễ tế cá Ông, đua thuyền, hát bả trạo.",
    ),
]

IDEAS = [
    # title, section, proposer, genre, platforms, day offset, state, angle, photo assignee
    (
        "Đê biển Tam Thanh trước mùa mưa bão",
        "Thời sự",
        "phongvien",
        "phong-su",
        ["web", "in"],
        1,
        "approve",
        "Tiến độ gia cố 800 m đê, kinh phí 12 tỷ đồng, ý kiến người dân ven biển.",
        "phongvienanh",
    ),
    (
        "Chất vấn giải ngân vốn đầu tư công tại kỳ họp HĐND",
        "Chính trị",
        "phongvien2",
        "tin",
        ["web", "in", "en"],
        2,
        "approve",
        "Những dự án chậm giải ngân, trách nhiệm của chủ đầu tư, cam kết của UBND tỉnh.",
        "",
    ),
    (
        "Giá sầu riêng Quế Sơn giảm mạnh, nông dân lo lắng",
        "Kinh tế",
        "phongvien",
        "bai",
        ["web"],
        1,
        "propose",
        "Giá thu mua giảm 40%, nguyên nhân từ thị trường xuất khẩu, hướng liên kết tiêu thụ.",
        "",
    ),
    (
        "Học sinh vùng cao Nam Trà My đến trường mùa lũ",
        "Xã hội",
        "ctv",
        "phong-su",
        ["web", "in", "video"],
        2,
        "return",
        "Con đường đến trường qua suối, nhà bán trú, sự hỗ trợ của thầy cô.",
        "",
    ),
    (
        "Phỏng vấn Giám đốc Sở Du lịch về mùa lễ hội",
        "Văn hóa – Du lịch",
        "phongvien2",
        "phong-van",
        ["web", "en"],
        3,
        "approve",
        "Lượng khách dự kiến, sản phẩm mới, bài toán lưu trú dịp Lễ hội Cầu Ngư.",
        "phongvienanh2",
    ),
    (
        "Video: đua thuyền Lễ hội Cầu Ngư Tam Thanh",
        "Văn hóa – Du lịch",
        "phongvienanh",
        "video",
        ["web", "video"],
        4,
        "propose",
        "Ba phút không khí đua thuyền, phỏng vấn ngắn các đội đua.",
        "",
    ),
    (
        "Quảng Nam vào bán kết giải bóng đá hạng Nhất",
        "Thể thao",
        "phongvien",
        "tin",
        ["web"],
        0,
        "approve",
        "Diễn biến trận đấu, nhận định của huấn luyện viên.",
        "",
    ),
    (
        "Xét xử vụ khai thác cát trái phép trên sông Thu Bồn",
        "Pháp luật",
        "phongvien2",
        "tin",
        ["web", "in"],
        -1,
        "approve",
        "Phiên tòa sơ thẩm, mức án, tác động đến bờ sông Đại Lộc.",
        "",
    ),
    (
        "Nông dân Duy Xuyên chuyển đổi sang trồng dưa lưới",
        "Kinh tế",
        "ctv",
        "bai",
        ["web"],
        5,
        "propose",
        "Mô hình nhà màng, chi phí đầu tư, đầu ra với siêu thị Đà Nẵng.",
        "",
    ),
]


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _events(sections: dict) -> tuple[int, dict]:
    made, found = 0, {}
    for title, offset, hour, minutes, place, section, rrule, description in EVENTS:
        event = Event.objects.filter(title=title).first()
        if event is None:
            start = _at(offset, hour)
            event = Event.objects.create(
                title=title,
                start=start,
                end=start + timedelta(minutes=minutes),
                location=place,
                section=sections.get(section),
                rrule=rrule,
                description=description,
            )
            made += 1
        found[title] = event
    return made, found


def load_demo_planning(staff: dict) -> int:
    with ideas.quietly():
        return _load(staff)


@transaction.atomic
def _load(staff: dict) -> int:
    """Ideas in every state across the sections, a photo coverage declined and reassigned,
    the events they cover, and the plan's e-mail settings."""
    sections = {s.title: s for s in plan_sections()}
    made, events = _events(sections)
    desk = {"Thời sự", "Chính trị", "Kinh tế"}
    for title, section, who, genre, platforms, offset, step, angle, photo in IDEAS:
        if Idea.objects.filter(title=title).exists() or section not in sections:
            continue
        author = staff[who]
        editor = staff["bientap" if section in desk else "bientap2"]
        idea = Idea(
            title=title,
            angle=angle,
            genre=genre,
            platforms=platforms,
            section=sections[section],
            plan_date=timezone.localdate() + timedelta(days=offset),
            deadline=_at(offset, 17),
            place="Quảng Nam",
            length="3 phút" if genre == "video" else "800 chữ",
            sources="Sở, ngành liên quan; người dân tại chỗ.",
        )
        related = [e for e in events.values() if e.section_id == idea.section.pk]
        idea = ideas.file_idea(idea, author, related)
        made += 1
        if step == "return":
            ideas.return_idea(idea, editor, "Cần thêm số liệu của Sở Giáo dục và lịch trình đi.")
        elif step == "approve":
            idea = ideas.approve(idea, editor)
            if photo:
                ideas.add_coverage(
                    idea,
                    editor,
                    kind=Coverage.Kind.PHOTO,
                    deadline=idea.deadline,
                    assignee=staff[photo],
                )
    # A declined photo coverage waiting to be reassigned, for the managing editor to chase.
    dyke = Idea.objects.filter(title=IDEAS[0][0]).first()
    photo = dyke.coverages.filter(kind=Coverage.Kind.PHOTO).first() if dyke else None
    if photo is not None and photo.status == Coverage.Status.WAITING:
        ideas.decline(photo, photo.assignee, "Trùng lịch tác nghiệp kỳ họp HĐND.")
    if not PlanMailing.objects.exists():
        PlanMailing.objects.create(
            recipients="thuky@toasoan.local\ntongbientap@toasoan.local\nbientap@toasoan.local"
        )
        made += 1
    return made
