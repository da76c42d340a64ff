"""The paper's first synonym list: abbreviations and other names readers type for the same
thing. Editors change it in the admin (Cài đặt → Từ đồng nghĩa khi tìm kiếm)."""

from django.db import migrations

DEFAULTS = [
    ("TP.HCM\nTPHCM\nTP HCM\nThành phố Hồ Chí Minh\nSài Gòn", "Thành phố Hồ Chí Minh"),
    ("UBND\nỦy ban nhân dân", ""),
    ("HĐND\nHội đồng nhân dân", ""),
    ("MTTQ\nMặt trận Tổ quốc", ""),
    ("Q.Nam\nQNam\nQuảng Nam", "tỉnh nhà"),
    ("TP\nThành phố", "TP Hội An, TP Tam Kỳ…"),
    ("ĐBQH\nĐại biểu Quốc hội", ""),
    ("CSGT\nCảnh sát giao thông", ""),
    ("ATGT\nAn toàn giao thông", ""),
    ("KKT\nKhu kinh tế", ""),
    ("KCN\nKhu công nghiệp", ""),
    ("THPT\nTrung học phổ thông", ""),
    ("THCS\nTrung học cơ sở", ""),
    ("GD-ĐT\nGiáo dục và Đào tạo\nGiáo dục - Đào tạo", ""),
    ("BHXH\nBảo hiểm xã hội", ""),
    ("NTM\nNông thôn mới", ""),
    ("CĐS\nChuyển đổi số", ""),
    ("TMĐT\nThương mại điện tử", ""),
    ("DN\nDoanh nghiệp", ""),
    ("lũ lụt\nngập lụt\nlũ", "bạn đọc gõ “lũ lụt”, bài viết “nước lũ”"),
    ("cát tặc\nkhai thác cát trái phép", ""),
]


def add(apps, schema_editor):
    SearchSynonym = apps.get_model("search", "SearchSynonym")
    for terms, note in DEFAULTS:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})


def remove(apps, schema_editor):
    SearchSynonym = apps.get_model("search", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=[terms for terms, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0007_search_synonym")]

    operations = [migrations.RunPython(add, remove)]
