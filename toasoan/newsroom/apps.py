from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "toasoan.newsroom"
    label = "newsroom"
    verbose_name = "Tòa soạn"

    def ready(self) -> None:
        from . import editing, tasks

        editing.configure_story_editor()
        tasks.connect()  # pre-render covers in the listing sizes after publishing (worker only)
