from django.apps import AppConfig


class DevdaysConfig(AppConfig):
    name = "devdays"
