"""A test app that plugs into the core the way training, supervision and development days do, and
touches no core file: a kind (with its own templates and an attachment), a scan, a home section and
a navigation entry, all registered in ready(). Installed by the test settings only; switched off
(shows and queues nothing) unless a test turns it on, so it changes no other test."""

from datetime import timedelta

from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self) -> None:
        from peersupport import plugins

        from . import hooks

        plugins.register_kind(
            "plugin_app_hello",
            "Hello from the test app",
            email_default=False,
            email_templates="plugin_app/hello",
            email_context=hooks.email_context,
            attachments=hooks.attachments,
            still_wanted=hooks.still_wanted,
        )
        plugins.register_scan(hooks.scan_hello, every=timedelta(hours=1), order=500, name="plugin_app.hello")
        plugins.register_scan(hooks.scan_that_breaks, order=1, name="plugin_app.broken")
        plugins.register_home_section(
            "plugin-app", template="plugin_app/_home.html", context=hooks.home_section, order=600
        )
        plugins.register_nav("Plug-in page", "plugin_app:page", visible=hooks.nav_visible, order=70)
