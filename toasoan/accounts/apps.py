from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toasoan.accounts"
    label = "accounts"
    verbose_name = "Tài khoản tòa soạn"
