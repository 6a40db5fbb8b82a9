"""The project's URLs plus the test app's page (used only by tests that set ROOT_URLCONF)."""

from django.urls import include, path

from . import hooks

plugin_patterns = ([path("page/", hooks.page, name="page")], "plugin_app")

urlpatterns = [path("plugin-app/", include(plugin_patterns)), path("", include("peersupport.urls"))]
