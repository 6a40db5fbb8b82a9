from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts, audit_search, health, notifications, views
from .forms import SignInForm
from .reauth import reauthentication_required

admin.site.site_header = "Peer support service: administration"
admin.site.site_title = "Peer support administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path(
        "accounts/password_change/",
        reauthentication_required(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("accounts/two-factor/", accounts.verify, name="two-factor-verify"),
    path("accounts/two-factor/set-up/", accounts.enrol, name="two-factor-enrol"),
    path("accounts/two-factor/set-up/qr.svg", accounts.qr_code, name="two-factor-qr"),
    path("accounts/security/", accounts.security, name="account-security"),
    path("accounts/security/backup-codes/", accounts.renew_backup_codes, name="backup-codes-renew"),
    path("accounts/security/replace-app/", accounts.replace_app, name="two-factor-replace"),
    path("accounts/confirm/", accounts.reauthenticate, name="reauthenticate"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/bell/", notifications.notification_bell, name="notification-bell"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("notifications/settings/", notifications.notification_preferences, name="notification-preferences"),
    path("notifications/<int:notification_pk>/read/", notifications.notification_read, name="notification-read"),
    path("audit/", audit_search.search, name="audit-search"),
    path("audit/audit.csv", audit_search.search_csv, name="audit-search-csv"),
    path("audit/audit.xlsx", audit_search.search_xlsx, name="audit-search-xlsx"),
    path("caseload/", include("caseload.urls")),
    path("training/", include("training.urls")),
    path("supervision/", include("supervision.urls")),
    path("devdays/", include("devdays.urls")),
    path("governance/", include("peersupport.governance.urls")),
    path("admin/", admin.site.urls),
]
