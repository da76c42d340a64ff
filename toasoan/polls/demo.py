"""One demo poll for `manage.py load_demo` (idempotent)."""

from toasoan.newsroom.models import ArticlePage

from .models import Choice, Poll

QUESTION = "Bạn đánh giá thế nào về tuyến ĐT 608 sau khi nâng cấp?"
CHOICES = ("Tốt hơn hẳn", "Tạm được", "Cần làm thêm đèn, biển báo")


def load_demo_poll(story: ArticlePage) -> int:
    if Poll.objects.filter(question=QUESTION).exists():
        return 0
    poll = Poll(article=story, question=QUESTION)
    for text in CHOICES:
        poll.choices.add(Choice(text=text))
    poll.save()
    return 1
