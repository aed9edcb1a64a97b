from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"

    def ready(self):
        from config import checks  # noqa: F401 - registers the project's system checks
