"""Deterministic, realistic Vietnamese news text for benchmarks (a provincial daily's words).

Titles, sapos and bodies are assembled from the places, actors and subjects a provincial
paper writes about every day, so word frequencies look like a real archive: place names in
a large share of stories, common words everywhere, specific terms rare.
"""

import random

PLACES = [
    "Quảng Nam",
    "Đà Nẵng",
    "Hội An",
    "Tam Kỳ",
    "Núi Thành",
    "Điện Bàn",
    "Duy Xuyên",
    "Thăng Bình",
    "Quế Sơn",
    "Đại Lộc",
    "Nam Giang",
    "Tây Giang",
    "Đông Giang",
    "Phước Sơn",
    "Bắc Trà My",
    "Nam Trà My",
    "Tiên Phước",
    "Hiệp Đức",
    "Nông Sơn",
    "Phú Ninh",
    "Cù Lao Chàm",
    "Chu Lai",
    "Mỹ Sơn",
    "Cửa Đại",
    "Tam Thanh",
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Huế",
    "Quảng Ngãi",
    "Kon Tum",
]
ACTORS = [
    "UBND tỉnh",
    "Tỉnh ủy",
    "HĐND tỉnh",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Công an tỉnh",
    "Bộ đội Biên phòng tỉnh",
    "Hội Nông dân",
    "Tỉnh đoàn",
    "Mặt trận Tổ quốc",
    "Ban Quản lý Khu kinh tế mở Chu Lai",
    "Sở Kế hoạch và Đầu tư",
    "Cục Thuế tỉnh",
    "Ngân hàng Chính sách xã hội",
    "Bệnh viện Đa khoa tỉnh",
    "Trường Đại học Quảng Nam",
]
VERBS = [
    "đẩy mạnh",
    "triển khai",
    "tổng kết",
    "khởi công",
    "khánh thành",
    "phát động",
    "kiểm tra",
    "hỗ trợ",
    "nâng cấp",
    "đã nâng cấp",
    "đã nâng cao",
    "ký kết",
    "tăng cường",
    "khắc phục",
    "đầu tư",
    "phát triển",
    "bảo tồn",
    "thúc đẩy",
    "hoàn thành",
    "chuẩn bị",
    "tổ chức",
    "trao tặng",
    "mở rộng",
    "sơ kết",
    "rà soát",
]
SUBJECTS = [
    "phát triển du lịch cộng đồng",
    "xây dựng nông thôn mới",
    "thông tin đối ngoại",
    "cải cách hành chính",
    "chuyển đổi số",
    "phòng chống thiên tai",
    "phòng chống dịch bệnh",
    "giảm nghèo bền vững",
    "trồng rừng gỗ lớn",
    "bảo vệ môi trường biển",
    "an toàn giao thông",
    "khám chữa bệnh cho người dân",
    "tuyển sinh vào lớp 10",
    "đường ven biển 129",
    "cầu Cửa Đại",
    "sâm Ngọc Linh",
    "di sản văn hóa",
    "lễ hội rằm tháng Giêng",
    "phố cổ Hội An",
    "khu đô thị mới",
    "hạ tầng giao thông",
    "kinh tế tập thể",
    "thu hút đầu tư",
    "thu ngân sách",
    "bảo hiểm xã hội",
    "học bổng cho học sinh nghèo",
    "vùng đồng bào dân tộc thiểu số",
    "chương trình OCOP",
    "nước sạch nông thôn",
    "phòng cháy chữa cháy",
    "quốc phòng an ninh",
    "hợp tác quốc tế",
    "đổi mới sáng tạo",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "điện mặt trời áp mái",
    "giải phóng mặt bằng",
]
TIMES = [
    "năm 2021",
    "giai đoạn 2021 - 2025",
    "trong mùa mưa bão",
    "dịp Tết Nguyên đán",
    "quý I",
    "6 tháng đầu năm",
    "tháng 12",
    "năm học mới",
    "sau đại dịch",
    "đến năm 2030",
]
SENTENCES = [
    "Sáng nay, {actor} đã tổ chức hội nghị {subject} {time} tại {place}.",
    "Theo báo cáo, {place} có nhiều chuyển biến tích cực trong {subject}.",
    "Lãnh đạo {actor} đề nghị các địa phương tiếp tục {verb} {subject}.",
    "Nhiều hộ dân ở {place} phấn khởi khi chính quyền {verb} {subject}.",
    "Dự kiến {time}, {place} sẽ {verb} thêm các công trình phục vụ {subject}.",
    "Phát biểu tại buổi làm việc, đại diện {actor} nhấn mạnh vai trò của {subject}.",
    "Người dân {place} mong muốn các cấp, các ngành quan tâm hơn nữa đến {subject}.",
    "Đến nay, toàn tỉnh đã huy động hơn {number} tỷ đồng cho {subject}.",
    "Tuyến đường nối {place} với {place2} đã được {verb} sau nhiều năm xuống cấp.",
    "Đoàn công tác của {actor} đã đến thăm và làm việc tại {place}.",
    "Ông Nguyễn Văn {name}, Chủ tịch UBND huyện {place}, cho biết địa phương sẽ {verb} {subject}.",
    "Bà Trần Thị {name} ở {place} chia sẻ gia đình bà được hỗ trợ {number} triệu đồng.",
]
NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Lan",
    "Liên",
    "Minh",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Thảo",
    "Trâm",
    "Vinh",
    "Xuân",
    "Yến",
]
TOPICS = sorted({s.split(" cho ")[0] for s in SUBJECTS} | set(PLACES[:12]))
PEN_NAMES = [
    "VĨNH AN",
    "HOÀNG LIÊN",
    "MINH HẢI",
    "THU HÀ",
    "NGUYỄN QUANG",
    "PHAN VINH",
    "ĐÔNG HÀ",
    "LÊ TRÂM",
    "V.A",
    "HỒNG ANH",
    "QUỐC TUẤN",
    "NGỌC PHÚC",
    "THANH THẮNG",
    "ĐĂNG NGUYỄN",
    "TRẦN HỮU",
    "ALĂNG NGƯỚC",
    "HỮU PHÚC",
    "XUÂN HIỀN",
    "PHƯƠNG THẢO",
    "MINH TÂM",
]


class Story:
    """One story's subject: its sentences mostly stay on its place, actor and subject."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.place = rng.choice(PLACES)
        self.actor = rng.choice(ACTORS)
        self.subject = rng.choice(SUBJECTS)

    def pick(self, own: str, pool: list[str]) -> str:
        return own if self.rng.random() < 0.75 else self.rng.choice(pool)

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            actor=self.pick(self.actor, ACTORS),
            subject=self.pick(self.subject, SUBJECTS),
            time=rng.choice(TIMES),
            place=self.pick(self.place, PLACES),
            place2=rng.choice(PLACES),
            verb=rng.choice(VERBS),
            number=rng.randint(2, 900),
            name=rng.choice(NAMES),
        )


def title(story: Story) -> str:
    rng = story.rng
    shape = rng.random()
    if shape < 0.45:
        text = f"{story.place} {rng.choice(VERBS)} {story.subject}"
    elif shape < 0.75:
        text = f"{story.actor} {rng.choice(VERBS)} {story.subject} {rng.choice(TIMES)}"
    else:
        text = f"{rng.choice(VERBS).capitalize()} {story.subject} tại {story.place}"
    return text[0].upper() + text[1:]


def sapo(story: Story) -> str:
    return " ".join(story.fill(story.rng.choice(SENTENCES)) for _ in range(2))


def paragraphs(story: Story, at_least: int = 3) -> list[str]:
    """The body's paragraphs, each `<p>…</p>`: three to seven, or more for a longer story."""
    rng = story.rng
    found = []
    for _ in range(max(at_least, rng.randint(3, 7))):
        count = rng.randint(2, 4)
        sentences = " ".join(story.fill(rng.choice(SENTENCES)) for _ in range(count))
        found.append(f"<p>{sentences}</p>")
    return found


def caption(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} ở {rng.choice(PLACES)}."
    return text[0].upper() + text[1:]
