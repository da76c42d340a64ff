"""Errors of the API: one JSON shape, in Vietnamese and English, never an HTML page."""


class ApiError(Exception):
    def __init__(self, status: int, code: str, vi: str, en: str, **extra):
        super().__init__(en)
        self.status, self.code, self.vi, self.en, self.extra = status, code, vi, en, extra

    def payload(self) -> dict:
        return {
            "code": self.code,
            "detail": f"{self.vi} / {self.en}",
            "vi": self.vi,
            "en": self.en,
            **self.extra,
        }


def bad_parameter(name: str, vi: str, en: str) -> ApiError:
    return ApiError(
        400,
        "invalid_parameter",
        f"Tham số “{name}” không hợp lệ: {vi}",
        f"Invalid parameter “{name}”: {en}",
        fields=[{"name": name, "vi": vi, "en": en}],
    )
