"""Response headers that Django's security middleware and django-csp do not set."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every response to a signed-in user may hold personal data: no browser or proxy keeps a copy
    (Cache-Control: no-store), so the back button after signing out, or a shared computer's cache,
    shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
