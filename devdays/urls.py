app_name = "devdays"

urlpatterns: list = []
